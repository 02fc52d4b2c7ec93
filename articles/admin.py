"""The editors' admin for parts: one page with its sections, turns, figures and credits."""
import nested_admin
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from articles import admin_import, block_order, workflow
from articles.admin_workflow import PartPermissionMixin, WorkflowAdminMixin
from articles.models import MAX_TURNS_PER_PART, Article, Credit, Figure, Section, SpeakerTurn
from forum.admin_filters import YearListFilter
from participants.models import Participant


class SpeakerChoiceField(forms.ModelChoiceField):
    """The speaker select, limited to one roundtable's participants.

    Django's ModelChoiceField runs its queryset again for every form that renders or
    validates it; a part with 200 turns would issue 200 queries. This field takes the
    participants once (fetched per request) and shares them between all turn forms.
    """

    def __init__(self, participants, **kwargs):
        self.participants = {participant.pk: participant for participant in participants}
        super().__init__(queryset=Participant.objects.none(), **kwargs)
        self.choices = [("", _("(ナレーション・地の文)"))] + [
            (pk, participant.short_label) for pk, participant in self.participants.items()
        ]

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.participants = self.participants
        return copy

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.participants[int(value)]
        except (KeyError, TypeError, ValueError):
            outsider = Participant.objects.select_related("person").filter(pk=value).first() if str(value).isdigit() else None
            if outsider is not None:
                raise ValidationError(
                    _("「%(name)s」はこの座談会の参加者ではありません。"),
                    code="invalid_choice", params={"name": outsider.person.name},
                )
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def validate(self, value):
        forms.Field.validate(self, value)


def participants_for_request(request):
    """The participants of the roundtable of the part being edited, once per request."""
    cached = getattr(request, "_speaker_participants", None)
    if cached is None:
        object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        roundtable_id = (
            Article.objects.filter(pk=object_id).values_list("roundtable_id", flat=True).first()
            if object_id and str(object_id).isdigit() else None
        )
        cached = list(
            Participant.objects.filter(roundtable_id=roundtable_id).select_related("person")
        ) if roundtable_id else []
        request._speaker_participants = cached
    return cached


class SpeakerTurnInline(PartPermissionMixin, nested_admin.NestedStackedInline):
    # Turns and figures share one order per section (articles/block_order.py): nested_admin's
    # own sorting would renumber each list from 0 on its own, so it is off for both, and
    # block-order.js moves them (buttons, drag, typed 順番) within the section's one sequence.
    model = SpeakerTurn
    extra = 0
    fields = ["position", "speaker", "body"]
    is_sortable = False
    classes = ["turns", "ordered-blocks"]
    # Django's formsets refuse more than 2,000 forms; a section may hold a whole long part.
    max_num = MAX_TURNS_PER_PART

    def get_queryset(self, request):
        # Each row's heading prints the turn (speaker label): fetch speakers in the same query.
        return super().get_queryset(request).select_related("speaker__person")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "speaker":
            return SpeakerChoiceField(
                participants_for_request(request), required=False,
                label=db_field.verbose_name, help_text=db_field.help_text,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FigureInline(PartPermissionMixin, nested_admin.NestedTabularInline):
    model = Figure
    extra = 0
    fields = ["position", "reference", "image", "alt_text", "caption"]
    is_sortable = False
    classes = ["ordered-blocks"]


class SectionInline(PartPermissionMixin, nested_admin.NestedStackedInline):
    model = Section
    extra = 0
    fields = ["position", "heading", "subheading"]
    sortable_field_name = "position"
    inlines = [SpeakerTurnInline, FigureInline]


class CreditInline(PartPermissionMixin, nested_admin.NestedTabularInline):
    model = Credit
    extra = 0
    fields = ["position", "role", "name", "affiliation"]
    sortable_field_name = "position"


class PublishYearFilter(YearListFilter):
    title = _("公開年")
    field_name = "publish_at"


@admin.register(Article)
class ArticleAdmin(WorkflowAdminMixin, VersionAdmin, nested_admin.NestedModelAdmin):
    list_display = ["title", "roundtable", "part_number", "status_label", "publish_at", "updated_at"]
    list_filter = ["roundtable__forum", "status", PublishYearFilter]
    search_fields = ["title", "slug", "roundtable__title", "lead"]
    list_select_related = ["roundtable", "roundtable__forum"]
    autocomplete_fields = ["roundtable"]
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["roundtable", "part_number", "title", "slug"]}),
        (_("本文の前後"), {"fields": ["lead", "introduction", "closing"]}),
        (_("見出し画像"), {"fields": ["header_image", "header_image_alt"]}),
        (_("公開"), {"fields": ["status", "publish_at"]}),
        (_("記録"), {"fields": [("created_at", "created_by"), ("updated_at", "updated_by")], "classes": ["collapse"]}),
    ]

    def get_inlines(self, request, obj):
        # Speakers are chosen among the roundtable's participants, so turns are entered
        # once the part (and with it the roundtable) has been saved.
        if obj is None:
            return [CreditInline]
        return [SectionInline, CreditInline]

    @admin.display(description=_("状態"), ordering="status")
    def status_label(self, obj):
        return workflow.state_label(obj)

    actions = ["export_json", *WorkflowAdminMixin.actions]

    def get_urls(self):
        # 原稿を取り込む (button on the list) and the export links on a part's page.
        wrap = self.admin_site.admin_view
        info = self.opts.app_label, self.opts.model_name
        return [
            path("import/", wrap(lambda request: admin_import.import_view(self, request)),
                 name="%s_%s_import" % info),
            path("<path:object_id>/export/roundtable/",
                 wrap(lambda request, object_id: admin_import.export_roundtable_view(self, request, object_id)),
                 name="%s_%s_export_roundtable" % info),
            path("<path:object_id>/export/<str:fmt>/",
                 wrap(lambda request, object_id, fmt: admin_import.export_view(self, request, object_id, fmt)),
                 name="%s_%s_export" % info),
        ] + super().get_urls()

    @admin.action(description=_("選択した記事をJSONで書き出す"), permissions=["view"])
    def export_json(self, request, queryset):
        return admin_import.export_parts_response(queryset)

    class Media:
        css = {"all": ["articles/block-order.css"]}
        js = ["articles/block-order.js"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Settle turns and figures into one order per section (see articles/block_order.py).
        before = block_order.snapshot(form.instance) if change else {}
        super().save_related(request, form, formsets, change)
        block_order.settle(form.instance, before)
