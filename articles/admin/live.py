"""Admin pages of what public parts show (forum, roundtable, participant, person, …), and
the publishers' page of 変更の依頼 (rules: articles.live_content).

LiveContentAdminMixin goes first on those ModelAdmins. An editor's save of a record a public
or scheduled part shows — on its page (with its inline participants), on the list's editable
columns, or adding a participant to a live roundtable — runs the form's validation as
usual, then stores a ChangeRequest instead of saving: nothing public changes. A publisher's
save (their own, or applying a request through `apply_request`, which posts the stored form
through the same ModelAdmin) is written into the audit trail and history of every affected
part. Deleting such a record stays a publisher's.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms.formsets import all_valid
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import live_content, workflow
from articles.models import ChangeRequest, ChangeRequestStatus

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


def _field_changes(form, what=""):
    """[{what, field, before, after}] for each field the form changed, values as shown."""
    changes = []
    for name in form.changed_data:
        if name in ("id", "DELETE") or name not in form.fields:
            continue
        field = form.fields[name]
        before = form.initial.get(name, field.initial)
        after = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        changes.append(
            {
                "what": what,
                "field": str(field.label or name),
                "before": _shown(field, before),
                "after": _shown(field, after),
            }
        )
    return changes


def change_list(form, formsets):
    """What the form and its inline formsets changed, one entry per field (or per row added
    or deleted), for the before/after table of a change request."""
    changes = _field_changes(form)
    for formset in formsets:
        kind = formset.model._meta.verbose_name
        deleted = {id(obj) for obj in getattr(formset, "deleted_objects", [])}
        for inline_form in formset.forms:
            instance = inline_form.instance
            if not inline_form.has_changed() and id(instance) not in deleted:
                continue
            if id(instance) in deleted or (formset.can_delete and formset._should_delete_form(inline_form)):
                changes.append({"what": _("%(kind)s「%(name)s」を削除") % {"kind": kind, "name": instance}})
            elif inline_form in formset.extra_forms:
                what = _("%(kind)s「%(name)s」を追加") % {"kind": kind, "name": instance}
                changes.append({"what": what})
                changes += _field_changes(inline_form, what=_("追加する%(kind)s") % {"kind": kind})
            else:
                # Named as stored: the form's instance already carries the new values.
                stored = type(instance)._default_manager.filter(pk=instance.pk).first() or instance
                what = _("%(kind)s「%(name)s」") % {"kind": kind, "name": stored}
                changes += _field_changes(inline_form, what=what)
    return changes


def _line(change):
    if not change.get("field"):
        return change["what"]
    return _("%(field)s「%(before)s」→「%(after)s」") % change


def describe_changes(form, formsets):
    """What the form and its inline formsets changed, values included, in one line."""
    lines, rows = [], {}
    for change in change_list(form, formsets):
        what = change.get("what", "")
        if not what or not change.get("field"):
            lines.append(_line(change))
            continue
        if what not in rows:
            rows[what] = []
            lines.append(what)
        rows[what].append(_line(change))
    return "; ".join(
        _("%(what)s: %(changes)s") % {"what": line, "changes": "、".join(rows[line])} if line in rows else line
        for line in lines
    )


# Keys of a posted change form that are buttons or the request's own, not the record's.
NOT_DATA = frozenset({"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew", "_request_message"})


@dataclass
class _Proposal:
    model: type
    stored: Model | None  # None: a record to be added
    form: forms.BaseForm


def _is_changelist(request):
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name and match.url_name.endswith("_changelist"))


class LiveContentAdminMixin:
    """An editor's change of a record a public part shows becomes a 変更の依頼; publishers'
    changes (direct or applied) are recorded on every affected part."""

    # The change form with, for an editor's request, a message to the publishers.
    change_form_template = "admin/live_content/change_form.html"

    def has_delete_permission(self, request, obj=None):
        # Deletion stays a publisher's while a public part shows the record (articles.live_content).
        return super().has_delete_permission(request, obj) and live_content.may_change(request.user, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if request.method == "GET" else None
        if obj is not None:
            if live_content.needs_request(request.user, obj):
                messages.warning(request, live_content.explanation(obj, list(live_content.parts_showing(obj))))
            waiting = live_content.pending_for(obj).count()
            if waiting:
                messages.info(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        ngettext(
                            "この%(kind)sには確認待ちの変更の依頼が%(count)d件あります。",
                            "この%(kind)sには確認待ちの変更の依頼が%(count)d件あります。",
                            waiting,
                        )
                        % {"kind": obj._meta.verbose_name, "count": waiting},
                        reverse("admin:articles_changerequest_changelist") + "?status__exact=pending",
                        _("依頼の一覧を見る"),
                    ),
                )
        extra_context = {
            **(extra_context or {}),
            "live_request": obj is not None and live_content.needs_request(request.user, obj),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if obj is None or not live_content.needs_request(request.user, obj):
            return form_class
        files = [name for name, field in form_class.base_fields.items() if isinstance(field, forms.FileField)]
        if not files:
            return form_class

        class RequestForm(form_class):
            """A request keeps the form's text, not an upload: a new file is a publisher's to add."""

            def clean(self):
                cleaned = super().clean()
                for name in files:
                    if name in self.files:
                        self.add_error(name, live_content.upload_refused(obj))
                return cleaned

        return RequestForm

    # Saving: every way (the change page, the add page, the list's editable columns) comes here.

    def save_model(self, request, obj, form, change):
        stored = type(obj).objects.filter(pk=obj.pk).first() if change else obj
        if live_content.needs_request(request.user, stored):
            request._live_proposal = _Proposal(type(obj), stored if change else None, form)
            return  # nothing saved: save_related stores the request
        request._live_saved = True
        obj._live_parts_before = set(live_content.parts_showing(stored)) if change else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        proposal = getattr(request, "_live_proposal", None)
        if proposal is not None and proposal.form is form:
            request._live_proposal = None
            data = self._form_data(request, proposal) if _is_changelist(request) else _submitted(request)
            self._propose(request, proposal, data, formsets)
            return
        super().save_related(request, form, formsets, change)
        obj = form.instance
        parts = getattr(obj, "_live_parts_before", set()) | set(live_content.parts_showing(obj))
        if parts:
            summary = describe_changes(form, formsets) if change else _("新しく作成")
            if change and not summary:
                return
            applying = getattr(request, "_applying_change", None)
            if applying is not None:
                summary += live_content.applied_note(applying)
            live_content.record_change(obj, request.user, summary, sorted(parts, key=lambda part: part.pk))

    def _propose(self, request, proposal, data, formsets):
        changes = change_list(proposal.form, formsets)
        proposed = getattr(request, "_live_requests", [])
        request._live_requests = proposed
        if not changes:
            messages.info(request, _("変更がなかったため、変更の依頼は送っていません。"))
            proposed.append((proposal.form.instance, None))
            return
        parts = list(live_content.parts_showing(proposal.stored or proposal.form.instance))
        change_request, sent = live_content.propose(
            proposal.model,
            proposal.stored,
            request.user,
            data,
            changes,
            describe_changes(proposal.form, formsets),
            parts,
            message=request.POST.get("_request_message", ""),
        )
        proposed.append((proposal.form.instance, change_request))
        if sent:
            text = _(
                "保存せずに、公開担当(%(count)d人)に変更の依頼を送りました。"
                "公開担当が反映するまで、公開中のページはそのままです。"
            ) % {"count": sent}
        else:
            text = _(
                "保存せずに、変更の依頼を記録しました(公開担当の一覧に載ります)。"
                "メールアドレスが登録された公開担当がいないため、メールは送っていません。"
                "公開担当が反映するまで、公開中のページはそのままです。"
            )
        messages.success(
            request,
            format_html('{} <a href="{}">{}</a>', text, live_content.review_url(change_request), _("依頼を見る")),
        )

    def _proposed(self, request, obj):
        return any(instance is obj for instance, _request in getattr(request, "_live_requests", []))

    def _form_data(self, request, proposal):
        """The change form's data for a row changed on the list (its values with the change)."""
        if self.get_inlines(request, proposal.stored):
            raise PermissionDenied(
                live_content.explanation(proposal.stored, list(live_content.parts_showing(proposal.stored)))
            )
        fields = flatten_fieldsets(self.get_fieldsets(request, proposal.stored))
        form = self.get_form(request, proposal.stored, change=True, fields=fields)(instance=proposal.form.instance)
        data = {}
        for bound in form:
            value = bound.value()
            if isinstance(bound.field.widget, forms.CheckboxInput):
                if value:
                    data[bound.html_name] = ["on"]
            elif isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = ["" if value is None else str(bound.field.prepare_value(value))]
        return data

    def construct_change_message(self, request, form, formsets, add=False):
        if self._proposed(request, form.instance):
            return []
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if not self._proposed(request, obj):
            return super().log_change(request, obj, message)

    def log_addition(self, request, obj, message):
        if not self._proposed(request, obj):
            return super().log_addition(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # The list's "N件変更しました" is not true of rows that became requests.
        if (
            level == messages.SUCCESS
            and getattr(request, "_live_requests", None)
            and not getattr(request, "_live_saved", False)
        ):
            return
        return super().message_user(request, message, level, *args, **kwargs)

    def response_change(self, request, obj):
        if self._proposed(request, obj):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if self._proposed(request, obj):
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        return super().response_add(request, obj, post_url_continue)

    # Deleting: publishers only while a public part shows the record.

    def delete_model(self, request, obj):
        self._delete_recorded(request, [obj], lambda: super(LiveContentAdminMixin, self).delete_model(request, obj))

    def delete_queryset(self, request, queryset):
        self._delete_recorded(
            request, list(queryset), lambda: super(LiveContentAdminMixin, self).delete_queryset(request, queryset)
        )

    def _delete_recorded(self, request, objects, delete):
        shown = [(obj, live_content.check_delete(request.user, obj)) for obj in objects]
        delete()
        for obj, parts in shown:
            if parts:
                live_content.record_change(obj, request.user, "", parts, deleted=True)


def _submitted(request):
    return {key: values for key, values in request.POST.lists() if key not in NOT_DATA}


# --- Applying a request: the stored form posted through the record's own ModelAdmin --------


def _errors(form, formsets):
    found = []
    for bound in form:
        for error in bound.errors:
            found.append(f"{bound.label}: {error}")
    found += [str(error) for error in form.non_field_errors()]
    for formset in formsets:
        found += [str(error) for error in formset.non_form_errors()]
        for inline_form in formset.forms:
            for name, errors in inline_form.errors.items():
                label = inline_form.fields[name].label if name in inline_form.fields else ""
                found += [f"{formset.model._meta.verbose_name} {label}: {error}".strip() for error in errors]
    return found


def _save_through_admin(model_admin, request, obj):
    """What the admin's change (or add) page does with a POST, with request.POST as given:
    the same form, formsets, validation, save_model, save_related and log. Returns
    (saved object, errors)."""
    add = obj is None
    fieldsets = model_admin.get_fieldsets(request, obj)
    ModelForm = model_admin.get_form(request, obj, change=not add, fields=flatten_fieldsets(fieldsets))
    form = ModelForm(request.POST, request.FILES, instance=obj)
    valid = form.is_valid()
    new_object = model_admin.save_form(request, form, change=not add) if valid else form.instance
    formsets, _inlines = model_admin._create_formsets(request, new_object, change=not add)
    if not (all_valid(formsets) and valid):
        return None, _errors(form, formsets)
    model_admin.save_model(request, new_object, form, not add)
    model_admin.save_related(request, form, formsets, not add)
    message = model_admin.construct_change_message(request, form, formsets, add)
    if add:
        model_admin.log_addition(request, new_object, message)
    else:
        model_admin.log_change(request, new_object, message)
    return new_object, []


def apply_request(request, change_request):
    """A publisher applies a request: refused (ChangeRefused) if answered, stale or invalid."""
    if not workflow.can_publish(request.user):
        raise PermissionDenied(_("変更の依頼を反映できるのは公開担当だけです。"))
    model = change_request.content_type.model_class()
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        raise live_content.ChangeRefused(_("この種類の記録は管理画面で変更できません。"))
    with transaction.atomic():
        change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        obj = (
            model._default_manager.select_for_update().filter(pk=change_request.object_id).first()
            if change_request.object_id is not None
            else None
        )
        live_content.check_applicable(change_request, obj)
        posted = QueryDict(mutable=True)
        for key, values in change_request.data.items():
            posted.setlist(key, values)
        posted._mutable = False
        request.POST, request._files = posted, MultiValueDict()
        request._applying_change = change_request
        saved, errors = _save_through_admin(model_admin, request, obj)
        if errors:
            transaction.set_rollback(True)
            raise live_content.ChangeRefused(
                _("この依頼の内容は今の入力規則に合わないため、反映しませんでした: %(errors)s")
                % {"errors": "; ".join(errors)}
            )
        live_content.mark_applied(change_request, request.user, saved)
    return saved


# --- The publishers' page of requests ------------------------------------------------------


class PendingFirst(admin.SimpleListFilter):
    """状態, with 確認待ち as the list's default (answered requests one click away)."""

    title = gettext_lazy("状態")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return [*ChangeRequestStatus.choices, ("all", gettext_lazy("すべて"))]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or ChangeRequestStatus.PENDING) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or ChangeRequestStatus.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


class KindFilter(admin.SimpleListFilter):
    """種類: the kinds of record a request can be about (not every model of the site)."""

    title = gettext_lazy("種類")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(model._meta.model_name, model._meta.verbose_name) for model in live_content.guarded_models()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(content_type__model=self.value())
        return queryset


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    """変更の依頼: the list (pending first) and one request's page with its before/after table,
    the parts it affects and, for publishers, 反映する / 却下する."""

    list_display = ["__str__", "status", "requested_by_name", "requested_at", "decided_by_name", "reason"]
    list_filter = [PendingFirst, KindFilter]
    search_fields = ["object_repr", "summary", "requested_by_name"]
    list_select_related = ["content_type"]
    change_list_template = "admin/articles/changerequest/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:object_id>/apply/",
                self.admin_site.admin_view(self.apply_view),
                name="articles_changerequest_apply",
            ),
            path(
                "<int:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="articles_changerequest_reject",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"pending_changes": live_content.pending_count(request.user)}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def _get(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        change_request = ChangeRequest.objects.select_related("content_type").filter(pk=object_id).first()
        if change_request is None:
            from django.http import Http404

            raise Http404(_("この変更の依頼はありません。"))
        return change_request

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change_request = self._get(request, object_id)
        model = change_request.content_type.model_class()
        target = change_request.target
        stale = ""
        if change_request.status == ChangeRequestStatus.PENDING:
            try:
                live_content.check_applicable(change_request, target)
            except live_content.ChangeRefused as refusal:
                stale = str(refusal)
        target_url = (
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[target.pk])
            if target is not None
            else ""
        )
        return TemplateResponse(
            request,
            "admin/articles/changerequest/review.html",
            {
                **self.admin_site.each_context(request),
                "title": str(change_request),
                "opts": self.opts,
                "original": change_request,
                "change_request": change_request,
                "kind": model._meta.verbose_name if model else "",
                "target_url": target_url,
                "parts": live_content.affected_parts(change_request),
                "pending": change_request.status == ChangeRequestStatus.PENDING,
                "may_decide": workflow.can_publish(request.user),
                "stale": stale,
            },
        )

    def apply_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        change_request = self._get(request, object_id)
        if not workflow.can_publish(request.user):
            raise PermissionDenied(_("変更の依頼を反映できるのは公開担当だけです。"))
        review = reverse("admin:articles_changerequest_change", args=[change_request.pk])
        try:
            apply_request(request, change_request)
        except live_content.ChangeRefused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(review)
        messages.success(request, _("変更の依頼を反映しました。公開中のページが変更後の内容になりました。"))
        return HttpResponseRedirect(review)

    def reject_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        change_request = self._get(request, object_id)
        review = reverse("admin:articles_changerequest_change", args=[change_request.pk])
        try:
            live_content.reject(change_request, request.user, request.POST.get("reason", ""))
        except live_content.ChangeRefused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(review)
        messages.success(request, _("変更の依頼を却下しました。依頼した人に理由を伝えました。"))
        return HttpResponseRedirect(review)
