"""Page cost does not grow with content: a fixed number of SQL queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Section, SpeakerTurn
from forum import page_cache
from tests.support.factories import make_article, make_forum, make_long_article, make_participant, make_roundtable

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    """The page as the first one made after a change (nothing other pages made for this content
    version is reused: forum.page_cache.shared_part)."""
    page_cache.forget_local_pages()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response


def test_part_page_issues_the_same_queries_with_10_and_500_turns(client):
    short = make_long_article(10)
    long = make_long_article(500)
    short_count, short_response = queries_for(client, short.get_absolute_url())
    long_count, long_response = queries_for(client, long.get_absolute_url())
    assert long_response.content.count(b'class="turn"') == 500
    assert short_response.content.count(b'class="turn"') == 10
    assert short_count == long_count


def test_forum_page_issues_the_same_queries_with_5_and_200_roundtables(client):
    small, large = make_forum(slug="small"), make_forum(slug="large")
    for forum, count in ((small, 5), (large, 200)):
        for number in range(1, count + 1):
            roundtable = make_roundtable(forum, number=number)
            make_participant(roundtable, name=f"参加者{number} 太郎", organisation=f"団体{number % 7}")
            make_article(roundtable, part_number=1, slug=f"{forum.slug}-{number}-1")
            make_article(roundtable, part_number=2, slug=f"{forum.slug}-{number}-2")
    small_count, _ = queries_for(client, small.get_absolute_url())
    large_count, response = queries_for(client, large.get_absolute_url())
    assert response.content.count(b'class="back-number"') == 20  # paginated
    assert small_count == large_count
    last_page_count, _ = queries_for(client, large.get_absolute_url() + "?page=10")
    assert last_page_count == large_count


def test_person_page_issues_the_same_queries_with_3_and_60_turns(client):
    counts = []
    for turns in (3, 60):
        roundtable = make_roundtable()
        speaker = make_participant(roundtable, name=f"話者{turns} 花子", roles=("CIO", "CDO"))
        article = make_article(roundtable)
        section = Section.objects.create(article=article, position=1, heading="見出し")
        SpeakerTurn.objects.bulk_create(
            [SpeakerTurn(section=section, position=i, speaker=speaker, body=f"発言{i}") for i in range(turns)]
        )
        counts.append(queries_for(client, speaker.person.get_absolute_url())[0])
    assert counts[0] == counts[1]


def test_home_issues_the_same_queries_with_1_and_30_parts(client):
    make_article()
    one, _ = queries_for(client, "/")
    for _ in range(29):
        make_article()
    many, _ = queries_for(client, "/")
    assert one == many


def test_part_page_loads_the_participants_once(client):
    article = make_long_article(10)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(article.get_absolute_url()).status_code == 200
    # The participants with their names (the back numbers load only organisations, separately).
    participant_loads = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT "participants_participant"."id"') and "participants_person" in q["sql"]
    ]
    assert len(participant_loads) == 1, participant_loads


def test_roundtable_page_issues_the_same_queries_with_1_and_6_parts_and_2_and_12_participants(client):
    counts = []
    for parts, people in ((1, 2), (6, 12)):
        roundtable = make_roundtable()
        for index in range(people):
            make_participant(roundtable, name=f"参加{parts}-{index} 次郎", organisation=f"団体{index}", roles=("CIO",))
        for number in range(1, parts + 1):
            make_article(roundtable, part_number=number)
        count, response = queries_for(client, roundtable.get_absolute_url())
        assert response.content.decode().count("参加") >= people
        counts.append(count)
    assert counts[0] == counts[1]


def test_person_page_issues_the_same_queries_with_1_and_15_appearances(client):
    counts = []
    for appearances in (1, 15):
        name = f"常連{appearances} 花子"
        for _ in range(appearances):
            roundtable = make_roundtable()
            speaker = make_participant(roundtable, name=name, organisation="町田市", roles=("CIO",))
            section = Section.objects.create(article=make_article(roundtable), position=1, heading="見出し")
            SpeakerTurn.objects.create(section=section, position=1, speaker=speaker, body="発言")
        counts.append(queries_for(client, speaker.person.get_absolute_url())[0])
    assert counts[0] == counts[1]


def test_person_page_deep_pages_issue_the_same_queries_as_the_first(client):
    # 30 appearances of 25 turns: page 37 of 38 lies deep in the oldest roundtables.
    for number in range(30):
        roundtable = make_roundtable()
        speaker = make_participant(roundtable, name="常連 次郎")
        section = Section.objects.create(article=make_article(roundtable), position=1, heading="見出し")
        SpeakerTurn.objects.bulk_create(
            [SpeakerTurn(section=section, position=i, speaker=speaker, body=f"発言{number}-{i}") for i in range(25)]
        )
    url = speaker.person.get_absolute_url()
    first, _ = queries_for(client, url)
    deep, response = queries_for(client, url + "?page=37")
    assert response.content.decode().count('class="person-turn"') == 20
    assert deep == first


def test_sitemap_issues_the_same_queries_with_2_and_40_parts(client):
    counts = []
    for parts in (2, 40):
        for _ in range(parts // 2):
            roundtable = make_roundtable()
            make_participant(roundtable)
            make_article(roundtable, part_number=1)
            make_article(roundtable, part_number=2)
        counts.append(queries_for(client, "/sitemap.xml")[0])
    assert counts[0] == counts[1]
