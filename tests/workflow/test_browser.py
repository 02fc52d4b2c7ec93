"""The editorial workflow in Debian's Chromium: an editor prepares and previews a part but
cannot publish it; a publisher schedules it; at its time it is on the public page and in
the site's feed.

The live server runs in a thread of this process, so time_machine moves its clock too.
"""

import datetime
import importlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

import articles.migrations as articles_migrations
from articles.models import Article
from forum.models import Forum
from participants.models import Organisation, Person, Role
from tests.support.quality import axe_violations, format_violations
from tests.support.staff import PASSWORD, make_editor, make_publisher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def workflow_groups():
    """A transactional test may start from a flushed database: make the groups as the migration does."""
    (path,) = Path(articles_migrations.__file__).parent.glob("*_editor_and_publisher_groups.py")
    migration = importlib.import_module(f"articles.migrations.{path.stem}")  # its number may change
    migration.create_groups(django_apps, SimpleNamespace(connection=connection))


@pytest.fixture
def people():
    forum = Forum.objects.create(name="東京都・区市町村CIOフォーラム", slug="tokyo-cio-forum")
    Organisation.objects.create(name="町田市", reading="まちだし")
    Role.objects.create(abbreviation="CIO補佐", sort_order=10)
    takahashi = Person.objects.create(name="高橋 晃", reading="たかはし あきら")
    miyasaka = Person.objects.create(name="宮坂 学", reading="みやさか まなぶ")
    return forum, takahashi, miyasaka


def choose(page, container, text):
    """Pick `text` in a select2 autocomplete inside `container`."""
    container.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def add_participant(page, index, person, posts, label):
    page.locator("#participants-group .add-row a").click()
    row = page.locator(f"#participants-{index}")
    choose(page, row.locator(".field-person"), person.name)
    row.locator(f"[name='participants-{index}-posts']").fill(posts)
    row.locator(f"[name='participants-{index}-label']").fill(label)


def test_editor_prepares_and_previews_publisher_schedules_and_it_goes_live(browser, admin_page, live_server, people):
    forum, takahashi, miyasaka = people
    editor, publisher = make_editor("hanako", "山田 花子"), make_publisher("taro", "鈴木 太郎")

    # 編集者: a roundtable with two participants.
    page = admin_page(editor, PASSWORD)
    page.goto(f"{live_server.url}{reverse('admin:forum_roundtable_add')}")
    page.select_option("#id_forum", str(forum.pk))
    page.fill("#id_number", "4")
    page.fill("#id_title", "町田市×都CIO座談会")
    page.fill("#id_held_on", "2021-10-15")
    add_participant(page, 0, takahashi, "総務部長", "高橋")
    add_participant(page, 1, miyasaka, "副知事", "宮坂")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    # 編集者: a part; the status is shown, not offered.
    page.goto(f"{live_server.url}{reverse('admin:articles_article_add')}")
    assert page.locator("select[name=status]").count() == 0
    expect(page.locator(".publication-state")).to_contain_text("下書き")
    choose(page, page.locator(".field-roundtable"), "町田市×都CIO座談会")
    page.fill("#id_part_number", "1")
    page.fill("#id_title", "町田市×都CIOの座談会を実施しました!part1")
    page.fill("#id_slug", "machida-cio-roundtable-part1")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    # 編集者: a section with two turns, on the same page.
    page.locator(".djn-add-handler.djn-model-articles-section").last.click()
    page.fill("[name='sections-0-heading']", "DX推進の体制づくり")
    add_turn = page.locator("#sections-0 .djn-add-handler.djn-model-articles-speakerturn").last
    for index, (speaker, body) in enumerate(
        [("高橋", "町田市のDXについてお話しします。"), ("宮坂", "都としても区市町村を支援します。")]
    ):
        add_turn.click()
        page.select_option(f"[name='sections-0-turns-{index}-speaker']", label=speaker)
        page.fill(f"[name='sections-0-turns-{index}-body']", body)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(slug="machida-cio-roundtable-part1")
    assert article.sections.get().turns.count() == 2

    # 編集者: preview in a new tab, exactly the public page, marked プレビュー.
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name=re.compile("プレビュー")).click()
    preview = new_tab.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_contain_text("プレビュー")
    expect(preview.locator("article")).to_contain_text("総務部長:高橋(以下「高橋」)")
    expect(preview.locator("article")).to_contain_text("都としても区市町村を支援します。")
    violations = axe_violations(preview)
    assert not violations, format_violations(violations)
    preview.close()

    # 編集者: cannot publish — no status control, no publish action.
    assert page.locator("select[name=status]").count() == 0
    expect(page.locator(".publication-state")).to_contain_text("公開担当に依頼してください")
    page.goto(f"{live_server.url}{reverse('admin:articles_article_changelist')}")
    assert page.locator("select[name=action] option[value=publish_selected]").count() == 0
    page.context.close()

    # 公開担当: schedules it for two minutes from now.
    publish_at = timezone.localtime() + datetime.timedelta(minutes=2)
    page = admin_page(publisher, PASSWORD)
    page.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[article.pk])}")
    page.select_option("select[name=status]", "published")
    page.fill("[name=publish_at_0]", publish_at.strftime("%Y-%m-%d"))
    page.fill("[name=publish_at_1]", publish_at.strftime("%H:%M:00"))
    page.click("input[name=_continue]")
    expect(page.locator(".publication-state")).to_contain_text("公開予約")
    expect(page.locator(".audit-events")).to_contain_text("鈴木 太郎")
    page.context.close()

    reader = browser.new_context(locale="ja-JP").new_page()
    title = "町田市×都CIOの座談会を実施しました!part1"
    public_url = f"{live_server.url}{article.get_absolute_url()}"
    feed_url = f"{live_server.url}{reverse('feeds:site_atom')}"
    assert reader.goto(public_url).status == 404  # not yet
    assert title not in reader.context.request.get(feed_url).text()
    with time_machine.travel(publish_at + datetime.timedelta(minutes=1)):
        response = reader.goto(public_url)
        assert response.status == 200
        expect(reader.locator("h1")).to_have_text(title)
        reader.goto(f"{live_server.url}/")
        expect(reader.locator("main")).to_contain_text(title)
        feed = reader.context.request.get(feed_url)
        assert feed.status == 200 and title in feed.text()
    reader.context.close()
