"""What a page tells search engines and social media: title, description, canonical URL,
Open Graph / Twitter card, breadcrumbs and JSON-LD (schema.org).

Views build one PageMeta; templates/base.html prints it. Absolute URLs use SITE_URL,
the site's public address, so the canonical URL does not depend on the Host header.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from forum.conventions import SITE_NAME, roundtable_title
from forum.images.renditions import responsive_image

DESCRIPTION_LENGTH = 120
OG_IMAGE_WIDTH = 1200


def absolute_url(path):
    """SITE_URL + path; an absolute URL is returned unchanged."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def page_path(path, page_number):
    """The canonical path of a page of a paginated list (page 1 has no ?page=)."""
    return path if page_number in (None, 1) else f"{path}?page={page_number}"


def plain_text(html, length=DESCRIPTION_LENGTH):
    """Rendered HTML → one line of text of at most `length` characters, for descriptions."""
    text = " ".join(strip_tags(html or "").split())
    return Truncator(text).chars(length)


@dataclass
class Crumb:
    name: str
    path: str


@dataclass
class SocialImage:
    url: str
    width: int | None
    height: int | None
    alt: str


def social_image(field_file, alt):
    """An absolute og:image from an ImageField's file (a ~1200px rendition when possible)."""
    if not field_file:
        return None
    image = responsive_image(field_file)
    if image is None:
        return SocialImage(absolute_url(field_file.url), None, None, alt)
    rendition = image.fallback_at_most(OG_IMAGE_WIDTH)
    return SocialImage(absolute_url(rendition.url), rendition.width, rendition.height, alt)


@dataclass
class PageMeta:
    title: str
    description: str = ""
    path: str | None = None  # canonical path; None for pages that must not be indexed
    og_type: str = "website"
    image: SocialImage | None = None
    crumbs: list = field(default_factory=list)  # the page itself is the last crumb
    json_ld: list = field(default_factory=list)
    published: object = None  # aware datetimes, for article:published_time
    modified: object = None
    noindex: bool = False

    @property
    def site_name(self):
        return SITE_NAME

    @property
    def full_title(self):
        return f"{self.title} | {SITE_NAME}" if self.title != SITE_NAME else SITE_NAME

    @property
    def canonical_url(self):
        return absolute_url(self.path) if self.path else ""

    @property
    def twitter_card(self):
        return "summary_large_image" if self.image else "summary"

    @property
    def structured_data(self):
        """All JSON-LD of the page as one @graph, the breadcrumb list included."""
        graph = list(self.json_ld)
        if len(self.crumbs) > 1:
            graph.append(breadcrumb_list(self.crumbs))
        return {"@context": "https://schema.org", "@graph": graph} if graph else None


def breadcrumb_list(crumbs):
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": str(crumb.name), "item": absolute_url(crumb.path)}
            for index, crumb in enumerate(crumbs, start=1)
        ],
    }


def site_crumb():
    from django.urls import reverse

    return Crumb(_("トップ"), reverse("forum:home"))


def forum_crumbs(forum):
    return [site_crumb(), Crumb(forum.name, forum.get_absolute_url())]


def roundtable_crumbs(roundtable):
    return forum_crumbs(roundtable.forum) + [
        Crumb(roundtable_title(roundtable.shown_number, roundtable.title, quoted=False), roundtable.get_absolute_url())
    ]


def organisation_ld(forum):
    return {"@type": "Organization", "name": forum.organiser or forum.name}


def series_ld(forum):
    return {
        "@type": "CreativeWorkSeries",
        "name": forum.magazine_title or forum.name,
        "url": absolute_url(forum.get_absolute_url()),
        "publisher": organisation_ld(forum),
    }


# json.dumps leaves <, > and & as they are; inside <script> they must not close the element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    """<script type="application/ld+json"> with the data, safe against </script> in any text."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(f'<script type="application/ld+json">{text.translate(_SCRIPT_ESCAPES)}</script>')
