"""sitemap.xml: only what the public may see, with absolute URLs on SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from articles.visibility import public_forums, public_parts, public_roundtables


def newest_public_part(**outer):
    """Subquery: the publish time of the newest public part (a new part changes the page)."""
    parts = public_parts().filter(**{k: OuterRef(v) for k, v in outer.items()})
    return Subquery(parts.order_by("-publish_at").values("publish_at")[:1])


class SiteSitemap(Sitemap):
    """URLs on the site's public address (like the canonical URLs), not the request's host."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class HomeSitemap(SiteSitemap):
    def items(self):
        return ["forum:home"]

    def location(self, item):
        return reverse(item)


class ForumSitemap(SiteSitemap):
    def items(self):
        return public_forums().annotate(newest_part=newest_public_part(roundtable__forum="pk")).order_by("pk")

    def lastmod(self, forum):
        return max(forum.updated_at, forum.newest_part)


class RoundtableSitemap(SiteSitemap):
    def items(self):
        return (
            public_roundtables()
            .select_related("forum")
            .annotate(newest_part=newest_public_part(roundtable="pk"))
            .order_by("forum_id", "number")
        )

    def lastmod(self, roundtable):
        return max(roundtable.updated_at, roundtable.newest_part)
