"""The open data API: response time and SQL queries of a page of 10 and of 100 speech
records (JSON and CSV, with and without filters), of a 304, and the time of the bulk export.

    .venv/bin/python bench/open_data_api.py
"""

from harness import benchmark_database, measure, report  # noqa: I001

import tempfile
import time

from django.conf import settings
from django.test import Client

from articles.api import bulk
from articles.search.index import rebuild as rebuild_search_index
from tests.support.factories import make_forum, make_long_article, make_participant, make_roundtable

PARTS = 20
TURNS_PER_PART = 100  # 2,000 public turns

with benchmark_database():
    settings.API_RATE_LIMIT = "off"
    client = Client()
    forum = make_forum(slug="bench-forum")
    for number in range(1, PARTS + 1):
        roundtable = make_roundtable(forum, number=number)
        speakers = [
            make_participant(
                roundtable,
                name=f"話者{i} 太郎",
                posts=(f"部長{i}",),
                roles=("CIO",) if i == 0 else (),
                label=f"話者{i}",
            )
            for i in range(4)
        ]
        make_long_article(TURNS_PER_PART, speakers=speakers, roundtable=roundtable)
    rebuild_search_index()  # make_long_article bulk-creates turns, without the index's signals
    rows = []
    for label, query in [
        ("10 records", "maximumRecords=10"),
        ("100 records", "maximumRecords=100"),
        ("100, from record 1,801", "maximumRecords=100&startRecord=1801"),
        ("100, CSV", "maximumRecords=100&format=csv"),
        ("100, speaker", "maximumRecords=100&speaker=話者1"),
        ("100, speakerPosition", "maximumRecords=100&speakerPosition=部長2"),
        ("100, speakerRole", "maximumRecords=100&speakerRole=CIO"),
        ("100, any", "maximumRecords=100&any=発言その1"),
    ]:
        url = f"/api/v1/speeches?{query}"
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        median, best, queries = measure(lambda: client.get(url), repeat=7)
        cached, _, _ = measure(lambda: client.get(url, headers={"If-None-Match": response["ETag"]}), repeat=3)
        rows.append(
            (label, f"{len(response.content) / 1024:.0f}", queries, f"{median:.1f}", f"{best:.1f}", f"{cached:.1f}")
        )
    report(
        f"/api/v1/speeches, {PARTS * TURNS_PER_PART} public turns",
        rows,
        ["page", "KiB", "queries", "median ms", "min ms", "304 median ms"],
    )

    other = []
    for url in ("/api/v1/roundtables?maximumRecords=20", "/api/v1/people?maximumRecords=80"):
        median, best, queries = measure(lambda: client.get(url), repeat=5)
        other.append((url, queries, f"{median:.1f}", f"{best:.1f}"))
    report("Other endpoints", other, ["url", "queries", "median ms", "min ms"])

    with tempfile.TemporaryDirectory() as directory:
        start = time.perf_counter()
        manifest = bulk.export(directory)
        seconds = time.perf_counter() - start
    sizes = ", ".join(f"{f['name']} {f['bytes'] / 1024:.0f} KiB" for f in manifest["files"])
    print(f"\nexport_open_data: {PARTS * TURNS_PER_PART} turns in {seconds:.1f} s ({sizes})")
