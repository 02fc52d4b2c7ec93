"""A production stack on 127.0.0.1 for the load, fault and scan runs in bench/.

gunicorn with DEBUG off, WhiteNoise for static files, the database DATABASE_URL names (a
throw-away one the calling script creates), the demo content plus generated parts, and
media and static files in a temporary folder. Only ever binds 127.0.0.1.
"""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

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


def environment(database_url, workdir, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-" + "k" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "http://127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(Path(workdir) / "media"),
            "STATIC_ROOT": str(Path(workdir) / "static"),
            "LOG_LEVEL": "ERROR",
        }
    )
    env.update(extra)
    return env


def manage(env, *args, code=None):
    command = [PYTHON, "manage.py", *args] + (["-v0", "-c", code] if code else [])
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def production_server(database_url, workers=3, **extra_env):
    """Yield (base URL, env) of gunicorn serving a fresh site from `database_url`."""
    with tempfile.TemporaryDirectory(prefix="rt-bench-") as workdir:
        env = environment(database_url, workdir, **extra_env)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "shell", code=CONTENT)
        port = free_port()
        server = subprocess.Popen(
            [
                GUNICORN,
                "forum.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "error",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(workdir) / "gunicorn.log", "w"),
        )
        try:
            for _ in range(100):
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}", env
        finally:
            server.terminate()
            server.wait(timeout=30)
