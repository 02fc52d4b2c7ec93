"""The production stack on 127.0.0.1 for the load, fault, scan and serving runs in bench/:
one place for its set-up (bench/load_test.py, sqlmap_scan.py, database_restart.py and
production_stack.py use it).

- gunicorn with the production configuration (forum/gunicorn.conf.py: sync workers, two per
  core unless `workers` says otherwise, preloaded, recycled), DEBUG off, WhiteNoise for the
  collected static files, media and static files in a temporary folder;
- Redis as the workers' shared cache when it answers at REDIS_URL (default
  redis://127.0.0.1:6379/0), under a key prefix of its own whose keys are deleted afterwards;
  each worker's memory otherwise;
- a throw-away database: a PostgreSQL database created on the server given and dropped
  afterwards, or a SQLite file in the temporary folder;
- the demo content plus 25 generated roundtables with a part of 60 turns each (CONTENT).

Only ever binds 127.0.0.1.

    with site_stack("postgres://postgres@127.0.0.1:5432", "rt_bench_load") as (base, env):
        ...  # base = "http://127.0.0.1:PORT"
"""

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

CONTENT = """
import io
from django.core.management import call_command
from tests.support.factories import make_long_article, make_forum, make_roundtable
call_command("load_demo", stdout=io.StringIO())
forum = make_forum(name="負荷試験フォーラム", slug="load-forum")
for number in range(1, 26):
    make_long_article(60, roundtable=make_roundtable(forum, number=number, title=f"第{number}回の座談会"))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_average():
    """The machine's load (it may be shared): say it beside every figure."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


@contextlib.contextmanager
def throwaway_database(server, name, workdir=None):
    """Yield the URL of a new, empty database: `name` on the PostgreSQL `server`
    (postgres://user@host:port), dropped afterwards; a SQLite file in `workdir` without one."""
    if not server:
        yield f"sqlite:///{Path(workdir or tempfile.gettempdir()) / (name + '.sqlite3')}"
        return
    import psycopg2

    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextlib.contextmanager
def redis_cache(url=REDIS_URL):
    """Yield the settings of a shared Redis cache under a fresh key prefix ({} when Redis does
    not answer); its keys are deleted afterwards."""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.ping()
    except Exception:  # noqa: BLE001 - any failure means: run without Redis
        yield {}
        return
    prefix = f"rt-bench-{uuid.uuid4().hex[:8]}"
    try:
        yield {"REDIS_URL": url, "CACHE_KEY_PREFIX": prefix}
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])


def environment(database_url, workdir, **extra):
    """The environment of the production settings, DEBUG off, plain HTTP on 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-" + uuid.uuid4().hex + "k" * 20,
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "SITE_URL": "http://127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "600",
            "MEDIA_ROOT": str(Path(workdir) / "media"),
            "STATIC_ROOT": str(Path(workdir) / "static"),
            "LOG_LEVEL": "ERROR",
            "ACCESS_LOG": "",
        }
    )
    env.update(extra)
    return env


@dataclass
class BenchStack:
    workdir: Path
    database_url: str
    env: dict
    cache: dict  # REDIS_URL and the key prefix, or {} when Redis does not answer
    same_bytes_file: Path  # the trivial view's bytes (bench/stack/urls.py)


def bench_stack(stack, name, redis=True):
    """The set-up the in-process and gunicorn benches share, entered on `stack` (an ExitStack):
    a temporary folder, a throw-away database (DATABASE_URL's PostgreSQL server with a database
    named after it plus `_<name>`, or a SQLite file), Redis when asked and reachable, and the
    production settings' environment (bench.stack.settings), also made this process's own."""
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"rt-{name}-")))
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith("postgres"):
        parts = urllib.parse.urlsplit(given)
        server_url = urllib.parse.urlunsplit(parts._replace(path=""))
        database_url = stack.enter_context(throwaway_database(server_url, parts.path.lstrip("/") + f"_{name}"))
    else:
        database_url = stack.enter_context(throwaway_database(None, "bench", workdir))
    cache = stack.enter_context(redis_cache()) if redis else {}
    same_bytes_file = workdir / "article.html"
    env = environment(
        database_url,
        workdir,
        **cache,
        DJANGO_SETTINGS_MODULE="bench.stack.settings",
        BENCH_SAME_BYTES_FILE=str(same_bytes_file),
    )
    os.environ.clear()
    os.environ.update(env)
    return BenchStack(workdir, database_url, env, cache, same_bytes_file)


def manage(env, *args, code=None):
    command = [PYTHON, "manage.py", *args] + (["-v0", "-c", code] if code else [])
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def gunicorn(env, workdir, workers=None):
    """Yield (base URL, server process) of gunicorn -c forum/gunicorn.conf.py on a free port."""
    port = free_port()
    env = {**env, "BIND": f"127.0.0.1:{port}"}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    log = open(Path(workdir) / "gunicorn.log", "w")
    server = subprocess.Popen(
        [GUNICORN, "-c", "forum/gunicorn.conf.py", "forum.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + "/robots.txt", timeout=2).read()
                break
            if server.poll() is not None:
                raise RuntimeError("gunicorn did not start: " + Path(log.name).read_text()[-2000:])
            time.sleep(0.2)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@contextlib.contextmanager
def production_server(database_url, workers=None, content=CONTENT, redis=True, **extra_env):
    """Yield (base URL, env) of gunicorn serving a fresh site from `database_url`; env's
    GUNICORN_LOG is the server's error log."""
    with tempfile.TemporaryDirectory(prefix="rt-bench-") as workdir, contextlib.ExitStack() as stack:
        cache = stack.enter_context(redis_cache()) if redis else {}
        env = environment(database_url, workdir, **cache, **extra_env)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        if content:
            manage(env, "shell", code=content)
        base, _server = stack.enter_context(gunicorn(env, workdir, workers))
        yield base, {**env, "GUNICORN_LOG": str(Path(workdir) / "gunicorn.log")}


@contextlib.contextmanager
def site_stack(server, name, **options):
    """A throw-away database on `server` (PostgreSQL; SQLite when empty) and the production
    stack serving it: yield (base URL, env)."""
    with tempfile.TemporaryDirectory(prefix="rt-bench-db-") as workdir:
        with throwaway_database(server, name, workdir) as url, production_server(url, **options) as served:
            yield served


def public_paths(base):
    """The paths of every page in the site's sitemap."""
    with urllib.request.urlopen(base + "/sitemap.xml", timeout=30) as response:
        sitemap = response.read().decode()
    return [urllib.parse.urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
