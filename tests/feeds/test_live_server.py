"""Real clients on a live server (127.0.0.1): newsboat (Debian package) and a bare HTTP client."""

import http.client
import os
import shutil
import sqlite3
import subprocess
from urllib.parse import urlsplit

import pytest

from tests.support.feed_series import PART1_TITLE, PART2_TITLE, build_series

FEED_PATHS = ["/feeds/rss/", "/feeds/atom/", "/feeds/tokyo-cio-forum/rss/", "/feeds/tokyo-cio-forum/atom/"]


@pytest.fixture
def server(live_server, transactional_db, settings):
    """The live server's address, which is also the site's public address (SITE_URL)."""
    settings.SITE_URL = f"http://127.0.0.1:{urlsplit(live_server.url).port}"
    return settings.SITE_URL


def newsboat_reload(url, folder):
    """Run `newsboat -x reload` on one feed with HOME in `folder`; return the items it stored.

    One cache per feed: newsboat keeps an item once per GUID, and the RSS and Atom feeds
    rightly give a part the same GUID.
    """
    newsboat = shutil.which("newsboat")
    if newsboat is None:
        pytest.fail("newsboat is not installed: run `.ci/install-test-tools` (Debian package newsboat).")
    folder.mkdir()
    (folder / "urls").write_text(f"{url}\n", encoding="utf-8")
    cache = folder / "cache.db"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "dumb",
    }
    result = subprocess.run(
        [newsboat, "-u", str(folder / "urls"), "-c", str(cache), "-x", "reload"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"newsboat failed ({result.returncode}): {result.stdout}\n{result.stderr}"
    with sqlite3.connect(cache) as db:
        return db.execute(
            "SELECT title, url, author FROM rss_item WHERE feedurl = ? ORDER BY pubDate DESC", [url]
        ).fetchall()


def test_newsboat_stores_every_published_part_with_its_japanese_title_intact(server, tmp_path):
    series = build_series()
    site = [(part.title, f"{server}{part.get_absolute_url()}") for part in series.published]
    forum = [(PART2_TITLE, f"{server}/articles/machida-part2/"), (PART1_TITLE, f"{server}/articles/machida-part1/")]
    for index, (path, expected) in enumerate(zip(FEED_PATHS, [site, site, forum, forum])):
        items = newsboat_reload(f"{server}{path}", tmp_path / f"reader{index}")
        assert [(title, link) for title, link, _ in items] == expected, path
        assert dict((title, author) for title, _, author in items)[PART2_TITLE] == "猪ノ口 渉", path


@pytest.mark.parametrize("path", FEED_PATHS)
def test_conditional_get_over_the_wire_gets_304_with_no_body(server, path):
    build_series()
    connection = http.client.HTTPConnection("127.0.0.1", urlsplit(server).port, timeout=30)
    try:
        connection.request("GET", path)
        first = connection.getresponse()
        body = first.read()
        assert first.status == 200 and "町田市×都CIO".encode() in body
        assert int(first.getheader("Content-Length")) == len(body)
        connection.request("GET", path, headers={"If-None-Match": first.getheader("ETag")})
        again = connection.getresponse()
        assert again.status == 304
        assert again.read() == b""
        assert again.getheader("ETag") == first.getheader("ETag")
    finally:
        connection.close()
