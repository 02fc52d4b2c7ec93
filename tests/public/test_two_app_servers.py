"""Two app servers (gunicorn, as in production) sharing one database and one Redis: an edit
saved through one is seen through the other on the very next request.

The servers use the suite's database when it is PostgreSQL (the test database, emptied after
the test), otherwise a SQLite file of their own; Redis at 127.0.0.1:6379 with this test's
own key prefix, whose keys are deleted afterwards.
"""

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.support.forms import form_data

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "two-servers-password-123"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(tmp_path):
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
        return f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}", True
    return f"sqlite:///{tmp_path / 'two-servers.sqlite3'}", False


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=180
    )


class Browser:
    """A reader or an editor: cookies, CSRF and conditional requests, like a browser."""

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def csrf(self):
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def post_form(self, path, form_id, **changes):
        status, _, html = self.request(path)
        assert status == 200, (path, html[:500])
        data = form_data(html, form_id)
        data.update(changes)
        data["csrfmiddlewaretoken"] = self.csrf()
        return self.request(path, data)


@pytest.fixture
def servers(transactional_db, tmp_path):
    url, shared_with_suite = database_url(tmp_path)
    prefix = f"rt-caching-two-servers-{uuid.uuid4().hex[:12]}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "DEBUG": "false",
        "SECRET_KEY": "two-servers-test-key-" + uuid.uuid4().hex,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "CONN_MAX_AGE": "60",
    }
    manage(env, "collectstatic", "--noinput")
    if not shared_with_suite:
        manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('second-editor', 'e@example.jp', '{PASSWORD}')",
    )
    processes, bases = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "forum.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--access-logfile",
                    "-",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, processes):
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(base + "/robots.txt", timeout=2).read()
                    break
                except OSError:
                    assert process.poll() is None, process.stderr.read().decode()
                    assert time.monotonic() < deadline, f"{base} did not start"
                    time.sleep(0.2)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)


def back_numbers_box(html):
    return html[html.index('class="back-numbers-box"') :]


def test_an_edit_through_one_server_is_seen_through_the_other_on_the_next_request(servers):
    first, second = servers
    reader = Browser(second)
    status, _, home = reader.request("/")
    assert status == 200
    path = next(part for part in home.split('"') if part.startswith("/articles/"))  # the demo part
    # Both servers have the page in the shared cache, and the reader holds its ETag.
    status, headers, before = reader.request(path)
    assert status == 200 and "s-maxage" in headers["Cache-Control"]
    assert Browser(first).request(path)[2] == before
    assert reader.request(path, headers={"If-None-Match": headers["ETag"]})[0] == 304

    editor = Browser(first)
    editor.request("/admin/login/")
    status, _, _ = editor.request(
        "/admin/login/?next=/admin/",
        {
            "username": "second-editor",
            "password": PASSWORD,
            "csrfmiddlewaretoken": editor.csrf(),
            "next": "/admin/",
        },
    )
    assert status == 200
    status, _, changelist = editor.request("/admin/articles/article/")
    assert status == 200
    change = next(
        part
        for part in changelist.split('"')
        if part.startswith("/admin/articles/article/") and part.endswith("/change/")
    )
    status, _, _ = editor.post_form(change, "article_form", title="二つのサーバーで同じタイトル")
    assert status == 200  # the redirect to the list, followed

    status, _, after = reader.request(path, headers={"If-None-Match": headers["ETag"]})
    assert status == 200
    assert "二つのサーバーで同じタイトル" in after
    # The back-number box too: each server made it once for the old version and shared it
    # between its pages (forum.page_cache.shared_part); the new version makes it again.
    assert "二つのサーバーで同じタイトル" in back_numbers_box(after)
    assert "二つのサーバーで同じタイトル" in back_numbers_box(Browser(first).request(path)[2])
    assert "二つのサーバーで同じタイトル" in reader.request("/")[2]
    assert "二つのサーバーで同じタイトル" in reader.request("/feeds/rss/")[2]
