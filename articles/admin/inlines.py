"""The inlines of a part's admin page: sections with their turns and figures, and credits.

An editor sees the inlines of a public or scheduled part read-only, as the part itself
(PartPermissionMixin); the speaker of a turn is chosen among the roundtable's participants,
fetched once per request however many turns the page holds.
"""

import nested_admin
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.admin.compact_editor import PlainTurnTextarea, SharedRowsFormSetMixin, SharedRowsInlineMixin
from articles.models import MAX_TURNS_PER_PART, Article, Credit, Figure, Section, SpeakerTurn
from participants.models import Participant


def part_of(obj):
    return obj.article if isinstance(obj, Section) else obj


class PartPermissionMixin:
    """Inlines follow their part: an editor sees a public or scheduled part read-only."""

    def _part(self, request, obj):
        # Asked for every section's inlines: the section's part is fetched once a request.
        if not isinstance(obj, Section) or Section.article.is_cached(obj):
            return part_of(obj)
        parts = request.__dict__.setdefault("_inline_parts", {})
        if obj.article_id not in parts:
            parts[obj.article_id] = obj.article
        return parts[obj.article_id]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and workflow.may_edit(request.user, self._part(request, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.may_edit(request.user, self._part(request, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.may_edit(request.user, self._part(request, obj))


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
            outsider = (
                Participant.objects.select_related("person").filter(pk=value).first() if str(value).isdigit() else None
            )
            if outsider is not None:
                raise ValidationError(
                    _("「%(name)s」はこの座談会の参加者ではありません。"),
                    code="invalid_choice",
                    params={"name": outsider.person.name},
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
            if object_id and str(object_id).isdigit()
            else None
        )
        cached = (
            list(Participant.objects.filter(roundtable_id=roundtable_id).select_related("person"))
            if roundtable_id
            else []
        )
        request._speaker_participants = cached
    return cached


class LeanNestedFormSet(nested_admin.formsets.NestedInlineFormSet):
    """nested_admin's formset without the queries it makes for every row.

    Saving a part touches every turn's form. Django checks each row's hidden id with a query
    (a ModelChoiceField), and nested_admin fetches each row twice more before deciding that
    an unchanged row needs no saving: some six queries per turn. Here the id is looked up
    among the rows the formset has already loaded (one query per formset), and a row that is
    neither changed, nor deleted, nor moved to another parent is left alone.
    """

    def _existing_object(self, pk):
        obj = super()._existing_object(pk)
        if obj is not None:
            # Before Django sets the form's parent: the parent the row had when loaded.
            self._loaded_parents = getattr(self, "_loaded_parents", {})
            self._loaded_parents.setdefault(obj.pk, getattr(obj, self.fk.get_attname()))
        return obj

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get(self._pk_field.name)
        if isinstance(field, forms.ModelChoiceField):
            generic = field.to_python

            def to_python(value):
                try:
                    pk = self._pk_field.to_python(value)
                except ValidationError:
                    return generic(value)
                if pk in (None, ""):
                    return None
                return self._existing_object(pk) or generic(value)

            field.to_python = to_python

    def _untouched(self, form):
        pk = form.instance.pk
        return (
            pk is not None
            and not self._should_delete_form(form)
            and not form.has_changed()
            and getattr(self, "_loaded_parents", {}).get(pk) == self.instance.pk
        )

    def save_existing_objects(self, initial_forms=None, commit=True):
        if initial_forms:
            initial_forms = [form for form in initial_forms if not self._untouched(form)]
        return super().save_existing_objects(initial_forms, commit)


class SectionRowsFormSet(SharedRowsFormSetMixin, LeanNestedFormSet):
    """Turns or figures of a section, loaded once for the whole part (compact_editor)."""


class SpeakerTurnForm(forms.ModelForm):
    def _get_validation_exclusions(self):
        # SpeakerChoiceField has already taken the speaker from the roundtable's participants
        # (loaded once per request); the model's own check would query once per turn.
        # SpeakerTurn.clean() still checks the roundtable.
        return {*super()._get_validation_exclusions(), "speaker"}


class SpeakerTurnInline(PartPermissionMixin, SharedRowsInlineMixin, nested_admin.NestedStackedInline):
    # Turns and figures share one order per section (articles/admin/block_order.py): nested_admin's
    # own sorting would renumber each list from 0 on its own, so it is off for both, and
    # block-order.js moves them (buttons, drag, typed 順番) within the section's one sequence.
    # The compact editor (articles/admin/compact_editor.py): one line per turn, opened one at a time.
    template = "admin/articles/article/compact_turns.html"
    compact_rows = True
    model = SpeakerTurn
    form = SpeakerTurnForm
    formset = SectionRowsFormSet
    extra = 0
    fields = ["position", "speaker", "body"]
    is_sortable = False
    classes = ["turns", "ordered-blocks"]
    # Django's formsets refuse more than 2,000 forms; a section may hold a whole long part.
    max_num = MAX_TURNS_PER_PART

    def get_queryset(self, request):
        # Each row's heading prints the turn (speaker label): fetch speakers in the same query.
        return super().get_queryset(request).select_related("speaker__person")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            # A plain text field: markdownx's own field would force its widget (a live preview per turn).
            kwargs.update(form_class=forms.CharField, widget=PlainTurnTextarea)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "speaker":
            return SpeakerChoiceField(
                participants_for_request(request),
                required=False,
                label=db_field.verbose_name,
                help_text=db_field.help_text,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FigureInline(PartPermissionMixin, SharedRowsInlineMixin, nested_admin.NestedTabularInline):
    model = Figure
    formset = SectionRowsFormSet
    extra = 0
    fields = ["position", "reference", "image", "alt_text", "caption"]
    is_sortable = False
    classes = ["ordered-blocks"]


class SectionInline(PartPermissionMixin, nested_admin.NestedStackedInline):
    model = Section
    formset = LeanNestedFormSet
    extra = 0
    fields = ["position", "heading", "subheading"]
    sortable_field_name = "position"
    inlines = [SpeakerTurnInline, FigureInline]

    def get_queryset(self, request):
        # Each section's inlines ask for its part's permissions (PartPermissionMixin): with the
        # part in the same query, not one query per section.
        return super().get_queryset(request).select_related("article")


class CreditInline(PartPermissionMixin, nested_admin.NestedTabularInline):
    model = Credit
    formset = LeanNestedFormSet
    extra = 0
    fields = ["position", "role", "name", "affiliation"]
    sortable_field_name = "position"
