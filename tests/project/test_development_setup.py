"""What a newcomer's `make run` relies on: the database created when it is missing, the
site's address following HOST and PORT, one admin password file per database, and each
log line printed once."""

import io
import os
import re
import socket
import subprocess
import sys
import uuid
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections

from forum.management.commands.ensure_demo_admin import database_key, password_file
from tests.support import REPO_ROOT as ROOT

# What the developer's shell may have set and a test must not inherit.
UNSET = {"HOST", "PORT", "SITE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "LOG_LEVEL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run(*command, **env):
    environment = {key: value for key, value in os.environ.items() if key not in UNSET} | env
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def manage(*args, **env):
    return run(sys.executable, "manage.py", *args, **env)


def setting(name, **env):
    code = f"from django.conf import settings; print(settings.{name})"
    return run(sys.executable, "-c", code, DJANGO_SETTINGS_MODULE="forum.settings", **env).stdout.strip()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the database (make run's ensure_database step) ----------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="creates a database on the suite's PostgreSQL server")
def test_make_run_creates_a_missing_postgresql_database(django_db_blocker):
    db = connection.settings_dict
    name = f"rt_ensure_{uuid.uuid4().hex[:8]}"
    login = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    url = f"postgres://{login}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    maintenance = type(connections["default"])({**db, "NAME": "postgres"}, alias="maintenance")
    try:
        created = manage("ensure_database", DATABASE_URL=url)
        assert (created.returncode, created.stderr) == (0, "")
        assert f"データベース「{name}」を作りました" in created.stdout
        again = manage("ensure_database", DATABASE_URL=url)
        assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
        migrated = manage("migrate", "--noinput", "-v0", DATABASE_URL=url)
        assert migrated.returncode == 0, migrated.stderr
    finally:
        with django_db_blocker.unblock(), maintenance.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {maintenance.ops.quote_name(name)}")
        maintenance.close()


def test_an_unreachable_postgresql_server_is_one_line_and_exit_status_1():
    port = closed_port()
    result = manage("ensure_database", DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/roundtable")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert f"PostgreSQL(127.0.0.1:{port})に接続できません" in result.stderr
    assert "DATABASE_URL" in result.stderr


def test_a_sqlite_database_needs_nothing(tmp_path):
    result = manage("ensure_database", DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_make_run_makes_sure_of_the_database_before_migrating():
    lines = run("make", "-n", "run").stdout.splitlines()
    steps = [
        next(i for i, line in enumerate(lines) if f"manage.py {step}" in line)
        for step in ("ensure_database", "migrate", "load_demo", "runserver")
    ]
    assert steps == sorted(steps)


# --- the site's address: HOST and PORT ------------------------------------------------


def test_make_help_and_make_run_say_how_to_change_the_port():
    assert "make run PORT=8101" in run("make", "help").stdout
    lines = run("make", "-n", "run", "PORT=8101").stdout.splitlines()
    assert "HOST=127.0.0.1 PORT=8101 .venv/bin/python manage.py runserver 127.0.0.1:8101" in lines
    assert "HOST=127.0.0.1 PORT=8101 .venv/bin/python manage.py ensure_demo_admin" in lines


@pytest.mark.parametrize(
    ("env", "site_url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8101"}, "http://127.0.0.1:8101"),
        ({"HOST": "localhost", "PORT": "8101"}, "http://localhost:8101"),
        ({"HOST": "0.0.0.0", "PORT": "8101"}, "http://127.0.0.1:8101"),
        ({"PORT": "8101", "SITE_URL": "https://zadankai.example.jp/"}, "https://zadankai.example.jp"),
        # In production only SITE_URL says the public address; a PORT for the server changes nothing.
        ({"PORT": "8101", "DEBUG": "false", "SECRET_KEY": "x" * 50}, "http://127.0.0.1:8000"),
    ],
)
def test_site_url_follows_host_and_port_in_development_unless_set(env, site_url):
    assert setting("SITE_URL", **env) == site_url


def test_the_host_make_run_serves_on_is_an_allowed_host_in_development():
    assert "192.168.10.5" in setting("ALLOWED_HOSTS", HOST="192.168.10.5")
    assert "192.168.10.5" not in setting("ALLOWED_HOSTS", HOST="192.168.10.5", DEBUG="false", SECRET_KEY="x" * 50)


# --- the demo admin's password: one file per database ---------------------------------


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    return tmp_path / "var"


def ensure_demo_admin():
    out = io.StringIO()
    call_command("ensure_demo_admin", stdout=out)
    return out.getvalue()


def printed_password(output):
    return re.search(r"password: (\S+)  \(kept in var/demo-admin-password\.[^)]+\.txt\)", output)[1]


def test_each_database_has_its_own_password_file_name():
    keys = {
        database_key("sqlite", {"NAME": str(ROOT / "db.sqlite3")}, ROOT),
        database_key("sqlite", {"NAME": "/srv/other/db.sqlite3"}, ROOT),
        database_key("postgresql", {"NAME": "roundtable", "HOST": "127.0.0.1", "PORT": 5432}, ROOT),
        database_key("postgresql", {"NAME": "roundtable", "HOST": "db.example.jp", "PORT": ""}, ROOT),
        database_key("postgresql", {"NAME": "other", "HOST": "127.0.0.1", "PORT": 5432}, ROOT),
    }
    assert len(keys) == 5
    assert "sqlite-db.sqlite3" in keys and "postgresql-127.0.0.1-5432-roundtable" in keys
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", key) for key in keys)


@pytest.mark.django_db
def test_the_printed_password_is_the_one_of_this_database(var_dir):
    # What a PostgreSQL `make run` left behind must not be shown by a SQLite one (and back).
    var_dir.mkdir()
    other = var_dir / "demo-admin-password.postgresql-127.0.0.1-5432-roundtable.txt"
    other.write_text("password-of-another-database\n", encoding="utf-8")
    first = ensure_demo_admin()
    password = printed_password(first)
    assert get_user_model().objects.get(username="admin").check_password(password)
    assert password_file().read_text(encoding="utf-8").strip() == password != "password-of-another-database"
    assert other.read_text(encoding="utf-8") == "password-of-another-database\n"
    assert ensure_demo_admin() == first


@pytest.mark.django_db
def test_a_password_file_that_no_longer_works_is_not_shown(var_dir):
    password = printed_password(ensure_demo_admin())
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed-by-hand-9f3k")
    admin.save()
    output = ensure_demo_admin()
    assert password not in output
    assert "no longer works" in output and ".venv/bin/python manage.py changepassword admin" in output


@pytest.mark.django_db
def test_the_admin_link_is_on_the_site_address(var_dir, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    assert "管理画面 / admin: http://127.0.0.1:8101/admin/\n" in ensure_demo_admin()


# --- logging --------------------------------------------------------------------------


@pytest.mark.parametrize("env", [{}, {"DEBUG": "false", "SECRET_KEY": "x" * 50}])
def test_each_log_line_is_printed_once(env):
    code = (
        "import django; django.setup(); import logging; "
        "logging.getLogger('django.request').warning('Not Found: /nowhere/')"
    )
    result = run(sys.executable, "-c", code, DJANGO_SETTINGS_MODULE="forum.settings", **env)
    assert result.stderr.splitlines() == ["Not Found: /nowhere/"]
