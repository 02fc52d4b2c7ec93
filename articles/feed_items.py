"""What the feeds say about each part, and the RSS/Atom writers that carry the full article
(content:encoded, atom:content).

The full article is templates/articles/feed_content.html: the part's header image, lead and
introduction, its participants, the page's own body include (templates/articles/_body.html,
so speaker labels read as on the page), the closing and the credits, sanitised again with
URLs made absolute. Absolute URLs use SITE_URL (forum.web.seo.absolute_url), as pages and the
sitemap do, never the Host header.

All of it but the participants is stored, sanitised, with the part's body (articles.renditions:
`feed_body` makes it, `Rendition.feed_html`), and made stale by the same changes: a feed of 50
long parts reads 50 stored strings rather than rendering 50 bodies. Which participants are
listed depends on other parts (a guest who speaks only in a scheduled part is not listed until
that part is public: articles.visibility), so that short list is made on each request and put
in its place (`_content`); the result is byte for byte the whole template sanitised at once.
"""

import mimetypes
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import feedgenerator, timezone

from articles.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES
from articles.visibility import with_public_flag
from forum.web.seo import absolute_url
from participants.models import Participant

CONTENT_TEMPLATE = "articles/feed_content.html"
PARTICIPANTS_TEMPLATE = "articles/_feed_participants.html"
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


def _sanitise(html, base_url):
    return nh3.clean(
        html,
        tags=CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        url_relative=("rewrite_with_base", base_url),
        link_rel="noopener noreferrer nofollow",
    )


def feed_html(html, base_url):
    """Sanitise HTML for a feed reader, making every relative link and image absolute."""
    return xml_text(_sanitise(html, base_url).strip())


def feed_body(article, content, credits):
    """What the part's rendition keeps for the feeds: (feed_html, summary's "feed").

    feed_html is feed_content.html sanitised, its participants left out and where they go
    noted ("split"); `content` and `credits` as articles.renditions.render gets them. The
    place is marked while the template is sanitised as a whole, by a text no part contains
    (random), so that what comes before and after is sanitised exactly as before.
    """
    link = absolute_url(article.get_absolute_url())
    marker = f"\ue000{secrets.token_hex(16)}\ue000"
    context = {"article": article, "content": content, "credits": credits, "participants_html": marker}
    html = _sanitise(render_to_string(CONTENT_TEMPLATE, context), link)
    head, found, tail = html.partition(marker)
    assert found and marker not in tail, "the participants' place is marked once"
    return head + tail, {
        "link": link,
        "split": len(head),
        # Whether a character XML forbids is left in it: then the whole is cleaned on each request.
        "xml_clean": XML_ILLEGAL.search(html) is None,
        "summary": feed_html(article.lead_html, link) or None,
    }


def stored_for_feed(article, rendition):
    """Whether a current rendition holds the part's feed content for this site's address."""
    feed = rendition.summary.get("feed")
    return feed is not None and feed["link"] == absolute_url(article.get_absolute_url())


def participants_html(roundtable, participants):
    """The feed's participants list: `participants` are items of a rendition's summary."""
    return render_to_string(PARTICIPANTS_TEMPLATE, {"roundtable": roundtable, "participants": participants})


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


def public_appearance_ids(roundtable_ids):
    """The ids of these roundtables' participants who are public appearances (one query)."""
    participants = with_public_flag(Participant.objects.filter(roundtable_id__in=roundtable_ids).order_by())
    return {pk for pk, public in participants.values_list("pk", "is_public_appearance") if public}


def feed_entries(articles, renditions):
    """[FeedEntry] for `articles` (select_related roundtable__forum), from `renditions`
    ({article pk: current Rendition with its feed content}, articles.renditions.for_parts).

    Queries: which participants are public appearances, one for all the parts.
    """
    articles = list(articles)
    public = public_appearance_ids({article.roundtable_id for article in articles})
    listed_html = {}  # parts of one roundtable often list the same people
    return [_entry(article, renditions[article.pk], public, listed_html) for article in articles]


def _entry(article, rendition, public, listed_html):
    summary = rendition.summary
    feed = summary["feed"]
    link = feed["link"]
    speaking = set(summary["speakers"])
    listed = [item for item in summary["participants"] if item["id"] in public or item["id"] in speaking]
    writer = summary["writers"][0] if summary["writers"] else None
    organisations = dict.fromkeys(item["organisation"] for item in listed if item["organisation"] is not None)
    published = timezone.localtime(article.publish_at)
    return FeedEntry(
        title=xml_text(article.title),
        link=link,
        guid=tag_uri(f"article:{article.pk}", timezone.localtime(article.created_at)),
        published=published,
        updated=max(published, timezone.localtime(article.updated_at)),
        summary=feed["summary"],
        content=_content(article, rendition.feed_html, feed, listed, listed_html),
        author=xml_text(writer),
        categories=[xml_text(name) for name in [article.roundtable.forum.name, *organisations]],
        enclosures=_header_enclosure(article),
    )


def _content(article, stored, feed, listed, listed_html):
    """The stored content with the participants list in its place: what feed_html() makes of
    the whole template. The parts before and after are balanced HTML, so sanitising them
    apart from the list is sanitising the whole."""
    key = (article.roundtable.honorifics_omitted, tuple((item["title"], item["name"]) for item in listed))
    if key not in listed_html:
        listed_html[key] = _sanitise(participants_html(article.roundtable, listed), feed["link"]) if listed else ""
    split = feed["split"]
    if not feed["xml_clean"]:
        return xml_text((stored[:split] + listed_html[key] + stored[split:]).strip())
    # No character XML forbids before or after the list, none at its ends: strip sees the same.
    return (stored[:split] + xml_text(listed_html[key]) + stored[split:]).strip()


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
