"""Admin pages of what public parts show (forum, roundtable, participant, person, …).

LiveContentAdminMixin goes first on those ModelAdmins (rules: articles.live_content):
editors see a record that a public or scheduled part shows read-only, with the reason;
a publisher's change is written into the audit trail and history of every affected part.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from articles import live_content

VALUE_LENGTH = 60


def _shown(field, value):
    if value is None or value == "" or (isinstance(value, (list, tuple, QuerySet)) and not len(value)):
        return _("(空)")
    if isinstance(value, (list, tuple, QuerySet)):
        return "、".join(_shown(field, item) for item in value)
    if isinstance(field, forms.ModelChoiceField) and not isinstance(value, Model):
        try:
            value = field.to_python(value)
        except forms.ValidationError:
            pass
    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    text = str(value)
    return text if len(text) <= VALUE_LENGTH else text[:VALUE_LENGTH] + "…"


def _field_changes(form):
    changes = []
    for name in form.changed_data:
        if name in ("id", "DELETE") or name not in form.fields:
            continue
        field = form.fields[name]
        before = form.initial.get(name, field.initial)
        after = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        changes.append(
            _("%(field)s「%(before)s」→「%(after)s」")
            % {"field": field.label or name, "before": _shown(field, before), "after": _shown(field, after)}
        )
    return changes


def describe_changes(form, formsets):
    """What the form and its inline formsets changed, values included, in one line."""
    lines = _field_changes(form)
    for formset in formsets:
        kind = formset.model._meta.verbose_name
        deleted = {id(obj) for obj in getattr(formset, "deleted_objects", [])}
        for inline_form in formset.forms:
            instance = inline_form.instance
            if not inline_form.has_changed() and id(instance) not in deleted:
                continue
            if id(instance) in deleted or (formset.can_delete and formset._should_delete_form(inline_form)):
                lines.append(_("%(kind)s「%(name)s」を削除") % {"kind": kind, "name": instance})
            elif inline_form in formset.extra_forms:
                lines.append(_("%(kind)s「%(name)s」を追加") % {"kind": kind, "name": instance})
            else:
                lines.append(
                    _("%(kind)s「%(name)s」: %(changes)s")
                    % {"kind": kind, "name": instance, "changes": "、".join(_field_changes(inline_form))}
                )
    return "; ".join(lines)


class LiveContentAdminMixin:
    """Read-only for editors while a public part shows the record; publishers' changes recorded."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and live_content.may_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and live_content.may_change(request.user, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if request.method == "GET" else None
        if obj is not None and not live_content.may_change(request.user, obj):
            messages.warning(request, live_content.explanation(obj, list(live_content.parts_showing(obj))))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # Every way of saving comes here (the change page, the list's editable columns).
        stored = type(obj).objects.filter(pk=obj.pk).first() if change else obj
        if stored is not None and not live_content.may_change(request.user, stored):
            raise PermissionDenied(live_content.explanation(stored, list(live_content.parts_showing(stored))))
        obj._live_parts_before = set(live_content.parts_showing(stored)) if change else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        parts = getattr(obj, "_live_parts_before", set()) | set(live_content.parts_showing(obj))
        if parts:
            summary = describe_changes(form, formsets) if change else _("新しく作成")
            if change and not summary:
                return
            live_content.record_change(obj, request.user, summary, sorted(parts, key=lambda part: part.pk))

    def delete_model(self, request, obj):
        self._delete_recorded(request, [obj], lambda: super(LiveContentAdminMixin, self).delete_model(request, obj))

    def delete_queryset(self, request, queryset):
        self._delete_recorded(
            request, list(queryset), lambda: super(LiveContentAdminMixin, self).delete_queryset(request, queryset)
        )

    def _delete_recorded(self, request, objects, delete):
        shown = []
        for obj in objects:
            parts = list(live_content.parts_showing(obj))
            if parts and not live_content.may_change(request.user, obj):
                raise PermissionDenied(live_content.explanation(obj, parts))
            shown.append((obj, parts, str(obj)))
        delete()
        for obj, parts, _name in shown:
            if parts:
                live_content.record_change(obj, request.user, "", parts, deleted=True)


class LiveContentInlineMixin:
    """Inlines (participants on a roundtable's page) follow the record they sit on."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and live_content.may_change(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and live_content.may_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and live_content.may_change(request.user, obj)
