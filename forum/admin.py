from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.admin.live import LiveContentAdminMixin
from forum.web.admin_filters import YearListFilter
from forum.models import Forum, Roundtable, SiteSettings
from participants.admin import ParticipantInline

admin.site.site_header = _("座談会CMS 管理画面")
admin.site.site_title = _("座談会CMS")
admin.site.index_title = _("編集の入口")


@admin.register(Forum)
class ForumAdmin(LiveContentAdminMixin, admin.ModelAdmin):
    list_display = ["name", "magazine_title", "organiser"]
    search_fields = ["name", "magazine_title", "organiser"]


class HeldYearFilter(YearListFilter):
    title = _("開催年")
    field_name = "held_on"


@admin.register(Roundtable)
class RoundtableAdmin(LiveContentAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "number", "forum", "held_on", "format", "number_hidden", "honorifics_omitted"]
    list_filter = ["forum", "format", HeldYearFilter]
    search_fields = ["title", "forum__name", "participants__person__name"]
    list_select_related = ["forum"]
    date_hierarchy = "held_on"
    inlines = [ParticipantInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "forum",
                    ("number", "format"),
                    "number_hidden",
                    "title",
                    ("held_on", "part_count"),
                    "honorifics_omitted",
                    "description",
                ]
            },
        ),
    ]


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row (the footer and the accessibility policy page): the list opens it."""

    fields = ["publisher", "contact", "accessibility_policy"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not SiteSettings.objects.filter(pk=1).exists() and self.has_change_permission(request):
            SiteSettings.load().save()
        return HttpResponseRedirect(reverse("admin:forum_sitesettings_change", args=[1]))
