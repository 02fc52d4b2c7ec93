"""The person pages of someone at every roundtable, on bench/production_stack.py's corpus
(10,000 roundtables of one part and 100 turns, 4 speakers each; 常連 花子 speaks at all of
them: 10,000 appearances, 250,000 turns), in-process, uncached (issue #12).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rt_person_scale_bench .venv/bin/python bench/person_pages.py --keep
    .venv/bin/python bench/person_pages.py --parts 1000       # SQLite, smaller
    ... bench/person_pages.py --keep --explain                # and EXPLAIN ANALYZE of each query

The database is Django's test database of DATABASE_URL (on SQLite var/bench-person-pages.sqlite3);
with --keep a corpus left there by an earlier --keep run of the same size is reused (building
1,000,000 turns takes minutes). Each page is a GET through Django's test client with the page
cache off (PAGE_CACHE=False) through bench/stack/urls.py's uncached views (every request renders
from the database, as the first page after a change) and, for two further rows, its not-kept views
(what other pages made for the same content version share is reused), DEBUG off, --repeat times; the table gives p50 wall clock and CPU (harness.CpuClock: this process
and its PostgreSQL backend), the queries of one request, and the slowest of them (its
database time as seen from here, in whole ms: the SQL ms column is their sum, for the request
measured last).
"""

import argparse
import time

from harness import ROOT, CpuClock  # noqa: I001  (sets up Django first)

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse

from articles.models import SpeakerTurn
from participants.models import Person
from participants.views import APPEARANCES_PER_PAGE, TURNS_PER_PAGE
from regular_corpus import FORUM_SLUG, REGULAR, build_corpus
from server import load_average
from tables import markdown_table

SQLITE_FILE = ROOT / "var" / "bench-person-pages.sqlite3"


def timed(get, repeat, cpu):
    get()  # warm
    timings, cpu_timings = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), cpu()
        get()
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append(cpu() - cpu_started)
    with CaptureQueriesContext(connection) as captured:
        response = get()
    return sorted(timings)[len(timings) // 2], sorted(cpu_timings)[len(cpu_timings) // 2], captured, response


def explain(captured):
    for query in captured:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(prefix + sql)
            plan = "\n".join("    " + " ".join(str(c) for c in row) for row in cursor.fetchall())
        print(f"  {query['time']}s  {sql[:3000]}\n{plan}\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", type=int, default=10_000)
    parser.add_argument("--turns-per-part", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the benchmark database")
    parser.add_argument("--explain", action="store_true", help="print each query's plan (EXPLAIN ANALYZE)")
    parser.add_argument("--rows", default="", help="only the pages whose label contains this")
    args = parser.parse_args()

    settings.PAGE_CACHE = False
    # The views themselves (bench/stack/urls.py): uncached, every request renders from the
    # database as the first page after a change; and not-kept, with what pages made for the same
    # content version share.
    override_settings(ROOT_URLCONF="stack.urls").enable()
    if connection.vendor == "sqlite":
        SQLITE_FILE.parent.mkdir(exist_ok=True)
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(SQLITE_FILE)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep, serialize=False)
    try:
        expected = args.parts * (args.turns_per_part // 5 * 5)
        existing = SpeakerTurn.objects.count()
        if existing != expected:
            if existing:
                raise SystemExit(f"the kept database has {existing:,} turns; run without --keep to start again")
            started = time.perf_counter()
            build_corpus(args.parts, args.turns_per_part)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # as autovacuum would have it on a real site
            print(f"corpus: {expected:,} turns built in {time.perf_counter() - started:.0f} s")
        regular = Person.objects.get(name=REGULAR)
        turns = SpeakerTurn.objects.filter(speaker__person=regular).count()
        appearances = regular.appearances.count()
        print(
            f"corpus: {SpeakerTurn.objects.count():,} turns; {REGULAR} (person {regular.pk}): "
            f"{appearances:,} appearances, {turns:,} turns [{connection.vendor}]"
        )
        person = regular.get_absolute_url()
        listing = reverse("participants:person_appearances", args=[regular.pk])
        last_turns_page = -(-turns // TURNS_PER_PAGE)
        last_listing_page = -(-appearances // APPEARANCES_PER_PAGE)
        deep = last_turns_page // 2
        uncached, not_kept = "/_bench/uncached", "/_bench/not-kept"
        pages = [
            ("person page 1", f"{uncached}{person}"),
            (f"person page {deep}", f"{uncached}{person}?page={deep}"),
            (f"person page {last_turns_page} (last)", f"{uncached}{person}?page={last_turns_page}"),
            ("appearances page 1", f"{uncached}{listing}"),
            (f"appearances page {last_listing_page} (last)", f"{uncached}{listing}?page={last_listing_page}"),
            ("forum page 1", f"/forums/{FORUM_SLUG}/"),
            # What other pages made for the same content version share is reused (shared_part):
            # a crawler walking a person's pages after a change.
            (f"person page {deep}, further page", f"{not_kept}{person}?page={deep}"),
            (f"appearances page {last_listing_page}, further page", f"{not_kept}{listing}?page={last_listing_page}"),
        ]
        client = Client()
        client.get("/")  # connects
        cpu = CpuClock(connection)
        load_before = load_average()
        rows = []
        for name, url in pages:
            if args.rows not in name:
                continue

            def get(url=url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            wall, cpu_ms, captured, response = timed(get, args.repeat, cpu)
            slowest = max(float(q["time"]) for q in captured) * 1000 if captured else 0.0
            sql = sum(float(q["time"]) for q in captured) * 1000
            rows.append(
                (
                    name,
                    f"{len(response.content):,}",
                    str(len(captured)),
                    f"{wall:.1f}",
                    f"{cpu_ms:.1f}",
                    f"{sql:.0f}",
                    f"{slowest:.0f}",
                )
            )
            print(f"  {name}: {wall:.1f} ms", flush=True)
            if args.explain:
                explain(captured)
        load_after = load_average()

        print(f"\nMachine: before {load_before}; after {load_after}; {args.repeat} requests a page, p50")
        headers = (
            "page (test client)",
            "bytes",
            "queries",
            "wall ms",
            "CPU ms",
            "SQL ms",
            "slowest query ms",
        )
        print(markdown_table(headers, rows))
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
