"""Who is shown as a participant: nobody is public before a part they speak in is."""

import datetime

import pytest

from articles.models import ArticleStatus, Section, SpeakerTurn
from tests.support.factories import make_article, make_participant

pytestmark = pytest.mark.django_db


SAMPLE_IMAGES = False  # for the series fixture (tests/public/conftest.py)


def add_guest_of_scheduled_part(series, when):
    guest = make_participant(series.roundtable, name="秘密 ゲスト", organisation="多摩市", posts=("企画部長",))
    part3 = make_article(
        series.roundtable, part_number=3, slug="machida-part3", status=ArticleStatus.PUBLISHED, publish_at=when
    )
    section = Section.objects.create(article=part3, position=1, heading="第3回")
    SpeakerTurn.objects.create(section=section, position=1, speaker=guest, body="第3回でだけ話します。")
    return guest


def shown_anywhere(client, series, guest):
    pages = [
        series.roundtable.get_absolute_url(),
        series.part1.get_absolute_url(),
        series.part2.get_absolute_url(),
        "/feeds/rss/",
    ]
    return {
        "pages": [url for url in pages if "秘密" in client.get(url).content.decode()],
        "organisation on the forum page": "多摩市" in client.get(series.forum.get_absolute_url()).content.decode(),
        "person": client.get(guest.person.get_absolute_url()).status_code,
        "sitemap": guest.person.get_absolute_url() in client.get("/sitemap.xml").content.decode(),
    }


def test_a_guest_of_a_scheduled_part_is_not_shown_until_that_part_is_public(client, series, time_machine):
    time_machine.move_to(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), tick=False)
    guest = add_guest_of_scheduled_part(series, datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC))
    assert shown_anywhere(client, series, guest) == {
        "pages": [],
        "organisation on the forum page": False,
        "person": 404,
        "sitemap": False,
    }
    time_machine.move_to(datetime.datetime(2024, 2, 2, tzinfo=datetime.UTC), tick=False)
    assert shown_anywhere(client, series, guest) == {
        "pages": [
            series.roundtable.get_absolute_url(),
            series.part1.get_absolute_url(),
            series.part2.get_absolute_url(),
            "/feeds/rss/",
        ],
        "organisation on the forum page": True,
        "person": 200,
        "sitemap": True,
    }


def test_a_participant_without_any_turn_is_shown_with_the_public_roundtable(client, series):
    moderator = make_participant(series.roundtable, name="司会 太郎", posts=("司会",))
    assert "司会 太郎" in client.get(series.roundtable.get_absolute_url()).content.decode()
    assert "司会 太郎" in client.get(series.part1.get_absolute_url()).content.decode()
    assert client.get(moderator.person.get_absolute_url()).status_code == 200


def test_a_guest_speaking_only_in_a_draft_part_has_no_person_page(client, series):
    guest = make_participant(series.roundtable, name="下書き 花子", posts=("課長",))
    draft = make_article(series.roundtable, published=False, part_number=3, slug="machida-draft-3")
    section = Section.objects.create(article=draft, position=1)
    SpeakerTurn.objects.create(section=section, position=1, speaker=guest, body="下書きの発言")
    assert client.get(guest.person.get_absolute_url()).status_code == 404
    assert "下書き 花子" not in client.get(series.roundtable.get_absolute_url()).content.decode()
