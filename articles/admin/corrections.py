"""Correction drafts and publication requests in the part's admin (rules: articles.corrections).

Three POST-only or confirmed pages, mounted by ArticleAdmin.get_urls:
- <id>/correction/: make (or open) the correction draft of a live part;
- <id>/request-publication/: ask the publishers to publish a draft (one e-mail);
- <id>/publish-correction/: a publisher confirms, seeing what changes, and publishes.
The publishers' list of requests is the part list filtered by RequestFilter.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import corrections, workflow
from articles.diff import diff_lines, has_changes, part_lines
from articles.models import ArticleStatus
from articles.versioning import state_from_db


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


class RequestFilter(admin.SimpleListFilter):
    """公開の依頼: the drafts waiting for a publisher (the publishers' list of requests)."""

    title = gettext_lazy("公開の依頼")
    parameter_name = "requested"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("依頼あり(公開待ち)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=corrections.pending_requests().values("pk")).order_by(
                "publication_requested_at"
            )
        return queryset


def start_correction_view(model_admin, request, object_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    live = model_admin.get_part(request, object_id)
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    draft, created = corrections.start_correction(live, request.user)
    if created:
        messages.success(
            request,
            _("修正版を作りました。公開中の記事は、公開担当が修正を公開するまでそのまま表示されます。"),
        )
    else:
        messages.info(request, _("この記事の修正版は既にあります。続きを編集してください。"))
    return HttpResponseRedirect(_change_url(draft))


def request_publication_view(model_admin, request, object_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = model_admin.get_part(request, object_id)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    sent = corrections.request_publication(article, request.user, request.POST.get("message", ""))
    if sent:
        messages.success(request, _("公開担当(%(count)d人)に公開を依頼しました。") % {"count": sent})
    else:
        messages.warning(
            request,
            _(
                "公開を依頼しました(公開担当の一覧に載ります)。"
                "メールアドレスが登録された公開担当がいないため、メールは送っていません。"
            ),
        )
    return HttpResponseRedirect(_change_url(article))


def publish_correction_view(model_admin, request, object_id):
    draft = model_admin.get_part(request, object_id)
    if draft.correction_of_id is None or draft.status != ArticleStatus.DRAFT:
        return HttpResponseRedirect(_change_url(draft))
    if not workflow.can_publish(request.user):
        raise PermissionDenied
    live = draft.correction_of
    if request.method == "POST":
        try:
            corrections.publish_correction(draft, request.user)
        except corrections.CorrectionRefused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(request.path)
        messages.success(request, _("修正を公開しました。公開中のページが修正後の内容になりました。"))
        return HttpResponseRedirect(_change_url(live))
    lines = diff_lines(part_lines(state_from_db(live)), part_lines(state_from_db(draft)))
    return TemplateResponse(
        request,
        "admin/articles/article/publish_correction.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": _("修正を公開する: %(title)s") % {"title": live.title},
            "opts": model_admin.model._meta,
            "original": draft,
            "object": draft,
            "live": live,
            "lines": lines,
            "changed": has_changes(lines),
            "change_url": _change_url(draft),
        },
    )


def publish_part(article, user):
    """The list's 今すぐ公開する: a correction is published into its live part, any other part as it is."""
    if article.correction_of_id is not None:
        try:
            corrections.publish_correction(article, user)
        except corrections.CorrectionRefused as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        return
    workflow.publish_now(article, user)


def record_discarded(request, drafts):
    """Correction drafts deleted in the admin, noted on their live parts."""
    for draft in drafts:
        corrections.record_discarded(draft, request.user)


def pending_count(user):
    """How many drafts wait for a publisher, for a publisher's part list (None for editors)."""
    return corrections.pending_requests().count() if workflow.can_publish(user) else None


def change_form_context(request, article):
    """What the part's page shows about corrections and requests."""
    if article is None or article.pk is None:
        return {}
    correction = getattr(article, "correction", None) if article.correction_of_id is None else None
    return {
        "correction_of": article.correction_of if article.correction_of_id else None,
        "pending_correction": correction,
        "may_start_correction": article.status == ArticleStatus.PUBLISHED
        and article.correction_of_id is None
        and correction is None
        and request.user.has_perm("articles.add_article"),
        # Editors ask; publishers see the request (and publish themselves).
        "may_request_publication": article.status == ArticleStatus.DRAFT
        and not article.publication_requested_at
        and not workflow.can_publish(request.user),
        "requested_by": article.publication_requested_by if article.publication_requested_at else None,
    }
