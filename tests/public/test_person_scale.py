"""The person pages of someone with thousands of appearances read a row per part
(articles.TurnCount, kept by the database) instead of every turn: the counts stay equal to
the turns whatever writes them, and the pages keep the visibility rules (articles.visibility)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import ArticleStatus, Section, SpeakerTurn, TurnCount
from articles.visibility import public_appearances, public_appearances_of
from forum import page_cache
from participants.models import Person
from participants.views import TURNS_PER_PAGE
from tests.support.factories import make_article, make_participant, make_roundtable

pytestmark = pytest.mark.django_db


def counted():
    return {(row.speaker_id, row.article_id): row.turns for row in TurnCount.objects.all()}


def actual():
    rows = (
        SpeakerTurn.objects.filter(speaker__isnull=False)
        .values("speaker_id", "section__article_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["speaker_id"], row["section__article_id"]): row["n"] for row in rows}


def test_turn_counts_follow_every_way_of_writing_turns():
    roundtable = make_roundtable()
    part1, part2 = make_article(roundtable), make_article(roundtable, part_number=2)
    a, b = make_participant(roundtable, name="甲 一郎"), make_participant(roundtable, name="乙 二郎")
    s1 = Section.objects.create(article=part1, position=1)
    s2 = Section.objects.create(article=part2, position=1)
    turn = SpeakerTurn.objects.create(section=s1, position=1, speaker=a, body="保存")
    SpeakerTurn.objects.create(section=s1, position=2, body="ナレーション")  # not counted
    SpeakerTurn.objects.bulk_create(
        [SpeakerTurn(section=s1, position=3 + i, speaker=b, body="一括") for i in range(3)]
    )  # the importer's way
    assert counted() == actual() == {(a.pk, part1.pk): 1, (b.pk, part1.pk): 3}

    turn.speaker = b  # another speaker
    turn.save()
    assert counted() == actual() == {(b.pk, part1.pk): 4}
    SpeakerTurn.objects.filter(pk=turn.pk).update(section=s2)  # moved to another part
    assert counted() == actual() == {(b.pk, part1.pk): 3, (b.pk, part2.pk): 1}
    Section.objects.filter(pk=s1.pk).update(article=part2)  # a whole section moved
    assert counted() == actual() == {(b.pk, part2.pk): 4}
    SpeakerTurn.objects.filter(speaker=b).first().delete()
    assert counted() == actual() == {(b.pk, part2.pk): 3}
    SpeakerTurn.objects.filter(pk=turn.pk).update(speaker=None)  # now narration
    assert counted() == actual() == {(b.pk, part2.pk): 2}
    part2.delete()  # its sections and turns with it
    assert counted() == actual() == {}


def test_turn_counts_hold_when_turns_are_written_before_their_section_or_deleted_after_it():
    """As a fixture or a revision may restore them, with the foreign key checked at commit."""
    roundtable = make_roundtable()
    part = make_article(roundtable)
    speaker = make_participant(roundtable, name="甲 一郎")
    with transaction.atomic(), connection.constraint_checks_disabled():
        SpeakerTurn.objects.bulk_create(
            [SpeakerTurn(section_id=999_001, position=i, speaker=speaker, body="先に発言") for i in range(2)]
        )
        Section.objects.bulk_create([Section(pk=999_001, article=part, position=1)])
    assert counted() == actual() == {(speaker.pk, part.pk): 2}
    with transaction.atomic(), connection.constraint_checks_disabled():
        Section.objects.filter(pk=999_001)._raw_delete(connection.alias)
        assert counted() == {}
        SpeakerTurn.objects.filter(section_id=999_001)._raw_delete(connection.alias)
    assert counted() == actual() == {}


def speak(participant, article, turns=1):
    section = Section.objects.create(article=article, position=Section.objects.filter(article=article).count() + 1)
    for position in range(turns):
        SpeakerTurn.objects.create(section=section, position=position, speaker=participant, body=f"発言{position}")


def test_public_appearances_of_a_person_follow_the_rule_of_public_appearances(time_machine):
    time_machine.move_to(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), tick=False)
    now = timezone.now()
    person = Person.objects.create(name="常連 花子")
    later = now + datetime.timedelta(days=31)
    cases = {}
    for name, parts in {
        "speaks in a public part": [{"published": True}],
        "speaks in a public and a draft part": [{"published": True}, {"published": False}],
        "speaks only in a scheduled part": [{"published": True, "speaks": False}, {"publish_at": later}],
        "speaks only in a draft part": [{"published": True, "speaks": False}, {"published": False}],
        "speaks only in a part taken down": [
            {"published": True, "speaks": False},
            {"publish_at": now - datetime.timedelta(days=9), "unpublish_at": now - datetime.timedelta(days=1)},
        ],
        "no turn at a public roundtable": [{"published": True, "speaks": False}],
        "no turn at a roundtable with only a draft": [{"published": False, "speaks": False}],
    }.items():
        roundtable = make_roundtable(title=name)
        participant = make_participant(roundtable, name=person.name)
        for number, part in enumerate(parts, start=1):
            speaks = part.pop("speaks", True)
            if "publish_at" in part:
                part = dict(published=False, status=ArticleStatus.PUBLISHED, **part)
            article = make_article(roundtable, part_number=number, **part)
            if speaks:
                speak(participant, article)
        cases[name] = participant.pk

    def shown():
        expected = set(public_appearances().filter(person=person).values_list("pk", flat=True))
        assert set(public_appearances_of(person).values_list("pk", flat=True)) == expected
        return {name for name, pk in cases.items() if pk in expected}

    assert shown() == {
        "speaks in a public part",
        "speaks in a public and a draft part",
        "no turn at a public roundtable",
    }
    time_machine.move_to(later + datetime.timedelta(minutes=1), tick=False)  # the scheduled part is out
    assert "speaks only in a scheduled part" in shown()


def get(client, url, status=200):
    page_cache.forget_local_pages()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, url
    return response, len(captured)


def test_a_guest_of_a_scheduled_part_has_no_person_page_and_no_turns_counted_until_its_time(client, time_machine):
    time_machine.move_to(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), tick=False)
    at = datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)
    regular = Person.objects.create(name="常連 花子")
    guest = Person.objects.create(name="秘密 ゲスト")
    roundtable = make_roundtable(title="第1回")
    part1 = make_article(roundtable, part_number=1)
    part2 = make_article(roundtable, part_number=2, published=False, status=ArticleStatus.PUBLISHED, publish_at=at)
    speak(make_participant(roundtable, name=regular.name), part1, turns=3)
    regular_there = roundtable.participants.get(person=regular)
    speak(regular_there, part2, turns=TURNS_PER_PAGE)  # a page more once part 2 is out
    speak(make_participant(roundtable, name=guest.name), part2, turns=2)

    assert get(client, guest.get_absolute_url(), status=404)
    assert get(client, f"/people/{guest.pk}/roundtables/", status=404)
    response, _ = get(client, regular.get_absolute_url())
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#turns-heading .count").get_text() == "(3件)"
    assert len(soup.select(".person-turn")) == 3
    assert "秘密" not in response.content.decode()

    time_machine.move_to(at + datetime.timedelta(minutes=1), tick=False)  # no job: the time has come
    response, _ = get(client, guest.get_absolute_url())
    assert len(BeautifulSoup(response.content, "html.parser").select(".person-turn")) == 2
    response, _ = get(client, regular.get_absolute_url())
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#turns-heading .count").get_text() == f"({3 + TURNS_PER_PAGE}件)"
    response, _ = get(client, regular.get_absolute_url() + "?page=2")
    assert len(BeautifulSoup(response.content, "html.parser").select(".person-turn")) == 3

    part2.refresh_from_db()
    part2.unpublish_at = at + datetime.timedelta(minutes=2)
    part2.save(update_fields=["unpublish_at"])
    time_machine.move_to(at + datetime.timedelta(minutes=3), tick=False)  # taken down
    assert get(client, guest.get_absolute_url(), status=404)
    get(client, regular.get_absolute_url() + "?page=2", status=404)


def test_the_person_pages_cost_the_same_queries_with_many_appearances_and_hidden_parts(client):
    def person_at(count, name):
        person = Person.objects.create(name=name)
        for n in range(count):
            roundtable = make_roundtable(title=f"{name}{n}")
            participant = make_participant(roundtable, name=name)
            speak(participant, make_article(roundtable), turns=2)
            speak(participant, make_article(roundtable, part_number=2, published=False))  # a draft
        return person

    few, many = person_at(2, "時々 次郎"), person_at(30, "常連 花子")
    queries = {}
    for person in (few, many):
        queries[person.name] = (
            get(client, person.get_absolute_url())[1],
            get(client, f"/people/{person.pk}/roundtables/")[1],
        )
    assert queries["時々 次郎"] == queries["常連 花子"]
    response, _ = get(client, many.get_absolute_url() + "?page=3")
    assert len(BeautifulSoup(response.content, "html.parser").select(".person-turn")) == 60 - 2 * TURNS_PER_PAGE


def test_further_pages_of_a_person_reuse_what_the_first_read_and_stay_fresh(client, time_machine):
    """What a person's pages read of all the appearances is kept for the other pages made for the
    same content version (forum.page_cache.shared_part), and no longer: a scheduled part's time
    passing is a new version."""
    time_machine.move_to(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), tick=False)
    at = datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)
    regular = Person.objects.create(name="常連 花子")
    for number in range(3):
        roundtable = make_roundtable(title=f"第{number}回")
        participant = make_participant(roundtable, name=regular.name)
        speak(participant, make_article(roundtable), turns=TURNS_PER_PAGE)
    scheduled = make_article(roundtable, part_number=2, published=False, status=ArticleStatus.PUBLISHED, publish_at=at)
    speak(participant, scheduled, turns=TURNS_PER_PAGE)
    page_cache.forget_local_pages()
    with CaptureQueriesContext(connection) as first:
        assert client.get(regular.get_absolute_url() + "?page=2").status_code == 200
    with CaptureQueriesContext(connection) as further:
        assert client.get(regular.get_absolute_url() + "?page=3").status_code == 200
    # Neither the appearances' ids nor the turn counts again: only the page's own rows.
    assert any("articles_turncount" in query["sql"] for query in first.captured_queries)
    assert not any("articles_turncount" in query["sql"] for query in further.captured_queries)
    assert len(further) < len(first)
    assert client.get(regular.get_absolute_url() + "?page=4").status_code == 404

    time_machine.move_to(at + datetime.timedelta(minutes=1), tick=False)  # part 2 is out: a new version
    response = client.get(regular.get_absolute_url() + "?page=4")
    assert response.status_code == 200
    assert len(BeautifulSoup(response.content, "html.parser").select(".person-turn")) == TURNS_PER_PAGE
