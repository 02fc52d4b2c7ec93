"""A public page served again comes from this process's own memory (forum.page_cache.LocalPageMiddleware):
the same bytes and the same headers as the long way, never stale, bounded, and the checks every
request must pass (Host, HTTPS) still made.
"""

import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum import page_cache
from forum.page_cache import LOCAL_PAGES, LocalPages, forget_local_pages
from tests.support.factories import make_long_article

from .test_page_cache import Rendered, public_urls, redis_cache


@pytest.fixture
def part(db):
    return make_long_article(12)


def headers_of(response):
    return dict(response.items())


def test_a_page_from_this_process_has_the_same_bytes_and_headers_as_the_long_way(client, part):
    for url in public_urls(part):
        long_way = client.get(url)
        assert len(LOCAL_PAGES) and page_cache._page_key(long_way.wsgi_request) in LOCAL_PAGES, url
        with Rendered() as rendered:
            again = client.get(url)
        assert rendered.count == 0, url
        assert again.content == long_way.content, url
        assert headers_of(again) == headers_of(long_way), url


def test_its_304_has_the_same_headers_as_the_long_way_s(client, part):
    for url in public_urls(part):
        first = client.get(url)
        local = client.get(url, headers={"If-None-Match": first["ETag"]})
        forget_local_pages()
        long_way = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert local.status_code == long_way.status_code == 304, url
        assert local.content == long_way.content == b""
        assert headers_of(local) == headers_of(long_way), url


def test_an_edit_is_seen_at_once_and_a_stale_validator_gets_the_new_page(client, part):
    url = part.get_absolute_url()
    first = client.get(url)
    client.get(url)  # now from this process's memory
    part.title = "この過程の記憶にあっても新しいタイトル"
    part.save()
    with Rendered() as rendered:
        after = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200 and rendered.count > 0
    assert "この過程の記憶にあっても新しいタイトル" in after.content.decode()
    assert after["ETag"] != first["ETag"]
    assert client.get(url).content == after.content


def test_a_change_made_by_another_process_is_seen_on_the_next_request(client, transactional_db, settings):
    """Another app server changes the content: only the shared version (Redis, and the database
    behind it) tells this process; its own copy must not be served a single time after."""
    prefix = f"rt-local-pages-{uuid.uuid4().hex[:12]}"
    settings.CACHES = redis_cache("redis://127.0.0.1:6379/0", prefix)
    try:
        part = make_long_article(5)
        url = part.get_absolute_url()
        first = client.get(url)
        assert client.get(url).content == first.content  # from this process's memory
        # The other process: its UPDATE of the content and of the version, then its copy in Redis.
        from articles.models import Article
        from forum.models import ContentVersion

        Article.objects.filter(pk=part.pk).update(title="別のサーバーで直したタイトル")
        ContentVersion.objects.filter(pk=1).update(token=uuid.uuid4().hex)
        page_cache._publish_version()
        after = client.get(url)
        assert "別のサーバーで直したタイトル" in after.content.decode()
        assert after["ETag"] != first["ETag"]
    finally:
        caches["default"].clear()


def test_with_redis_a_page_from_this_process_reads_the_version_key_only(
    client, transactional_db, settings, monkeypatch
):
    prefix = f"rt-local-pages-{uuid.uuid4().hex[:12]}"
    settings.CACHES = redis_cache("redis://127.0.0.1:6379/0", prefix)
    try:
        part = make_long_article(5)
        url = part.get_absolute_url()
        first = client.get(url)
        backend = caches["default"]
        fetched = []
        for name in ("get", "get_many"):
            original = getattr(backend, name)

            def counting(keys, *args, _original=original, **kwargs):
                fetched.extend([keys] if isinstance(keys, str) else list(keys))
                return _original(keys, *args, **kwargs)

            monkeypatch.setattr(backend, name, counting)
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert again.content == first.content
        assert fetched == [page_cache.VERSION_KEY] and len(queries) == 0
    finally:
        caches["default"].clear()


def test_a_host_not_allowed_is_refused_even_for_a_page_in_memory(client, part):
    url = part.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert client.get(url, headers={"Host": "evil.example"}).status_code == 400


def test_https_redirect_still_comes_first(client, part, settings):
    url = part.get_absolute_url()
    assert client.get(url, secure=True).status_code == 200
    assert client.get(url, secure=True).status_code == 200
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(url)  # a new handler: SecurityMiddleware reads the setting once
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_pages_that_differ_by_reader_are_not_kept(client, part):
    """A response that sets a cookie or varies on it is the long way's every time."""
    from django.http import HttpResponse

    request = client.get(part.get_absolute_url()).wsgi_request
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("sessionid", "abc")
    varies = HttpResponse("x")
    varies["Vary"] = "Accept-Language, Cookie"
    same = page_cache.LocalPageMiddleware._same_for_everyone
    assert same(request, HttpResponse("x"))
    assert not same(request, with_cookie) and not same(request, varies)
    request._csp_nonce = "a-nonce"
    assert not same(request, HttpResponse("x"))


class Page:
    def __init__(self, size):
        self.size = size


def test_the_memory_a_process_keeps_is_bounded_least_recently_used_first():
    pages = LocalPages(max_bytes=1000)
    for name in "abcd":
        pages.put(name, "token", Page(240))
    assert pages.size == 960 and len(pages) == 4
    assert pages.get("a", "token") is not None  # a is now the most recently used
    pages.put("e", "token", Page(240))
    assert "b" not in pages and "a" in pages and pages.size <= 1000
    pages.put("huge", "token", Page(251))  # more than a quarter: not kept
    assert "huge" not in pages
    assert pages.get("a", "new-token") is None  # a new version empties it
    assert len(pages) == 0 and pages.size == 0
