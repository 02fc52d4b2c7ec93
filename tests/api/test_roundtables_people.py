"""/api/v1/roundtables and /api/v1/people: public roundtables with their parts and participants,
people with the title of each appearance; scheduled parts count only once their time has come."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from articles.models import ArticleStatus, Section, SpeakerTurn
from tests.api.conftest import TAKAHASHI_TITLE, speeches
from tests.support.factories import make_article, make_participant, make_roundtable

pytestmark = pytest.mark.django_db


def test_roundtable_record_lists_public_parts_and_participants_as_printed(client, sample):
    body = client.get("/api/v1/roundtables").json()
    assert body["numberOfRecords"] == 1
    record = body["roundtableRecord"][0]
    assert (record["number"], record["title"], record["heldOn"], record["format"]) == (
        4,
        "町田市×都CIO座談会",
        "2021-10-15",
        "座談会",
    )
    assert record["forum"]["slug"] == "tokyo-cio-forum"
    assert [(p["name"], p["position"]) for p in record["participants"]] == [
        ("高橋 晃", TAKAHASHI_TITLE),
        ("宮坂 学", "都副知事(CIO)"),
        ("深井 稔", "都デジタルサービス局戦略部長"),
        ("小澤 洋之", "都デジタルサービス局戦略部戦略課長"),
    ]
    assert record["parts"][0]["url"].endswith("/articles/tokyo-cio-forum-4-part2/")


def test_person_record_gives_each_appearance_with_the_title_then(client, sample):
    later = make_roundtable(sample.roundtable.forum, number=9, title="次の座談会", held_on=datetime.date(2023, 5, 1))
    takahashi = make_participant(later, name="高橋 晃", organisation="町田市", posts=("副市長",), roles=("CIO",))
    part = make_article(later, slug="later-part")
    section = Section.objects.create(article=part, position=1, heading="見出し")
    SpeakerTurn.objects.create(section=section, position=1, speaker=takahashi, body="副市長になりました。")

    people = client.get("/api/v1/people", {"name": "たかはし"}).json()["personRecord"]
    assert [person["name"] for person in people] == ["高橋 晃"]
    assert [(a["roundtable"]["number"], a["position"]) for a in people[0]["appearances"]] == [
        (4, TAKAHASHI_TITLE),
        (9, "町田市副市長(CIO)"),
    ]
    # Each turn carries the title of its own appearance.
    positions = {r["speakerPosition"] for r in speeches(client, speaker="高橋", maximumRecords=100)["speechRecord"]}
    assert positions == {TAKAHASHI_TITLE, "町田市副市長(CIO)"}
    assert client.get("/api/v1/people", {"forum": "no-such-forum"}).json()["numberOfRecords"] == 0
    everyone = client.get("/api/v1/people").json()["personRecord"]
    assert [p["yomi"] for p in everyone] == sorted(p["yomi"] for p in everyone)  # 五十音順


def test_a_scheduled_part_appears_when_its_time_comes(client, sample):
    soon = timezone.now() + datetime.timedelta(hours=2)
    roundtable = make_roundtable(sample.roundtable.forum, number=5, title="予約の座談会")
    guest = make_participant(roundtable, name="予約 花子", posts=("課長",))
    part = make_article(roundtable, published=False, status=ArticleStatus.PUBLISHED, publish_at=soon, slug="scheduled")
    section = Section.objects.create(article=part, position=1)
    SpeakerTurn.objects.create(section=section, position=1, speaker=guest, body="予約された発言。")

    assert speeches(client, speaker="予約")["numberOfRecords"] == 0
    assert client.get("/api/v1/roundtables").json()["numberOfRecords"] == 1
    assert "予約 花子" not in [p["name"] for p in client.get("/api/v1/people").json()["personRecord"]]
    with time_machine.travel(soon + datetime.timedelta(minutes=1)):
        assert speeches(client, speaker="予約")["numberOfRecords"] == 1
        assert client.get("/api/v1/roundtables").json()["numberOfRecords"] == 2
        assert "予約 花子" in [p["name"] for p in client.get("/api/v1/people").json()["personRecord"]]


def test_roundtables_filter_by_forum_number_and_dates(client, sample):
    assert (
        client.get("/api/v1/roundtables", {"forum": "tokyo-cio-forum", "roundtable": 4}).json()["numberOfRecords"] == 1
    )
    assert client.get("/api/v1/roundtables", {"roundtable": 5}).json()["numberOfRecords"] == 0
    assert client.get("/api/v1/roundtables", {"from": "2022-01-01"}).json()["numberOfRecords"] == 0
    assert client.get("/api/v1/roundtables", {"until": "2021-12-31"}).json()["numberOfRecords"] == 1
    bad = client.get("/api/v1/roundtables", {"speaker": "高橋"})
    assert bad.status_code == 400 and bad.json()["details"][0]["parameter"] == "speaker"
