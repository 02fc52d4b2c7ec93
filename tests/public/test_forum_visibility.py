"""A forum is not served before it has anything public: no page, no feeds."""

import datetime

import pytest

from tests.support.factories import make_article, make_forum, make_roundtable

pytestmark = pytest.mark.django_db


def test_a_forum_with_only_draft_and_scheduled_parts_has_no_page_and_no_feeds(client, time_machine):
    time_machine.move_to(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), tick=False)
    forum = make_forum(name="準備中のフォーラム", slug="coming-soon", description="まだ公開していない説明")
    roundtable = make_roundtable(forum)
    make_article(roundtable, published=False, slug="coming-draft")
    make_article(
        roundtable,
        part_number=2,
        slug="coming-scheduled",
        publish_at=datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC),
    )
    urls = [forum.get_absolute_url(), "/feeds/coming-soon/rss/", "/feeds/coming-soon/atom/"]
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert "まだ公開していない説明" not in client.get("/feeds/coming-soon/rss/").content.decode()
    time_machine.move_to(datetime.datetime(2024, 2, 2, tzinfo=datetime.UTC), tick=False)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


def test_a_forum_without_any_roundtable_is_not_found(client):
    forum = make_forum(slug="empty-forum")
    assert client.get(forum.get_absolute_url()).status_code == 404
    assert client.get("/feeds/empty-forum/atom/").status_code == 404
