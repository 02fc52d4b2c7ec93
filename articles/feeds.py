"""RSS 2.0 and Atom 1.0 feeds of published parts: the whole site, or one forum.

Routes (forum/urls.py, namespace "feeds"): site_rss /feeds/rss/, site_atom /feeds/atom/,
forum_rss /feeds/<forum slug>/rss/, forum_atom /feeds/<forum slug>/atom/.

Each part's content comes from its stored rendition (articles.renditions, made and stored
now for the parts that have none current): a feed of 50 long parts costs three queries and
string joins, and is the same feed the templates make from the models.

HTTP: like every public page (forum.page_cache.public_page): the ETag and Last-Modified come
from the site's content version, so whatever changes what a reader would get (an edited turn,
a renamed participant, a scheduled part whose time has come) changes them; a matching
conditional GET gets 304 before the feed is built, and a 200 comes from the cache while
nothing changed.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from articles import renditions
from articles.feed_items import ContentAtomFeed, ContentRssFeed, feed_entries, stored_for_feed, tag_uri, xml_text
from articles.visibility import public_forums, public_parts
from forum.conventions import SITE_NAME
from forum.models import Forum
from forum.page_cache import public_page
from forum.web.seo import absolute_url

MAX_ITEMS = 50
PAGE_ONLY = ("rendition__body_html", "rendition__furigana_html", "rendition__toc_html")


@dataclass(frozen=True)
class FeedScope:
    request: HttpRequest
    forum: Forum | None = None


class ArticleRssFeed(Feed):
    """Newest published parts of the site, or of one forum when the URL names it."""

    feed_type = ContentRssFeed
    language = "ja"
    item_guid_is_permalink = False

    def get_object(self, request, slug=None):
        return FeedScope(request, get_object_or_404(public_forums(), slug=slug) if slug else None)

    def title(self, scope):
        return xml_text(scope.forum.name) if scope.forum else SITE_NAME

    def link(self, scope):
        return absolute_url(scope.forum.get_absolute_url() if scope.forum else reverse("forum:home"))

    def feed_url(self, scope):
        return absolute_url(scope.request.path)

    def description(self, scope):
        if scope.forum:
            return xml_text(scope.forum.description.strip()) or _("%(forum)sの座談会・対談・インタビュー") % {
                "forum": xml_text(scope.forum.name)
            }
        return _("自治体の座談会・対談・インタビューの新着記事")

    subtitle = description

    def author_name(self, scope):
        if scope.forum:
            return xml_text(scope.forum.organiser) or xml_text(scope.forum.name)
        return SITE_NAME

    def feed_guid(self, scope):
        if scope.forum:
            return tag_uri(f"forum:{scope.forum.pk}", timezone.localtime(scope.forum.created_at))
        return f"{settings.SITE_URL}/"

    def feed_extra_kwargs(self, scope):
        created = scope.forum.created_at if scope.forum else datetime.datetime.fromtimestamp(0, datetime.UTC)
        return {"empty_feed_date": timezone.localtime(created)}

    def items(self, scope):
        # The parts with their stored renditions, less what only the page prints.
        articles = public_parts().select_related("roundtable__forum", "rendition").defer(*PAGE_ONLY)
        if scope.forum:
            articles = articles.filter(roundtable__forum=scope.forum)
        articles = list(articles.order_by("-publish_at", "-pk")[:MAX_ITEMS])
        return feed_entries(articles, renditions.for_parts(articles, usable=stored_for_feed))

    def item_title(self, entry):
        return entry.title

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return entry.guid

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_description(self, entry):
        return entry.summary

    def item_author_name(self, entry):
        return entry.author

    def item_categories(self, entry):
        return entry.categories

    def item_enclosures(self, entry):
        return entry.enclosures

    def item_extra_kwargs(self, entry):
        return {"content": entry.content}


class ArticleAtomFeed(ArticleRssFeed):
    feed_type = ContentAtomFeed


def feed_view(feed):
    """The feed for GET and HEAD, cached and conditional like every public page."""
    return require_safe(public_page(feed))


rss_feed = feed_view(ArticleRssFeed())
atom_feed = feed_view(ArticleAtomFeed())
