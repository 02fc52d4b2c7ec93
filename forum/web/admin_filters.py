"""List filters shared by the editors' admin pages."""

from django.contrib import admin
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _


class YearListFilter(admin.SimpleListFilter):
    """Filter a list by the year of one date field (set `field_name` in a subclass)."""

    title = _("年")
    parameter_name = "year"
    field_name = None

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request)
            .exclude(**{f"{self.field_name}__isnull": True})
            .annotate(_year=ExtractYear(self.field_name))
            .values_list("_year", flat=True)
            .distinct()
            .order_by("-_year")
        )
        return [(str(year), f"{year}年") for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{f"{self.field_name}__year": int(value)})
        return queryset
