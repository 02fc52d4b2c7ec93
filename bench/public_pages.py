"""How long the public pages take to render, and how many queries they issue, as content grows.

    .venv/bin/python bench/public_pages.py

Runs on a throwaway in-memory SQLite database (or DATABASE_URL's test database for
PostgreSQL), renders each page through Django's test client, and prints the median of
several runs. Rendition files go to a temporary MEDIA_ROOT.
"""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-media-")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RUNS = 7


def measure(client, url):
    client.get(url)  # warm up (templates, renditions)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries), len(response.content)


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from tests.factories import make_article, make_forum, make_long_article, make_participant, make_roundtable

        client = Client()
        rows = []
        for turns in (10, 100, 500, 2000):
            article = make_long_article(turns)
            rows.append((f"part page, {turns} turns", *measure(client, article.get_absolute_url())))
        for count in (5, 200):
            forum = make_forum()
            for number in range(1, count + 1):
                roundtable = make_roundtable(forum, number=number)
                make_participant(roundtable, name=f"参加者{number} 太郎", organisation=f"団体{number % 7}")
                make_article(roundtable)
            rows.append((f"forum page, {count} roundtables", *measure(client, forum.get_absolute_url())))
        rows.append(("home", *measure(client, "/")))
        rows.append(("sitemap.xml", *measure(client, "/sitemap.xml")))
        print(f"{'page':32} {'median ms':>10} {'queries':>8} {'KiB':>8}")
        for name, ms, queries, size in rows:
            print(f"{name:32} {ms:10.1f} {queries:8d} {size / 1024:8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
