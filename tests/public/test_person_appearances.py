"""A person with hundreds of appearances: the person page stays small and fast, and the
appearances page (linked from it) pages through every one, the oldest included."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleStatus, Section, SpeakerTurn
from forum import page_cache
from forum.models import Roundtable
from participants.models import Participant, Person
from participants.views import APPEARANCES_PER_PAGE, APPEARANCES_SHOWN
from tests.support import quality
from tests.support.factories import make_article, make_forum, make_participant, make_roundtable

pytestmark = pytest.mark.django_db


def regular(count, name="常連 花子"):
    """A person at `count` public roundtables (one a month, newest last), made in bulk; each
    appearance with one turn. Returns the person and the roundtables, oldest first."""
    forum = make_forum(name=f"多摩CIOフォーラム{count}", slug=f"tama-{count}")
    person = Person.objects.create(name=name)
    first = datetime.date(2000, 1, 10)
    roundtables = Roundtable.objects.bulk_create(
        Roundtable(
            forum=forum,
            number=n,
            title=f"第{n}回の座談会",
            held_on=first + datetime.timedelta(days=31 * (n - 1)),
        )
        for n in range(1, count + 1)
    )
    published = timezone.now() - datetime.timedelta(days=1)
    articles = Article.objects.bulk_create(
        Article(
            roundtable=roundtable,
            part_number=1,
            title=f"座談会{roundtable.number}",
            slug=f"{forum.slug}-{roundtable.number}",
            status=ArticleStatus.PUBLISHED,
            publish_at=published,
        )
        for roundtable in roundtables
    )
    participants = Participant.objects.bulk_create(
        Participant(roundtable=roundtable, person=person, order=1, posts=[f"部長{roundtable.number}"])
        for roundtable in roundtables
    )
    sections = Section.objects.bulk_create(
        Section(article=article, position=1, heading="見出し") for article in articles
    )
    SpeakerTurn.objects.bulk_create(
        SpeakerTurn(section=section, position=1, speaker=participant, body=f"第{participant.roundtable.number}回の発言")
        for section, participant in zip(sections, participants)
    )
    return person, roundtables


def get(client, url):
    """The page as the first one made after a change (nothing other pages made for this content
    version is reused: forum.page_cache.shared_part)."""
    page_cache.forget_local_pages()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(captured)


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def test_person_page_of_300_appearances_shows_the_newest_and_stays_small_with_the_same_queries(client):
    few, _ = regular(5, name="時々 次郎")
    many, _ = regular(300)
    few_response, few_queries = get(client, few.get_absolute_url())
    many_response, many_queries = get(client, many.get_absolute_url())
    assert many_queries == few_queries
    html = page(many_response)
    shown = [li.get_text(" ", strip=True) for li in html.select(".appearance-list li")]
    assert len(shown) == APPEARANCES_SHOWN
    assert "第300回の座談会" in shown[0] and "部長300" in shown[0]  # newest first, with the title held then
    assert "第281回の座談会" in shown[-1]
    assert "第1回の座談会" not in many_response.content.decode()
    # Bounded: about the size of a person page with 20 appearances, whatever the number.
    assert len(many_response.content) < len(few_response.content) + 20_000
    assert len(many_response.content) < 60_000
    more = html.select_one(".appearance-more a")
    assert more.get_text(strip=True) == "登場した座談会をすべて見る(300件)"


def test_a_reader_follows_the_link_and_pages_to_the_oldest_appearance(client):
    person, roundtables = regular(300)
    link = page(client.get(person.get_absolute_url())).select_one(".appearance-more a")["href"]
    first, first_queries = get(client, link)
    html = page(first)
    assert html.h1.get_text(strip=True) == "常連 花子さんが登場した座談会"
    assert len(html.select(".appearance-list li")) == APPEARANCES_PER_PAGE
    assert "第300回の座談会" in html.select(".appearance-list li")[0].get_text()
    # Page by page through the "次のページ" links to the end.
    pages, url = 1, link
    while (following := html.select_one('.pagination a[rel="next"]')) is not None:
        url = link + following["href"]
        response, queries = get(client, url)
        assert queries == first_queries
        html = page(response)
        pages += 1
    assert pages == -(-300 // APPEARANCES_PER_PAGE)
    last = [li.get_text(" ", strip=True) for li in html.select(".appearance-list li")]
    assert "第1回の座談会" in last[-1] and "部長1" in last[-1]
    assert html.select_one(".appearance-list")["start"] == str(300 - len(last) + 1)
    oldest = html.select(".appearance-list li a")[-1]["href"]
    assert oldest == roundtables[0].get_absolute_url()
    # The page's address is shareable: its canonical URL is itself.
    assert html.select_one('link[rel="canonical"]')["href"].endswith(url)


def test_deep_turn_pages_show_the_title_held_at_an_appearance_not_listed_on_the_page(client):
    person, _ = regular(300)
    html = page(client.get(person.get_absolute_url() + "?page=15"))  # turns 281–300: the oldest
    metas = [p.get_text() for p in html.select(".person-turn-meta")]
    assert len(metas) == 20
    assert "部長1" in metas[-1] and "部長20" in metas[0]


def test_an_ordinary_person_has_no_link_to_more_appearances(client):
    roundtable = make_roundtable()
    speaker = make_participant(roundtable, name="一度 三郎")
    make_article(roundtable)
    html = page(client.get(speaker.person.get_absolute_url()))
    assert len(html.select(".appearance-list li")) == 1
    assert html.select_one(".appearance-more") is None
    assert client.get(f"/people/{speaker.person.pk}/roundtables/").status_code == 200


def test_the_appearances_page_refuses_pages_that_do_not_exist_and_hidden_people(client):
    person, _ = regular(3)
    url = f"/people/{person.pk}/roundtables/"
    assert client.get(url + "?page=2").status_code == 404
    assert client.get(url + "?page=abc").status_code == 404
    hidden = Person.objects.create(name="未公開 四郎")
    assert client.get(f"/people/{hidden.pk}/roundtables/").status_code == 404


def test_the_pages_of_a_person_with_many_appearances_are_valid_html(client):
    person, _ = regular(120)
    url = f"/people/{person.pk}/roundtables/"
    documents = {
        "person page": client.get(person.get_absolute_url()).content.decode(),
        "appearances page 2": client.get(url + "?page=2").content.decode(),
    }
    results = quality.validate_html(documents)
    assert not any(results.values()), quality.format_html_errors(results)
