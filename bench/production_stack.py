"""The production stack under load: gunicorn (2 sync workers), Redis, DEBUG off, on 127.0.0.1,
with wrk as the load generator in its own process (bench/server.py sets the stack up).

    .venv/bin/python bench/production_stack.py        # needs wrk: apt-get install -y wrk
    .venv/bin/python bench/production_stack.py --parts 10000 --turns-per-part 100   # the 1M-turn corpus

Prints one table, side by side in one run: a trivial Django view returning the article
page's bytes (the framework's floor: the same middleware, no cache lookup, no rendering;
measured before and after each cached row, whose ratio is to the mean of those two, as the
machine may be shared and its load drift), the
article page of a 200-turn part from the cache, uncached (rendered on every request from the
database, as the first page after a change), not in the page cache (rendered, with what pages
made for the same content version share: forum.page_cache.shared_part) and as a 304, the forum page and a person page on a generated corpus (--parts parts of
--turns-per-part turns; BENCH_PARTS and BENCH_TURNS_PER_PART set the defaults, 10,000 × 100 =
1,000,000 turns), the RSS feed cached, uncached and as a 304; requests/s, p50 and p99, the
ratio to the trivial view, the workers' CPU per request (user + system, from /proc: what a
request costs, whatever it waited for a core); then the memory of each worker and the machine's load. The
database is a throw-away one: a SQLite file in a temporary folder, or, when DATABASE_URL
names PostgreSQL, a database named after it with the suffix _stackbench, dropped afterwards.
Redis (REDIS_URL, default redis://127.0.0.1:6379/0) gets its own key prefix, whose keys are
deleted afterwards; without Redis the cache is each worker's memory. Load is bounded:
--seconds (BENCH_SECONDS, default 8, at most 30) per row, 32 connections.
"""

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from server import bench_stack, gunicorn, load_average  # noqa: E402
from tables import markdown_table  # noqa: E402

options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
options.add_argument("--parts", type=int, default=int(os.environ.get("BENCH_PARTS", "10000")))
options.add_argument("--turns-per-part", type=int, default=int(os.environ.get("BENCH_TURNS_PER_PART", "100")))
options.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "8")))
options.add_argument(
    "--rows", default="", help="only the rows whose label matches this regular expression (the trivial rows always run)"
)
args = options.parse_args()
PARTS, TURNS_PER_PART, SECONDS = args.parts, args.turns_per_part, min(args.seconds, 30)
CONNECTIONS, THREADS, WORKERS = 32, 2, 2

if not shutil.which("wrk"):
    sys.exit("wrk is not installed: apt-get install -y wrk")

stack = contextlib.ExitStack()
bench = bench_stack(stack, "stackbench")
workdir, database_url, ENV, cache, same_bytes_file = (
    bench.workdir,
    bench.database_url,
    bench.env,
    bench.cache,
    bench.same_bytes_file,
)
if not cache:
    print("Redis not reachable: each worker caches in its own memory")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from regular_corpus import build_corpus  # noqa: E402

from articles.models import SpeakerTurn  # noqa: E402
from tests.support.factories import make_long_article  # noqa: E402


def wrk(url, header=None):
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "--timeout", "10s", url]
    if header:
        command[1:1] = ["-H", header]
    output = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS + 60).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\b", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    count = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    problems = (f"{errors.group(1)} non-2xx" if errors else "") + (
        f" {socket_errors.group(1)}" if socket_errors else ""
    )
    return rate, ms("50%"), ms("99%"), problems.strip(), count


def settle(base, limit=180):
    """Wait until the server has answered what an earlier row left in its queue: the workers
    take requests in order, so a quick answer to a probe means the queue before it is gone."""
    deadline = time.monotonic() + limit
    quick = 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(base + "/_bench/same-bytes/", timeout=limit).read()
        quick = quick + 1 if time.monotonic() - started < 0.2 else 0


def workers_cpu_seconds(master):
    """User + system CPU seconds of the master's workers so far (the fairer figure on a shared
    machine: what the requests cost, not how long they waited for a core)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def worker_memory(master):
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
        private = sum(
            int(v)
            for v in re.findall(
                r"^(?:Private_Clean|Private_Dirty):\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M
            )
        )
        sizes.append((pid, rss / 1024, private / 1024))
    return sizes


def in_process_ms(client, url, repeat=30):
    client.get(url)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        timings.append((time.perf_counter() - start) * 1000)
    return sorted(timings)[len(timings) // 2]


try:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    forum, regular = build_corpus(PARTS, TURNS_PER_PART)
    article = make_long_article(200)
    # The planner's statistics, as autovacuum would have them on a real site: right after a bulk
    # load of a million rows PostgreSQL has none, and the forum page's first render took more
    # than gunicorn's 30 s timeout.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    turn_count = SpeakerTurn.objects.count()
    client = Client()
    page = client.get(article.get_absolute_url())
    same_bytes_file.write_bytes(page.content)
    in_process = {
        "article, uncached": in_process_ms(client, f"/_bench/uncached/articles/{article.slug}/"),
        "article, not in the page cache": in_process_ms(client, f"/_bench/not-kept/articles/{article.slug}/"),
        "article, cached": in_process_ms(client, article.get_absolute_url()),
        "trivial view": in_process_ms(client, "/_bench/same-bytes/"),
    }
    connection.close()

    base, server = stack.enter_context(gunicorn(ENV, workdir, WORKERS))
    load_before = load_average()
    deep_forum_page = max(1, PARTS // 20 // 2)
    person = regular.get_absolute_url()
    deep_person_page = max(1, PARTS * TURNS_PER_PART // 4 // 20 // 2)
    etag = urllib.request.urlopen(base + article.get_absolute_url()).headers["ETag"]
    feed_etag = urllib.request.urlopen(base + "/feeds/rss/").headers["ETag"]
    # The cached rows first, each between two runs of the trivial view (the machine may be
    # shared and its load drift: a cached row's ratio is to the mean of the trivial rows just
    # before and after it); the uncached ones after them, whose ratio is to the mean of all
    # trivial rows. wrk stops at the end of a row, but requests it leaves queued are still
    # answered, and a queue of slow uncached ones must not weigh on the next row (settle()
    # waits until it is drained).
    trivial = ("trivial view, same bytes", "/_bench/same-bytes/", None)
    cached = [
        ("article 200 turns, cached", article.get_absolute_url(), None),
        ("article 200 turns, 304", article.get_absolute_url(), f"If-None-Match: {etag}"),
        ("forum page 1, cached", "/forums/bench/", None),
        ("person page 1, cached", person, None),
        ("feed (RSS, 50 parts), cached", "/feeds/rss/", None),
        ("feed (RSS, 50 parts), 304", "/feeds/rss/", f"If-None-Match: {feed_etag}"),
    ]
    uncached = [
        ("article 200 turns, uncached", f"/_bench/uncached/articles/{article.slug}/", None),
        ("article 200 turns, not in the page cache", f"/_bench/not-kept/articles/{article.slug}/", None),
        ("forum page 1, uncached", "/_bench/uncached/forums/bench/", None),
        (f"forum page {deep_forum_page}, uncached", f"/_bench/uncached/forums/bench/?page={deep_forum_page}", None),
        ("person page 1, uncached", f"/_bench/uncached{person}", None),
        (f"person page {deep_person_page}, uncached", f"/_bench/uncached{person}?page={deep_person_page}", None),
        ("feed (RSS, 50 parts), uncached", "/_bench/uncached/feeds/rss/", None),
    ]
    cached = [t for t in cached if re.search(args.rows, t[0])]
    uncached = [t for t in uncached if re.search(args.rows, t[0])]
    targets = [trivial]
    for target in cached:
        targets += [target, trivial]
    targets += uncached
    rows = []
    for label, path, header in targets:
        request = urllib.request.Request(base + path, headers=dict([header.split(": ", 1)]) if header else {})
        try:
            size = len(urllib.request.urlopen(request, timeout=120).read())
        except urllib.error.HTTPError as error:
            size = len(error.read())
        except OSError as error:  # too slow to answer at all: say so, go on with the others
            print(f"  {label}: no answer ({error})", flush=True)
            rows.append((label, 0, 0.0, 0.0, 0.0, f"no answer ({error})", 0.0))
            continue
        settle(base)
        cpu_before = workers_cpu_seconds(server.pid)
        rate, p50, p99, problems, count = wrk(base + path, header)
        cpu_us = (workers_cpu_seconds(server.pid) - cpu_before) / max(count, 1) * 1e6
        rows.append((label, size, rate, p50, p99, problems, cpu_us))
        print(f"  {label}: {rows[-1][2]:,.0f} req/s", flush=True)
        if header:  # a 304 must be a 304, not the page
            assert size == 0, label
    memory = worker_memory(server.pid)
    load_after = load_average()
finally:
    connection.close()
    stack.close()  # the server, Redis keys, the database, the folder

floors = [row[2] for row in rows if row[0] == trivial[0]]
floor = sum(floors) / len(floors)


def ratio(index):
    """A cached row's rate over the mean of the trivial rows beside it; an uncached row's (and a
    trivial row's) over the mean of all trivial rows."""
    label, rate = rows[index][0], rows[index][2]
    neighbours = [rows[i][2] for i in (index - 1, index + 1) if 0 <= i < len(rows) and rows[i][0] == trivial[0]]
    if label == trivial[0] or len(neighbours) < 2:
        return rate / floor
    return rate / (sum(neighbours) / 2)


print(
    f"\nProduction stack: gunicorn {WORKERS} sync workers, {'Redis' if cache else 'local memory'} cache, "
    f"{'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'}, DEBUG off; "
    f"wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s on 127.0.0.1"
)
print(f"Machine: before the load {load_before}; after it {load_after}")
print(f"Corpus: {PARTS:,} parts, {turn_count:,} turns (built in {built:.0f} s)\n")
print(
    "× trivial: a cached row's requests/s over the mean of the trivial-view rows just before and after it; "
    f"the others' over the mean of all {len(floors)} trivial-view rows ({floor:,.0f} req/s, "
    f"from {min(floors):,.0f} to {max(floors):,.0f})\n"
)
headers = ["page", "bytes", "req/s", "p50 ms", "p99 ms", "× trivial", "worker CPU µs/req", "errors"]
table = [
    (
        label,
        f"{size:,}",
        f"{rate:,.0f}",
        f"{p50:.1f}",
        f"{p99:.1f}",
        f"{ratio(i):.3f}",
        f"{cpu_us:,.0f}",
        problems or "-",
    )
    for i, (label, size, rate, p50, p99, problems, cpu_us) in enumerate(rows)
]
print(markdown_table(headers, table))
print(
    "\nIn-process (Django test client, no HTTP), median of 30: "
    + ", ".join(f"{label} {value:.2f} ms" for label, value in in_process.items())
)
print(
    "Memory per worker after the load: "
    + ", ".join(f"pid {pid}: {rss:.0f} MB resident, {private:.0f} MB private" for pid, rss, private in memory)
    + f"; each keeps at most {int(ENV.get('PAGE_CACHE_LOCAL_MB', '32'))} MB of page copies (PAGE_CACHE_LOCAL_MB)"
)
