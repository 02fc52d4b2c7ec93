"""Every kind of page carries the security headers (issue 15, point 3)."""

import pytest
from django.urls import reverse

from articles.visibility import public_people

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.fixture
def public_urls(demo):
    roundtable, forum = demo.roundtable, demo.roundtable.forum
    person = public_people().first()
    return [
        "/",
        forum.get_absolute_url(),
        roundtable.get_absolute_url(),
        demo.get_absolute_url(),
        person.get_absolute_url(),
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/{forum.slug}/rss/",
        "/sitemap.xml",
        "/robots.txt",
        "/no-such-page/",
    ]


COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_common(response):
    for name, value in COMMON.items():
        assert response[name] == value, name
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_public_pages_have_a_strict_policy_without_inline_script_or_style(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_common(response)
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["default-src"] == ["'self'"] and policy["base-uri"] == ["'self'"]


def test_the_only_inline_script_of_a_public_page_is_json_ld(client, public_urls):
    from bs4 import BeautifulSoup

    for url in public_urls[:5]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        scripts = soup.find_all("script")
        assert scripts, url
        assert all(script.get("type") == "application/ld+json" and not script.get("src") for script in scripts), url
        assert not soup.find_all(attrs={"style": True}), url
        assert not [tag for tag in soup.find_all(True) if any(name.startswith("on") for name in tag.attrs)], url


def test_admin_pages_have_a_workable_policy_still_without_inline_script(editor_client, demo):
    for url in (
        reverse("admin:index"),
        reverse("admin:articles_article_change", args=[demo.pk]),
        reverse("admin:forum_roundtable_change", args=[demo.roundtable_id]),
        reverse("articles:article_preview", args=[demo.pk]),
        reverse("admin:login"),
    ):
        response = editor_client.get(url)
        assert response.status_code in (200, 302), url
        assert_common(response)
        policy = directives(response)
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert policy["object-src"] == ["'none'"]


def test_error_pages_carry_the_headers_and_the_500_page_styles_itself_with_a_nonce(client, settings):
    from django.test import RequestFactory

    from forum.errors import server_error
    from forum.middleware import SiteCSPMiddleware

    request = RequestFactory().get("/")
    middleware = SiteCSPMiddleware(lambda req: None)
    middleware.process_request(request)
    try:
        raise RuntimeError("a fault of the site")
    except RuntimeError:
        response = server_error(request)
    response = middleware.process_response(request, response)
    assert response.status_code == 500
    nonce = directives(response)["style-src"][-1]
    assert nonce.startswith("'nonce-")
    assert f'<style nonce="{nonce[7:-1]}">' in response.content.decode()


def test_hsts_is_sent_over_https_in_production(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
