"""Every error page a reader can meet (400, 403, CSRF 403, 404, 405, 500, 503) is Japanese,
valid HTML (Nu HTML Checker) and has no accessibility violation (axe), as the other page types.

Each page is produced the way a reader meets it (a bad Host, a NUL in the address, a form
sent without its CSRF cookie, TRACE, a fault of the site, the database down), through the
site's own handlers. For axe, the browser gets that response (body, status and headers:
the CSP too) at an address of the live server, so the page's style sheets load as they do
on the site.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.views.defaults import permission_denied

from forum.conventions import SITE_NAME
from tests.support import quality

pytestmark = pytest.mark.django_db

# name: (status, a phrase of the page)
EXPECTED = {
    "400 bad host": (400, "リクエストを処理できません"),
    "400 NUL": (400, "使えない文字(NUL)"),
    "403": (403, "権限がありません"),
    "403 CSRF": (403, "送信を受け付けられませんでした"),
    "404": (404, "ページが見つかりません"),
    "405": (405, "この方法ではページを表示できません"),
    "500": (500, "エラーが発生しました"),
    "503": (503, "データベースに一時的につながらない"),
}


def error_responses(monkeypatch):
    """{name: response} for every error page, each made through the site's handlers."""
    client = Client(raise_request_exception=False)
    responses = {
        "400 bad host": client.get("/", HTTP_HOST="attacker.example"),
        "400 NUL": client.get("/search/", {"q": "人材\x00"}),
        "404": client.get("/articles/no-such-part/"),
        "405": client.generic("TRACE", "/"),
        "403 CSRF": Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a", "password": "b"}),
    }
    # No public page refuses a reader; Django's handler renders the site's 403.html for
    # whatever does (the admin's views raise PermissionDenied).
    request = RequestFactory().get("/admin/")
    responses["403"] = permission_denied(request, PermissionDenied())

    with monkeypatch.context() as patch:
        patch.setattr("forum.views.public_forums", lambda: 1 / 0)
        responses["500"] = client.get("/")

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", refuse)
        patch.setattr(connection, "ensure_connection", refuse)
        responses["503"] = client.get("/")
    return responses


def test_every_error_page_is_japanese_and_says_what_happened(monkeypatch):
    responses = error_responses(monkeypatch)
    assert set(responses) == set(EXPECTED)
    for name, response in responses.items():
        status, phrase = EXPECTED[name]
        assert response.status_code == status, name
        html = response.content.decode()
        assert 'lang="ja"' in html and phrase in html, name
        assert '<meta name="robots" content="noindex">' in html, name
        title = html.split("<title>")[1].split("</title>")[0]
        heading = html.split("<h1")[1].split(">", 1)[1].split("</h1>")[0]
        assert title == f"{heading} | {SITE_NAME}", name  # the title says what the page says


def test_every_error_page_is_valid_html(monkeypatch):
    documents = {name: response.content.decode() for name, response in error_responses(monkeypatch).items()}
    results = quality.validate_html(documents)
    assert set(results) == set(documents)
    assert not any(results.values()), quality.format_html_errors(results)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_error_page_has_no_accessibility_violations(monkeypatch, live_server, browser, scheme):
    responses = error_responses(monkeypatch)
    context = browser.new_context(locale="ja-JP", color_scheme=scheme)
    try:
        page = context.new_page()
        for name, response in responses.items():
            address = f"{live_server.url}/_error-page/{name.replace(' ', '-')}/"
            headers = {key: value for key, value in response.items()}

            def answer(route, _request, response=response, headers=headers):
                route.fulfill(status=response.status_code, headers=headers, body=response.content)

            page.route(address, answer)
            shown = page.goto(address)
            assert shown.status == response.status_code, name
            violations = quality.axe_violations(page)
            assert violations == [], f"{name}: {quality.format_violations(violations)}"
            page.unroute(address)
    finally:
        context.close()
