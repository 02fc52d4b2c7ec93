"""/api/v1/speeches on the sample: the records a data user gets, filtered and paged."""

import csv
import io
import re
import unicodedata

import pytest
from bs4 import BeautifulSoup

from articles.api.text import plain_text
from articles.models import SpeakerTurn
from articles.visibility import public_turns
from participants.models import Participant
from tests.api.conftest import DRAFT_WORD, TAKAHASHI_TITLE, speeches
from tests.support import SAMPLE

pytestmark = pytest.mark.django_db


def sample_turns_of(label):
    """The paragraphs that follow each `label` line (the bare label, or the long first one)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return [
        lines[index + 1]
        for index, line in enumerate(lines)
        if line == label or re.match(rf".*:{label}\(以下「{label}」\)$", line)
    ]


def test_speaker_gives_his_six_turns_in_reading_order_with_the_title_as_printed(client, sample):
    body = speeches(client, speaker="高橋")
    printed = sample_turns_of("高橋")
    assert len(printed) == 6
    assert body["numberOfRecords"] == 6 and body["numberOfReturn"] == 6
    records = body["speechRecord"]
    assert [record["speech"] for record in records] == printed
    orders = [record["speechOrder"] for record in records]
    assert orders == sorted(orders) and len(set(orders)) == 6
    # The participants block prints his title; the API gives it exactly so.
    assert f"{TAKAHASHI_TITLE}:高橋 晃" in SAMPLE.read_text(encoding="utf-8")
    for record in records:
        assert record["speaker"] == "高橋 晃"
        assert record["speakerYomi"] == "たかはし あきら"
        assert record["speakerPosition"] == TAKAHASHI_TITLE
        assert record["speakerOrganisation"] == "町田市"
        assert record["speakerRoles"] == ["CIO補佐", "CDO", "CISO補佐"]
        assert record["date"] == "2021-10-15"
        assert record["roundtable"]["number"] == 4


def test_speech_url_opens_that_turn_on_the_public_page(client, sample):
    for record in speeches(client, speaker="高橋")["speechRecord"]:
        path, fragment = record["speechURL"].removeprefix("http://127.0.0.1:8000").split("#")
        page = client.get(path)
        assert page.status_code == 200
        turn = BeautifulSoup(page.content, "html.parser").find(id=fragment)
        assert turn is not None, fragment
        assert record["speech"] in " ".join(turn.get_text().split())


def test_speech_order_counts_every_turn_of_the_part_narration_included(client, sample):
    records = speeches(client, maximumRecords=100)["speechRecord"]
    assert [record["speechOrder"] for record in records] == list(range(1, len(records) + 1))
    assert records[-1]["speaker"] is None and records[-1]["speech"].startswith("―本日は")
    assert records[0]["speakerLabel"] == "深井"


def test_any_returns_exactly_the_turns_containing_the_word(client, sample):
    body = speeches(client, any="横展開")
    expected = [turn.pk for turn in public_turns().order_by("section__position", "position") if "横展開" in turn.body]
    assert len(expected) == 3
    assert [record["speechID"] for record in body["speechRecord"]] == expected
    assert all("横展開" in record["speech"] for record in body["speechRecord"])


def test_any_needs_every_term_in_the_same_turn_whatever_the_width(client, sample):
    both = speeches(client, any="横展開 熱意")["speechRecord"]
    assert [record["speech"][:10] for record in both] == ["横展開は、まずは熱意"]
    # Full-width letters and an ideographic space find the half-width text (NFKC on both sides).
    wide = speeches(client, any="ＯＪＴ\u3000座学")["speechRecord"]
    assert wide and all("OJT" in r["speech"] and "座学" in r["speech"] for r in wide)
    assert speeches(client, any="横展開 存在しない語")["numberOfRecords"] == 0


def test_draft_turns_and_their_only_speaker_never_appear(client, sample):
    assert SpeakerTurn.objects.filter(body__contains=DRAFT_WORD).count() == 2
    everything = speeches(client, maximumRecords=100)
    assert (
        everything["numberOfRecords"] == public_turns().count() == 17
    )  # 16 turns with a speaker and the closing narration
    assert all(DRAFT_WORD not in record["speech"] for record in everything["speechRecord"])
    assert speeches(client, any=DRAFT_WORD)["numberOfRecords"] == 0
    assert speeches(client, speaker="下書き")["numberOfRecords"] == 0
    assert speeches(client, speaker="高橋")["numberOfRecords"] == 6
    people = client.get("/api/v1/people").json()["personRecord"]
    assert "下書き 次郎" not in [person["name"] for person in people]
    roundtable = client.get("/api/v1/roundtables").json()["roundtableRecord"][0]
    assert "下書き 次郎" not in [p["name"] for p in roundtable["participants"]]
    assert [part["number"] for part in roundtable["parts"]] == [2]


def test_csv_opens_with_the_same_rows(client, sample):
    response = client.get("/api/v1/speeches", {"speaker": "高橋", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith("\ufeff".encode())  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    records = speeches(client, speaker="高橋")["speechRecord"]
    assert [int(row["speechID"]) for row in rows] == [record["speechID"] for record in records]
    assert [row["speech"] for row in rows] == [record["speech"] for record in records]
    assert {row["speakerPosition"] for row in rows} == {TAKAHASHI_TITLE}
    assert rows[0]["speakerRoles"] == "CIO補佐、CDO、CISO補佐"
    assert rows[0]["speechURL"] == records[0]["speechURL"]


def test_speaker_matches_name_without_spaces_reading_and_label(client, sample):
    for value in ("高橋晃", "高橋　晃", "たかはし", "タカハシ", "高橋"):
        assert speeches(client, speaker=value)["numberOfRecords"] == 6, value
    assert speeches(client, speaker="宮坂")["numberOfRecords"] == 6
    assert speeches(client, speaker="いない人")["numberOfRecords"] == 0


def test_speaker_position_and_role_filter_by_the_title_held_then(client, sample):
    by_post = speeches(client, speakerPosition="情報システム担当部長")["speechRecord"]
    assert {record["speaker"] for record in by_post} == {"高橋 晃"} and len(by_post) == 6
    # Half-width brackets find the printed full-width ones.
    assert speeches(client, speakerPosition="(CIO補佐")["numberOfRecords"] == 6
    assert speeches(client, speakerPosition="都副知事")["numberOfRecords"] == 6  # 宮坂
    # The printed title is matched through its copy on the appearance, kept on every edit.
    takahashi = Participant.objects.get(person__name="高橋 晃")
    organisation = takahashi.organisation
    organisation.short_name = "まちだ"
    organisation.save()
    assert speeches(client, speakerPosition="まちだ総務部長")["numberOfRecords"] == 6
    takahashi.roles.remove(takahashi.roles.get(abbreviation="CDO"))
    assert speeches(client, speakerPosition="補佐、CISO")["numberOfRecords"] == 6
    takahashi.posts = ["副市長"]
    takahashi.save()
    assert speeches(client, speakerPosition="情報システム担当部長")["numberOfRecords"] == 0
    role = speeches(client, speakerRole="cio")["speechRecord"]
    assert {record["speaker"] for record in role} == {"宮坂 学"}
    assert speeches(client, speakerRole="CISO補佐")["numberOfRecords"] == 6
    assert speeches(client, speakerRole="CISO")["numberOfRecords"] == 0  # exact role, not a prefix


def test_forum_roundtable_and_dates_held(client, sample):
    assert speeches(client, forum="tokyo-cio-forum")["numberOfRecords"] == 17
    assert speeches(client, forum="no-such-forum")["numberOfRecords"] == 0
    assert speeches(client, roundtable=4)["numberOfRecords"] == 17
    assert speeches(client, roundtable=3)["numberOfRecords"] == 0
    assert speeches(client, **{"from": "2021-10-15", "until": "2021-10-15"})["numberOfRecords"] == 17
    assert speeches(client, **{"from": "2021-10-16"})["numberOfRecords"] == 0
    assert speeches(client, until="2021-10-14")["numberOfRecords"] == 0


def test_paging_walks_every_record_once(client, sample):
    everything = [r["speechID"] for r in speeches(client, maximumRecords=100)["speechRecord"]]
    walked, start = [], 1
    while start is not None:
        body = speeches(client, maximumRecords=5, startRecord=start)
        assert body["startRecord"] == start and body["numberOfRecords"] == 17
        walked += [r["speechID"] for r in body["speechRecord"]]
        assert body["numberOfReturn"] == len(body["speechRecord"]) <= 5
        start = body["nextRecordPosition"]
    assert walked == everything
    beyond = speeches(client, startRecord=500)
    assert beyond["numberOfReturn"] == 0 and beyond["nextRecordPosition"] is None
    assert speeches(client)["numberOfReturn"] == 17  # default 30 a page


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("maximumRecords=1000", "maximumRecords"),
        ("maximumRecords=0", "maximumRecords"),
        ("maximumRecords=ten", "maximumRecords"),
        ("startRecord=0", "startRecord"),
        ("startRecord=99999999999999999999999", "startRecord"),
        ("from=2021-13-01", "from"),
        ("until=15/10/2021", "until"),
        ("from=2022-01-01&until=2021-01-01", "from"),
        ("format=xml", "format"),
        ("speeker=高橋", "speeker"),
        ("speaker=" + "高" * 201, "speaker"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_parameter_in_japanese_and_english(client, sample, query, parameter):
    response = client.get(f"/api/v1/speeches?{query}")
    assert response.status_code == 400
    body = response.json()
    assert [detail["parameter"] for detail in body["details"]] == [parameter]
    assert parameter in body["message"] and parameter in body["messageEnglish"]
    assert re.search(r"[ぁ-んァ-ン一-龥]", body["message"])
    assert body["messageEnglish"].isascii()
    assert body["license"]["name"] == "CC BY 4.0"


def test_unknown_parameter_error_lists_the_allowed_ones(client, sample):
    body = client.get("/api/v1/speeches?q=横展開").json()
    assert "パラメータ「q」はありません" in body["message"]
    assert "any" in body["message"] and "Unknown parameter 'q'" in body["messageEnglish"]


@pytest.mark.parametrize("value", ["%", "_", "'; DROP TABLE x; --", "🙂" * 50, "\u3000", "\ufffd"])
def test_odd_text_never_breaks_a_filter(client, sample, value):
    for name in ("any", "speaker", "speakerPosition", "speakerRole", "forum"):
        response = client.get("/api/v1/speeches", {name: value})
        assert response.status_code == 200, (name, value, response.content[:300])
    assert client.get("/api/v1/people", {"name": value}).status_code == 200


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "\x1b[31m"])
def test_control_characters_are_a_400_naming_the_parameter(client, sample, value):
    for name in ("any", "speaker", "speakerPosition", "speakerRole", "forum"):
        response = client.get("/api/v1/speeches", {name: value})
        assert response.status_code == 400, (name, value)
        assert response.json()["details"][0]["parameter"] == name
        assert "制御文字" in response.json()["message"]


def test_plain_text_keeps_paragraphs_and_decodes_entities():
    assert plain_text("<p>A &amp; B</p>\n<p>二段落<br>目</p>") == "A & B\n二段落\n目"
    assert unicodedata.normalize("NFKC", "ＤＸ") == "DX"


def test_filters_of_only_spaces_filter_nothing(client, sample):
    for name in ("any", "speaker", "speakerPosition", "speakerRole"):
        assert speeches(client, **{name: " \u3000 "})["numberOfRecords"] == 17, name


def test_any_takes_quoted_phrases_as_the_site_search_does(client, sample):
    phrase = speeches(client, any='"有志の輪"')["speechRecord"]
    assert [r["speech"][:10] for r in phrase] == ["横展開は、まずは熱意"]
    assert "有志の輪" in phrase[0]["speech"]
    apart = speeches(client, any='"輪 有志"')["numberOfRecords"]
    assert apart == 0
