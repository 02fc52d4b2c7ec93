"""The editorial workflow in the part's admin: status, permissions, no lost update, history.

WorkflowAdminMixin goes before reversion's VersionAdmin (which keeps a revision of every
save made through the admin) on ArticleAdmin, which mounts its history views (get_urls)
and looks parts up for them (get_part); the inlines follow the part (inlines.PartPermissionMixin).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import workflow
from articles.admin import corrections
from articles.admin.forms import LOCK_FIELD, ArticleAdminForm
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

    # Saving

    def save_model(self, request, obj, form, change):
        workflow.enforce_publication_rights(request.user, obj)
        before = workflow.snapshot(obj)
        if change:
            workflow.claim_edit(obj, form.cleaned_data.get(LOCK_FIELD))
        super().save_model(request, obj, form, change)
        workflow.record_save(obj, request.user, created=not change, before=before)
        if workflow.state(obj) == workflow.SCHEDULED:
            messages.info(
                request,
                _("この記事は %(when)s に自動で公開されます。") % {"when": workflow.format_when(obj.publish_at)},
            )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.EditConflict:
            # Another save won between this form's check and its save. Nothing was saved
            # (the transaction rolled back); showing the form again reports the conflict.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        obj = kwargs.get("obj")  # nested_admin takes it third; Django passes it by keyword
        if obj is not None and obj.pk:
            context.update(
                {
                    "publication_state": workflow.state(obj),
                    "publication_state_label": workflow.state_label(obj),
                    "publish_at_label": workflow.format_when(obj.publish_at) if obj.publish_at else "",
                    "preview_url": reverse("articles:article_preview", args=[obj.pk]),
                    "audit_events": obj.audit_events.all()[:50],
                    "unpublish_at_label": workflow.format_when(obj.unpublish_at) if obj.unpublish_at else "",
                    **corrections.change_form_context(request, obj),
                }
            )
        context["can_publish"] = workflow.can_publish(request.user)
        return super().render_change_form(request, context, *args, **kwargs)

    def changelist_view(self, request, extra_context=None):
        # Publishers see at once how many drafts wait for them (the 公開の依頼 filter lists them).
        extra = {"pending_requests": corrections.pending_count(request.user)}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    # List actions (with a confirmation page: nothing is published by a slip of the mouse)

    def _confirmed_action(self, request, queryset, title, apply, done):
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/articles/article/publish_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": title,
                    "articles": queryset,
                    "opts": self.model._meta,
                    "action": request.POST.get("action"),
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        for article in queryset:
            apply(article, request.user)
        self.message_user(request, done % {"count": len(queryset)}, messages.SUCCESS)
        return None

    @admin.action(description=gettext_lazy("選択した記事を今すぐ公開する"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        return self._confirmed_action(
            request,
            queryset,
            _("次の記事を今すぐ公開します"),
            corrections.publish_part,
            _("%(count)d件の記事を公開しました。"),
        )

    @admin.action(description=gettext_lazy("選択した記事の公開を取り下げる(下書きに戻す)"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        return self._confirmed_action(
            request,
            queryset,
            _("次の記事の公開を取り下げて下書きに戻します"),
            workflow.unpublish,
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
        return TemplateResponse(
            request,
            "admin/articles/article/history.html",
            self._context(
                request,
                article,
                _("変更履歴: %(title)s") % {"title": article.title},
                versions=list(versions_of(article)),
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
