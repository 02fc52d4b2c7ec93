"""A roundtable's published parts, and what a part is made of.

Article (a part) → Section (見出し) → SpeakerTurn (発言) and Figure (画像), ordered by
`position` within their section; turns and figures share one sequence of positions, so a
figure stands between the turns it was placed between. Markdown is rendered to
sanitised HTML once, in save(), never on a request. AuditEvent is a part's audit trail.
"""

import hashlib
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from articles.markdown import render_markdown
from forum.fixed_queries import SAMPLE_TIMES, FixedQuery
from forum.images.fields import SafeImageField
from readings.furigana import ruby_html, ruby_text
from readings.lexicon import names_ruby
from readings.lexicon import lexicon as lexicon_of
from readings.phrasing import phrase_html, phrase_text


# The most turns one part may hold: its admin page (one form per turn) must open and save.
# A longer transcript is imported as several parts (前編・後編 …). See settings'
# DATA_UPLOAD_MAX_NUMBER_FIELDS, which allows a part of this size to be posted.
MAX_TURNS_PER_PART = 4_000

# A turn's anchor (its permalink's fragment): made once, when the turn is created, from its
# speaker's label and its text, then kept whatever happens to the turn (edits, reordering,
# export and re-import as JSON). Importing the same text again gives the same anchors.
ANCHOR_PREFIX = "t-"
ANCHOR_MAX_LENGTH = 24


def turn_anchor(label, body, taken=()):
    """t-3fa9c2d1: a digest of the speaker's label and the text; `taken` (the part's other
    anchors) adds -2, -3 … to a turn that says the same as another (はい。)."""
    source = unicodedata.normalize("NFC", f"{label or ''}\n{(body or '').strip()}")
    base = ANCHOR_PREFIX + hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]
    anchor, suffix = base, 1
    while anchor in taken:
        suffix += 1
        anchor = f"{base}-{suffix}"
    return anchor


def is_turn_anchor(value):
    """An anchor a JSON import may keep as given (the shape turn_anchor makes)."""
    return bool(re.fullmatch(r"t-[0-9a-f]{8}(-[0-9]{1,4})?", value or ""))


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    PUBLISHED = "published", _("公開")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may see: published, the publish time has come and the takedown
        time (公開終了日時) has not.

        The ground rule of articles.visibility, on which every public queryset (pages,
        feeds, sitemaps, search, API) is built; a scheduled part becomes visible by itself
        when its time comes, and disappears by itself at its takedown time.
        """
        now = now or timezone.now()
        return self.filter(status=ArticleStatus.PUBLISHED, publish_at__lte=now).filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
        )

    def originals(self):
        """Parts themselves, not the correction drafts of live parts (articles.corrections)."""
        return self.filter(correction_of__isnull=True)


class Article(models.Model):
    """One published part (part1 / 前編) of a roundtable."""

    roundtable = models.ForeignKey(
        "forum.Roundtable",
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("座談会"),
    )
    part_number = models.PositiveIntegerField(
        _("パート番号"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("前半なら 1、後半なら 2。"),
    )
    title = models.CharField(_("タイトル"), max_length=200)
    # Line breaks and ふりがな, worked out on save (readings): the title with <wbr> between
    # phrases, and with ruby over its kanji; the lead's HTML with <wbr>.
    title_html = models.TextField(editable=False, blank=True)
    title_ruby_html = models.TextField(editable=False, blank=True)
    # The speakers' names with ruby from Person.reading, for the labels and the participants box.
    names_ruby_html = models.TextField(editable=False, blank=True)
    slug = models.SlugField(
        _("URL名"),
        max_length=120,
        unique=True,
        help_text=_("URLに使う半角英数字とハイフン。例: machida-cio-roundtable-part2"),
        error_messages={"unique": _("このURL名は別の記事で使われています。")},
    )
    lead = models.TextField(_("リード文"), blank=True, help_text=_("Markdown で書けます。"))
    lead_html = models.TextField(editable=False, blank=True)
    lead_display_html = models.TextField(editable=False, blank=True)
    introduction = models.TextField(
        _("導入文"), blank=True, help_text=_("開催の説明など、参加者欄の前に置く文。Markdown。")
    )
    introduction_html = models.TextField(editable=False, blank=True)
    closing = models.TextField(_("結びの文"), blank=True, help_text=_("例: 次回もお楽しみに!"))
    closing_html = models.TextField(editable=False, blank=True)
    header_image = SafeImageField(_("見出し画像"), upload_to="articles/headers/%Y/", blank=True)
    header_image_alt = models.CharField(
        _("見出し画像の代替テキスト"),
        max_length=300,
        blank=True,
        help_text=_("画像の内容を文章で。画像を載せるときは必須です。"),
    )
    status = models.CharField(_("状態"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    publish_at = models.DateTimeField(
        _("公開日時"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("未来の日時なら、その時刻に自動で公開されます。"),
    )
    unpublish_at = models.DateTimeField(
        _("公開終了日時"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("この日時になると、一般の読者には見えなくなります(自動で公開終了)。空欄なら公開を続けます。"),
    )
    # A correction draft of a live part (articles.corrections): its own sections, turns and
    # figures, edited while the live part stays as it is, applied to the live part on publish.
    correction_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="correction",
        editable=False,
        verbose_name=_("修正する公開中の記事"),
    )
    # Which live row each row of the correction was copied from ({"Section": {"copy id": live id}, …}).
    correction_map = models.JSONField(default=dict, blank=True, editable=False)
    # A fingerprint of the live part's content when the correction was made: publishing a
    # correction over a live part changed since then would lose that change.
    correction_base = models.CharField(max_length=64, blank=True, editable=False)
    publication_requested_at = models.DateTimeField(_("公開の依頼日時"), null=True, blank=True, editable=False)
    publication_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("公開を依頼した人"),
        editable=False,
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("作成者"),
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("更新者"),
        editable=False,
    )
    # Optimistic locking: incremented by every save, checked against the number the editor's
    # form was opened with, so a second editor cannot overwrite the first (articles.workflow).
    edit_version = models.PositiveIntegerField(_("編集番号"), default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("記事(パート)")
        verbose_name_plural = _("記事(パート)")
        # Newest first, parts never published (no publish_at) last on every database.
        ordering = [F("publish_at").desc(nulls_last=True), "roundtable", "part_number"]
        permissions = [
            ("publish_article", _("記事を公開・公開予約・公開取り下げできる")),
            # articles.accessibility_checks: publish although errors remain, giving a reason.
            ("publish_despite_accessibility", _("アクセシビリティの問題が残る記事を、理由を記録して公開できる")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["roundtable", "part_number"],
                condition=Q(correction_of__isnull=True),
                name="unique_part_number_per_roundtable",
                violation_error_message=_("この座談会には同じパート番号の記事が既にあります。"),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.header_image and not self.header_image_alt.strip():
            raise ValidationError({"header_image_alt": _("見出し画像には代替テキストが必要です。")})
        if self.unpublish_at and self.publish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError({"unpublish_at": _("公開終了日時は公開日時より後にしてください。")})
        if self.status == ArticleStatus.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()

    def render_readings(self, lexicon=None):
        """The title's and the lead's line breaks and ふりがな (readings), from the stored lead_html."""
        lexicon = lexicon or lexicon_of(self.roundtable_id)
        self.title_html = phrase_text(self.title, lexicon.names)
        self.title_ruby_html = ruby_text(self.title, lexicon.readings, lexicon.names)
        self.lead_display_html = phrase_html(self.lead_html, lexicon.names)
        self.names_ruby_html = names_ruby(lexicon)

    def save(self, *args, **kwargs):
        self.lead_html = render_markdown(self.lead)
        self.introduction_html = render_markdown(self.introduction)
        self.closing_html = render_markdown(self.closing)
        self.render_readings()
        if self.status == ArticleStatus.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:article_detail", kwargs={"slug": self.slug})

    @property
    def title_display(self):
        """The title for the page's heading: with its line breaks when they were worked out."""
        return mark_safe(self.title_html) if self.title_html else escape(self.title)

    @property
    def lead_display(self):
        return mark_safe(self.lead_display_html or self.lead_html)

    @property
    def is_public(self):
        now = timezone.now()
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def is_correction(self):
        return self.correction_of_id is not None

    def parts(self, public_only=True):
        """All parts of this part's roundtable, in order (derived, never typed twice)."""
        if public_only:  # the query of every part page: its SQL built once (forum.fixed_queries)
            return _PUBLIC_PARTS_OF_ROUNDTABLE.all(roundtable_id=self.roundtable_id, now=timezone.now())
        return list(_parts_of_roundtable(self.roundtable_id))


def _parts_of_roundtable(roundtable_id, now=None, public_only=False):
    parts = Article.objects.originals().filter(roundtable_id=roundtable_id)
    if public_only:
        parts = parts.published(now)
    return parts.order_by("part_number").only("id", "slug", "title", "part_number", "roundtable_id")


_PUBLIC_PARTS_OF_ROUNDTABLE = FixedQuery(
    lambda roundtable_id, now: _parts_of_roundtable(roundtable_id, now, public_only=True),
    name="public parts of a roundtable",
    roundtable_id=(-1, -2),
    now=SAMPLE_TIMES,
)


class Section(models.Model):
    """A heading (見出し) with an optional sub-heading (小見出し)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections", verbose_name=_("記事"))
    position = models.PositiveIntegerField(_("順番"), default=0)
    heading = models.CharField(_("見出し"), max_length=200, blank=True)
    subheading = models.CharField(_("小見出し"), max_length=200, blank=True)
    # With <wbr> between phrases, and with ruby (readings), worked out on save.
    heading_html = models.TextField(editable=False, blank=True)
    heading_ruby_html = models.TextField(editable=False, blank=True)
    subheading_html = models.TextField(editable=False, blank=True)
    subheading_ruby_html = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("セクション")
        verbose_name_plural = _("セクション")
        ordering = ["article", "position", "pk"]

    def __str__(self):
        return self.heading or str(_("(見出しなし)"))  # str() must return a str, not a lazy proxy

    def render(self, lexicon=None):
        """The headings' line breaks and ふりがな (readings)."""
        lexicon = lexicon or lexicon_of(self.article.roundtable_id if self.article_id else None)
        self.heading_html = phrase_text(self.heading, lexicon.names)
        self.heading_ruby_html = ruby_text(self.heading, lexicon.readings, lexicon.names)
        self.subheading_html = phrase_text(self.subheading, lexicon.names)
        self.subheading_ruby_html = ruby_text(self.subheading, lexicon.readings, lexicon.names)

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    @property
    def heading_display(self):
        return mark_safe(self.heading_html) if self.heading_html else escape(self.heading)

    @property
    def subheading_display(self):
        return mark_safe(self.subheading_html) if self.subheading_html else escape(self.subheading)

    @property
    def anchor(self):
        """Stable fragment id of the heading, for the table of contents."""
        return f"section-{self.pk}"

    @property
    def turns_with_speakers(self):
        """The turns and their speakers in one query (revisions follow this; see versioning);
        the turns already fetched for all sections at once when the admin prefetched them."""
        if "turns" in getattr(self, "_prefetched_objects_cache", {}):
            return self.turns
        return self.turns.select_related("speaker__person")


class SpeakerTurn(models.Model):
    """One utterance. No speaker means narration (―本日は…)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="turns", verbose_name=_("セクション"))
    position = models.PositiveIntegerField(_("順番"), default=0)
    speaker = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="turns",
        verbose_name=_("発言者"),
        help_text=_("空欄ならナレーション(地の文)です。"),
    )
    body = MarkdownxField(_("発言"))
    body_html = models.TextField(editable=False, blank=True)
    fragment = models.CharField(
        _("アンカー"),
        max_length=ANCHOR_MAX_LENGTH,
        editable=False,
        blank=True,
        help_text=_("発言へのリンク(#以降)。作成時に決まり、並べ替えや再取り込みでも変わりません。"),
    )
    # The page's copies of body_html (readings): with <wbr> between phrases and names and
    # dates kept whole, and the same with ruby over the kanji (shown by the ふりがな button).
    display_html = models.TextField(editable=False, blank=True)
    ruby_html = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("発言")
        verbose_name_plural = _("発言")
        ordering = ["section", "position", "pk"]

    def __str__(self):
        text = self.body[:30]
        return f"{self.speaker.short_label}:{text}" if self.speaker_id else text

    def clean(self):
        if self.speaker_id and self.section_id:
            # Attribute access: the admin's formsets already hold the section and part.
            if self.speaker.roundtable_id != self.section.article.roundtable_id:
                raise ValidationError(
                    {
                        "speaker": _("「%(speaker)s」はこの座談会の参加者ではありません。")
                        % {"speaker": self.speaker.person.name}
                    }
                )

    def render(self, lexicon=None):
        """Markdown → body_html, and the page's copies with line breaks and ふりがな. A caller
        rendering many turns passes the roundtable's lexicon (readings.lexicon), built once."""
        self.body_html = render_markdown(self.body)
        self.render_readings(lexicon)

    def render_readings(self, lexicon=None):
        if lexicon is None:
            lexicon = lexicon_of(self.section.article.roundtable_id if self.section_id else None)
        self.display_html = phrase_html(self.body_html, lexicon.names)
        self.ruby_html = ruby_html(self.body_html, lexicon.readings, lexicon.names)

    @property
    def display(self):
        """The body for the page and the feeds: with line breaks when they were worked out."""
        return mark_safe(self.display_html or self.body_html)

    def save(self, *args, **kwargs):
        self.render()
        if not self.fragment:
            self.fragment = self.new_anchor()
        super().save(*args, **kwargs)

    def new_anchor(self):
        """turn_anchor for a turn being created, unique within its part (one query)."""
        label = self.speaker.short_label if self.speaker_id else ""
        base = turn_anchor(label, self.body)
        taken = set(
            SpeakerTurn.objects.filter(section__article_id=self.section.article_id, fragment__startswith=base)
            .exclude(pk=self.pk)
            .values_list("fragment", flat=True)
        )
        return turn_anchor(label, self.body, taken)

    @property
    def anchor(self):
        """The id of the turn on its page, for its permalink (#t-3fa9c2d1); a turn saved
        without one (a bulk insert that made none) falls back to its old form."""
        return self.fragment or self.legacy_anchor

    @property
    def legacy_anchor(self):
        """The fragment the turn's permalink had before anchors were kept (#turn-<id>): the
        page still carries it, so links shared then keep landing on the turn."""
        return f"turn-{self.pk}"


class TurnCount(models.Model):
    """How many turns a participant has in a part, for the pages of a person with thousands of
    appearances (articles.visibility.PersonTurns, public_appearances_of): they read one row per
    part instead of every turn.

    Kept by the database itself (triggers made by migration 0016 from articles.turn_counts),
    so every way of writing turns counts: a save, bulk_create (the importer, corrections),
    update(), a delete however it cascades, a turn or a section moved. Which parts are public
    is not stored here: it is decided when the page is read (articles.visibility), so a
    scheduled or taken-down part needs nothing done at its time."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    speaker = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    turns = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["speaker", "article"], name="one_turn_count_per_part")]

    def __str__(self):
        return f"{self.speaker_id}@{self.article_id}: {self.turns}"


class Figure(models.Model):
    """An image between turns (画像1), with its caption and required alt text."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="figures", verbose_name=_("セクション"))
    position = models.PositiveIntegerField(_("順番"), default=0)
    reference = models.CharField(_("参照名"), max_length=50, blank=True, help_text=_("原稿での呼び名。例: 画像1"))
    image = SafeImageField(_("画像"), upload_to="articles/figures/%Y/", blank=True)
    alt_text = models.CharField(
        _("代替テキスト"),
        max_length=300,
        blank=True,
        help_text=_("画像の内容を文章で。画像を載せるときは必須です。"),
    )
    caption = models.CharField(_("キャプション"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("画像")
        verbose_name_plural = _("画像")
        ordering = ["section", "position", "pk"]

    def __str__(self):
        return self.reference or self.caption or str(self.pk)

    def clean(self):
        if self.image and not self.alt_text.strip():
            raise ValidationError({"alt_text": _("画像には代替テキストが必要です。")})


class Credit(models.Model):
    """執筆者・編集 … with the department; 同上 means the department of the line above."""

    SAME_AS_ABOVE = "同上"
    WRITER_ROLES = frozenset({"執筆", "執筆者", "文", "文・構成"})

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="credits", verbose_name=_("記事"))
    position = models.PositiveIntegerField(_("順番"), default=0)
    role = models.CharField(_("役割"), max_length=50, help_text=_("例: 執筆者、編集、撮影"))
    name = models.CharField(_("氏名"), max_length=100)
    affiliation = models.CharField(
        _("所属"), max_length=200, blank=True, help_text=_("上と同じなら「同上」と書けます。")
    )

    class Meta:
        verbose_name = _("クレジット")
        verbose_name_plural = _("クレジット")
        ordering = ["article", "position", "pk"]

    def __str__(self):
        return f"{self.role}:{self.name}"

    @property
    def is_writer(self):
        """Whether the role names the writer (執筆, 執筆者, 文, 文・構成): the page's and
        the feeds' author."""
        return self.role.strip() in self.WRITER_ROLES


def resolve_credit_affiliations(credits):
    """Pair each credit with its affiliation, 同上 replaced by the one above it."""
    resolved, previous = [], ""
    for credit in credits:
        affiliation = credit.affiliation.strip()
        if affiliation == Credit.SAME_AS_ABOVE:
            affiliation = previous
        resolved.append((credit, affiliation))
        previous = affiliation
    return resolved


class AuditAction(models.TextChoices):
    CREATED = "created", _("作成")
    CHANGED = "changed", _("変更")
    PUBLISHED = "published", _("公開")
    SCHEDULED = "scheduled", _("公開予約")
    UNPUBLISHED = "unpublished", _("公開取り下げ")
    RESTORED = "restored", _("以前の版に戻す")
    REQUESTED = "requested", _("公開を依頼")
    CORRECTION_STARTED = "correction_started", _("修正版を作成")
    CORRECTION_PUBLISHED = "correction_published", _("修正を公開")
    CORRECTION_DISCARDED = "correction_discarded", _("修正版を削除")
    TAKEDOWN_SCHEDULED = "takedown_scheduled", _("公開終了を予約")
    ACCESSIBILITY_OVERRIDE = "a11y_override", _("アクセシビリティの問題を残して公開")


class AuditEvent(models.Model):
    """One entry of a part's audit trail (articles.audit records them): the short record an
    editor reads on the part's page. The user's name is copied, so it outlives the account."""

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="audit_events",
        verbose_name=_("記事"),
    )
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作した人"),
    )
    user_name = models.CharField(_("操作した人の名前"), max_length=150, blank=True)
    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    publish_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    note = models.CharField(_("メモ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("操作記録")
        verbose_name_plural = _("操作記録")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.user_name}"


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("確認待ち")
    APPLIED = "applied", _("反映済み")
    REJECTED = "rejected", _("却下")


class ChangeRequest(models.Model):
    """変更の依頼: an editor's change of a record a public part shows (a forum, roundtable,
    participant, person, organisation or role), kept here until a publisher applies or
    rejects it (rules: articles.live_content). The record itself is not touched.

    `data` is the record's admin form as the editor submitted it (with its inline forms), so
    applying it runs the very validation and saving of a direct save; `changes` is what it
    changes, field by field, for the publisher to read; `base` is the record's fingerprint
    when the request was made (a record changed since is not overwritten)."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", verbose_name=_("種類")
    )
    object_id = models.PositiveIntegerField(
        _("対象のID"), null=True, blank=True, help_text=_("空欄なら、新しく追加する依頼です。")
    )
    object_repr = models.CharField(_("対象"), max_length=200)
    data = models.JSONField(_("送られたフォーム"), default=dict)
    changes = models.JSONField(_("変更点"), default=list)
    summary = models.TextField(_("変更の要約"), blank=True)
    base = models.CharField(_("依頼時の内容の指紋"), max_length=64, blank=True)
    message = models.CharField(_("公開担当へのメッセージ"), max_length=200, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("依頼した人"),
    )
    requested_by_name = models.CharField(_("依頼した人の名前"), max_length=150, blank=True)
    requested_at = models.DateTimeField(_("依頼日時"), default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("対応した公開担当"),
    )
    decided_by_name = models.CharField(_("対応した公開担当の名前"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("対応日時"), null=True, blank=True)
    reason = models.TextField(_("却下の理由"), blank=True)

    class Meta:
        verbose_name = _("変更の依頼")
        verbose_name_plural = _("変更の依頼")
        ordering = ["-requested_at", "-pk"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["status", "requested_at"], name="change_request_status")]

    def __str__(self):
        return _("%(kind)s「%(name)s」の変更の依頼") % {
            "kind": self.content_type.model_class()._meta.verbose_name if self.content_type.model_class() else "",
            "name": self.object_repr,
        }

    @property
    def target(self):
        model = self.content_type.model_class()
        if model is None or self.object_id is None:
            return None
        return model._default_manager.filter(pk=self.object_id).first()


class Rendition(models.Model):
    """A part's body as the public page prints it, rendered once and stored (articles.renditions):
    sections, turns, figures and speaker labels as sanitised HTML, their ふりがな copies, the table
    of contents, what the page's description and participants box take from the body, and the
    part's content as the feeds carry it.

    Not edited, not exported: made again from the part and what it prints (its roundtable's
    participants, people, organisations, roles) whenever one of them changes, by
    `manage.py rebuild_renditions`, or on the first request that finds none current.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="rendition", verbose_name=_("記事")
    )
    # The fingerprint of the code and templates it was made with (articles.renditions.RELEASE)
    # and "" once something it shows changed: only a rendition of the current release is served.
    release = models.CharField(max_length=32, blank=True)
    # One more on every change that makes it stale: a request that rendered from rows read
    # before a change stores its HTML only if no change came meanwhile (articles.renditions.store).
    generation = models.PositiveIntegerField(default=0)
    body_html = models.TextField(blank=True)
    furigana_html = models.TextField(blank=True)
    toc_html = models.TextField(blank=True)
    # The part's content in the feeds, sanitised with absolute URLs, but for the participants
    # list, made on each request and put in at summary["feed"]["split"] (articles.feed_items).
    feed_html = models.TextField(blank=True)
    # {"headings": [...], "speakers": [participant ids who speak], "participants", "credits_html",
    # "writers", "feed"}: the meta description's, the participants box's and the feeds' share
    # of the body.
    summary = models.JSONField(default=dict)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("本文の表示用HTML")
        verbose_name_plural = _("本文の表示用HTML")
        default_permissions = ()

    def __str__(self):
        return str(self.article_id)


# The search index lives in its own package; importing it registers the model.
from articles.search.models import SearchEntry  # noqa: E402,F401
