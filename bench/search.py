"""Search at scale: p50/p95 latency of a fixed set of searches, index build time and size.

    .venv/bin/python bench/search.py                      # 1,000,000 turns (slow to generate)
    .venv/bin/python bench/search.py --turns 100000       # smaller
    .venv/bin/python bench/search.py --keep               # keep the database; the next --keep run reuses it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/roundtable .venv/bin/python bench/search.py

A throw-away database (Django's test database of DATABASE_URL; on SQLite the file
var/bench-search.sqlite3) gets the corpus from `manage.py generate_search_corpus`, then
`rebuild_search_index` is timed. Each search is a GET of /search/ through Django's test
client (form, query, page of 20 hits with snippets, template), once to warm up, then --repeat
times: p50/p95 of the wall clock and of the CPU time (harness.CpuClock: this process and its
PostgreSQL backend). A hit count with + is 「1000件以上」. As the production server does
(forum/gunicorn.conf.py), the objects alive after the first request are frozen out of the
garbage collector's full passes (gc.freeze), and the static files are collected into a
temporary STATIC_ROOT for WhiteNoise (harness.collect_static).
"""

import argparse
import gc
import io
import os
import statistics
import time

from harness import ROOT, CpuClock, collect_static  # noqa: F401  (sets up Django)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from articles.models import SpeakerTurn  # noqa: E402
from articles.search.index import rebuild  # noqa: E402
from articles.search.models import SearchEntry  # noqa: E402
from participants.models import Participant  # noqa: E402
from tables import markdown_table, percentile

SQLITE_FILE = ROOT / "var" / "bench-search.sqlite3"


def queries(person_id):
    return [
        ("two characters", {"q": "人材"}),
        ("one character", {"q": "市"}),
        ("one character, no hit", {"q": "庁"}),
        ("long", {"q": "小さな成功事例も共有していく"}),
        ("phrase", {"q": '"窓口のキャッシュレス化"'}),
        ("Latin (full-width)", {"q": "ＯＪＴ"}),
        ("several terms", {"q": "人材 育成 外部"}),
        ("rare", {"q": "量子暗号"}),
        ("filter alone: speaker", {"speaker": person_id}),
        ("filter alone: role", {"role": "CIO"}),
        ("term + role + year", {"q": "人材", "role": "CIO", "year": 2005}),
        ("relevance order", {"q": "人材", "order": "relevance"}),
        ("no hit", {"q": "電子投票端末"}),
    ]


def index_size():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('articles_searchentry')")
            return cursor.fetchone()[0]
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'articles_searchentry%' AND type = 'table'")
        tables = [row[0] for row in cursor.fetchall()]
        try:
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name IN (%s) OR name LIKE 'searchentry_%%'"
                % ",".join("?" * len(tables)),
                tables,
            )
            return cursor.fetchone()[0]
        except Exception:  # dbstat not compiled in: the whole file
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return pages * cursor.fetchone()[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the benchmark database")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the index of a kept database")
    args = parser.parse_args()

    if connection.vendor == "sqlite":
        SQLITE_FILE.parent.mkdir(exist_ok=True)
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(SQLITE_FILE)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep, serialize=False)
    try:
        existing = SpeakerTurn.objects.count()
        if existing != args.turns:
            if existing:
                raise SystemExit(f"the kept database has {existing:,} turns; run without --keep to start again")
            started = time.perf_counter()
            call_command("generate_search_corpus", turns=args.turns, no_index=True, stdout=io.StringIO())
            print(f"corpus: {args.turns:,} turns generated in {time.perf_counter() - started:.0f} s")
        else:
            print(f"corpus: reusing {existing:,} turns")
        if args.rebuild or not SearchEntry.objects.exists():
            started = time.perf_counter()
            rows = rebuild()
            print(f"index build (as rebuild_search_index): {rows:,} rows in {time.perf_counter() - started:.1f} s")
        print(
            f"index size: {index_size() / 2**20:.0f} MiB  [{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}]"
        )

        person_id = Participant.objects.values_list("person_id", flat=True).order_by("person_id").first()
        collect_static()
        client = Client()
        client.get("/search/", {"q": "人材"})  # connects, and loads what Django loads lazily
        # As the production server does after its first request (forum/gunicorn.conf.py): the
        # objects alive now (the app's) are left out of the garbage collector's full passes,
        # which otherwise add 45-70 ms to whichever search they land on.
        gc.collect()
        gc.freeze()
        cpu = CpuClock(connection)
        rows = []
        for name, params in queries(person_id):
            timings, cpu_timings = [], []
            client.get("/search/", params)  # warm: each search is timed in steady state
            for _ in range(args.repeat):
                started, cpu_started = time.perf_counter(), cpu()
                response = client.get("/search/", params)
                timings.append((time.perf_counter() - started) * 1000)
                cpu_timings.append(cpu() - cpu_started)
            assert response.status_code == 200, (name, response.status_code)
            total = response.context["total"] if response.context and "total" in response.context else 0
            exact = response.context["exact"] if response.context and "exact" in response.context else True
            rows.append(
                (
                    name,
                    f"{total:,}" + ("" if exact else "+"),
                    *(f"{percentile(values, q):.1f}" for values in (timings, cpu_timings) for q in (0.5, 0.95)),
                )
            )
        headers = ("search", "hits", "p50 ms", "p95 ms", "CPU p50 ms", "CPU p95 ms")
        print("\n" + markdown_table(headers, rows))
        print(
            f"\nwall clock: median of the p50s {statistics.median(float(r[2]) for r in rows):.1f} ms, "
            f"worst p95 {max(float(r[3]) for r in rows):.1f} ms; CPU (this process + its database backend): "
            f"median of the p50s {statistics.median(float(r[4]) for r in rows):.1f} ms, "
            f"worst p95 {max(float(r[5]) for r in rows):.1f} ms; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
