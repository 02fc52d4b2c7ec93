"""The article page rendered on every request (page cache bypassed), in-process: what a part
page costs the server when it is not served from the cache.

    .venv/bin/python bench/article_render.py                 # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rt_x .venv/bin/python bench/article_render.py
    .venv/bin/python bench/article_render.py --profile 200   # cProfile of the 200-turn page
    .venv/bin/python bench/article_render.py --redis         # the cache in Redis, as in production

The production settings with DEBUG off (bench/stack/settings.py, the same as
bench/production_stack.py uses), the Django test client without the test environment's
template instrumentation, each process's memory as the cache (Redis with --redis). Two paths
for each part: uncached (/_bench/uncached/articles/<slug>/: everything read and rendered, as
the first page after a change) and not in the page cache (/_bench/not-kept/...: the content
version read, then the page rendered with what other pages made for that version share,
forum.page_cache.shared_part, as every further page of the forum after a change). Rows:
the sample part (load_demo, 16 turns), generated parts of 200 and 500 turns, and a trivial
Django view returning the 200-turn page's bytes (the framework's floor). For each: bytes, SQL
queries, wall-clock median and CPU-time median per request (this process plus, on a local
PostgreSQL, its backend: the fairer figure on a shared machine). The database is a throw-away
one (the SQLite file in a temporary folder, or DATABASE_URL's name + _renderbench, dropped).
"""

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from server import bench_stack  # noqa: E402
from tables import markdown_table  # noqa: E402

options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
options.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "30")))
options.add_argument("--turns", default=os.environ.get("BENCH_TURN_COUNTS", "200,500"))
options.add_argument(
    "--profile", metavar="TURNS", help="print the queries and a cProfile of that page (a turn count, or sample)"
)
options.add_argument(
    "--redis",
    action="store_true",
    help="the shared cache in Redis (REDIS_URL), as production with Redis: the version from there",
)
args = options.parse_args()
GC_FREEZE = os.environ.get("BENCH_GC_FREEZE")
TURN_COUNTS = [int(n) for n in args.turns.split(",") if n]

stack = contextlib.ExitStack()
bench = bench_stack(stack, "renderbench", redis=args.redis)
workdir, database_url, ENV, cache, same_bytes_file = (
    bench.workdir,
    bench.database_url,
    bench.env,
    bench.cache,
    bench.same_bytes_file,
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402
from harness import CpuClock  # noqa: E402
from tests.support.factories import make_long_article  # noqa: E402


def measure(client, url, repeat):
    """(bytes, queries, wall median ms, CPU median ms) of GET url, after one warm-up."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        client.get(url)
    clock = CpuClock(connection)
    walls = []
    cpu_start = clock()
    for _ in range(repeat):
        wall = time.perf_counter()
        client.get(url)
        walls.append((time.perf_counter() - wall) * 1000)
    cpu = (clock() - cpu_start) / repeat
    return len(response.content), len(queries), statistics.median(walls), cpu


try:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    sample = Article.objects.get()
    pages = [("sample part (16 turns)", sample)]
    for turns in TURN_COUNTS:
        pages.append((f"{turns} turns", make_long_article(turns, placeholders=False)))
    client = Client()
    if GC_FREEZE:
        import gc

        gc.collect()
        gc.freeze()
    uncached = "/_bench/uncached/articles/{}/"
    not_kept = "/_bench/not-kept/articles/{}/"
    plain = "/_bench/plain-django/articles/{}/"
    if args.profile:
        import cProfile
        import pstats

        article = (
            sample if args.profile == "sample" else next(a for label, a in pages if label == f"{args.profile} turns")
        )
        url = (not_kept if os.environ.get("BENCH_PROFILE_NOT_KEPT") else uncached).format(article.slug)
        client.get(url)
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            client.get(url)
        print("\n".join(q[:300] for q in queries))
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            client.get(url)
        profiler.disable()
        stats = pstats.Stats(profiler)
        if os.environ.get("BENCH_PROFILE_OUT"):
            stats.dump_stats(os.environ["BENCH_PROFILE_OUT"])
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        sys.exit(0)
    rows = []
    for label, article in pages:
        rows.append((label, *measure(client, uncached.format(article.slug), args.repeat)))
        rows.append((f"{label}, not in the page cache", *measure(client, not_kept.format(article.slug), args.repeat)))
        rows.append(
            (f"{label}, plain Django templates (reference)", *measure(client, plain.format(article.slug), args.repeat))
        )
        if label == f"{TURN_COUNTS[0]} turns":
            same_bytes_file.write_bytes(client.get(uncached.format(article.slug)).content)
    rows.append(
        ("trivial view, same bytes as the first generated part", *measure(client, "/_bench/same-bytes/", args.repeat))
    )
finally:
    connection.close()
    stack.close()

vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
print(
    f"\nArticle page uncached, in-process ({vendor}{', Redis' if args.redis else ''}, DEBUG off), median of {args.repeat}; load {os.getloadavg()[0]:.1f}"
)
headers = ["page", "bytes", "queries", "wall ms", "CPU ms"]
table = [(label, f"{size:,}", str(queries), f"{wall:.2f}", f"{cpu:.2f}") for label, size, queries, wall, cpu in rows]
print(markdown_table(headers, table))
# The goal: uncached at least twice as fast as plain Django templating from the models.
cpu = {label: cpu for label, size, queries, wall, cpu in rows}
print("\nCPU time against plain Django templates from the models (goal: 0.5 or less):")
for label, article in pages:
    reference = cpu[f"{label}, plain Django templates (reference)"]
    print(
        f"- {label}: uncached {cpu[label] / reference:.2f}, not in the page cache "
        f"{cpu[f'{label}, not in the page cache'] / reference:.2f}"
    )
