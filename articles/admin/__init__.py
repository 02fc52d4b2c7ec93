"""The editors' admin for parts: one page with its sections, turns, figures and credits.

- here: ArticleAdmin, its URLs (all in get_urls) and its one way to look a part up (get_part);
- inlines: sections, turns, figures and credits on the part's page;
- editorial: the workflow in the admin (status, permissions, no lost update, publishing actions, history and restore);
- transcripts: importing a transcript (paste or upload → preview → save) and the exports;
- forms: the part's form (edit lock) and the import form;
- block_order: one order of turns and figures per section after each save;
- corrections: correction drafts of live parts, publication requests (公開を依頼) and their list;
- live: what live parts show (forum, roundtable, people …): editors' 変更の依頼 and the publishers' page of them.
"""

import nested_admin
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from articles import workflow
from articles.admin import block_order, compact_editor, corrections, live, staff, transcripts  # noqa: F401 (staff, live register their admins)
from articles.admin.inlines import CreditInline, SectionInline
from articles.admin.editorial import WorkflowAdminMixin
from articles.models import Article
from forum.web.admin_filters import YearListFilter

REVERSION_VIEWS = ("_recoverlist", "_recover", "_revision")  # replaced by the history views


class PublishYearFilter(YearListFilter):
    title = _("公開年")
    field_name = "publish_at"


@admin.register(Article)
class ArticleAdmin(WorkflowAdminMixin, VersionAdmin, nested_admin.NestedModelAdmin):
    list_display = ["title", "roundtable", "part_number", "status_label", "publish_at", "updated_at"]
    list_filter = [corrections.RequestFilter, "roundtable__forum", "status", PublishYearFilter]
    search_fields = ["title", "slug", "roundtable__title", "lead"]
    list_select_related = ["roundtable", "roundtable__forum"]
    autocomplete_fields = ["roundtable"]
    inline_admin_formset_helper_cls = compact_editor.CompactInlineAdminFormSet
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["roundtable", "part_number", "title", "slug"]}),
        (_("本文の前後"), {"fields": ["lead", "introduction", "closing"]}),
        (_("見出し画像"), {"fields": ["header_image", "header_image_alt"]}),
        (_("公開"), {"fields": ["status", "publish_at", "unpublish_at"]}),
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
        label = workflow.state_label(obj)
        if obj.correction_of_id is not None:
            label = _("修正版(下書き)")
        if obj.publication_requested_at is not None and obj.status == "draft":
            label = _("%(label)s・公開を依頼済み") % {"label": label}
        return label

    actions = ["export_json", *WorkflowAdminMixin.actions]

    def get_urls(self):
        """原稿を取り込む (the list's button), the exports and the history's compare and
        restore pages, before the admin's own URLs (reversion's recover views left out)."""
        view = self.admin_site.admin_view
        info = self.opts.app_label, self.opts.model_name
        own = [url for url in super().get_urls() if not (url.name or "").endswith(REVERSION_VIEWS)]
        return [
            path("import/", view(lambda request: transcripts.import_view(self, request)), name="%s_%s_import" % info),
            path(
                "<path:object_id>/export/roundtable/",
                view(lambda request, object_id: transcripts.export_roundtable_view(self, request, object_id)),
                name="%s_%s_export_roundtable" % info,
            ),
            path(
                "<path:object_id>/export/<str:fmt>/",
                view(lambda request, object_id, fmt: transcripts.export_view(self, request, object_id, fmt)),
                name="%s_%s_export" % info,
            ),
            path("<path:object_id>/history/compare/", view(self.compare_view), name="%s_%s_compare" % info),
            path(
                "<path:object_id>/correction/",
                view(lambda request, object_id: corrections.start_correction_view(self, request, object_id)),
                name="%s_%s_start_correction" % info,
            ),
            path(
                "<path:object_id>/request-publication/",
                view(lambda request, object_id: corrections.request_publication_view(self, request, object_id)),
                name="%s_%s_request_publication" % info,
            ),
            path(
                "<path:object_id>/publish-correction/",
                view(lambda request, object_id: corrections.publish_correction_view(self, request, object_id)),
                name="%s_%s_publish_correction" % info,
            ),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                view(self.restore_view),
                name="%s_%s_restore" % info,
            ),
        ] + own

    def get_part(self, request, object_id):
        """The part a URL names, for every view of this admin: a malformed or unknown id
        is a 404, a part the user may not see a 403."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    @admin.action(description=_("選択した記事をJSONで書き出す"), permissions=["view"])
    def export_json(self, request, queryset):
        return transcripts.export_parts_response(queryset)

    class Media:
        css = {"all": ["articles/block-order.css", "articles/compact-editor.css"]}
        js = ["articles/block-order.js", "articles/compact-editor.js"]

    def _create_formsets(self, request, obj, change):
        # nested_admin would copy the posted data once per section's formset (compact_editor).
        with compact_editor.shared_post(request):
            return super()._create_formsets(request, obj, change)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        # The revision of the part follows its sections, turns and figures: fetched here in a
        # few queries rather than two per section, and dropped once the part is saved.
        with compact_editor.prefetched_part(obj):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        corrections.record_discarded(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        corrections.record_discarded(
            request, queryset.filter(correction_of__isnull=False).select_related("correction_of")
        )
        super().delete_queryset(request, queryset)

    def save_related(self, request, form, formsets, change):
        # Settle turns and figures into one order per section (see articles/admin/block_order.py).
        before = block_order.snapshot(form.instance) if change else {}
        request._rows_order_before = block_order.row_ranks(form.instance) if change else {}
        super().save_related(request, form, formsets, change)
        block_order.settle(form.instance, before)

    def construct_change_message(self, request, form, formsets, add=False):
        # The change note lists what the editor changed: a section or credit whose 順番 was only
        # renumbered (nested_admin numbers the rows from 0 on submit) stayed where it was.
        block_order.drop_unmoved_positions(form.instance, formsets, getattr(request, "_rows_order_before", {}))
        return super().construct_change_message(request, form, formsets, add)
