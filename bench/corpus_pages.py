"""The forum page and a person page on the search corpus (10,000 parts, 1,000,000 turns).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rt_scale_bench .venv/bin/python bench/corpus_pages.py --keep
    .venv/bin/python bench/corpus_pages.py --turns 100000        # SQLite, smaller

The database is bench/search.py's (Django's test database of DATABASE_URL; on SQLite the
file var/bench-search.sqlite3): with --keep, a corpus left there by `bench/search.py --keep`
is reused, and one made here is kept for it. The corpus is `manage.py
generate_search_corpus` (5 forums, 100 turns a part, 400 people, each in about 100
roundtables). Each page is a GET through Django's test client with the page cache off
(PAGE_CACHE=False: every request renders), DEBUG off, --repeat times; the table gives
p50/p99 latency, wall clock and CPU (harness.CpuClock), and the queries of one request. Two rows time the person page's paging
alone, old (OFFSET over all the person's turns, plus COUNT) against new
(articles.visibility.PersonTurns), in the same run. A person added to every roundtable (without
turns, kept in the corpus) times the person page and its appearances pages (issue #12).
"""

import argparse
import io
import os
import time

from harness import ROOT, CpuClock  # noqa: I001  (sets up Django first)

from django.conf import settings
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment
from django.urls import NoReverseMatch, reverse

from articles.models import SpeakerTurn
from articles.visibility import (
    PersonTurns,
    public_appearances,
    public_forums,
    public_roundtables,
    public_turns,
    turns_with_context,
)
from forum.models import Roundtable
from forum.views import ROUNDTABLES_PER_PAGE
from participants.models import Participant, Person
from participants.views import TURNS_PER_PAGE
from tables import markdown_table, percentile

try:
    from participants.views import APPEARANCES_PER_PAGE
except ImportError:  # before the appearances page (issue #12): only the person page is timed
    APPEARANCES_PER_PAGE = 1
try:
    reverse("participants:person_appearances", args=[1])
    has_appearances_page = True
except NoReverseMatch:
    has_appearances_page = False

# A person who appears at every roundtable (a standing moderator, say), without turns of their
# own: the person page must not grow with the number of appearances (issue #12).
REGULAR = "常連 司会者"


def regular_person():
    """The person at every roundtable, added once to the corpus (kept with --keep)."""
    person, created = Person.objects.get_or_create(name=REGULAR)
    if created:
        Participant.objects.bulk_create(
            [
                Participant(roundtable_id=pk, person=person, order=99)
                for pk in Roundtable.objects.values_list("pk", flat=True)
            ],
            batch_size=2000,
        )
    return person


SQLITE_FILE = ROOT / "var" / "bench-search.sqlite3"


def timed(function, repeat, cpu):
    function()  # warm
    timings, cpu_timings = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), cpu()
        function()
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append(cpu() - cpu_started)
    with CaptureQueriesContext(connection) as captured:
        result = function()
    figures = [f"{percentile(values, q):.1f}" for values in (timings, cpu_timings) for q in (0.5, 0.99)]
    return figures, len(captured), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the benchmark database")
    args = parser.parse_args()

    settings.PAGE_CACHE = False
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
        forum = public_forums().order_by("pk").first()
        roundtables = public_roundtables().filter(forum=forum).count()
        last_forum_page = -(-roundtables // ROUNDTABLES_PER_PAGE)
        busiest = (
            public_turns()
            .filter(speaker__isnull=False)
            .values("speaker__person")
            .annotate(turns=Count("pk"))
            .order_by("-turns", "speaker__person")
            .first()
        )
        person = Person.objects.get(pk=busiest["speaker__person"])
        last_person_page = -(-busiest["turns"] // TURNS_PER_PAGE)
        print(
            f"corpus: {SpeakerTurn.objects.count():,} turns; forum {forum.slug}: {roundtables:,} public roundtables; "
            f"person {person.pk}: {busiest['turns']:,} public turns [{connection.vendor}]"
        )
        regular = regular_person()
        regular_appearances = public_appearances().filter(person=regular).count()
        last_appearances_page = -(-regular_appearances // APPEARANCES_PER_PAGE)
        print(f"corpus: person {regular.pk} ({REGULAR}) appears at {regular_appearances:,} public roundtables")
        client = Client()
        client.get("/")  # connects
        cpu = CpuClock(connection)
        # The middle page; page 1 on a corpus too small for more (page 0 does not exist).
        middle_forum_page, middle_person_page = max(1, last_forum_page // 2), max(1, last_person_page // 2)
        pages = [
            ("forum page 1", f"{forum.get_absolute_url()}"),
            (f"forum page {middle_forum_page}", f"{forum.get_absolute_url()}?page={middle_forum_page}"),
            (f"forum page {last_forum_page} (last)", f"{forum.get_absolute_url()}?page={last_forum_page}"),
            ("person page 1", person.get_absolute_url()),
            (f"person page {middle_person_page}", f"{person.get_absolute_url()}?page={middle_person_page}"),
            (f"person page {last_person_page} (last)", f"{person.get_absolute_url()}?page={last_person_page}"),
            ("person at every roundtable: person page", regular.get_absolute_url()),
        ]
        if has_appearances_page:
            appearances_url = reverse("participants:person_appearances", args=[regular.pk])
            pages += [
                ("  its appearances page 1", appearances_url),
                (
                    f"  its appearances page {last_appearances_page} (last)",
                    f"{appearances_url}?page={last_appearances_page}",
                ),
            ]
        rows = []
        for name, url in pages:

            def get(url=url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            figures, queries, response = timed(get, args.repeat, cpu)
            rows.append((name, f"{len(response.content):,}", str(queries), *figures))

        deep = last_person_page
        everything = turns_with_context(public_turns().filter(speaker__person=person))
        for name, object_list in [
            (f"  paging only, page {deep}: OFFSET + COUNT (before)", lambda: everything),
            (f"  paging only, page {deep}: PersonTurns (now)", lambda: PersonTurns(person)),
        ]:
            figures, queries, _ = timed(
                lambda object_list=object_list: list(Paginator(object_list(), TURNS_PER_PAGE).page(deep).object_list),
                args.repeat,
                cpu,
            )
            rows.append((name, "-", str(queries), *figures))

        headers = ("page (uncached, test client)", "bytes", "queries", "p50 ms", "p99 ms", "CPU p50 ms", "CPU p99 ms")
        print("\n" + markdown_table(headers, rows))
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
