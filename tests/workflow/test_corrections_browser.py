"""A correction of a live part in Debian's Chromium: the editor prepares it and asks for
publication, the publisher finds the request, sees what changes and publishes it; the public
page changes only then. axe finds nothing on the new admin pages and panels."""

import importlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

import articles.migrations as articles_migrations
from articles.models import Article
from tests.support import quality
from tests.support.factories import make_long_article
from tests.support.staff import PASSWORD, make_editor, make_publisher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE_LEAD = "公開中のリード文です。"
CORRECTED_LEAD = "訂正したリード文です。"


@pytest.fixture(autouse=True)
def workflow_groups():
    """A transactional test may start from a flushed database: make the groups as the migration does."""
    (path,) = Path(articles_migrations.__file__).parent.glob("*_editor_and_publisher_groups.py")
    migration = importlib.import_module(f"articles.migrations.{path.stem}")
    migration.create_groups(django_apps, SimpleNamespace(connection=connection))


def assert_no_axe(page, context=None):
    violations = quality.axe_violations(page, context)
    assert not violations, quality.format_violations(violations)


def test_editor_prepares_a_correction_and_asks_publisher_publishes_it(browser, admin_page, live_server):
    live = make_long_article(3, placeholders=False)
    Article.objects.filter(pk=live.pk).update(lead=LIVE_LEAD, lead_html=f"<p>{LIVE_LEAD}</p>")
    editor, publisher = make_editor("hanako", "山田 花子"), make_publisher("taro", "鈴木 太郎")
    for user, address in ((editor, "hanako@example.jp"), (publisher, "taro@example.jp")):
        user.email = address
        user.save()
    public_url = f"{live_server.url}{live.get_absolute_url()}"
    reader = browser.new_context(locale="ja-JP").new_page()

    # 編集者: the live part is read-only, with a way to prepare a correction.
    page = admin_page(editor, PASSWORD, next=reverse("admin:articles_article_change", args=[live.pk]))
    panel = page.locator(".correction-panel")
    expect(panel).to_contain_text("修正版(下書き)を作って直せます")
    assert_no_axe(page, ".correction-panel")
    panel.get_by_role("button", name="修正版を作る").click()
    expect(page.locator(".messagelist .success")).to_contain_text("修正版を作りました")
    draft = Article.objects.get(correction_of=live)
    assert page.url.endswith(reverse("admin:articles_article_change", args=[draft.pk]))
    expect(page.locator(".correction-panel")).to_contain_text("修正版(下書き)")

    # 編集者: corrects the lead and saves; the public page keeps the live text.
    page.fill("#id_lead", CORRECTED_LEAD)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    reader.goto(public_url)
    expect(reader.locator("main")).to_contain_text(LIVE_LEAD)
    expect(reader.locator("main")).not_to_contain_text(CORRECTED_LEAD)

    # 編集者: the preview shows the correction.
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name=re.compile("プレビュー")).click()
    preview = new_tab.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_contain_text("修正版")
    expect(preview.locator("main")).to_contain_text(CORRECTED_LEAD)
    assert_no_axe(preview)
    preview.close()

    # 編集者: asks for publication; one e-mail to the publisher.
    page.get_by_label("公開担当へのメッセージ(任意)").fill("リード文の誤りを直しました")
    assert_no_axe(page, ".correction-panel")
    quality.screenshot(page, "workflow/correction-draft-1280", full_page=False)
    page.get_by_role("button", name="公開を依頼する").click()
    expect(page.locator(".publication-requested")).to_contain_text("山田 花子さんが")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["taro@example.jp"]
    assert "リード文の誤りを直しました" in mail.outbox[0].body
    page.context.close()

    # 公開担当: the list of requests, the confirmation with what changes, publish.
    page = admin_page(publisher, PASSWORD, next=reverse("admin:articles_article_changelist") + "?requested=yes")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("公開を依頼済み")
    assert_no_axe(page)
    rows.first.locator("th a, td a").first.click()
    expect(page.locator(".correction-panel")).to_contain_text("修正版")
    assert_no_axe(page, ".correction-panel")
    page.get_by_role("link", name=re.compile("修正を公開する")).click()
    expect(page.locator(".part-diff")).to_contain_text(CORRECTED_LEAD)
    expect(page.locator("#content-main")).to_contain_text("山田 花子さんが")
    assert_no_axe(page)
    quality.screenshot(page, "workflow/publish-correction-1280", full_page=False)
    page.get_by_role("button", name="修正を公開する").click()
    expect(page.locator(".messagelist .success")).to_contain_text("修正を公開しました")
    expect(page.locator(".audit-events")).to_contain_text("修正を公開")
    assert page.url.endswith(reverse("admin:articles_article_change", args=[live.pk]))

    # The public page shows the correction right away, at the same address.
    reader.goto(public_url)
    expect(reader.locator("main")).to_contain_text(CORRECTED_LEAD)
    expect(reader.locator("main")).not_to_contain_text(LIVE_LEAD)
    reader.context.close()
