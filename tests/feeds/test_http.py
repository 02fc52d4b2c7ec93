"""Feeds over HTTP as readers expect: content types, caching headers, 304s, scheduled parts,
and a number of queries that does not grow with the number of parts."""

import datetime
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import SpeakerTurn
from participants.models import Organisation
from tests.support.factories import make_long_article, make_role, make_roundtable
from tests.support.feed_series import NOW
from tests.support.images import image_file

CACHE_CONTROL = "public, max-age=0, s-maxage=60, stale-while-revalidate=60"
FEEDS = ["/feeds/rss/", "/feeds/atom/", "/feeds/tokyo-cio-forum/rss/", "/feeds/tokyo-cio-forum/atom/"]


def titles(response):
    return [entry.title for entry in feedparser.parse(response.content).entries]


@pytest.mark.parametrize(
    "url, content_type",
    [
        ("/feeds/rss/", "application/rss+xml; charset=utf-8"),
        ("/feeds/atom/", "application/atom+xml; charset=utf-8"),
        ("/feeds/tokyo-cio-forum/rss/", "application/rss+xml; charset=utf-8"),
        ("/feeds/tokyo-cio-forum/atom/", "application/atom+xml; charset=utf-8"),
    ],
)
def test_feed_is_served_with_its_type_charset_and_caching_headers(client, series, url, content_type):
    response = client.get(url)
    assert response["Content-Type"] == content_type
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert response["ETag"].startswith('"')
    assert response["Cache-Control"] == CACHE_CONTROL
    # The time of the last change of public content: every part was saved at NOW (12:00 JST).
    assert parsedate_to_datetime(response["Last-Modified"]) >= NOW


@pytest.mark.parametrize("url", FEEDS)
def test_conditional_get_with_the_last_etag_gets_304_without_a_body(client, series, url):
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == CACHE_CONTROL
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304 and by_date.content == b""


@pytest.mark.parametrize("url", FEEDS)
def test_after_an_edit_the_old_etag_gets_200_with_the_new_content(client, series, url):
    etag = client.get(url)["ETag"]
    turn = SpeakerTurn.objects.filter(section__article=series.part2, speaker__isnull=True).get()
    turn.body = "―本日は貴重なお時間をいただき、ありがとうございました!"
    turn.save()  # a turn edited on its own: the part's own row does not change
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    # The feed's HTML (escaped) carries the <wbr> between phrases (readings).
    assert "本日は貴重なお時間をいただき" in response.content.decode().replace("&lt;wbr&gt;", "")
    assert response["ETag"] != etag

    series.part2.title = "町田市×都CIO座談会 後編"
    series.part2.save()
    response = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert response.status_code == 200
    assert "町田市×都CIO座談会 後編" in titles(response)


@pytest.mark.parametrize("url", FEEDS)
def test_scheduled_part_appears_by_itself_once_its_time_has_come(client, series, url, time_machine):
    series.scheduled.publish_at = NOW + datetime.timedelta(minutes=30)
    series.scheduled.save()
    time_machine.move_to(NOW + datetime.timedelta(minutes=29), tick=False)
    before = client.get(url)
    assert series.scheduled.title not in titles(before)

    time_machine.move_to(NOW + datetime.timedelta(minutes=31), tick=False)
    after = client.get(url, headers={"If-None-Match": before["ETag"], "If-Modified-Since": before["Last-Modified"]})
    assert after.status_code == 200
    assert titles(after)[0] == series.scheduled.title


def test_a_feed_without_parts_keeps_its_etag_as_time_passes(client, db, time_machine):
    time_machine.move_to(NOW, tick=False)
    make_roundtable()
    for url in ["/feeds/rss/", "/feeds/atom/"]:
        first = client.get(url)
        assert titles(first) == []
        time_machine.shift(datetime.timedelta(hours=1))
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304, url


def test_feeds_answer_only_get_and_head(client, series):
    assert client.head("/feeds/rss/").status_code == 200
    assert client.post("/feeds/rss/").status_code == 405


def test_feed_holds_the_50_newest_parts_newest_first(client, db, time_machine):
    time_machine.move_to(NOW, tick=False)
    roundtable = make_roundtable()
    parts = []
    for index in range(52):
        part = make_long_article(1, roundtable=make_roundtable(roundtable.forum))
        part.publish_at = NOW - datetime.timedelta(days=index)
        part.save()
        parts.append(part)
    for url in ["/feeds/rss/", "/feeds/atom/", f"/feeds/{roundtable.forum.slug}/rss/"]:
        assert titles(client.get(url)) == [part.title for part in parts[:50]]


def _add_parts(count, forum):
    """Parts as real as the sample: header image, 4 speakers with roles, 2 sections, figures, credits."""
    for _ in range(count):
        part = make_long_article(30, roundtable=make_roundtable(forum))
        part.header_image = image_file((64, 36), "navy", name="header.png")
        part.header_image_alt = "座談会の様子"
        part.save()
        for index, participant in enumerate(part.roundtable.participants.all()):
            participant.organisation = Organisation.objects.get_or_create(name=f"団体{index}")[0]
            participant.save()
            participant.roles.set([make_role("CIO", 1), make_role("CDO", 2)])


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/", "/feeds/{slug}/rss/", "/feeds/{slug}/atom/"])
def test_queries_do_not_grow_with_the_number_of_parts_or_turns(client, db, url, time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.PAGE_CACHE = False  # the feed built on every request, as on a cache miss
    forum = make_roundtable().forum
    url = url.format(slug=forum.slug)

    def count_queries(expected_items):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(titles(response)) == expected_items
        return len(queries), [query["sql"] for query in queries.captured_queries]

    _add_parts(5, forum)
    made_five, _ = count_queries(5)  # renders the 5 parts' content and stores it (articles.renditions)
    five, _ = count_queries(5)
    _add_parts(35, forum)
    made_forty, made_sql = count_queries(40)  # the 35 new ones
    forty, sql = count_queries(40)
    assert forty == five, "\n".join(sql)
    # The parts with their stored content, which participants are public appearances, the
    # forum for a forum's feed, the content version (forum.page_cache).
    assert forty <= 4, "\n".join(sql)
    body_tables = ('SELECT "articles_section"', 'SELECT "articles_speakerturn"', 'SELECT "articles_figure"')
    assert not [query for query in sql if query.startswith(body_tables)]
    # Parts without current stored content are rendered together, in the same queries for 5
    # or 35 of them, and each is stored with one UPDATE.
    assert made_forty - 35 == made_five - 5, "\n".join(made_sql)
