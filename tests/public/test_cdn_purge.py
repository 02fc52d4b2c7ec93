"""The CDN in front is purged when the public content changes (forum/cdn.py): a real HTTP
server on 127.0.0.1 stands for the CDN's purge API and records what it receives."""

import http.server
import json
import logging
import socket
import threading
import time

import pytest

from articles.models import ArticleStatus
from forum import cdn, page_cache
from tests.support.factories import make_long_article
from tests.support.forms import form_data


class PurgeAPI(http.server.ThreadingHTTPServer):
    """Records each request (method, path, headers, body); answers `status`."""

    def __init__(self, status=200):
        self.received, self.status, self.delay = [], status, 0
        super().__init__(("127.0.0.1", 0), self.Handler)

    class Handler(http.server.BaseHTTPRequestHandler):
        def _any(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(self.server.delay)
            self.server.received.append((self.command, self.path, dict(self.headers), body))
            self.send_response(self.server.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"status": "ok"}')

        do_POST = do_PURGE = do_GET = _any

        def log_message(self, *args):
            pass

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def purge_api():
    server = PurgeAPI()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def cloudflare_style(settings, purge_api):
    settings.CDN_PURGE_URL = purge_api.url + "/client/v4/zones/zone-id/purge_cache"
    settings.CDN_PURGE_METHOD = "POST"
    settings.CDN_PURGE_HEADERS = {"Authorization": "Bearer {token}", "Content-Type": "application/json"}
    settings.CDN_PURGE_BODY = '{"purge_everything": true}'
    settings.CDN_PURGE_TOKEN = "secret-purge-token"
    return purge_api


def sent(purge_api, timeout=10):
    assert cdn.wait(timeout), "the purge is still pending"
    return purge_api.received


def test_a_content_edit_sends_one_purge_everything_with_the_token(cloudflare_style, transactional_db):
    part = make_long_article(3)
    assert cdn.wait(10)
    cloudflare_style.received.clear()
    part.title = "CDNにもすぐ届くタイトル"
    part.save()
    [(method, path, headers, body)] = sent(cloudflare_style)
    assert (method, path) == ("POST", "/client/v4/zones/zone-id/purge_cache")
    assert headers["Authorization"] == "Bearer secret-purge-token"
    assert json.loads(body) == {"purge_everything": True}


def test_fastly_style_purge_all_with_its_key_header(settings, purge_api, transactional_db):
    settings.CDN_PURGE_URL = purge_api.url + "/service/service-id/purge_all"
    settings.CDN_PURGE_HEADERS = {"Fastly-Key": "{token}", "Accept": "application/json"}
    settings.CDN_PURGE_TOKEN = "fastly-api-token"
    settings.CDN_PURGE_BODY = ""
    with page_cache.batch():  # one change, as an import makes it
        make_long_article(2)
    [(method, path, headers, body)] = sent(purge_api)
    assert (method, path, body) == ("POST", "/service/service-id/purge_all", b"")
    assert headers["Fastly-Key"] == "fastly-api-token"


def test_a_batch_of_changes_sends_one_purge(cloudflare_style, transactional_db):
    part = make_long_article(20)
    assert cdn.wait(10)
    cloudflare_style.received.clear()
    with page_cache.batch():
        for turn in part.sections.first().turns.all():
            turn.body = turn.body + "(追記)"
            turn.save()
        part.title = "まとめて直した座談会"
        part.save()
    assert len(sent(cloudflare_style)) == 1


def test_saving_a_part_in_the_admin_sends_one_purge_after_the_response(
    cloudflare_style, transactional_db, editor, client
):
    part = make_long_article(30)
    client.force_login(editor)
    change = f"/admin/articles/article/{part.pk}/change/"
    data = form_data(client.get(change).text, "article_form")
    assert cdn.wait(10)
    cloudflare_style.received.clear()
    data["title"] = "管理画面からの修正"
    assert client.post(change, data).status_code == 302
    assert len(sent(cloudflare_style)) == 1


def test_a_slow_cdn_does_not_slow_the_save(cloudflare_style, transactional_db, editor, client):
    part = make_long_article(3)
    client.force_login(editor)
    change = f"/admin/articles/article/{part.pk}/change/"
    data = form_data(client.get(change).text, "article_form")
    assert cdn.wait(10)
    cloudflare_style.received.clear()
    cloudflare_style.delay = 4
    data["title"] = "遅いCDNを待たない保存"
    started = time.monotonic()
    assert client.post(change, data).status_code == 302
    assert time.monotonic() - started < 3.5  # the purge API answers after 4 s
    assert len(sent(cloudflare_style)) == 1


def test_nothing_is_sent_before_the_commit_nor_for_a_rolled_back_change(cloudflare_style, transactional_db):
    from django.db import transaction

    part = make_long_article(2)
    assert cdn.wait(10)
    cloudflare_style.received.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        part.status = ArticleStatus.DRAFT
        part.save()
        assert cdn.wait(0) and cloudflare_style.received == []  # not yet: not committed
        raise RuntimeError("the save is rolled back")
    assert sent(cloudflare_style) == []


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_cdn_that_is_down_never_fails_a_save_and_is_logged(settings, transactional_db, caplog, monkeypatch):
    monkeypatch.setattr(cdn, "RETRY_DELAYS", (0.01, 0.01))
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{closed_port()}/purge"  # nothing listens there
    settings.CDN_PURGE_TIMEOUT = 1
    caplog.set_level(logging.INFO, logger="forum.cdn")
    part = make_long_article(2)
    part.title = "CDNが止まっていても保存できる"
    part.save()
    assert cdn.wait(10)
    part.refresh_from_db()
    assert part.title == "CDNが止まっていても保存できる"
    failures = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert failures and "CDN purge failed" in failures[-1].getMessage()
    assert "Connection refused" in failures[-1].getMessage()


def test_a_refused_purge_is_logged_without_the_token_and_not_retried(
    settings, purge_api, transactional_db, caplog, monkeypatch
):
    purge_api.status = 403
    monkeypatch.setattr(cdn, "RETRY_DELAYS", (0.01, 0.01))
    settings.CDN_PURGE_URL = purge_api.url + "/purge"
    settings.CDN_PURGE_HEADERS = {"Authorization": "Bearer {token}"}
    settings.CDN_PURGE_TOKEN = "never-in-the-log"
    with page_cache.batch():
        make_long_article(2)
    assert len(sent(purge_api)) == 1
    assert "CDN purge failed" in caplog.text and "403" in caplog.text
    assert "never-in-the-log" not in caplog.text


def test_without_a_purge_url_nothing_is_sent(settings, purge_api, transactional_db):
    settings.CDN_PURGE_URL = ""
    make_long_article(2)
    assert sent(purge_api) == []
