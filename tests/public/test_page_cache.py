"""Public pages and feeds from the cache and over HTTP caching, never stale.

Every edit an editor can make (a turn, a title, a person's name, a participant's roles,
publishing, unpublishing, deleting) shows on the next request; a scheduled part appears on
time with no job; a 304 is answered without rendering; admin and preview are never cached
for a CDN; a Redis that does not answer leaves the site serving.
"""

import datetime
import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleStatus, SpeakerTurn
from forum import page_cache
from forum.page_cache import forget_local_pages
from tests.support.factories import make_article, make_long_article, make_role, make_roundtable
from tests.support.forms import form_data
from tests.support.line_breaks import without_line_breaks

CDN_HEADER = "public, max-age=0, s-maxage=60, stale-while-revalidate=60"


@pytest.fixture
def part(db):
    return make_long_article(12)


def public_urls(article):
    roundtable = article.roundtable
    person = roundtable.participants.first().person
    return [
        "/",
        roundtable.forum.get_absolute_url(),
        roundtable.get_absolute_url(),
        article.get_absolute_url(),
        person.get_absolute_url(),
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/{roundtable.forum.slug}/atom/",
        "/sitemap.xml",
    ]


class Rendered:
    """Counts templates rendered while it is active (Django's test signal)."""

    def __init__(self):
        self.count = 0

    def __enter__(self):
        template_rendered.connect(self._seen)
        return self

    def __exit__(self, *exc):
        template_rendered.disconnect(self._seen)

    def _seen(self, **kwargs):
        self.count += 1


def test_public_pages_carry_validators_and_cdn_friendly_cache_control(client, part):
    for url in public_urls(part):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["ETag"].startswith('"'), url
        assert response["Last-Modified"].endswith(" GMT"), url
        assert response["Cache-Control"] == CDN_HEADER, url


def test_a_conditional_get_gets_304_without_rendering_or_loading_content(client, part):
    for url in public_urls(part):
        first = client.get(url)
        with Rendered() as rendered, CaptureQueriesContext(connection) as queries:
            by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
            by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
        assert by_etag.status_code == 304 and by_etag.content == b"", url
        assert by_date.status_code == 304 and by_date.content == b"", url
        assert by_etag["ETag"] == first["ETag"] and by_etag["Cache-Control"] == CDN_HEADER
        assert rendered.count == 0, url
        # The content version only (one query each: the cache is this process's memory).
        assert len(queries) == 2, [q["sql"] for q in queries]


@pytest.mark.parametrize("page_cache", [True, False], ids=["cache emptied", "PAGE_CACHE off"])
def test_a_304_renders_no_page_and_builds_no_feed_even_when_nothing_is_cached(client, part, settings, page_cache):
    """A 304 costs nothing: not served from a cached copy but answered before the view runs,
    whatever the cache holds (issue 12: a feed's 304 used to render the whole feed first)."""
    from django.contrib.syndication.views import Feed

    settings.PAGE_CACHE = page_cache
    written = []
    original_write = Feed.get_feed  # builds the whole feed: items, their content, the XML generator

    def counting_write(feed, *args, **kwargs):
        written.append(type(feed).__name__)
        return original_write(feed, *args, **kwargs)

    urls = {"part": part.get_absolute_url(), "rss": "/feeds/rss/", "atom": f"/feeds/{part.roundtable.forum.slug}/atom/"}
    validators = {}
    for name, url in urls.items():
        first = client.get(url)
        assert first.status_code == 200
        validators[name] = first["ETag"], first["Last-Modified"]
    caches["default"].clear()
    forget_local_pages()
    Feed.get_feed = counting_write
    try:
        with Rendered() as rendered, CaptureQueriesContext(connection) as queries:
            for name, url in urls.items():
                etag, modified = validators[name]
                assert client.get(url, headers={"If-None-Match": etag}).status_code == 304, url
                assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304, url
    finally:
        Feed.get_feed = original_write
    assert written == [] and rendered.count == 0
    assert len(queries) == 2 * len(urls), [q["sql"] for q in queries]  # the content version, nothing else
    # The counters count: the same requests without validators render and write.
    Feed.get_feed = counting_write
    try:
        with Rendered() as rendered:
            for url in urls.values():
                caches["default"].clear()
                forget_local_pages()
                assert client.get(url).status_code == 200
    finally:
        Feed.get_feed = original_write
    assert sorted(written) == ["ArticleAtomFeed", "ArticleRssFeed"] and rendered.count > 0


def test_a_page_served_again_comes_from_the_cache_with_the_same_bytes(client, part):
    for url in public_urls(part):
        first = client.get(url)
        with Rendered() as rendered, CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert again.content == first.content, url
        assert again["Content-Type"] == first["Content-Type"]
        assert again["ETag"] == first["ETag"]
        assert rendered.count == 0 and len(queries) == 1, url


def test_page_parameter_makes_its_own_entry_other_parameters_do_not(client, db):
    roundtable = make_long_article(1).roundtable
    for number in range(100_001, 100_024):
        make_article(make_roundtable(roundtable.forum, number=number))
    url = roundtable.forum.get_absolute_url()
    first, second = client.get(url), client.get(url + "?page=2")
    assert first.content != second.content
    assert client.get(url + "?utm_source=x").content == first.content
    assert client.get(url + "?page=9").status_code == 404


def edits(part):
    """(description, edit, text that must then show on the part page or its feed)."""
    turn = SpeakerTurn.objects.filter(section__article=part).first()
    participant = part.roundtable.participants.first()

    def edit_turn():
        turn.body = "今日から新しい制度が始まります。"
        turn.save()

    def edit_title():
        part.title = "新しいタイトルの座談会"
        part.save()

    def rename_person():
        participant.person.name = "改名 太郎"
        participant.person.save()

    def add_role():
        participant.roles.add(make_role("CISO補佐", 3))

    return [
        ("a turn saved on its own", edit_turn, "今日から新しい制度が始まります。"),
        ("the part's title", edit_title, "新しいタイトルの座談会"),
        ("a person's name", rename_person, "改名 太郎"),
        ("a participant's roles", add_role, "CISO補佐"),
    ]


def test_every_kind_of_edit_shows_on_the_next_request(client, part):
    url = part.get_absolute_url()
    for description, edit, expected in edits(part):
        before = client.get(url)
        assert expected not in without_line_breaks(before.content.decode()), description
        edit()
        after = client.get(url, headers={"If-None-Match": before["ETag"]})
        assert after.status_code == 200, description
        assert expected in without_line_breaks(after.content.decode()), description
        assert after["ETag"] != before["ETag"], description


def test_unpublishing_and_deleting_take_the_part_off_every_page_at_once(client, part):
    other = make_long_article(3)
    urls = ["/", "/feeds/rss/", "/sitemap.xml"]
    for url in urls:
        assert part.slug in client.get(url).content.decode()
    assert client.get(part.get_absolute_url()).status_code == 200
    part.status = ArticleStatus.DRAFT
    part.save()
    assert client.get(part.get_absolute_url()).status_code == 404
    for url in urls:
        assert part.slug not in client.get(url).content.decode(), url
    assert other.slug in client.get("/").content.decode()
    other_url = other.get_absolute_url()
    assert client.get(other_url).status_code == 200
    Article.objects.get(pk=other.pk).sections.all().delete()
    assert "発言その0です" not in client.get(other_url).content.decode()


def test_a_scheduled_part_appears_exactly_at_its_time_without_a_job(client, db, time_machine):
    now = timezone.now().replace(microsecond=0)
    time_machine.move_to(now, tick=False)
    shown = make_long_article(2)
    scheduled = make_long_article(2, roundtable=make_roundtable(shown.roundtable.forum, title="予約の座談会"))
    scheduled.publish_at = now + datetime.timedelta(minutes=10)
    scheduled.save()
    urls = ["/", shown.roundtable.forum.get_absolute_url(), "/feeds/rss/"]
    before = {url: client.get(url) for url in urls}
    for url, response in before.items():
        assert scheduled.title not in response.content.decode(), url
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    time_machine.move_to(now + datetime.timedelta(minutes=10) - datetime.timedelta(seconds=1), tick=False)
    for url, response in before.items():
        assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304, url

    time_machine.move_to(now + datetime.timedelta(minutes=10), tick=False)
    for url, response in before.items():
        after = client.get(url, headers={"If-None-Match": response["ETag"]})
        assert after.status_code == 200, url
        assert scheduled.title in after.content.decode(), url
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_saving_a_part_in_the_admin_makes_one_new_version_and_shows_at_once(editor_client, part):
    url = part.get_absolute_url()
    old = editor_client.get(url)
    change = f"/admin/articles/article/{part.pk}/change/"
    data = form_data(editor_client.get(change).text, "article_form")
    data["title"] = "管理画面で直したタイトル"
    first_body = sorted(name for name in data if name.endswith("-body"))[0]
    data[first_body] = "管理画面で直した発言。"
    with CaptureQueriesContext(connection) as queries:
        assert editor_client.post(change, data).status_code == 302
    updates = [q for q in queries if q["sql"].startswith('UPDATE "forum_contentversion"')]
    assert len(updates) == 1
    new = editor_client.get(url, headers={"If-None-Match": old["ETag"]})
    assert new.status_code == 200
    assert "管理画面で直したタイトル" in new.content.decode()
    assert "管理画面で直した発言。" in without_line_breaks(new.content.decode())


def test_admin_and_preview_are_never_cached_for_a_cdn(editor_client, part):
    for url in ["/admin/", f"/admin/articles/article/{part.pk}/change/", f"/articles/preview/{part.pk}/"]:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert "public" not in response.get("Cache-Control", ""), url
        assert "s-maxage" not in response.get("Cache-Control", ""), url
        assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"], url
        assert "ETag" not in response


def test_a_page_made_by_other_code_is_never_served_after_a_deploy(client, part, monkeypatch):
    url = part.get_absolute_url()
    first = client.get(url)
    monkeypatch.setattr(page_cache, "RELEASE", "another-release")
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


# --- Redis ------------------------------------------------------------------------------------


def redis_cache(location, prefix):
    return {
        "default": {
            "BACKEND": "forum.cache_backends.FailOpenRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_settings(settings):
    """This test's own key prefix in the shared Redis at 127.0.0.1:6379; its keys are deleted after."""
    prefix = f"rt-caching-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = redis_cache("redis://127.0.0.1:6379/0", prefix)
    yield settings
    caches["default"].clear()  # this prefix's keys only (FailOpenRedisCache.clear)


def test_with_redis_a_cached_page_costs_no_query_and_edits_still_show(client, transactional_db, redis_settings):
    part = make_long_article(5)
    url = part.get_absolute_url()
    first = client.get(url)
    assert caches["default"].get(page_cache.VERSION_KEY).token in first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
        not_modified = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.content == first.content and not_modified.status_code == 304
    assert len(queries) == 0, [q["sql"] for q in queries]
    part.title = "Redisでも古くならないタイトル"
    part.save()
    assert "Redisでも古くならないタイトル" in client.get(url).content.decode()


def test_with_redis_a_304_fetches_the_version_only_and_a_stale_validator_gets_the_cached_page(
    client, transactional_db, redis_settings, monkeypatch
):
    """A feed's bytes can be megabytes: a matching conditional request must not move them out of
    Redis; one that does not match is still served from the cache, not rendered."""
    part = make_long_article(5)
    url = "/feeds/rss/"
    first = client.get(url)
    backend = caches["default"]
    fetched = []
    for name in ("get", "get_many"):
        original = getattr(backend, name)

        def counting(keys, *args, _original=original, **kwargs):
            fetched.extend([keys] if isinstance(keys, str) else list(keys))
            return _original(keys, *args, **kwargs)

        monkeypatch.setattr(backend, name, counting)
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert fetched == [page_cache.VERSION_KEY]
    from django.contrib.syndication.views import Feed

    built = []
    monkeypatch.setattr(Feed, "get_feed", lambda *args, **kwargs: built.append(args))
    stale = client.get(url, headers={"If-None-Match": '"an-old-version"'})
    assert stale.status_code == 200 and stale.content == first.content and built == []
    assert part.title in stale.content.decode()


def test_redis_keeps_other_keys_when_this_site_clears_its_own(transactional_db, redis_settings):
    import redis

    other = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    other_key = f"someone-else-{uuid.uuid4().hex}"
    other.set(other_key, "theirs", ex=60)
    try:
        caches["default"].set("mine", "ours")
        caches["default"].clear()
        assert caches["default"].get("mine") is None
        assert other.get(other_key) == b"theirs"
    finally:
        other.delete(other_key)


def test_a_redis_outage_never_shows_an_error_page(client, editor, transactional_db, settings, caplog):
    # Nothing listens on port 1: every Redis call fails at once.
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0", "rt-caching-down")
    part = make_long_article(5)
    for url in public_urls(part):
        response = client.get(url)
        assert response.status_code == 200, url
    url = part.get_absolute_url()
    first = client.get(url)
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    client.force_login(editor)
    change = f"/admin/articles/article/{part.pk}/change/"
    data = form_data(client.get(change).text, "article_form")
    data["title"] = "Redisが止まっていても保存できる"
    assert client.post(change, data).status_code == 302
    client.logout()
    assert "Redisが止まっていても保存できる" in client.get(url).content.decode()
    assert "Redis cache unavailable" in caplog.text
