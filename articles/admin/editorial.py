"""The editorial workflow in the part's admin: status, permissions, no lost update, history.

WorkflowAdminMixin goes before reversion's VersionAdmin (which keeps a revision of every
save made through the admin) on ArticleAdmin, which mounts its history views (get_urls)
and looks parts up for them (get_part); the inlines follow the part (inlines.PartPermissionMixin).
"""

import copy

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import live_content, workflow
from articles.accessibility_checks import part_findings
from articles.audit import display_name
from articles.admin import corrections
from articles.admin.forms import ACCESSIBILITY_REASON_FIELD, LOCK_FIELD, ArticleAdminForm, accessibility_refusal
from articles.diff import diff_lines, has_changes, part_lines
from articles.versioning import (
    RestoreRefused,
    describe,
    restore,
    revision_of,
    state_from_db,
    state_from_revision,
    versions_of,
)


CORRECTION_FIXED_FIELDS = ("roundtable", "part_number", "slug")


class WorkflowAdminMixin:
    form = ArticleAdminForm
    change_list_template = None  # Django's, not reversion's "recover deleted" list
    actions = ["publish_selected", "unpublish_selected"]

    # Permissions

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.may_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.may_edit(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user) or (obj is not None and obj.correction_of_id is not None):
            fields += [name for name in workflow.PUBLICATION_FIELDS if name not in fields]
        if obj is not None and obj.correction_of_id is not None:
            # A correction changes the live part's text, never its address or place.
            fields += [name for name in CORRECTION_FIXED_FIELDS if name not in fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = copy.deepcopy(super().get_fieldsets(request, obj))
        if workflow.can_publish(request.user) and workflow.may_override_accessibility(request.user):
            for _name, options in fieldsets:
                if "status" in options["fields"]:
                    options["fields"] = [*options["fields"], ACCESSIBILITY_REASON_FIELD]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refused = getattr(request, "accessibility_refused", None)
        if refused is None:
            return form

        class RefusedForm(form):
            """The same form again, after the save was rolled back: it says why."""

            def clean(self):
                cleaned = super().clean()
                raise accessibility_refusal(refused, self.instance, workflow.may_override_accessibility(request.user))

        return RefusedForm

    # Saving

    def save_model(self, request, obj, form, change):
        workflow.enforce_publication_rights(request.user, obj)
        before = workflow.snapshot(obj)
        if change:
            workflow.claim_edit(obj, form.cleaned_data.get(LOCK_FIELD))
        super().save_model(request, obj, form, change)
        workflow.record_save(obj, request.user, created=not change, before=before)
        obj.publication_before = before  # for the accessibility gate, once the inlines are saved
        if workflow.state(obj) == workflow.SCHEDULED:
            messages.info(
                request,
                _("この記事は %(when)s に自動で公開されます。") % {"when": workflow.format_when(obj.publish_at)},
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if workflow.publishes(getattr(obj, "publication_before", None), obj):
            # Checked on the part as saved, inlines included: a fix made in the same save counts.
            workflow.accessibility_gate(obj, request.user, form.cleaned_data.get(ACCESSIBILITY_REASON_FIELD))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.EditConflict:
            # Another save won between this form's check and its save. Nothing was saved
            # (the transaction rolled back); showing the form again reports the conflict.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.AccessibilityRefused as refusal:
            # Publishing refused: nothing was saved (rolled back). The form comes back with
            # what was typed and the list of errors (get_form).
            request.accessibility_refused = refusal.errors
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        obj = kwargs.get("obj")  # nested_admin takes it third; Django passes it by keyword
        if obj is not None and obj.pk:
            # As stored: a form that failed validation has put the typed values on `obj`.
            stored = type(obj).objects.select_related("roundtable").get(pk=obj.pk)
            context.update(
                {
                    "publication_state": workflow.state(stored),
                    "publication_state_label": workflow.state_label(stored),
                    "publish_at_label": workflow.format_when(stored.publish_at) if stored.publish_at else "",
                    "preview_url": reverse("articles:article_preview", args=[obj.pk]),
                    "audit_events": obj.audit_events.all()[:50],
                    "accessibility_findings": part_findings(stored),
                    "unpublish_at_label": workflow.format_when(obj.unpublish_at) if obj.unpublish_at else "",
                    **corrections.change_form_context(request, obj),
                }
            )
        context["can_publish"] = workflow.can_publish(request.user)
        return super().render_change_form(request, context, *args, **kwargs)

    def changelist_view(self, request, extra_context=None):
        # Publishers see at once how many drafts wait for them (the 公開の依頼 filter lists them).
        extra = {
            "pending_requests": corrections.pending_count(request.user),
            "pending_changes": live_content.pending_count(request.user),
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    # List actions (with a confirmation page: nothing is published by a slip of the mouse)

    def _confirmed_action(self, request, queryset, title, apply, done, checked=False):
        if request.POST.get("confirmed") != "yes":
            articles = list(queryset)
            for article in articles:
                article.accessibility_errors = workflow.accessibility_errors(article) if checked else []
            return TemplateResponse(
                request,
                "admin/articles/article/publish_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": title,
                    "articles": articles,
                    "opts": self.model._meta,
                    "action": request.POST.get("action"),
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                    "has_accessibility_errors": any(article.accessibility_errors for article in articles),
                    "may_override": workflow.may_override_accessibility(request.user),
                },
            )
        applied, refused = 0, []
        for article in queryset:
            try:
                apply(article, request.user, reason=request.POST.get("accessibility_reason", ""))
            except workflow.AccessibilityRefused as refusal:
                refused.append((article, refusal.errors))
            else:
                applied += 1
        if applied:
            self.message_user(request, done % {"count": applied}, messages.SUCCESS)
        for article, errors in refused:
            self.message_user(request, accessibility_refusal(errors, article, False).messages[0], messages.ERROR)
        return None

    @admin.action(description=gettext_lazy("選択した記事を今すぐ公開する"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        return self._confirmed_action(
            request,
            queryset,
            _("次の記事を今すぐ公開します"),
            corrections.publish_part,
            _("%(count)d件の記事を公開しました。"),
            checked=True,
        )

    @admin.action(description=gettext_lazy("選択した記事の公開を取り下げる(下書きに戻す)"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        return self._confirmed_action(
            request,
            queryset,
            _("次の記事の公開を取り下げて下書きに戻します"),
            lambda article, user, reason="": workflow.unpublish(article, user),
            _("%(count)d件の記事を下書きに戻しました。"),
        )

    # History: list, compare, restore

    def _context(self, request, article, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "original": article,
            "object": article,
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_part(request, object_id)
        versions = list(versions_of(article))
        for version in versions:
            version.user_name = display_name(version.revision.user)  # 姓 名
        return TemplateResponse(
            request,
            "admin/articles/article/history.html",
            self._context(
                request,
                article,
                _("変更履歴: %(title)s") % {"title": article.title},
                versions=versions,
                can_restore=self.has_change_permission(request, article),
            ),
        )

    def compare_view(self, request, object_id):
        article = self.get_part(request, object_id)
        old = revision_of(article, request.GET.get("old") if str(request.GET.get("old")).isdigit() else 0)
        new_id = request.GET.get("new", "current")
        new = None if new_id == "current" else revision_of(article, new_id if str(new_id).isdigit() else 0)
        if old is None or (new is None and new_id != "current"):
            raise Http404(_("比べる版が見つかりません。"))
        new_state = state_from_db(article) if new is None else state_from_revision(new)
        lines = diff_lines(part_lines(state_from_revision(old)), part_lines(new_state))
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            self._context(
                request,
                article,
                _("版の比較: %(title)s") % {"title": article.title},
                old_label=describe(old),
                new_label=_("今の記事") if new is None else describe(new),
                lines=lines,
                changed=has_changes(lines),
            ),
        )

    def restore_view(self, request, object_id, revision_id):
        article = self.get_part(request, object_id)
        revision = revision_of(article, revision_id)
        if revision is None:
            raise Http404(_("この版は見つかりません。"))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        if request.method == "POST":
            try:
                restore(article, revision, request.user)
            except RestoreRefused as refusal:
                messages.error(request, str(refusal))
                return HttpResponseRedirect(request.path)
            messages.success(
                request,
                _("%(revision)sに戻しました。戻す前の状態も変更履歴に残っています。")
                % {"revision": describe(revision)},
            )
            return HttpResponseRedirect(change_url)
        lines = diff_lines(part_lines(state_from_db(article)), part_lines(state_from_revision(revision)))
        return TemplateResponse(
            request,
            "admin/articles/article/restore_confirm.html",
            self._context(
                request,
                article,
                _("%(revision)sに戻す") % {"revision": describe(revision)},
                revision=revision,
                lines=lines,
                changed=has_changes(lines),
                change_url=change_url,
            ),
        )
