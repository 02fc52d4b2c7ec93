"""The admin's forms: the part's form, which remembers which edit it was opened on (no lost
update), and the transcript import form (pasted text or an uploaded .txt/.docx file)."""

import hashlib
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.accessibility_checks import finding_link
from articles.audit import display_name
from articles.importer import parse_for_import
from articles.models import Article
from articles.sources import MAX_FILE_BYTES, read_transcript_file
from articles.transcript import TranscriptError
from forum.models import Forum
from forum.web.text import normalise_line_endings

LOCK_FIELD = "lock_version"
ACCESSIBILITY_REASON_FIELD = "accessibility_reason"
MAX_TEXT_CHARS = 500_000  # ten times the longest part we know of


class ArticleAdminForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Shown only to those who may publish despite accessibility errors (editorial.get_fieldsets).
    accessibility_reason = forms.CharField(
        label=_("問題を残して公開する理由"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_(
            "アクセシビリティの問題が残っていても公開するときだけ書きます(例: 画像の説明は著者に確認中、"
            "翌日までに直す)。理由は操作記録に残ります。"
        ),
    )

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
    who = display_name(article.updated_by) or gettext("別の人")
    when = date_format(timezone.localtime(article.updated_at), "n月j日 H:i")
    history = reverse("admin:articles_article_history", args=[article.pk])
    return ValidationError(
        format_html(
            gettext(
                "この記事は、あなたが開いたあとで{who}さんが{when}に保存しました。"
                "あなたの変更はまだ保存されていません(入力した内容はこのページに残っています)。"
                '<a href="{history}" target="_blank">変更履歴(新しいタブ)</a>で相手の変更を確かめ、'
                "記事を開き直してからあなたの変更を入れて保存してください。"
            ),
            who=who,
            when=when,
            history=history,
        ),
        code="edit_conflict",
    )


def accessibility_refusal(errors, article, may_override):
    """The message refusing to publish `article` while `errors` remain, each linked."""
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a>: {}</li>',
        ((finding_link(finding, article), finding.where, finding.message) for finding in errors),
    )
    advice = (
        gettext("問題を残したまま公開するには、「問題を残して公開する理由」を書いてもう一度保存してください。")
        if may_override
        else gettext("直してから、もう一度公開してください。")
    )
    return ValidationError(
        format_html(
            "{}<ul>{}</ul>{}",
            gettext("「%(title)s」にはアクセシビリティの問題が%(count)d件あるため、公開・公開予約できません。")
            % {"title": article.title, "count": len(errors)},
            items,
            advice,
        ),
        code="accessibility",
    )


class TranscriptTextarea(forms.Textarea):
    """Shows control characters (a NUL pasted from a binary file) as �, which HTML can carry."""

    def format_value(self, value):
        value = super().format_value(value)
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "\ufffd", value) if value else value


def preview_digest(text, forum, roundtable_number):
    """Identifies what was previewed (text, forum and 回), so a change to any of them is previewed
    again before saving."""
    forum_pk = "" if forum is None else forum.pk or f"new\x00{forum.name}\x00{forum.slug}"
    return hashlib.sha256(f"{forum_pk}\x00{roundtable_number or ''}\x00{text}".encode()).hexdigest()


class TranscriptImportForm(forms.Form):
    text = forms.CharField(
        label=_("原稿"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        strip=False,
        widget=TranscriptTextarea(attrs={"rows": 24, "cols": 80, "spellcheck": "false"}),
        help_text=_(
            "記事の全文を貼り付けます(Webページやワープロからのコピーのままで構いません)。"
            "直したら「構造を確認する」でもう一度読み取ります。"
        ),
    )
    file = forms.FileField(
        label=_("またはファイルから"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".txt,.docx,text/plain,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
        help_text=_(
            ".txt または .docx(%(limit)d MBまで)。選ぶと、貼り付けた原稿の代わりにファイルの中身を読み取ります。"
        )
        % {"limit": MAX_FILE_BYTES // (1024 * 1024)},
    )
    forum = forms.ModelChoiceField(
        label=_("フォーラム"),
        queryset=Forum.objects.all(),
        required=False,
        empty_label=_("(新しいフォーラムを作る)"),
        help_text=_(
            "取り込む先のフォーラム(シリーズ)。ないときは「新しいフォーラムを作る」を選び、下に名称とURL名を入れます。"
        ),
    )
    new_forum_name = forms.CharField(
        label=_("新しいフォーラムの名称"),
        required=False,
        max_length=Forum._meta.get_field("name").max_length,
        help_text=_("例: 東京都・区市町村CIOフォーラム。保存するときに作ります。"),
    )
    new_forum_slug = forms.SlugField(
        label=_("新しいフォーラムのURL名"),
        required=False,
        max_length=Forum._meta.get_field("slug").max_length,
        help_text=_("URLに使う半角英数字とハイフン。例: tokyo-cio-forum"),
    )
    roundtable_number = forms.IntegerField(
        label=_("回"),
        required=False,
        min_value=1,
        help_text=_("原稿に「第N回」が書かれていないときだけ入力します。"),
    )
    number_hidden = forms.BooleanField(
        label=_("第N回を表示しない"),
        required=False,
        help_text=_(
            "インタビュー・対談で、読者に回数を見せないときに選びます。"
            "回はURLと管理用にだけ使い、ページ・一覧・フィード・検索には「第N回」を表示しません。"
            "新しい座談会を作るときに使います(登録済みの座談会は、座談会の管理画面で変えます)。"
        ),
    )
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, may_add_forum=True, **kwargs):
        self.may_add_forum = may_add_forum
        super().__init__(*args, **kwargs)
        # The parser reports a NUL byte with its line; Django's own check would not say where.
        text = self.fields["text"]
        text.validators = [v for v in text.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        if not may_add_forum:
            del self.fields["new_forum_name"], self.fields["new_forum_slug"]
            self.fields["forum"].required = True
            self.fields["forum"].empty_label = None

    def _clean_forum_choice(self, cleaned):
        """The chosen forum, or a new one (not saved yet) from its name and URL名."""
        if cleaned.get("forum") is not None or not self.may_add_forum:
            return
        name, slug = (cleaned.get("new_forum_name") or "").strip(), cleaned.get("new_forum_slug") or ""
        if not name:
            self.add_error("new_forum_name", _("フォーラムを選ぶか、新しいフォーラムの名称を入れてください。"))
        elif Forum.objects.filter(name=name).exists():
            self.add_error("new_forum_name", _("この名称のフォーラムは既にあります。一覧から選んでください。"))
        if not slug and not self.has_error("new_forum_slug"):
            self.add_error("new_forum_slug", _("新しいフォーラムのURL名を入れてください。"))
        elif slug and Forum.objects.filter(slug=slug).exists():
            self.add_error("new_forum_slug", _("このURL名は別のフォーラムが使っています。別のURL名にしてください。"))
        if name and slug and not self.has_error("new_forum_name") and not self.has_error("new_forum_slug"):
            cleaned["forum"] = Forum(name=name, slug=slug)

    def clean(self):
        cleaned = super().clean()
        self._clean_forum_choice(cleaned)
        upload = cleaned.get("file")
        if self.has_error("text") and not upload:
            return cleaned
        text = cleaned.get("text") or ""
        source_field = "text"
        if upload:
            source_field = "file"
            try:
                text = read_transcript_file(upload.name, upload)
            except TranscriptError as error:
                self.add_error("file", str(error))
                return cleaned
        if not text.strip() and not self.has_error("text"):
            self.add_error("text", _("原稿を貼り付けるか、ファイルを選んでください。"))
            return cleaned
        try:
            transcript = parse_for_import(text)
        except TranscriptError as error:
            self.add_error(source_field, str(error))
            return cleaned
        cleaned["text"] = normalise_line_endings(text)  # as the page will post it back
        cleaned["transcript"] = transcript
        if cleaned.get("number_hidden"):
            from articles.importer import NUMBER_OPTIONAL, format_of

            kind = format_of(transcript.to_dict())
            if kind not in NUMBER_OPTIONAL:
                self.add_error(
                    "number_hidden",
                    _(
                        "「第N回を表示しない」を選べるのは、インタビューと対談だけです"
                        "(この原稿は%(format)sとして読み取りました)。選択を外してください。"
                    )
                    % {"format": kind.label},
                )
        return cleaned

    def is_previewed(self):
        data = self.cleaned_data
        return data.get("previewed") == preview_digest(data["text"], data.get("forum"), data.get("roundtable_number"))
