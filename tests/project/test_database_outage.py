"""While the database is down the site answers 503 with Retry-After, in Japanese (issue 15,
point 6). The real restart of a PostgreSQL server under load is bench/database_restart.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db

from tests.support import REPO_ROOT as ROOT


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "cursor", refuse)
    monkeypatch.setattr(connection, "ensure_connection", refuse)


def test_every_public_page_answers_503_with_retry_after_while_the_database_is_down(demo, database_down, settings):
    client = Client(raise_request_exception=False)
    for url in ("/", demo.get_absolute_url(), "/feeds/rss/", "/sitemap.xml", "/people/1/"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"] == str(settings.DATABASE_OUTAGE_RETRY_AFTER)
        assert response["Cache-Control"] == "no-store"
        text = response.content.decode()
        assert "データベースに一時的につながらない" in text and 'lang="ja"' in text


def test_the_admin_answers_503_too(editor_client, demo, database_down):
    editor_client.raise_request_exception = False
    assert editor_client.get(f"/admin/articles/article/{demo.pk}/change/").status_code == 503


def test_a_fault_of_the_site_itself_stays_a_500(monkeypatch, demo):
    from forum import views

    monkeypatch.setattr(views, "seo", None)  # the home view uses seo: any attribute access fails
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "エラーが発生しました" in response.content.decode()


def settings_value(expression, **env):
    code = (
        f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'forum.settings'); django.setup(); "
        f"from django.conf import settings; print({expression})"
    )
    environment = {k: v for k, v in os.environ.items() if k not in ("CONN_HEALTH_CHECKS", "CONN_MAX_AGE")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_connection_health_checks_are_on_by_default_and_set_from_the_environment():
    expression = "settings.DATABASES['default']['CONN_HEALTH_CHECKS']"
    assert settings_value(expression) == "True"
    assert settings_value(expression, CONN_HEALTH_CHECKS="false") == "False"
    assert settings_value(expression, CONN_HEALTH_CHECKS="true", CONN_MAX_AGE="60") == "True"
    assert settings_value("settings.DATABASES['default']['CONN_MAX_AGE']", CONN_MAX_AGE="60") == "60"
