"""A change request for a record a live part shows, in Debian's Chromium: on the live demo part,
an editor proposes a participant's new title on the roundtable's page; the public page keeps
the old title; the publisher finds the request, sees the before/after and applies it; the
public page shows the new title. axe finds nothing on the pages this adds."""

import datetime
import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

import articles.migrations as articles_migrations
from articles.models import ArticleStatus, ChangeRequest, ChangeRequestStatus
from participants.models import Participant
from tests.support import quality
from tests.support.staff import PASSWORD, make_editor, make_publisher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TITLE = "デジタル推進本部長"


@pytest.fixture(autouse=True)
def workflow_groups():
    """A transactional test may start from a flushed database: make the groups as the migrations do."""
    for pattern in ("*_editor_and_publisher_groups.py", "*_shared_record_change_requests.py"):
        (path,) = Path(articles_migrations.__file__).parent.glob(pattern)
        migration = importlib.import_module(f"articles.migrations.{path.stem}")
        schema_editor = SimpleNamespace(connection=connection)
        (migration.create_groups if hasattr(migration, "create_groups") else migration.grant_view)(
            django_apps, schema_editor
        )


def assert_no_axe(page, context=None):
    violations = quality.axe_violations(page, context)
    assert not violations, quality.format_violations(violations)


def test_editor_proposes_a_participants_new_title_and_the_publisher_applies_it(browser, admin_page, live_server, demo):
    demo.status, demo.publish_at = ArticleStatus.PUBLISHED, timezone.now() - datetime.timedelta(minutes=1)
    demo.save()
    roundtable = demo.roundtable
    participant = Participant.objects.filter(roundtable=roundtable).order_by("order", "pk").first()
    old_title = participant.full_title
    editor, publisher = make_editor("hanako", "山田 花子"), make_publisher("taro", "鈴木 太郎")
    for user, address in ((editor, "hanako@example.jp"), (publisher, "taro@example.jp")):
        user.email = address
        user.save()
    reader = browser.new_context(locale="ja-JP").new_page()
    public_url = f"{live_server.url}{demo.get_absolute_url()}"
    reader.goto(public_url)
    expect(reader.locator("main")).to_contain_text(old_title)

    # 編集者: the roundtable's page says that a save becomes a request; the title is editable.
    page = admin_page(editor, PASSWORD, next=reverse("admin:forum_roundtable_change", args=[roundtable.pk]))
    expect(page.locator(".messagelist")).to_contain_text("公開担当への「変更の依頼」になります")
    assert_no_axe(page, ".messagelist")
    assert_no_axe(page, ".live-request-message")
    posts = page.locator("#id_participants-0-posts")
    posts.fill(NEW_TITLE)
    page.get_by_label("公開担当へのメッセージ").fill("4月1日付の異動です")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_contain_text("公開担当(1人)に変更の依頼を送りました")
    change_request = ChangeRequest.objects.get()
    assert mail.outbox[-1].to == ["taro@example.jp"] and "4月1日付の異動です" in mail.outbox[-1].body
    participant.refresh_from_db()
    assert participant.full_title == old_title
    reader.goto(public_url)
    expect(reader.locator("main")).to_contain_text(old_title)
    expect(reader.locator("main")).not_to_contain_text(NEW_TITLE)

    # 公開担当: the count on the part list, the list of requests, the before/after.
    desk = admin_page(publisher, PASSWORD, next=reverse("admin:articles_article_changelist"))
    expect(desk.locator(".pending-requests")).to_contain_text("変更の依頼が1件あります")
    desk.get_by_role("link", name="変更の依頼の一覧を見る").click()
    expect(desk.locator("#result_list")).to_contain_text(roundtable.title)
    assert_no_axe(desk, "#content")
    desk.get_by_role("link", name=str(change_request)).click()
    table = desk.get_by_role("table", name="変更点")
    expect(table.locator("del")).to_contain_text("、".join(participant.posts))
    expect(table.locator("ins")).to_have_text(NEW_TITLE)
    expect(desk.locator(".change-request-parts")).to_contain_text(demo.title)
    expect(desk.locator(".change-request-facts")).to_contain_text("4月1日付の異動です")
    assert_no_axe(desk, "#content")
    quality.screenshot(desk, "admin-change-request.png")  # the README's editors' guide shows it
    desk.get_by_role("button", name="変更を反映する").click()
    expect(desk.locator(".messagelist .success")).to_contain_text("変更の依頼を反映しました")
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.APPLIED

    # The public page shows the new title at once (the page cache's version changed).
    reader.goto(public_url)
    expect(reader.locator("main")).to_contain_text(NEW_TITLE)
    reader.context.close()
