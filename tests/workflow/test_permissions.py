"""Who may publish: 編集者 write drafts, 公開担当 publish, schedule and unpublish — by every path."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import AuditAction, AuditEvent
from articles.models import Article, ArticleStatus
from tests.support.factories import make_article, make_long_article, make_roundtable
from tests.support.forms import form_data
from tests.support.staff import change_form, change_url, make_editor, make_publisher, save

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_article_changelist"


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor(full_name="山田 花子"))
    return client


@pytest.fixture
def publisher_client(client):
    client.force_login(make_publisher(full_name="鈴木 太郎"))
    return client


def test_migration_creates_the_two_groups_and_only_publishers_may_publish():
    editors = Group.objects.get(name="編集者")
    publishers = Group.objects.get(name="公開担当")
    assert not editors.permissions.filter(codename="publish_article").exists()
    assert publishers.permissions.filter(codename="publish_article").exists()
    for group in (editors, publishers):
        assert group.permissions.filter(codename="change_article").exists()
        assert group.permissions.filter(codename="add_speakerturn").exists()


def test_editor_sees_the_status_but_cannot_change_it_on_a_draft(editor_client):
    article = make_article(published=False, title="下書きの記事")
    page = editor_client.get(change_url(article)).text
    assert 'name="status"' not in page and 'name="publish_at_0"' not in page
    assert "状態: 下書き" in page
    assert "公開担当に依頼してください" in page


def test_editor_can_edit_a_draft_but_a_posted_status_is_ignored(editor_client):
    article = make_long_article(2, published=False)
    data = change_form(editor_client, article)
    data.update({"title": "直した題", "status": "published", "publish_at_0": "2020-01-01", "publish_at_1": "10:00"})
    response = save(editor_client, article, data)
    assert response.status_code == 302, response.text[:2000]
    article.refresh_from_db()
    assert article.title == "直した題"
    assert article.status == ArticleStatus.DRAFT and article.publish_at is None
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_editor_creating_a_part_with_status_published_gets_a_draft(editor_client):
    roundtable = make_roundtable()
    page = editor_client.get(reverse("admin:articles_article_add")).text
    assert 'name="status"' not in page
    data = form_data(page, "article_form")
    data.update(
        {
            "roundtable": str(roundtable.pk),
            "part_number": "1",
            "title": "新しい記事",
            "slug": "new-part",
            "status": "published",
            "publish_at_0": "2020-01-01",
            "publish_at_1": "10:00",
        }
    )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.text[:2000]
    assert Article.objects.get(slug="new-part").status == ArticleStatus.DRAFT


def test_editor_cannot_change_a_public_or_scheduled_part(editor_client):
    live = make_long_article(2)
    scheduled = make_article(publish_at=timezone.now() + datetime.timedelta(days=2))
    for article in (live, scheduled):
        page = editor_client.get(change_url(article))
        assert page.status_code == 200  # view only
        assert 'name="_save"' not in page.text
        assert "公開担当だけが変更できます" in page.text
    data = change_form(editor_client, live)
    data.update({"title": "勝手に直した題", "status": "draft"})
    assert save(editor_client, live, data).status_code == 403
    live.refresh_from_db()
    assert live.title != "勝手に直した題" and live.status == ArticleStatus.PUBLISHED


def test_editor_has_no_publish_actions_and_posting_one_changes_nothing(editor_client):
    draft = make_article(published=False)
    listing = editor_client.get(reverse(CHANGELIST)).text
    assert "publish_selected" not in listing and "unpublish_selected" not in listing
    response = editor_client.post(
        reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [draft.pk], "confirmed": "yes"}
    )
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT
    assert response.status_code in (200, 302)


def test_saving_outside_the_form_is_refused_for_editors_too():
    editor = make_editor()
    draft = make_article(published=False)
    draft.status = ArticleStatus.PUBLISHED
    with pytest.raises(PermissionDenied):
        workflow.enforce_publication_rights(editor, draft)
    with pytest.raises(PermissionDenied):
        workflow.publish_now(draft, editor)
    with pytest.raises(PermissionDenied):
        workflow.enforce_publication_rights(
            editor, Article(roundtable=draft.roundtable, status=ArticleStatus.PUBLISHED)
        )


def test_publisher_schedules_a_part_from_its_page(publisher_client):
    article = make_long_article(2, published=False, placeholders=False)
    data = change_form(publisher_client, article)
    assert "status" in data
    data.update({"status": "published", "publish_at_0": "2099-04-01", "publish_at_1": "10:00:00"})
    response = save(publisher_client, article, data)
    assert response.status_code == 302, response.text[:3000]
    article.refresh_from_db()
    assert workflow.state(article) == workflow.SCHEDULED
    page = publisher_client.get(change_url(article)).text
    assert "状態: 公開予約" in page
    assert "令和81年4月1日(2099年4月1日)10:00 に自動で公開されます" in page
    event = AuditEvent.objects.get(article=article, action=AuditAction.SCHEDULED)
    assert event.user_name == "鈴木 太郎"


def test_list_shows_draft_scheduled_and_live_at_a_glance(publisher_client):
    make_article(published=False, title="記事A")
    make_article(title="記事B", publish_at=timezone.now() + datetime.timedelta(hours=3))
    make_article(title="記事C")
    listing = publisher_client.get(reverse(CHANGELIST)).text
    for title, label in (("記事A", "下書き"), ("記事B", "公開予約"), ("記事C", "公開中")):
        row = next(line for line in listing.split("<tr") if title in line)
        assert label in row, (title, label)


def test_publish_action_asks_for_confirmation_then_publishes_and_records_who(publisher_client):
    draft = make_article(published=False)
    first = publisher_client.post(reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [draft.pk]})
    assert first.status_code == 200 and "今すぐ公開します" in first.text
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT
    confirmed = publisher_client.post(
        reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [draft.pk], "confirmed": "yes"}
    )
    assert confirmed.status_code == 302
    assert Article.objects.published().filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(article=draft, action=AuditAction.PUBLISHED, user_name="鈴木 太郎").exists()


def test_unpublish_keeps_the_first_publication_date_and_is_on_the_record(publisher_client):
    article = make_article()
    first_published = article.publish_at
    publisher_client.post(
        reverse(CHANGELIST), {"action": "unpublish_selected", "_selected_action": [article.pk], "confirmed": "yes"}
    )
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert not Article.objects.published().filter(pk=article.pk).exists()
    page = publisher_client.get(change_url(article)).text
    assert "公開取り下げ" in page and "鈴木 太郎" in page
    workflow.publish_now(article, make_publisher("other"))
    article.refresh_from_db()
    assert article.publish_at == first_published


def test_change_page_shows_who_created_changed_and_published(client):
    editor, publisher = make_editor(full_name="山田 花子"), make_publisher(full_name="鈴木 太郎")
    client.force_login(editor)
    article = make_long_article(1, published=False, placeholders=False)
    save(client, article, change_form(client, article))
    client.force_login(publisher)
    data = change_form(client, article)
    data.update({"status": "published", "publish_at_0": "", "publish_at_1": ""})
    assert save(client, article, data).status_code == 302
    page = client.get(change_url(article)).text
    audit = page[page.index("操作記録") :]
    assert audit.index("公開") < audit.index("山田 花子")  # newest first
    assert [
        action for (action,) in AuditEvent.objects.filter(article=article).order_by("pk").values_list("action")
    ] == [AuditAction.CHANGED, AuditAction.CHANGED, AuditAction.PUBLISHED]
