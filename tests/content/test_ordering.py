"""Orderings that must read the same on SQLite and PostgreSQL (which sorts NULL first in DESC)."""

import datetime

import pytest
from bs4 import BeautifulSoup

from tests.support.factories import make_article, make_participant, make_roundtable

pytestmark = pytest.mark.django_db


def test_person_page_takes_the_current_title_from_the_latest_dated_roundtable(client):
    dated = make_roundtable(number=1, held_on=datetime.date(2023, 4, 1))
    undated = make_roundtable(dated.forum, number=2, held_on=None)
    make_participant(dated, name="宮坂 学", posts=("副知事",))
    make_participant(undated, name="宮坂 学", posts=("局長",))
    make_article(dated, slug="dated-part")
    make_article(undated, slug="undated-part")
    page = BeautifulSoup(client.get(dated.participants.get().person.get_absolute_url()).content, "html.parser")
    assert "副知事" in page.select_one('meta[name="description"]')["content"]
    assert "副知事" in page.select(".appearance-list li")[0].get_text()


def test_admin_lists_parts_newest_first_and_parts_without_a_publish_date_last(editor_client):
    make_article(published=False, title="日付のない下書き", slug="no-date")
    make_article(title="先月の記事", slug="last-month", publish_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    make_article(title="昨日の記事", slug="yesterday")
    page = BeautifulSoup(editor_client.get("/admin/articles/article/").content, "html.parser")
    titles = [row.select_one("th").get_text(strip=True) for row in page.select("#result_list tbody tr")]
    assert titles == ["昨日の記事", "先月の記事", "日付のない下書き"]
