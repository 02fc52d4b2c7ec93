"""What many public pages print alike (the footer, a forum's back numbers, a roundtable's public
parts, who speaks in which part) is made once per content version and shared by the pages made
for it (forum.page_cache.shared_part): the further pages of a forum cost two queries, and a
change, a scheduled time or a takedown shows on every page at the next request, as the cached
pages do."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import renditions
from articles.models import Article, SpeakerTurn
from forum import page_cache
from forum.models import SiteSettings
from tests.support.factories import make_article, make_forum, make_long_article, make_participant, make_roundtable

pytestmark = pytest.mark.django_db


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def back_number_titles(soup):
    return [link.get_text(" ", strip=True) for link in soup.select(".back-numbers-box .back-number-title a")]


def part_links(soup):
    return [link.get_text(strip=True) for link in soup.select(".back-numbers-box .part-links a")]


@pytest.fixture
def forum_with_parts():
    forum = make_forum(name="共有部分のフォーラム")
    first = make_long_article(5, roundtable=make_roundtable(forum, number=1, title="第一の座談会"), placeholders=False)
    second = make_long_article(5, roundtable=make_roundtable(forum, number=2, title="第二の座談会"), placeholders=False)
    return forum, first, second


def test_further_part_pages_of_the_forum_read_only_what_is_their_own(client, forum_with_parts):
    _, first, second = forum_with_parts
    sibling = make_article(first.roundtable, part_number=2, title="後半の記事")
    renditions.rebuild(Article.objects.all())  # the parts' bodies stored, as after a deploy
    page_cache.forget_local_pages()
    with CaptureQueriesContext(connection) as first_page:
        page(client, first)
    with CaptureQueriesContext(connection) as same_roundtable:
        sibling_page = page(client, sibling)
    with CaptureQueriesContext(connection) as other_roundtable:
        soup = page(client, second)
    # The first page after a change reads everything. The next part of its roundtable takes the
    # footer, the back numbers, the public parts and who speaks where from it: only the version
    # and the part itself are read. A part of another roundtable reads that roundtable's two.
    assert len(same_roundtable) == 2, [query["sql"][:80] for query in same_roundtable]
    assert len(other_roundtable) == 4, [query["sql"][:80] for query in other_roundtable]
    assert len(first_page) > len(other_roundtable)
    assert back_number_titles(soup) == ["第2回 第二の座談会", "第1回 第一の座談会"]
    assert soup.select_one(".back-numbers-box [aria-current=page]").get_text(strip=True) == second.title
    assert sibling_page.select_one(".part-nav a[rel=prev]")["href"] == first.get_absolute_url()


def test_a_new_roundtable_shows_in_the_back_numbers_of_a_page_not_seen_since(client, forum_with_parts):
    forum, first, second = forum_with_parts
    page(client, first)  # the back numbers are made for this version
    third = make_article(make_roundtable(forum, number=3, title="第三の座談会"), title="第三の記事")
    assert back_number_titles(page(client, second))[0] == "第3回 第三の座談会"
    assert "第三の記事" in part_links(page(client, first))
    assert "第三の記事" in part_links(page(client, third))


def test_a_roundtable_scheduled_later_joins_the_back_numbers_at_its_time(client, forum_with_parts):
    forum, first, second = forum_with_parts
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    make_article(make_roundtable(forum, number=3, title="予約の座談会"), title="予約の記事", publish_at=publish_at)
    assert "予約の記事" not in part_links(page(client, first))
    assert "予約の記事" not in part_links(page(client, second))
    with time_machine.travel(publish_at + datetime.timedelta(seconds=1)):
        assert "予約の記事" in part_links(page(client, second))
        assert "予約の記事" in part_links(page(client, first))


def test_a_part_taken_down_leaves_the_links_of_the_other_parts_at_its_time(client, forum_with_parts):
    _, first, second = forum_with_parts
    later = make_article(second.roundtable, part_number=2, title="後半の記事")
    later.unpublish_at = timezone.now() + datetime.timedelta(hours=1)
    later.save()
    assert "後半の記事" in part_links(page(client, first))
    assert page(client, second).select_one(".part-nav a[rel=next]") is not None
    with time_machine.travel(later.unpublish_at + datetime.timedelta(seconds=1)):
        assert "後半の記事" not in part_links(page(client, first))
        assert page(client, second).select_one(".part-nav a[rel=next]") is None


def test_a_new_publisher_shows_in_the_footer_of_every_page_at_the_next_request(client, forum_with_parts):
    _, first, second = forum_with_parts
    assert "新しい発行者" not in page(client, first).select_one(".site-footer-publisher").get_text()
    settings = SiteSettings.load()
    settings.publisher = "新しい発行者"
    settings.save()
    assert "新しい発行者" in page(client, second).select_one(".site-footer-publisher").get_text()
    assert "新しい発行者" in client.get("/").content.decode()


def test_a_guest_who_first_speaks_in_a_new_part_shows_in_its_participants_box(client, forum_with_parts):
    _, first, _ = forum_with_parts
    guest = make_participant(first.roundtable, name="新顔 花子", organisation="新しい区役所")
    later = make_article(first.roundtable, part_number=2, title="後半の記事", published=False)
    section = later.sections.create(position=1, heading="後半の見出し")
    SpeakerTurn.objects.create(section=section, position=1, speaker=guest, body="後半で初めて話します。")
    # The guest speaks only in a draft: not listed (articles.visibility, rule 5).
    assert "新顔 花子" not in page(client, first).select_one(".participants").get_text()
    later.status, later.publish_at = first.status, timezone.now() - datetime.timedelta(minutes=1)
    later.save()
    assert "新顔 花子" in page(client, later).select_one(".participants").get_text()
    assert "新顔 花子" in page(client, first).select_one(".participants").get_text()


def test_pages_outside_a_content_version_make_everything_themselves():
    made = []
    assert page_cache.shared_part(("test",), lambda: made.append(1) or len(made)) == 1
    assert page_cache.shared_part(("test",), lambda: made.append(1) or len(made)) == 2
    version = page_cache.current_version()
    with page_cache.serving(version):
        assert page_cache.shared_part(("test",), lambda: made.append(1) or len(made)) == 3
        assert page_cache.shared_part(("test",), lambda: made.append(1) or len(made)) == 3
    page_cache.content_changed()
    with page_cache.serving(page_cache.current_version()):
        assert page_cache.shared_part(("test",), lambda: made.append(1) or len(made)) == 4
