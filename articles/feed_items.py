"""What the feeds say about each part, prepared for up to 50 parts in a constant number of
queries, and the RSS/Atom writers that carry the full article (content:encoded, atom:content).

The full article is rendered with the page's own body include (templates/articles/_body.html),
so speaker labels read as on the page, then sanitised again with URLs made absolute. Absolute
URLs use SITE_URL (forum.web.seo.absolute_url), as pages and the sitemap do, never the Host header.
"""

import mimetypes
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import feedgenerator, timezone

from articles.content import listed_participants, load_articles_content, load_participants, speaking_in
from articles.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES
from articles.models import resolve_credit_affiliations
from forum.web.seo import absolute_url

# wbr: the line breaks between phrases worked out on save (readings), for feed readers too.
CONTENT_TAGS = ALLOWED_TAGS | {"h2", "section", "div", "dl", "dt", "dd", "span", "wbr"}
# Characters XML 1.0 forbids; text pasted from a word processor sometimes carries them.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    return XML_ILLEGAL.sub("", text) if text else text


def tag_uri(specific, date):
    """A tag: URI (RFC 4151) that no edit of a title or slug changes."""
    authority = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{authority},{date:%Y-%m-%d}:{specific}"


def feed_html(html, base_url):
    """Sanitise HTML for a feed reader, making every relative link and image absolute."""
    html = nh3.clean(
        html,
        tags=CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        url_relative=("rewrite_with_base", base_url),
        link_rel="noopener noreferrer nofollow",
    )
    return xml_text(html.strip())


@dataclass
class FeedEntry:
    title: str
    link: str
    guid: str
    published: object
    updated: object
    summary: str | None
    content: str
    author: str | None
    categories: list = field(default_factory=list)
    enclosures: list = field(default_factory=list)


def feed_entries(articles):
    """[FeedEntry] for `articles` (select_related roundtable__forum, prefetched credits).

    Queries: the articles, their credits, participants, roles, sections, turns, figures.
    """
    articles = list(articles)
    participants = load_participants({article.roundtable_id for article in articles})
    contents = load_articles_content(articles, participants)
    cast = defaultdict(list)
    for participant in participants.values():
        cast[participant.roundtable_id].append(participant)
    return [
        _entry(
            article,
            listed_participants(cast[article.roundtable_id], speaking_in(contents[article.pk])),
            contents[article.pk],
        )
        for article in articles
    ]


def _entry(article, participants, content):
    link = absolute_url(article.get_absolute_url())
    credits = resolve_credit_affiliations(article.credits.all())
    html = render_to_string(
        "articles/feed_content.html",
        {
            "article": article,
            "roundtable": article.roundtable,
            "participants": participants,
            "content": content,
            "credits": credits,
        },
    )
    writer = next((credit.name for credit, _ in credits if credit.is_writer), None)
    organisations = dict.fromkeys(p.organisation.name for p in participants if p.organisation)
    published = timezone.localtime(article.publish_at)
    return FeedEntry(
        title=xml_text(article.title),
        link=link,
        guid=tag_uri(f"article:{article.pk}", timezone.localtime(article.created_at)),
        published=published,
        updated=max(published, timezone.localtime(article.updated_at)),
        summary=feed_html(article.lead_html, link) or None,
        content=feed_html(html, link),
        author=xml_text(writer),
        categories=[xml_text(name) for name in [article.roundtable.forum.name, *organisations]],
        enclosures=_header_enclosure(article),
    )


def _header_enclosure(article):
    image = article.header_image
    if not image:
        return []
    try:
        length = image.size
    except OSError:  # the file went missing from storage: no enclosure rather than no feed
        return []
    mime_type = mimetypes.guess_type(image.name)[0] or "application/octet-stream"
    return [feedgenerator.Enclosure(absolute_url(image.url), str(length), mime_type)]


class StableDateMixin:
    """An empty feed is dated `empty_feed_date`, not "now": its bytes, so its ETag, stay put."""

    def latest_post_date(self):
        if not self.items and self.feed.get("empty_feed_date"):
            return self.feed["empty_feed_date"]
        return super().latest_post_date()


class ContentRssFeed(StableDateMixin, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the full article in content:encoded."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class ContentAtomFeed(StableDateMixin, feedgenerator.Atom1Feed):
    """Atom 1.0 with the full article in atom:content."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
