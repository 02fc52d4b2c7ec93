"""The search index: one row per searchable text of a part (title, lead, heading, turn)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.search.fields import BigramTokensField


class EntryKind(models.TextChoices):
    TITLE = "title", _("タイトル")
    LEAD = "lead", _("リード文")
    HEADING = "heading", _("見出し")
    TURN = "turn", _("発言")


class SearchEntry(models.Model):
    """Tokens of one text, with what the filters need (part, speaker).

    Rows exist for drafts and scheduled parts too: the query keeps only rows of parts that
    Article.objects.published() accepts at that moment (articles.search.query).
    """

    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, null=True, related_name="+")
    turn = models.OneToOneField("articles.SpeakerTurn", on_delete=models.CASCADE, null=True, related_name="+")
    speaker = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, null=True, related_name="+")
    tokens = BigramTokensField()
    # PostgreSQL only (NULL on SQLite, and in rows written before this column): the text's runs
    # (articles.search.text) separated by spaces, normalised like the tokens. A term's runs
    # joined the same way are a substring of it whenever its tokens match, so a walk through a
    # few parts' rows (fields.MatchesWithin) checks this short inline text first and reads
    # the larger tsvector, often stored out of line, only for the rows that pass.
    runs = models.TextField(null=True, editable=False)

    class Meta:
        verbose_name = _("検索索引")
        verbose_name_plural = _("検索索引")
        indexes = [
            models.Index(fields=["article", "kind"], name="searchentry_article_kind"),
            models.Index(fields=["speaker", "article"], name="searchentry_speaker_article"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.article_id}"
