"""Saving a parse: all or nothing, matched to what is on file, without a query per turn."""

from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from articles.importer import ImportConflict, parse_for_import, save_transcript
from articles.models import Article, Section, SpeakerTurn
from forum.models import Roundtable
from participants.models import Organisation, Participant, Person, Role
from tests.support import SAMPLE, TRANSCRIPTS
from tests.support.factories import make_article, make_forum

pytestmark = pytest.mark.django_db

MODELS = (Roundtable, Article, Section, SpeakerTurn, Participant, Person, Organisation, Role)


def sample():
    return parse_for_import(SAMPLE.read_text(encoding="utf-8")).to_dict()


def generated(turns, sections=4):
    """A transcript with three speakers, `turns` turns over `sections` headed sections."""
    lines = [
        "生成した座談会",
        "",
        "第9回は、「生成座談会」をお届けします!",
        "",
        "令和4年4月1日に実施しました。",
        "",
        "参加者",
        "町田市総務部長:高橋 晃",
        "都副知事(CIO):宮坂 学",
        "都戦略部長:深井 稔",
        "",
    ]
    speakers = ["高橋", "宮坂", "深井"]
    for index in range(turns):
        if index % max(1, turns // sections) == 0 and index // max(1, turns // sections) < sections:
            lines += [f"見出し{index}", ""]
        lines += [speakers[index % 3], f"発言その{index}です。", ""]
    return parse_for_import("\n".join(lines)).to_dict()


def counts():
    return [model.objects.count() for model in MODELS]


def test_a_failure_while_saving_turns_leaves_nothing_behind():
    forum, before = make_forum(), counts()
    with mock.patch.object(SpeakerTurn.objects, "bulk_create", side_effect=DatabaseError("disk full")):
        with pytest.raises(DatabaseError):
            save_transcript(sample(), forum)
    assert counts() == before


def test_people_roles_and_organisations_on_file_are_reused_not_duplicated():
    takahashi = Person.objects.create(name="高橋 晃")
    cio = Role.objects.create(abbreviation="CIO")
    tokyo = Organisation.objects.create(name="東京都", short_name="都")
    data = sample()
    data["participants"][0]["name"] = "高橋晃"  # written without the space
    data["participants"][1]["roles"] = ["ＣＩＯ"]  # full-width letters
    article = save_transcript(data, make_forum())
    participants = {p.label: p for p in Participant.objects.filter(roundtable=article.roundtable)}
    assert participants["高橋"].person == takahashi
    assert list(participants["宮坂"].roles.all()) == [cio]
    assert participants["深井"].organisation == tokyo and participants["深井"].organisation_label == ""
    assert Person.objects.count() == 4 and Role.objects.filter(abbreviation__in=["CIO", "ＣＩＯ"]).count() == 1


def test_a_second_part_joins_the_roundtable_and_its_participants():
    forum = make_forum()
    first = sample()
    first["part"], first["title"] = {"number": 1, "of": 2}, "前半の記事"
    save_transcript(first, forum)
    second = sample()
    second["participants"][1]["label"] = "副知事"  # 宮坂 printed under another label in part 2
    second["sections"][0]["blocks"][4]["speaker"] = "副知事"
    article = save_transcript(second, forum)
    assert Roundtable.objects.count() == 1 and article.roundtable.articles.count() == 2
    assert Participant.objects.count() == 4
    miyasaka = Participant.objects.get(person__name="宮坂 学")
    assert SpeakerTurn.objects.filter(section__article=article, speaker=miyasaka).count() == 6
    with pytest.raises(ImportConflict):
        save_transcript(second, forum)


def test_organisations_on_file_decide_where_a_title_is_split():
    Organisation.objects.create(name="四日市市")
    text = "題名\n\n第1回\n\n参加者\n四日市市総務部長:伊藤 一\n\n伊藤\nこんにちは。\n"
    participant = parse_for_import(text).to_dict()["participants"][0]
    assert (participant["organisation"], participant["posts"]) == ("四日市市", ["総務部長"])


def test_a_taken_address_gets_a_suffix_instead_of_failing():
    forum = make_forum(slug="tokyo")
    make_article(slug="tokyo-4-part2")
    assert save_transcript(sample(), forum).slug == "tokyo-4-part2-2"


def test_format_is_guessed_from_the_titles():
    data = parse_for_import((TRANSCRIPTS / "part_early.txt").read_text(encoding="utf-8")).to_dict()
    article = save_transcript(data, make_forum(), roundtable_number=1)
    assert article.roundtable.get_format_display() == "対談"


def test_saving_does_not_issue_a_query_per_turn():
    save_transcript(generated(3), make_forum())  # the people are on file from now on
    with CaptureQueriesContext(connection) as short:
        save_transcript(generated(12), make_forum())
    with CaptureQueriesContext(connection) as long:
        save_transcript(generated(600), make_forum())
    assert SpeakerTurn.objects.count() == 615
    # Only the bulk inserts split into batches (SQLite's limit on parameters), never a query per turn.
    assert len(short) <= len(long) < len(short) + 10


MINUTES = """第5回 公園活用協議会 議事録

第5回は、「公園活用協議会」の記録です。

令和7年6月2日に開催しました。

出席者
委員長 本田 健
委員 早川 舞

1.議題

【委員】
照明を増やしてほしい。
【事務局】
検討します。
○本田委員長 次に進みます。
"""


@pytest.mark.parametrize(
    "title, value",
    [
        ("第5回 公園活用協議会 議事録", "minutes"),
        ("第5回 検討会 議事概要", "summary"),
        ("知事定例記者会見", "press"),
        ("市長新春対談", "taidan"),
        ("館長インタビュー", "interview"),
    ],
)
def test_the_kind_the_parser_recognised_is_stored_as_the_roundtable_format(title, value):
    data = parse_for_import(MINUTES.replace("第5回 公園活用協議会 議事録", title)).to_dict()
    article = save_transcript(data, make_forum())
    assert article.roundtable.format == value


def test_anonymous_role_labels_are_saved_as_speakers_named_by_the_role():
    data = parse_for_import(MINUTES).to_dict()
    assert [p["name"] for p in data["participants"]] == ["本田 健", "早川 舞"]
    assert [s["label"] for s in data["speakers"]] == ["委員", "事務局"]
    article = save_transcript(data, make_forum())
    turns = list(
        SpeakerTurn.objects.filter(section__article=article)
        .select_related("speaker__person")
        .order_by("section__position", "position")
    )
    assert [(t.speaker.label, t.body) for t in turns] == [
        ("委員", "照明を増やしてほしい。"),
        ("事務局", "検討します。"),
        ("本田委員長", "次に進みます。"),
    ]
    assert turns[2].speaker.person.name == "本田 健"
