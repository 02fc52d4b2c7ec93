"""Template tags of the public pages: the site name, dates, roundtable titles, responsive
pictures, JSON-LD, the footer, and the fragments made once per process (constant_include).
The wording comes from forum.conventions."""

import datetime
import functools

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from forum.conventions import SITE_NAME, format_western_date, roundtable_title
from forum.conventions import dual_date as format_dual_date
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


# What a constant fragment may be given: values whose text is the whole of what they say (a
# model instance would hash by its key and hide a change of its fields).
_CONSTANT_ARGUMENT_TYPES = (str, int, bool, type(None))


@functools.lru_cache(maxsize=256, typed=True)
def _rendered_fragment(template_name, language, script_prefix, urlconf, arguments):
    return mark_safe(render_to_string(template_name, dict(arguments)))  # the template escapes what it prints


@receiver(setting_changed)
def _forget_fragments(**kwargs):
    """A changed setting (tests' override_settings: URLs, static files, templates) may change them."""
    _rendered_fragment.cache_clear()


def constant_fragment(template_name, **arguments):
    """The HTML of `template_name` rendered with `arguments` alone (no request, no page
    context), made once per process for each set of arguments and language. For the parts of
    every page that depend on nothing else (the reader's controls, the stylesheets and scripts,
    the feed links, the footer): rendering them costs a public page more than its stored body.
    A deploy starts new processes; with DEBUG on (templates edited while the server runs) the
    fragment is rendered every time."""
    for name, value in arguments.items():
        if not isinstance(value, _CONSTANT_ARGUMENT_TYPES):
            raise TypeError(
                f"{template_name}: {name} must be a string, number, bool or None, not {type(value).__name__}"
            )
    if settings.DEBUG:
        return mark_safe(render_to_string(template_name, arguments))
    # What {% url %} and {% trans %} read besides the arguments: the language, the script prefix
    # (a site under a sub-path) and this request's URLconf.
    key = (get_language(), get_script_prefix(), get_urlconf())
    return _rendered_fragment(template_name, *key, tuple(sorted(arguments.items())))


# {% constant_include "includes/reader_controls.html" speech=True %}
register.simple_tag(constant_fragment, name="constant_include")


@register.simple_tag
def site_footer():
    """The footer of every public page: publisher, contact, the accessibility policy's link.
    While the database is unreachable (an error page) it shows the defaults."""
    from forum.models import SiteSettings
    from forum.page_cache import shared_part

    try:
        site_settings = shared_part(("site-settings",), SiteSettings.load)
    except DatabaseError:
        site_settings = SiteSettings(pk=1)
    return constant_fragment(
        "includes/site_footer.html", publisher=site_settings.publisher, contact=site_settings.contact
    )
