"""The compact editor of a long part: each turn one line, opened for editing one at a time,
and a page that costs the same few queries whatever the number of turns.

What the server does here (the page's behaviour is in articles/static/articles/compact-editor.js):

- turn_rows(): the turns of a section as compact rows, rendered in Python rather than through
  Django's per-field templates (a 500-turn page rendered field by field took ~2 s). Each row
  is the speaker and the first line of the turn (a <details> summary) with its 順番, speaker
  and text inside; the speaker's <option>s are built once per request and shared by all rows;
  the text is a plain textarea: its Markdown preview is asked for on demand, not by 500
  widgets at once.
- SharedRowsFormSetMixin: the rows of every section's formset loaded in one query per kind
  (turns, figures), not one per section.
- shared_post(): nested_admin copies request.POST for every nested formset (a 500-turn save
  spent 1.8 s deep-copying 25 MB of dictionaries); the formsets only read it.
"""

import contextlib
import html

from django.db.models import Prefetch, prefetch_related_objects
from django.forms import Textarea
from django.http import QueryDict
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from nested_admin.compat import MergeSafeMedia, ensure_merge_safe_media
from nested_admin.nested import NestedInlineAdminFormset

from articles.models import SpeakerTurn

SUMMARY_CHARS = 48


class PlainTurnTextarea(Textarea):
    """The turn's text: a plain textarea (markdownx's widget would start a live preview per turn)."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 6, "cols": 60, "class": "compact-turn-body", **(attrs or {})})


# --- one query per kind of row, whatever the number of sections ------------------------------


def _object_id(request):
    match = getattr(request, "resolver_match", None)
    object_id = match.kwargs.get("object_id") if match else None
    return int(object_id) if object_id and str(object_id).isdigit() else None


def rows_by_parent(request, queryset, fk_attname, parent_lookup):
    """{parent pk: [rows]} of the part being edited, one query per request and queryset model."""
    cache = request.__dict__.setdefault("_compact_rows", {})
    key = queryset.model
    if key not in cache:
        object_id = _object_id(request)
        grouped = {}
        if object_id is not None:
            for row in queryset.filter(**{parent_lookup: object_id}):
                grouped.setdefault(getattr(row, fk_attname), []).append(row)
        cache[key] = grouped
    return cache[key]


class SharedRowsFormSetMixin:
    """A section's turns (or figures) taken from rows loaded once for the whole part.

    The inline sets `shared_rows` (a callable returning {section pk: [rows]}) on the formset
    class. Unbound (opening the page), the formset's rows are its section's; bound (saving),
    the rows named by the posted ids, which may come from another section (a turn dragged
    across), looked up among the part's rows and fetched only if they are not the part's.
    """

    shared_rows = None

    def get_queryset(self):
        if self.shared_rows is None or self.instance.pk is None:
            return super().get_queryset()
        if not hasattr(self, "_shared_queryset"):
            grouped = self.shared_rows()
            if not self.is_bound:
                self._shared_queryset = list(grouped.get(self.instance.pk, []))
            else:
                by_pk = {row.pk: row for rows in grouped.values() for row in rows}
                posted = []
                for index in range(self.initial_form_count()):
                    value = self.data.get(f"{self.add_prefix(index)}-{self.model._meta.pk.name}")
                    if value and str(value).isdigit():
                        posted.append(int(value))
                missing = [pk for pk in posted if pk not in by_pk]
                if missing:
                    by_pk.update({row.pk: row for row in self.model._default_manager.filter(pk__in=missing)})
                self._shared_queryset = [by_pk[pk] for pk in posted if pk in by_pk]
        return self._shared_queryset


# --- nested_admin's copies of request.POST -----------------------------------------------------


class _SharedPost(QueryDict):
    """request.POST whose copy() is itself: the formsets only read the data."""

    def copy(self):
        return self


@contextlib.contextmanager
def shared_post(request):
    if request.method != "POST":
        yield
        return
    original = request.POST
    shared = _SharedPost.__new__(_SharedPost)
    shared.__dict__.update(original.__dict__)  # encoding, immutable
    dict.update(shared, original)  # the same value lists, not copies of them
    request.POST = shared
    try:
        yield
    finally:
        request.POST = original


@contextlib.contextmanager
def prefetched_part(article):
    """The part's sections with their turns (and speakers) and figures, and its credits, in one
    query each, for as long as the part is being saved (its revision follows them)."""
    if article.pk is not None:
        turns = SpeakerTurn.objects.select_related("speaker__person")
        prefetch_related_objects(
            [article], "sections", Prefetch("sections__turns", queryset=turns), "sections__figures", "credits"
        )
    try:
        yield
    finally:
        article._prefetched_objects_cache = {}


class SharedRowsInlineMixin:
    """For an inline of rows in sections: its formsets take the part's rows loaded once."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        queryset = self.get_queryset(request)
        fk_attname = formset.fk.get_attname()
        formset.shared_rows = staticmethod(lambda: rows_by_parent(request, queryset, fk_attname, "section__article_id"))
        return formset


# --- the page's scripts without visiting every row ----------------------------------------------


class CompactInlineAdminFormSet(NestedInlineAdminFormset):
    """nested_admin's inline helper; for an inline of compact rows (compact_rows = True) its
    media is the formset's, asked once, rather than gathered from 500 rows built for it."""

    @property
    def media(self):
        if not getattr(self.opts, "compact_rows", False):
            return super().media
        media = ensure_merge_safe_media(self.opts.media) + ensure_merge_safe_media(self.formset.media)
        return media + MergeSafeMedia(js=["nested_admin/dist/nested_admin.min.js"])


# --- the compact rows ----------------------------------------------------------------------


def first_line(text):
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= SUMMARY_CHARS else line[:SUMMARY_CHARS] + "…"
    return ""


def esc(value):
    """HTML-escaped text (the standard library's escape: Django's adds a lazy-string check per call)."""
    return html.escape(str(value), quote=True)


class _Labels:
    """The row's fixed texts, translated once per page."""

    def __init__(self):
        self.position = esc(_("順番"))
        self.speaker = esc(_("発言者"))
        self.body = esc(_("発言"))
        self.preview = esc(_("プレビューを表示"))
        self.narration = _("ナレーション")
        self.empty = _("(本文なし)")
        self.delete = esc(_("削除"))
        self.cancel = esc(_("取り消す"))


class _SpeakerOptions:
    """The speaker <option>s, built once a page and shared by every row."""

    def __init__(self, field):
        self.choices = [(str(value), str(label)) for value, label in field.choices]
        self.labels = dict(self.choices)
        self._html = {}

    def html(self, selected):
        selected = "" if selected is None else str(selected)
        if selected not in self._html:
            self._html[selected] = "".join(
                f'<option value="{esc(value)}"{" selected" if value == selected else ""}>{esc(label)}</option>'
                for value, label in self.choices
            )
        return self._html[selected]


def _value(form, name):
    value = form[name].value()
    return "" if value is None else value


def _errors(form, name, field_id):
    """(the field's error list, the attributes that tie the field to it)."""
    errors = form.errors.get(name) if form.is_bound else None
    if not errors:
        return "", ""
    items = "".join(f"<li>{esc(error)}</li>" for error in errors)
    return (
        f'<ul class="errorlist" id="{field_id}_error">{items}</ul>',
        f' aria-invalid="true" aria-describedby="{field_id}_error"',
    )


def _row(formset, form, page, *, empty, editable, can_delete, handlers):
    options, labels = page
    prefix = esc(form.prefix)
    row_id = esc(f"{formset.prefix}-empty") if empty else prefix
    pk = None if empty else form.instance.pk
    speaker_value = _value(form, "speaker")
    body = _value(form, "body")
    speaker_label = options.labels.get(str(speaker_value), "") if speaker_value != "" else labels.narration
    has_errors = form.is_bound and bool(form.errors)
    summary = first_line(body) or labels.empty
    position_id, speaker_id, body_id, delete_id = (
        f"id_{prefix}-{name}" for name in ("position", "speaker", "body", "DELETE")
    )
    position_errors, position_invalid = _errors(form, "position", position_id)
    speaker_errors, speaker_invalid = _errors(form, "speaker", speaker_id)
    body_errors, body_invalid = _errors(form, "body", body_id)
    non_field = ""
    if has_errors and form.non_field_errors():
        items = "".join(f"<li>{esc(error)}</li>" for error in form.non_field_errors())
        non_field = f'<ul class="errorlist nonfield">{items}</ul>'

    if editable:
        position = (
            f'<label class="compact-turn-position-label" for="{position_id}">{labels.position}</label>'
            f'<input type="number" name="{prefix}-position" value="{esc(_value(form, "position"))}" '
            f'class="vIntegerField" min="0" id="{position_id}"{position_invalid}>'
        )
        fields = (
            f'<div class="form-row field-speaker"><label for="{speaker_id}">{labels.speaker}</label>'
            f'<select name="{prefix}-speaker" id="{speaker_id}"{speaker_invalid}>{options.html(speaker_value)}</select>'
            f"{speaker_errors}</div>"
            f'<div class="form-row field-body"><label for="{body_id}">{labels.body}</label>'
            f'<textarea name="{prefix}-body" cols="60" rows="6" class="compact-turn-body" id="{body_id}"{body_invalid}>'
            f"\n{esc(body)}</textarea>{body_errors}"
            f'<div class="compact-turn-tools"><button type="button" class="button compact-preview-button">'
            f"{labels.preview}</button></div>"
            '<div class="compact-turn-preview" aria-live="polite" hidden></div></div>'
        )
    else:
        position = (
            f'<span class="compact-turn-position-label">{labels.position}</span> '
            f'<span class="readonly">{esc(_value(form, "position"))}</span>'
        )
        fields = (
            f'<div class="form-row field-speaker"><span class="readonly">{esc(speaker_label)}</span></div>'
            f'<div class="form-row field-body readonly-body">{esc(body)}</div>'
        )
    if empty:
        remove = (
            f'<a class="inline-deletelink djn-remove-handler {handlers}" href="javascript:void(0)">{labels.cancel}</a>'
        )
    elif can_delete:
        checked = " checked" if form.is_bound and form.data.get(f"{form.prefix}-DELETE") else ""
        remove = (
            f'<span class="delete djn-delete-handler {handlers}"><input type="checkbox" name="{prefix}-DELETE" '
            f'id="{delete_id}"{checked}> <label class="vCheckboxLabel inline" for="{delete_id}">{labels.delete}</label></span>'
        )
    else:
        remove = ""
    fk = esc(formset.fk.name)
    pk_value = f' value="{esc(pk)}"' if pk is not None else ""
    hidden = (
        f'<input type="hidden" name="{prefix}-id"{pk_value} id="id_{prefix}-id">'
        f'<input type="hidden" name="{prefix}-{fk}" value="{esc(formset.instance.pk or "")}" id="id_{prefix}-{fk}">'
    )
    classes = "djn-module djn-inline-form inline-related compact-turn"
    if empty:
        classes += " djn-empty-form empty-form last-related"
    else:
        classes = "djn-item " + classes + (" has_original" if pk is not None else "")
    if has_errors:
        classes += " compact-turn-has-errors"
    opened = " open" if (has_errors or empty) else ""
    return (
        f'<div class="{classes}" data-inline-model="articles-speakerturn" '
        f'data-is-initial="{"true" if pk is not None else "false"}" id="{row_id}">'
        f'<div class="compact-turn-bar"><span class="field-position">{position}</span>'
        f'<details class="compact-turn-details"{opened}><summary class="compact-turn-summary">'
        f'<span class="inline_label"><b class="compact-turn-speaker">{esc(speaker_label)}</b> '
        f'<span class="compact-turn-first-line">{esc(summary)}</span></span></summary>'
        f'<div class="compact-turn-editor">{non_field}{fields}<div class="compact-turn-remove">{remove}</div></div>'
        f"</details></div>{position_errors}{hidden}</div>"
    )


def turn_rows(inline_admin_formset):
    """The HTML of a section's turn rows (and the empty row nested_admin clones to add one)."""
    formset = inline_admin_formset.formset
    request = getattr(inline_admin_formset, "request", None)
    # Every section's speaker choices are the roundtable's participants: built once a request.
    page = getattr(request, "_compact_editor_page", None)
    if page is None:
        page = (_SpeakerOptions(formset.empty_form.fields["speaker"]), _Labels())
        if request is not None:
            request._compact_editor_page = page
    # nested_admin finds its add and delete handlers by these classes (model, nesting level).
    handlers = " ".join(sorted(inline_admin_formset.handler_classes))
    editable = inline_admin_formset.has_change_permission
    can_delete = formset.can_delete and inline_admin_formset.has_delete_permission
    parts = ['<div class="djn-item djn-no-drag"><div></div></div>'] if formset.forms else []
    parts += [
        _row(formset, form, page, empty=False, editable=editable, can_delete=can_delete, handlers=handlers)
        for form in formset.forms
    ]
    if inline_admin_formset.has_add_permission:
        parts.append(
            _row(formset, formset.empty_form, page, empty=True, editable=True, can_delete=False, handlers=handlers)
        )
    return mark_safe("".join(parts))  # every value in it went through esc()


def management_form(formset):
    """The formset's four hidden counts, as Django renders them (without a template per input)."""
    form = formset.management_form
    return mark_safe(
        "".join(
            f'<input type="hidden" name="{esc(form.add_prefix(name))}" value="{esc(form[name].value())}" '
            f'id="id_{esc(form.add_prefix(name))}">'
            for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
        )
    )
