"""The part's admin form: it remembers which edit it was opened on (no lost update)."""
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles.audit import display_name
from articles.models import Article

LOCK_FIELD = "lock_version"


class ArticleAdminForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[LOCK_FIELD].initial = self.instance.edit_version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and cleaned.get(LOCK_FIELD) != self.instance.edit_version:
            raise conflict_error(self.instance)
        return cleaned


def conflict_error(article):
    """The message shown when someone else saved the part after this form was opened."""
    who = display_name(article.updated_by) or _("別の人")
    when = date_format(timezone.localtime(article.updated_at), "n月j日 H:i")
    history = reverse("admin:articles_article_history", args=[article.pk])
    return ValidationError(format_html(
        _("この記事は、あなたが開いたあとで{who}さんが{when}に保存しました。"
          "あなたの変更はまだ保存されていません(入力した内容はこのページに残っています)。"
          "<a href=\"{history}\" target=\"_blank\">変更履歴(新しいタブ)</a>で相手の変更を確かめ、"
          "記事を開き直してからあなたの変更を入れて保存してください。"),
        who=who, when=when, history=history,
    ), code="edit_conflict")
