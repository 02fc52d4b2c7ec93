"""The publishing body (Forum) and its events (Roundtable)."""

import functools

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forum.conventions import format_japanese_date, roundtable_title
from forum.fixed_queries import FixedQuery


class Forum(models.Model):
    """A publishing body and its magazine series, e.g. 東京都・区市町村CIOフォーラム."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    slug = models.SlugField(
        _("URL名"),
        max_length=100,
        unique=True,
        help_text=_("URLに使う半角英数字とハイフン。例: tokyo-cio-forum"),
    )
    organiser = models.CharField(_("主催"), max_length=200, blank=True)
    magazine_title = models.CharField(_("マガジン名"), max_length=200, blank=True)
    description = models.TextField(_("説明"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("フォーラム")
        verbose_name_plural = _("フォーラム")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forum:forum_detail", kwargs={"slug": self.slug})


class RoundtableFormat(models.TextChoices):
    ZADANKAI = "zadankai", _("座談会")
    TAIDAN = "taidan", _("対談")
    TEIDAN = "teidan", _("鼎談")
    INTERVIEW = "interview", _("インタビュー")
    MINUTES = "minutes", _("議事録")
    SUMMARY = "summary", _("議事概要")
    PRESS = "press", _("記者会見")


class Roundtable(models.Model):
    """One event of a forum (第4回座談会), published in one or more parts."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="roundtables", verbose_name=_("フォーラム"))
    number = models.PositiveIntegerField(_("回"), help_text=_("シリーズでの回数。第4回なら 4。"))
    title = models.CharField(_("タイトル"), max_length=200, help_text=_("例: 町田市×都CIO座談会"))
    held_on = models.DateField(_("開催日"), null=True, blank=True)
    format = models.CharField(
        _("形式"), max_length=20, choices=RoundtableFormat.choices, default=RoundtableFormat.ZADANKAI
    )
    part_count = models.PositiveIntegerField(
        _("全パート数"),
        null=True,
        blank=True,
        help_text=_("「全2回」なら 2。空欄なら、登録済みのパートの最大番号を使います。"),
    )
    honorifics_omitted = models.BooleanField(
        _("敬称略"), default=True, help_text=_("参加者欄に「(敬称略)」と表示します。")
    )
    number_hidden = models.BooleanField(
        _("第N回を表示しない"),
        default=False,
        help_text=_(
            "インタビュー・対談で、読者に回数を見せないときに選びます。"
            "回はURLと管理用にだけ使われ、ページ・一覧・フィード・検索には「第N回」を表示しません。"
        ),
    )
    description = models.TextField(_("説明"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    # The formats whose number may be left unprinted (第N回 is part of how the others are cited).
    NUMBER_OPTIONAL_FORMATS = (RoundtableFormat.INTERVIEW, RoundtableFormat.TAIDAN)

    class Meta:
        verbose_name = _("座談会")
        verbose_name_plural = _("座談会")
        ordering = ["forum", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "number"],
                name="unique_roundtable_number_per_forum",
                violation_error_message=_("このフォーラムには同じ回の座談会が既にあります。"),
            )
        ]

    def __str__(self):
        # The admin's name (lists, choices, autocomplete): with the number even when it is not
        # printed, so two interviews of the same title stay apart. Public pages use numbered_title.
        return roundtable_title(self.number, self.title, quoted=False)

    def clean(self):
        super().clean()
        if self.number_hidden and self.format not in self.NUMBER_OPTIONAL_FORMATS:
            raise ValidationError(
                {
                    "number_hidden": _(
                        "「第N回を表示しない」を選べるのは、形式がインタビューか対談のときだけです。"
                        "形式を変えるか、この選択を外してください。"
                    )
                }
            )

    @property
    def shown_number(self):
        """The number readers see (第4回), or None when it is not printed (number_hidden):
        the number itself stays the roundtable's key in its URL."""
        return None if self.number_hidden else self.number

    def get_absolute_url(self):
        return reverse("forum:roundtable_detail", kwargs={"slug": self.forum.slug, "number": self.number})

    @property
    def numbered_title(self):
        """第4回座談会「町田市×都CIO座談会」"""
        return roundtable_title(self.shown_number, self.title, self.get_format_display())

    @property
    def held_on_japanese(self):
        """令和3年10月15日 — the date held in the Japanese era."""
        return format_japanese_date(self.held_on) if self.held_on else ""


class ContentVersion(models.Model):
    """One row: the version of everything the public pages show (forum/page_cache.py).

    A new random token on every save, publish, unpublish or delete of public content, and
    when the next scheduled part's time (next_publish_at) has come. Cached pages and ETags
    carry the token they were made with, so a changed token makes them all old at once, in
    every process. A random token rather than a counter: a restored database or an emptied
    cache never brings an old token back.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()
    next_publish_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公開内容の版")
        verbose_name_plural = _("公開内容の版")
        default_permissions = ()

    def __str__(self):
        return self.token


DEFAULT_PUBLISHER = "座談会アーカイブ編集部"
DEFAULT_CONTACT = "座談会アーカイブ編集部(メール: contact@example.jp)"
DEFAULT_POLICY = """座談会アーカイブは、年齢や障害の有無、使う機器や環境にかかわらず、だれもが記事を読めるように、ウェブアクセシビリティの確保と向上に取り組みます。

### 対象

このサイト(座談会アーカイブ)のすべてのページ。

### 目標とする適合レベル

日本産業規格 JIS X 8341-3:2016 の適合レベル AA に準拠することを目標とします。

### 取り組み

- 記事を公開する前に、画像の代替テキスト、リンクの文字、見出しを管理画面で自動的に確かめ、問題が残る記事は公開しません。
- すべての種類のページを、自動試験(axe、Nu Html Checker)で確かめています。
- 印刷したときにも、出典(サイト名・URL・公開日)が分かるようにしています。

### お気づきの点

読みにくい箇所や使いにくい箇所がありましたら、下のお問い合わせ先までお知らせください。
"""


def _policy_html(policy):
    import re

    from articles.markdown import render_markdown

    # The page's title is the h1: the policy's ### headings become its h2, #### its h3.
    html = render_markdown(policy)
    return re.sub(r"<(/?)h([3-6])\b", lambda m: f"<{m[1]}h{int(m[2]) - 1}", html)


@functools.cache
def _default_policy_html():
    """The default policy's HTML, made once per process: every page's footer needs the
    settings, and a site that never saved them would render it on each one."""
    return _policy_html(DEFAULT_POLICY)


class SiteSettings(models.Model):
    """One row: who publishes the site, how to reach them, and the accessibility policy
    (ウェブアクセシビリティ方針), shown in every page's footer and at /accessibility/.
    Editable in the admin; until it is saved the defaults above are shown. Saving it makes
    the cached pages new (forum is one of page_cache's content apps)."""

    publisher = models.CharField(_("発行者"), max_length=200, default=DEFAULT_PUBLISHER)
    contact = models.CharField(
        _("お問い合わせ先"),
        max_length=300,
        default=DEFAULT_CONTACT,
        help_text=_("フッターに表示します。例: 東京都デジタルサービス局(電話: 03-0000-0000)"),
    )
    accessibility_policy = models.TextField(
        _("ウェブアクセシビリティ方針"),
        default=DEFAULT_POLICY,
        help_text=_("Markdown で書けます。「### 」で始まる行が見出しになります。"),
    )
    accessibility_policy_html = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("サイトの情報")
        verbose_name_plural = _("サイトの情報")

    def __str__(self):
        return str(_("サイトの情報(発行者・お問い合わせ先・アクセシビリティ方針)"))

    def render(self):
        self.accessibility_policy_html = _policy_html(self.accessibility_policy)

    def save(self, *args, **kwargs):
        self.pk = 1
        self.render()
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The saved row, or the defaults (rendered, not saved) when there is none yet."""
        settings = _SITE_SETTINGS.first()
        if settings is None:
            settings = cls(pk=1, accessibility_policy_html=_default_policy_html())
        return settings


# SiteSettings.load(), on every public page that is not in the cache: its SQL built once.
_SITE_SETTINGS = FixedQuery(lambda: SiteSettings.objects.filter(pk=1).order_by()[:1], name="site settings")
