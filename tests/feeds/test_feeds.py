"""The RSS 2.0 and Atom feeds, read by feedparser and checked against the specifications."""

import re
from html.parser import HTMLParser

import feedparser
import pytest

from articles.models import SpeakerTurn
from tests.support.feed_checks import atom_problems, parse_xml, rss_problems
from tests.support.feed_series import FUKAI_FIRST_LABEL, PART2_TITLE

SITE = "https://zadankai.example.jp"
FEEDS = ["/feeds/rss/", "/feeds/atom/", "/feeds/tokyo-cio-forum/rss/", "/feeds/tokyo-cio-forum/atom/"]


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content, response_headers={"content-type": response["Content-Type"]})
    assert parsed.bozo == 0, f"{url}: {parsed.get('bozo_exception')}"
    return parsed


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_feedparser_finds_every_published_part_newest_first_with_title_link_date_author_content(client, series, url):
    feed = read(client, url)
    assert [entry.title for entry in feed.entries] == [part.title for part in series.published]
    for entry, part in zip(feed.entries, series.published):
        assert entry.link == f"{SITE}{part.get_absolute_url()}"
        assert entry.published_parsed is not None
        assert entry.author in {"猪ノ口 渉", "星野 惇"}
        assert entry.content[0].type == "text/html" and entry.content[0].value
    part2 = feed.entries[1]
    assert part2.title == PART2_TITLE
    assert part2.author == "猪ノ口 渉"  # the 執筆者 credit, not the 編集
    assert "外部人材は不定期に採用しておりまして" in part2.content[0].value
    assert "第4回は、「町田市×都CIO座談会」をお届けします" in part2.summary


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_header_image_is_an_enclosure_with_its_length_and_type(client, series, url):
    enclosures = read(client, url).entries[1].enclosures
    header = series.part2.header_image
    assert [(e.href, e.length, e.type) for e in enclosures] == [(f"{SITE}{header.url}", str(header.size), "image/png")]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_is_well_formed_xml_with_every_element_the_specification_requires(client, series, url):
    root = parse_xml(client.get(url).content)
    check = atom_problems if url.endswith("atom/") else rss_problems
    assert check(root, f"{SITE}{url}") == []


def test_the_specification_checks_catch_a_feed_that_feedparser_accepts():
    rss = b'<rss version="2.0"><channel><title>t</title><link>http://x/</link><item><link>http://x/1</link></item></channel></rss>'
    assert feedparser.parse(rss).bozo == 0
    problems = rss_problems(parse_xml(rss), "http://x/feed/")
    assert "channel <description> missing or empty" in problems
    assert any("neither <title> nor <description>" in problem for problem in problems)
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id><updated>2022-01-20T10:00:00+09:00'
        b"</updated><entry><title>e</title><updated>2022</updated></entry></feed>"
    )
    problems = atom_problems(parse_xml(atom), "http://x/feed/")
    assert "entry 0: needs exactly one non-empty atom:id, has 0" in problems
    assert "entry 0: no atom:author, and the feed has none" in problems
    assert "entry 0: updated '2022' is not RFC 3339" in problems


@pytest.mark.parametrize("url", ["/feeds/tokyo-cio-forum/rss/", "/feeds/tokyo-cio-forum/atom/"])
def test_forum_feed_lists_only_that_forums_parts_and_is_named_after_it(client, series, url):
    feed = read(client, url)
    assert feed.feed.title == "東京都・区市町村CIOフォーラム"
    assert feed.feed.link == f"{SITE}/forums/tokyo-cio-forum/"
    assert [entry.title for entry in feed.entries] == [series.part2.title, series.part1.title]


@pytest.mark.parametrize("url", FEEDS)
def test_drafts_and_scheduled_parts_never_appear(client, series, url):
    body = client.get(url).content.decode()
    assert series.draft.title not in body
    assert series.scheduled.title not in body
    assert series.scheduled.get_absolute_url() not in body


def test_unknown_forum_has_no_feed(client, series):
    assert client.get("/feeds/no-such-forum/rss/").status_code == 404
    assert client.get("/feeds/no-such-forum/atom/").status_code == 404


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_item_id_stays_the_same_when_title_and_slug_are_edited(client, series, url):
    before = {entry.link: entry.id for entry in read(client, url).entries}
    old_id = before[f"{SITE}{series.part2.get_absolute_url()}"]
    assert old_id.startswith("tag:")
    series.part2.title = "町田市×都CIO座談会 後編(改題)"
    series.part2.slug = "machida-cio-roundtable-part2"
    series.part2.save()
    after = {entry.title: entry.id for entry in read(client, url).entries}
    assert after["町田市×都CIO座談会 後編(改題)"] == old_id
    assert len(set(after.values())) == len(series.published)


def test_dates_are_japan_time_with_the_plus_nine_offset(client, series):
    rss = client.get("/feeds/rss/").content.decode()
    assert "<pubDate>Thu, 20 Jan 2022 10:00:00 +0900</pubDate>" in rss
    atom = client.get("/feeds/atom/").content.decode()
    assert "<published>2022-01-20T10:00:00+09:00</published>" in atom
    updated = re.findall(r"<updated>([^<]+)</updated>", atom)
    assert updated and all(value.endswith("+09:00") for value in updated)


def test_atom_updated_follows_the_last_edit(client, series, time_machine):
    def part1_entry():
        return next(e for e in read(client, "/feeds/atom/").entries if e.title == series.part1.title)

    entry = part1_entry()
    assert (entry.published, entry.updated) == ("2022-01-13T10:00:00+09:00", "2025-06-02T12:00:00+09:00")
    time_machine.move_to("2025-06-02 15:30:00+09:00", tick=False)
    series.part1.lead = "前半です(修正)。"
    series.part1.save()
    entry = part1_entry()
    assert entry.published == "2022-01-13T10:00:00+09:00"
    assert entry.updated == "2025-06-02T15:30:00+09:00"


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_language_categories_and_self_link(client, series, url):
    feed = read(client, url)
    assert feed.feed.language == "ja"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [f"{SITE}{url}"]
    assert [tag.term for tag in feed.entries[1].tags] == ["東京都・区市町村CIOフォーラム", "町田市", "東京都"]


class _SpeakerLabels(HTMLParser):
    """Visible texts of <p class="speaker"> on the public page.

    The page's label is a link and the turn's permalink and copy button (icons, aria-hidden
    SVG): the latter are no part of the printed label, and hold no text anyway.
    """

    def __init__(self):
        super().__init__()
        self.labels, self._inside, self._hidden_depth = [], False, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p" and attrs.get("class") == "speaker":
            self._inside = True
            self.labels.append("")
        elif self._inside and (
            self._hidden_depth or "visually-hidden" in (attrs.get("class") or "") or "aria-hidden" in attrs
        ):
            self._hidden_depth += 1

    def handle_data(self, data):
        if self._inside and not self._hidden_depth:
            self.labels[-1] += data

    def handle_endtag(self, tag):
        if tag == "p":
            self._inside, self._hidden_depth = False, 0
        elif self._hidden_depth:
            self._hidden_depth -= 1


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_full_article_prints_speaker_labels_as_the_page_does(client, series, url):
    page = _SpeakerLabels()
    page.feed(client.get(series.part2.get_absolute_url()).content.decode())
    assert page.labels[0] == FUKAI_FIRST_LABEL and page.labels[2] == "深井"
    content = read(client, url).entries[1].content[0].value
    feed_labels = re.findall(r"<p>([^<]*)</p>\s*<div><p>", content)
    assert feed_labels == page.labels


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_full_article_has_absolute_urls_and_no_unsafe_markup(client, series, url):
    turn = SpeakerTurn.objects.filter(section__article=series.part2).first()
    # Stored HTML is sanitised on save; the feed sanitises again, whatever is stored
    # (the feed shows display_html, body_html with its line breaks: readings).
    unsafe = '<p onclick="steal()">危険<script>alert(1)</script><img src="x.png" onerror="alert(2)"></p>'
    unsafe += '<a href="javascript:alert(3)">罠</a>'
    SpeakerTurn.objects.filter(pk=turn.pk).update(body_html=unsafe, display_html=unsafe)
    content = read(client, url).entries[1].content[0].value
    assert "<script" not in content and "onclick" not in content and "onerror" not in content
    assert "javascript:" not in content
    urls = re.findall(r'(?:href|src)="([^"]*)"', content)
    assert urls and all(u.startswith(f"{SITE}/") for u in urls), urls
    assert f"{SITE}/recruit/" in urls
    assert f"{SITE}{series.part2.header_image.url}" in urls
    assert f"{SITE}/articles/machida-part2/x.png" in urls


@pytest.mark.parametrize("url", FEEDS)
def test_every_link_uses_the_site_url_whatever_host_the_request_names(client, series, settings, url):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    body = client.get(url, HTTP_HOST="evil.example").content.decode()
    assert "evil.example" not in body
    feed = feedparser.parse(body)
    links = [
        feed.feed.link,
        *(link.href for link in feed.feed.links),
        *(entry.link for entry in feed.entries),
        *(enclosure.href for entry in feed.entries for enclosure in entry.enclosures),
    ]
    assert all(link.startswith(f"{SITE}/") for link in links), links


def test_control_characters_pasted_from_a_word_processor_do_not_break_the_feed(client, series):
    series.part2.title = "町田市×都CIOの座談会\x0bpart2"
    series.part2.save()
    SpeakerTurn.objects.filter(section__article=series.part2).update(
        body_html="<p>改ページ\x0cの後</p>", display_html="<p>改ページ\x0cの後</p>"
    )
    for url in FEEDS:
        parse_xml(client.get(url).content)
        assert "町田市×都CIOの座談会part2" in [entry.title for entry in read(client, url).entries]


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_titles_with_markup_characters_read_as_plain_text(client, series, url):
    series.part1.title = "A&B <特集> 座談会"
    series.part1.save()
    assert read(client, url).entries[2].title == "A&B <特集> 座談会"


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/tokyo-cio-forum/atom/"])
def test_the_sample_article_reads_in_a_feed_as_published(client, demo, url):
    entry = read(client, url).entries[0]
    assert entry.title == "町田市×都CIOの座談会を実施しました!part2"
    assert entry.author == "猪ノ口 渉"
    assert entry.enclosures[0].type == "image/png"
    content = entry.content[0].value
    assert content.count("東京都デジタルサービス局戦略部長:深井(以下「深井」)") == 1
    assert "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐):高橋(以下「高橋」)" in content
    assert "執筆者:猪ノ口 渉(デジタルサービス局戦略部戦略課)" in content


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_titles_and_categories_are_escaped_exactly_once_and_never_carry_markup(client, series, url):
    from participants.models import Organisation

    hostile = '<b onmouseover="x()">太字</b> &amp; 座談会'
    series.part1.title = hostile
    series.part1.save()
    Organisation.objects.filter(name="東京都").update(name="<i>東京都</i> & 区")
    root = parse_xml(client.get(url).content)
    atom = "{http://www.w3.org/2005/Atom}"
    items = root.findall("channel/item") or root.findall(f"{atom}entry")
    titles = [item.find("title") if item.find("title") is not None else item.find(f"{atom}title") for item in items]
    assert hostile in [title.text for title in titles]  # as typed: escaped once, read back once
    assert all(len(title) == 0 and title.get("type") in (None, "text") for title in titles)  # no child elements
    terms = [
        c.text if c.text else c.get("term")
        for item in items
        for c in item.findall("category") + item.findall(f"{atom}category")
    ]
    assert "<i>東京都</i> & 区" in terms
    assert all(len(c) == 0 for item in items for c in item.findall("category") + item.findall(f"{atom}category"))
