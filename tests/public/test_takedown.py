"""公開終了日時: a part leaves every public page by itself exactly at its takedown time (no job)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from articles import workflow
from articles.models import Article, AuditAction, Section, SpeakerTurn
from forum.page_cache import current_version
from tests.support.factories import make_article
from tests.support.forms import form_data
from tests.support.staff import change_url, make_editor, make_publisher

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
PUBLISH_AT = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=TOKYO)
TAKEDOWN_AT = datetime.datetime(2026, 6, 30, 17, 0, tzinfo=TOKYO)
SECOND = datetime.timedelta(seconds=1)
PAGES = ["article", "home", "forum", "roundtable", "feed", "forum feed", "sitemap", "search", "api"]


@pytest.fixture
def ending():
    with time_machine.travel(PUBLISH_AT, tick=False):
        article = make_article(
            title="期間限定の記事", publish_at=PUBLISH_AT, unpublish_at=TAKEDOWN_AT, slug="limited-part"
        )
        section = Section.objects.create(article=article, position=1, heading="見出し")
        SpeakerTurn.objects.create(section=section, position=1, body="期間限定の発言です。")
    return article


def visible_on(client, article):
    roundtable = article.roundtable
    forum = roundtable.forum
    pages = {
        "article": article.get_absolute_url(),
        "home": reverse("forum:home"),
        "forum": forum.get_absolute_url(),
        "roundtable": reverse("forum:roundtable_detail", args=[forum.slug, roundtable.number]),
        "feed": reverse("feeds:site_atom"),
        "forum feed": reverse("feeds:forum_rss", args=[forum.slug]),
        "sitemap": reverse("sitemap"),
        "search": "/search/?q=期間限定の発言",
        "api": "/api/v1/speeches",
    }
    seen = {}
    for name, url in pages.items():
        response = client.get(url)
        text = response.content.decode() if response.status_code == 200 else ""
        needle = article.get_absolute_url() if name in {"sitemap", "search"} else article.title
        if name == "api":
            needle = "期間限定の発言です。"
        seen[name] = needle in text
    return seen


def test_a_part_is_public_everywhere_until_its_takedown_time_and_nowhere_from_it(client, ending):
    with time_machine.travel(TAKEDOWN_AT - SECOND, tick=False):
        assert visible_on(client, ending) == dict.fromkeys(PAGES, True)  # pages now in the page cache
        assert workflow.state(ending) == workflow.LIVE
    with time_machine.travel(TAKEDOWN_AT, tick=False):
        assert workflow.state(ending) == workflow.ENDED
        assert not Article.objects.published().filter(pk=ending.pk).exists()
        assert visible_on(client, ending) == dict.fromkeys(PAGES, False)
        assert client.get(ending.get_absolute_url()).status_code == 404


def test_the_page_cache_knows_the_takedown_time_as_it_knows_publish_times(client, ending):
    with time_machine.travel(TAKEDOWN_AT - datetime.timedelta(hours=1), tick=False):
        later = make_article(title="予約の記事", publish_at=TAKEDOWN_AT + datetime.timedelta(days=1))
        client.get(ending.get_absolute_url())
        before = current_version()
        assert before.next_publish_at == TAKEDOWN_AT  # the nearer of a takedown and a publish time
    with time_machine.travel(TAKEDOWN_AT, tick=False):
        after = current_version()
        assert after.token != before.token
        assert after.next_publish_at == later.publish_at


def test_publisher_sets_a_takedown_time_and_it_is_in_the_audit_trail(client, ending):
    article = make_article(title="続く記事")
    client.force_login(make_publisher(full_name="鈴木 太郎"))
    page = client.get(change_url(article)).text
    data = form_data(page, "article_form")
    data.update({"unpublish_at_0": "2099-03-31", "unpublish_at_1": "17:00:00"})
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content[:2000]
    article.refresh_from_db()
    assert article.unpublish_at == datetime.datetime(2099, 3, 31, 17, 0, tzinfo=TOKYO)
    event = article.audit_events.get(action=AuditAction.TAKEDOWN_SCHEDULED)
    assert "2099年3月31日" in event.note and event.user_name == "鈴木 太郎"
    assert "に自動で公開を終了します" in client.get(change_url(article)).text
    data = form_data(client.get(change_url(article)).text, "article_form")
    data.update({"unpublish_at_0": "2000-01-01", "unpublish_at_1": "00:00:00"})
    response = client.post(change_url(article), data)
    assert response.status_code == 200 and "公開終了日時は公開日時より後にしてください" in response.text


def test_an_editor_cannot_set_a_takedown_time(client):
    draft = make_article(published=False)
    client.force_login(make_editor())
    page = client.get(change_url(draft)).text
    assert 'name="unpublish_at_0"' not in page
    data = form_data(page, "article_form")
    data.update({"unpublish_at_0": "2099-03-31", "unpublish_at_1": "17:00:00"})
    client.post(change_url(draft), data)
    draft.refresh_from_db()
    assert draft.unpublish_at is None


def test_the_admin_says_a_part_was_taken_down_and_publishing_again_brings_it_back(admin_client, client, ending):
    with time_machine.travel(TAKEDOWN_AT + datetime.timedelta(days=1), tick=False):
        assert "公開終了" in admin_client.get(reverse("admin:articles_article_changelist")).text
        assert "を過ぎたため、一般の読者には見えません" in admin_client.get(change_url(ending)).text
        workflow.publish_now(ending, make_publisher())
        ending.refresh_from_db()
        assert ending.unpublish_at is None and ending.publish_at == PUBLISH_AT
        assert client.get(ending.get_absolute_url()).status_code == 200
