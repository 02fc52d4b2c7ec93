"""Template tags of the public pages: the site name, dates, roundtable titles, responsive
pictures, JSON-LD. The wording comes from forum.conventions."""

import datetime

from django import template
from django.db import DatabaseError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from forum.conventions import SITE_NAME, dual_date as format_dual_date, format_western_date, roundtable_title
from forum.images.renditions import responsive_image
from forum.web.seo import json_ld_script

register = template.Library()


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def dual_date(value):
    """令和3年10月15日(2021年10月15日), the era date in a <time> element."""
    if not value:
        return ""
    date = _as_date(value)

    def in_time_element(era):
        return format_html('<time datetime="{}">{}</time>', date.isoformat(), era)

    return mark_safe(format_dual_date(date, mark=in_time_element))  # era date escaped, the rest digits and 年月日


@register.filter
def western_date(value):
    return format_western_date(_as_date(value)) if value else ""


@register.simple_tag
def site_name():
    return SITE_NAME


# filter argument → (with the title, with the format); Roundtable.numbered_title and str() give the others
_ROUNDTABLE_TITLE_FORMS = {
    "quoted": (True, False),  # 第4回「町田市×都CIO座談会」
    "kind": (False, True),  # 第4回座談会
    "number": (False, False),  # 第4回
}


@register.filter(name="roundtable_title")
def roundtable_title_filter(roundtable, form):
    """A roundtable's title in one of the forms above ({{ roundtable|roundtable_title:"kind" }})."""
    with_title, with_format = _ROUNDTABLE_TITLE_FORMS[form]
    return roundtable_title(
        roundtable.shown_number,
        roundtable.title if with_title else "",
        roundtable.get_format_display() if with_format else "",
    )


@register.simple_tag
def json_ld(data):
    return json_ld_script(data)


@register.inclusion_tag("includes/picture.html")
def picture(field_file, alt, sizes="100vw", lazy=True, css_class=""):
    """<picture> with WebP and JPEG/PNG srcsets, explicit size, lazy below the fold.

    `alt` is required by the models wherever an image is uploaded; an image Pillow
    cannot read is shown as it is, without renditions.
    """
    return {
        "image": responsive_image(field_file),
        "src": field_file.url if field_file else "",
        "alt": alt,
        "sizes": sizes,
        "lazy": lazy,
        "css_class": css_class,
    }


@register.inclusion_tag("includes/site_footer.html")
def site_footer():
    """The footer of every public page: publisher, contact, the accessibility policy's link.
    While the database is unreachable (an error page) it shows the defaults."""
    from forum.models import SiteSettings
    from forum.page_cache import shared_part

    try:
        settings = shared_part(("site-settings",), SiteSettings.load)
    except DatabaseError:
        settings = SiteSettings(pk=1)
    return {"site_settings": settings, "site_name": SITE_NAME}
