"""Scheduled publishing: a part appears everywhere by itself when its time comes (no job to run)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from articles import workflow
from articles.models import Article
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
PUBLISH_AT = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=TOKYO)
PAGES = ["article", "home", "roundtable", "feed", "forum feed"]
HIDDEN = dict.fromkeys(PAGES, False)
SHOWN = dict.fromkeys(PAGES, True)


@pytest.fixture
def scheduled():
    with time_machine.travel(PUBLISH_AT - datetime.timedelta(days=1), tick=False):
        return make_article(title="予約された記事", publish_at=PUBLISH_AT)


def public_pages(article):
    roundtable = article.roundtable
    return {
        "article": article.get_absolute_url(),
        "home": reverse("forum:home"),
        "roundtable": reverse("forum:roundtable_detail", args=[roundtable.forum.slug, roundtable.number]),
        "feed": reverse("feeds:site_atom"),
        "forum feed": reverse("feeds:forum_rss", args=[roundtable.forum.slug]),
    }


def visible_on(client, article):
    pages = public_pages(article)
    return {
        name: response.status_code == 200 and article.title in response.text
        for name, response in ((name, client.get(url)) for name, url in pages.items())
    }


def test_scheduled_part_is_hidden_everywhere_until_its_minute(client, scheduled):
    with time_machine.travel(PUBLISH_AT - datetime.timedelta(seconds=1), tick=False):
        assert workflow.state(scheduled) == workflow.SCHEDULED
        assert not Article.objects.published().filter(pk=scheduled.pk).exists()
        assert visible_on(client, scheduled) == HIDDEN


def test_scheduled_part_is_public_everywhere_once_its_time_has_come(client, scheduled):
    with time_machine.travel(PUBLISH_AT, tick=False):
        assert workflow.state(scheduled) == workflow.LIVE
        assert visible_on(client, scheduled) == SHOWN
    with time_machine.travel(PUBLISH_AT + datetime.timedelta(days=30), tick=False):
        assert visible_on(client, scheduled) == SHOWN


def test_admin_list_turns_scheduled_into_live_at_the_time(admin_client, scheduled):
    listing = reverse("admin:articles_article_changelist")
    with time_machine.travel(PUBLISH_AT - datetime.timedelta(minutes=1), tick=False):
        assert "公開予約" in admin_client.get(listing).text
    with time_machine.travel(PUBLISH_AT + datetime.timedelta(minutes=1), tick=False):
        text = admin_client.get(listing).text
        assert "公開中" in text and "公開予約" not in text.split("result_list")[1]


def test_a_draft_with_a_past_publish_time_stays_hidden(client):
    draft = make_article(published=False, publish_at=PUBLISH_AT)
    with time_machine.travel(PUBLISH_AT + datetime.timedelta(days=1), tick=False):
        assert visible_on(client, draft) == HIDDEN
