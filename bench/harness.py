"""Shared set-up for the benchmarks: Django, and a throw-away test database.

    from harness import benchmark_database
    with benchmark_database():
        ...  # models are usable; the database is dropped afterwards

The database is the one DATABASE_URL names (SQLite by default), created fresh as
Django's test database so that benchmarks never touch real content.

Every benchmark that imports this module runs with DEBUG off, as the test suite does
(pytest-django and Django's test runner set it off the same way, after the settings are
read): no query log, templates compiled once by the cached loader, production error pages.
Static files stay the development storage; a benchmark that serves pages calls
collect_static() first, so that WhiteNoise finds a STATIC_ROOT to serve (as in production)
instead of warning "No directory at: …/staticfiles/". bench/server.py runs the full
production settings (collected, hashed static files) under gunicorn.
"""

import atexit
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402


@contextlib.contextmanager
def benchmark_database():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def collect_static():
    """Collect the static files into a temporary STATIC_ROOT (removed at exit) for WhiteNoise,
    which reads that directory when its middleware starts. Call before the first request."""
    from django.core.management import call_command

    root = tempfile.mkdtemp(prefix="bench-static-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    settings.STATIC_ROOT = root
    call_command("collectstatic", interactive=False, verbosity=0)
    return root


def measure(function, repeat=5):
    """Run `function` `repeat` times; return (median ms, min ms, queries of the last run)."""
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            function()
            timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), min(timings), len(queries)


def report(title, rows, headers):
    """Print a small table of figures."""
    print(f"\n{title}  [{connection.vendor}]")
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(str(h).rjust(w) for h, w in zip(headers, widths)))
    for row in rows:
        print("  ".join(str(c).rjust(w) for c, w in zip(row, widths)))


class CpuClock:
    """CPU time (ms) used by this process's main thread and, on PostgreSQL on this machine, by
    its database backend: what a request costs whatever else the machine is running (on a
    shared machine wall-clock latency mostly measures the other jobs). Linux schedstat (ns).
    SQLite runs inside this process, so it is counted with it."""

    def __init__(self, connection):
        self.paths = ["/proc/self/schedstat"]
        if connection.vendor == "postgresql" and connection.settings_dict.get("HOST") in ("127.0.0.1", "localhost", ""):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.paths.append(f"/proc/{cursor.fetchone()[0]}/schedstat")

    def __call__(self):
        try:
            return sum(int(Path(path).read_text().split()[0]) for path in self.paths) / 1e6
        except OSError:  # not Linux, or the backend is not ours to read
            return float("nan")
