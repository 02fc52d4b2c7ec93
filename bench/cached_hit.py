"""Where a cached page's time goes, in-process: the production settings (DEBUG off, Redis when
it answers) called through Django's WSGI handler as gunicorn calls it, no HTTP.

    .venv/bin/python bench/cached_hit.py              # µs per request: trivial view, cached, 304
    .venv/bin/python bench/cached_hit.py --profile    # plus cProfile's top functions of a cached hit

A 200-turn part in a throw-away database (SQLite in a temporary folder, or PostgreSQL when
DATABASE_URL names it: a database with the suffix _cachedhit, dropped afterwards); Redis under
a key prefix of its own, deleted afterwards. The trivial view is the one bench/production_stack.py
compares with (bench/stack/urls.py: the page's bytes, the same middleware, no cache lookup).
"""

import argparse
import contextlib
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from server import bench_stack, load_average  # noqa: E402

options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
options.add_argument("--repeat", type=int, default=3000)
options.add_argument("--profile", action="store_true")
options.add_argument("--sort", default="tottime", help="cProfile's order (tottime, cumulative)")
options.add_argument("--profile-304", action="store_true", help="profile the 304 instead")
args = options.parse_args()

stack = contextlib.ExitStack()
bench = bench_stack(stack, "cachedhit")
workdir, database_url, ENV, cache, same_bytes_file = (
    bench.workdir,
    bench.database_url,
    bench.env,
    bench.cache,
    bench.same_bytes_file,
)

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tests.support.factories import make_long_article  # noqa: E402


def environ(path, headers=None):
    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_USER_AGENT": "wrk",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    env.update(headers or {})
    return env


def call(application, path, headers=None):
    result = {}

    def start_response(status, response_headers, exc_info=None):
        result["status"], result["headers"] = status, response_headers

    body = application(environ(path, headers), start_response)
    size = sum(len(chunk) for chunk in body)
    if hasattr(body, "close"):
        body.close()
    return result["status"], dict(result["headers"]), size


def measure(application, rows, repeat=args.repeat, rounds=10):
    """Best wall and CPU µs per request of each row, the rows taking turns (round after round),
    so that the machine's load weighs on all of them alike."""
    best = {label: (float("inf"), float("inf")) for label, _, _ in rows}
    for label, path, headers in rows:
        call(application, path, headers)
    for _ in range(rounds):
        for label, path, headers in rows:
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(repeat // rounds):
                call(application, path, headers)
            wall = (time.perf_counter() - wall) / (repeat // rounds) * 1e6
            cpu = (time.process_time() - cpu) / (repeat // rounds) * 1e6
            best[label] = (min(best[label][0], wall), min(best[label][1], cpu))
    return best


try:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    article = make_long_article(200)
    url = article.get_absolute_url()
    application = WSGIHandler()
    status, headers, size = call(application, url)
    assert status.startswith("200"), status
    from django.test import Client

    same_bytes_file.write_bytes(Client().get(url).content)
    etag = headers["ETag"]
    rows = [
        ("trivial view, same bytes", "/_bench/same-bytes/", None),
        ("article 200 turns, cached", url, None),
        ("article 200 turns, 304", url, {"HTTP_IF_NONE_MATCH": etag}),
        ("person page, cached", article.roundtable.participants.first().person.get_absolute_url(), None),
        ("forum page, cached", article.roundtable.forum.get_absolute_url(), None),
    ]
    print(f"{'Redis' if cache else 'local memory'} cache, {database_url.split(':')[0]}; {load_average()}")
    best = measure(application, rows)
    floor = best[rows[0][0]][0]
    print(f"{'':34} {'wall µs':>8} {'CPU µs':>8}  (best of 10 rounds of {args.repeat // 10}, rows in turn)")
    for label, _, _ in rows:
        wall, cpu = best[label]
        print(f"  {label:32} {wall:8.1f} {cpu:8.1f}  {floor / wall:.2f}× the trivial view's rate")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            call(application, url, {"HTTP_IF_NONE_MATCH": etag} if args.profile_304 else None)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(40)
        print(out.getvalue())
finally:
    connection.close()
    stack.close()
