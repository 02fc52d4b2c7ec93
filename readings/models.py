"""The editors' reading dictionary: how the site reads a place or organisation name."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.text import is_kana, normalise_reading


class ReadingEntry(models.Model):
    """One word and its reading (町田 → まちだ), used before the morphological analyser."""

    word = models.CharField(
        _("語"), max_length=100, unique=True, help_text=_("地名・団体名など、漢字を含む語。例: 町田")
    )
    reading = models.CharField(
        _("よみがな"), max_length=200, help_text=_("ひらがなかカタカナ。ページにはひらがなで表示します。例: まちだ")
    )
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("よみがな辞書の語")
        verbose_name_plural = _("よみがな辞書")
        ordering = ["reading", "word"]

    def __str__(self):
        return f"{self.word}({self.reading})"

    def clean(self):
        self.word = self.word.strip()
        self.reading = normalise_reading(self.reading)
        if self.reading and not is_kana(self.reading.replace(" ", "")):
            raise ValidationError({"reading": _("よみがなはひらがなかカタカナで入力してください。")})

    def save(self, *args, **kwargs):
        self.word = self.word.strip()
        self.reading = normalise_reading(self.reading)
        super().save(*args, **kwargs)
