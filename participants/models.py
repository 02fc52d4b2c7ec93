"""People, and the way they appeared at each roundtable.

A person's title changes over time, so the title belongs to the appearance
(Participant), not to the Person. The printed title is composed from structured
fields: organisation, posts joined by 兼, roles in brackets (forum.conventions.compose_title).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forum.conventions import compose_title
from forum.images.fields import SafeImageField
from participants.text import is_kana, normalise_name, normalise_reading, searchable


class Organisation(models.Model):
    """A public body: 町田市, 東京都 …"""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    short_name = models.CharField(
        _("略称"), max_length=50, blank=True, help_text=_("肩書きで使う短い名前。例: 東京都 → 都")
    )
    reading = models.CharField(_("よみがな"), max_length=200, blank=True)
    local_government_code = models.CharField(
        _("地方公共団体コード"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("6桁の数字で入力してください。"))],
        help_text=_("総務省の全国地方公共団体コード(6桁)。例: 町田市 132098"),
    )

    class Meta:
        verbose_name = _("団体")
        verbose_name_plural = _("団体")
        ordering = ["reading", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.reading = normalise_reading(self.reading)
        super().save(*args, **kwargs)


class Role(models.Model):
    """A role such as CIO, CDO, CISO補佐, printed in brackets after the posts."""

    abbreviation = models.CharField(_("略称"), max_length=50, unique=True, help_text=_("例: CIO"))
    full_name = models.CharField(
        _("正式名称"), max_length=200, blank=True, help_text=_("例: 最高情報責任者(Chief Information Officer)")
    )
    sort_order = models.PositiveIntegerField(
        _("表示順"), default=100, help_text=_("肩書きの括弧内に並べる順番。小さいほど先。")
    )

    class Meta:
        verbose_name = _("ロール")
        verbose_name_plural = _("ロール")
        ordering = ["sort_order", "abbreviation"]

    def __str__(self):
        return self.abbreviation


class Person(models.Model):
    """A person: the thread through all their appearances."""

    name = models.CharField(_("氏名"), max_length=100, help_text=_("姓と名の間は空白。例: 高橋 晃"))
    reading = models.CharField(
        _("よみがな"),
        max_length=200,
        blank=True,
        help_text=_("五十音順の並べ替えに使います。ひらがな・カタカナどちらでも。例: たかはし あきら"),
    )
    slug = models.SlugField(_("URL名"), max_length=100, unique=True, blank=True, null=True)
    photo = SafeImageField(_("写真"), upload_to="people/", blank=True)
    photo_alt = models.CharField(_("写真の代替テキスト"), max_length=200, blank=True)
    profile = models.TextField(_("プロフィール"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("人物")
        verbose_name_plural = _("人物")
        ordering = ["reading", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        self.name = normalise_name(self.name)
        self.reading = normalise_reading(self.reading)
        if self.reading and not is_kana(self.reading):
            raise ValidationError({"reading": _("よみがなはひらがなかカタカナで入力してください。")})
        if self.photo and not self.photo_alt.strip():
            raise ValidationError({"photo_alt": _("写真には代替テキストが必要です。")})

    def save(self, *args, **kwargs):
        self.name = normalise_name(self.name)
        self.reading = normalise_reading(self.reading)
        if not self.slug:
            self.slug = None
        super().save(*args, **kwargs)

    @property
    def surname(self):
        return self.name.split(" ")[0]

    def get_absolute_url(self):
        return reverse("participants:person_detail", kwargs={"pk": self.pk})


class ParticipantQuerySet(models.QuerySet):
    def with_title_parts(self):
        """Everything the title needs, in two queries however many participants."""
        return self.select_related("person", "organisation").prefetch_related("roles")


class Participant(models.Model):
    """A person as they appeared at one roundtable, with the title they held then."""

    roundtable = models.ForeignKey(
        "forum.Roundtable",
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("座談会"),
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appearances", verbose_name=_("人物"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("団体"),
    )
    organisation_label = models.CharField(
        _("肩書きでの団体名"),
        max_length=50,
        blank=True,
        help_text=_("肩書きの頭に付ける団体名。空なら団体の略称か名称。例: 都"),
    )
    posts = models.JSONField(
        _("役職"),
        default=list,
        blank=True,
        help_text=_("1行に1つ。複数あれば「兼」でつないで表示します。"),
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="participants", verbose_name=_("ロール"))
    label = models.CharField(
        _("発言者ラベル"),
        max_length=50,
        blank=True,
        help_text=_("本文で使う短い呼び名。空なら姓。例: 高橋"),
    )
    label_title = models.CharField(
        _("発言者ラベルの肩書き"),
        max_length=200,
        blank=True,
        help_text=_("初出の発言者ラベルで肩書きを参加者欄と違う形で書く場合だけ。例: 東京都デジタルサービス局戦略部長"),
    )
    order = models.PositiveIntegerField(_("表示順"), default=0)
    # What title filters match in SQL (searchable() of each post, one a line; of the printed
    # title), kept by save() and the signals below, so no filter reads every appearance.
    search_posts = models.TextField(editable=False, default="")
    search_title = models.TextField(editable=False, default="")

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("参加者")
        verbose_name_plural = _("参加者")
        ordering = ["roundtable", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["roundtable", "person"],
                name="unique_person_per_roundtable",
                violation_error_message=_("この人物は既にこの座談会の参加者です。"),
            ),
        ]

    def __str__(self):
        return f"{self.full_title}:{self.person.name}" if self.full_title else self.person.name

    def clean(self):
        self.posts = [post.strip() for post in (self.posts or []) if post and post.strip()]
        if self.label:
            self.label = normalise_name(self.label)
        # An empty label becomes the surname on save(): check that one, so two 鈴木 clash here.
        label = self.label or (self.person.surname if self.person_id else "")
        if self.roundtable_id and label:
            clash = Participant.objects.filter(roundtable_id=self.roundtable_id, label=label).select_related("person")
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            other = clash.first()
            if other is not None:
                raise ValidationError(
                    {
                        "label": _(
                            "発言者ラベル「%(label)s」は、この座談会の%(other)sさんが使っています。"
                            "区別できるラベル(例: 姓と名)を入力してください。"
                        )
                        % {"label": label, "other": other.person.name}
                    }
                )

    def save(self, *args, **kwargs):
        if not self.label and self.person_id:
            self.label = self.person.surname
        self.set_search_fields(None if self.pk else [])
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *SEARCH_FIELDS}
        super().save(*args, **kwargs)

    def set_search_fields(self, role_names=None):
        """Fill search_posts and search_title from the title's parts; role_names (in printed
        order) defaults to the saved roles. A new appearance has none yet: adding them
        refreshes the title (see _roles_changed)."""
        self.search_posts = "\n".join(searchable(post) for post in self.posts or [])
        roles = self.role_names if role_names is None else role_names
        self.search_title = searchable(compose_title(self.organisation_prefix, self.posts, roles))

    @property
    def organisation_prefix(self):
        if self.organisation_label:
            return self.organisation_label
        if self.organisation is None:
            return ""
        return self.organisation.short_name or self.organisation.name

    @property
    def role_names(self):
        # Uses the prefetched roles when present (sorted in Python, no extra query).
        return [role.abbreviation for role in sorted(self.roles.all(), key=lambda r: (r.sort_order, r.abbreviation))]

    @property
    def full_title(self):
        """町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐)"""
        return compose_title(self.organisation_prefix, self.posts, self.role_names)

    @property
    def speaker_title(self):
        """The title printed in the first speaker label of a part."""
        return self.label_title or self.full_title

    @property
    def short_label(self):
        return self.label or self.person.surname


SEARCH_FIELDS = ("search_posts", "search_title")


def refresh_search_fields(participants):
    """Recompute the search fields of these appearances (a queryset): three queries, one update."""
    changed = []
    for participant in participants.with_title_parts():
        participant.set_search_fields()
        changed.append(participant)
    Participant.objects.bulk_update(changed, SEARCH_FIELDS, batch_size=1000)


@receiver(m2m_changed, sender=Participant.roles.through, dispatch_uid="participant_search_roles")
def _roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # role.participants.add(...) and the like
        if action == "pre_clear":
            instance._search_cleared = list(instance.participants.values_list("pk", flat=True))
            return
        ids = getattr(instance, "_search_cleared", []) if action == "post_clear" else pk_set
    else:
        ids = [instance.pk]
    if action in ("post_add", "post_remove", "post_clear") and ids:
        refresh_search_fields(Participant.objects.filter(pk__in=ids))


@receiver(post_save, sender=Role, dispatch_uid="participant_search_role_saved")
def _role_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and not created:
        refresh_search_fields(Participant.objects.filter(roles=instance))


@receiver(post_save, sender=Organisation, dispatch_uid="participant_search_organisation_saved")
def _organisation_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and not created:
        refresh_search_fields(Participant.objects.filter(organisation=instance))
