"""In Chromium, the Content Security Policy blocks nothing the site needs: the public part
page (with its JSON-LD) and the admin's part page (nested inlines, markdownx preview)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page):
    """CSP violations reported by the page, from the console and the DOM event."""
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.log('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return violations


def test_the_public_part_page_violates_nothing_and_keeps_its_json_ld(page, live_server, demo):
    violations = watch(page)
    response = page.goto(live_server.url + demo.get_absolute_url())
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_be_visible()
    assert page.locator('script[type="application/ld+json"]').count() == 1
    page.wait_for_timeout(300)
    assert violations == []


def test_the_admin_part_page_and_its_markdown_preview_work_under_the_policy(admin_page, demo, django_user_model):
    user = django_user_model.objects.create_superuser("csp", "csp@example.jp", "csp-password-2026")
    page = admin_page(user, "csp-password-2026", next=reverse("admin:articles_article_change", args=[demo.pk]))
    violations = watch(page)
    page.reload()
    expect(page.locator("#article_form")).to_be_visible()
    turn = page.locator(".compact-turn:not(.djn-empty-form)").first
    turn.locator("summary").click()
    turn.locator("textarea").fill("**CSPの確認**です。")
    turn.locator(".compact-preview-button").click()  # previews are fetched on demand
    preview = turn.locator(".compact-turn-preview")
    expect(preview.locator("strong")).to_have_text("CSPの確認", timeout=15000)
    page.wait_for_timeout(300)
    assert violations == []
