"""How the feeds scale with the number of full parts in them: size, SQL queries, time of a
200 and of a conditional GET answered 304 (the ETag is a hash of the body, so a 304 still
renders the feed: it saves the reader's bandwidth, not the server's time).

    .venv/bin/python bench/feeds.py
"""

from harness import benchmark_database, measure, report  # noqa: I001

from django.test import Client

from tests.support.factories import make_forum, make_long_article, make_roundtable

PART_COUNTS = [5, 20, 50]
TURNS_PER_PART = 60

with benchmark_database():
    client = Client()
    forum = make_forum()
    rows = []
    for parts in PART_COUNTS:
        while forum.roundtables.count() < parts:
            make_long_article(TURNS_PER_PART, roundtable=make_roundtable(forum))
        for url in ("/feeds/rss/", "/feeds/atom/"):
            response = client.get(url)
            assert response.status_code == 200
            etag = response["ETag"]
            assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
            full, _, queries = measure(lambda: client.get(url), repeat=5)
            cached, _, _ = measure(lambda: client.get(url, headers={"If-None-Match": etag}), repeat=5)
            rows.append(
                (
                    url,
                    parts,
                    f"{len(response.content) / 1024:.0f}",
                    queries,
                    f"{full:.1f}",
                    f"{cached:.1f}",
                    f"{full / parts:.2f}",
                )
            )
    report(
        f"Feeds, parts of {TURNS_PER_PART} turns (GET)",
        rows,
        ["feed", "parts", "KiB", "queries", "200 median ms", "304 median ms", "ms/part"],
    )
