from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from readings.models import ReadingEntry


@admin.register(ReadingEntry)
class ReadingEntryAdmin(admin.ModelAdmin):
    list_display = ["word", "reading", "note", "updated_at"]
    search_fields = ["word", "reading", "note"]
    fields = ["word", "reading", "note"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["word"].help_text = _(
            "地名・団体名など、漢字を含む語。保存すると、この語を含む記事のふりがなをすぐに作り直します。"
        )
        return form
