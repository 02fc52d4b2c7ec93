"""Pages announce their feeds in <head> with <link rel="alternate">, as readers discover them."""

from html.parser import HTMLParser

import pytest

from tests.support import quality

SITE_FEEDS = [
    ("application/rss+xml", "/feeds/rss/", "座談会アーカイブの新着記事(RSS)"),
    ("application/atom+xml", "/feeds/atom/", "座談会アーカイブの新着記事(Atom)"),
]
FORUM_FEEDS = [
    ("application/rss+xml", "/feeds/tokyo-cio-forum/rss/", "東京都・区市町村CIOフォーラムの新着記事(RSS)"),
    ("application/atom+xml", "/feeds/tokyo-cio-forum/atom/", "東京都・区市町村CIOフォーラムの新着記事(Atom)"),
]


class _HeadLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_head, self.alternates = False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.in_head = self.in_head or tag == "head"
        if tag == "link" and attrs.get("rel") == "alternate":
            assert self.in_head, "a feed link outside <head>"
            self.alternates.append((attrs.get("type"), attrs.get("href"), attrs.get("title")))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def announced(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _HeadLinks()
    parser.feed(response.content.decode())
    return parser.alternates


def test_home_page_announces_the_site_feeds(client, series):
    assert announced(client, "/") == SITE_FEEDS


@pytest.mark.parametrize("page", ["forum", "part"])
def test_forum_and_part_pages_announce_the_forum_feeds_then_the_site_feeds(client, series, page):
    url = series.forum.get_absolute_url() if page == "forum" else series.part2.get_absolute_url()
    assert announced(client, url) == FORUM_FEEDS + SITE_FEEDS


def test_every_announced_feed_answers_with_the_announced_type(client, series):
    for content_type, href, _ in announced(client, series.part2.get_absolute_url()):
        response = client.get(href)
        assert response.status_code == 200, href
        assert response["Content-Type"] == f"{content_type}; charset=utf-8", href


def test_pages_with_feed_links_are_valid_html(client, series):
    urls = ["/", series.forum.get_absolute_url(), series.part2.get_absolute_url()]
    errors = quality.validate_html({url: client.get(url).content.decode() for url in urls})
    assert not any(errors.values()), quality.format_html_errors(errors)
