"""Template tags of the public pages: dates, responsive pictures, JSON-LD."""
import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from forum.japanese import format_japanese_date, format_western_date
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
    return format_html(
        '<time datetime="{}">{}</time>({})',
        date.isoformat(), format_japanese_date(date), format_western_date(date),
    )


@register.filter
def western_date(value):
    return format_western_date(_as_date(value)) if value else ""


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
