"""Benchmark: the site feeds with 50 full parts, as a feed reader polls them.

    .venv/bin/python bench/feeds.py [--parts 50] [--turns 60] [--runs 20]

Builds the parts in a throw-away test database (SQLite in memory by default, or the test
database of DATABASE_URL), then prints, for RSS and Atom: the size of the feed, the SQL
queries per request, and the median and slowest time of a full 200 response and of a
conditional GET answered 304.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def timed(client, url, runs, **headers):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
    return response, statistics.median(times), max(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=50)
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    settings.DEBUG = False  # as in production: no query log kept
    test_db = connection.creation.create_test_db(verbosity=0)
    try:
        from tests.factories import make_forum, make_long_article, make_roundtable

        forum = make_forum()
        for _ in range(args.parts):
            make_long_article(args.turns, roundtable=make_roundtable(forum))
        client = Client()
        connection.queries_log.clear()
        print(f"feeds: {args.parts} parts x {args.turns} turns, {args.runs} runs, {connection.vendor}")
        for url in ("/feeds/rss/", "/feeds/atom/"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            query_count = len(queries)
            full, full_median, full_max = timed(client, url, args.runs)
            not_modified, cond_median, cond_max = timed(client, url, args.runs, if_none_match=full["ETag"])
            assert full.status_code == 200 and not_modified.status_code == 304
            print(f"{url:14} {len(response.content) / 1024:8.0f} KiB  {query_count:2} queries  "
                  f"200: median {full_median:6.1f} ms, max {full_max:6.1f} ms  "
                  f"304: median {cond_median:6.1f} ms, max {cond_max:6.1f} ms")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
