"""The conventions of real articles and minutes (issue 10), one small invented transcript each.

Every transcript in tests/support/transcripts/conventions/ is parsed as written (half-width, as the
NFKC-normalised texts of the measuring set) and again with the full-width forms a browser or
Word paste carries (: ( ) ? and ideographic spaces); both must give the same structure.
Run without Django:
    python -m pytest -p no:django tests/importing/test_conventions.py -q -c /dev/null
"""

from __future__ import annotations

import re

import pytest

from articles.transcript import parse_transcript
from tests.support import TRANSCRIPTS

FOLDER = TRANSCRIPTS / "conventions"
NAMES = sorted(p.stem for p in FOLDER.glob("*.txt"))


@pytest.fixture(autouse=True)
def media_root():
    """Override the project's autouse Django fixture: the parser needs no settings."""


def full_width(text: str) -> str:
    """The same text as pasted from a browser: full-width colons, brackets, question marks,
    ideographic spaces between names."""
    text = text.replace(":", "：").replace("(", "（").replace(")", "）").replace("?", "？")
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "\u3000", text)


def parse(name: str, wide: bool = False):
    text = (FOLDER / f"{name}.txt").read_text(encoding="utf-8")
    return parse_transcript(full_width(text) if wide else text)


def shape(t) -> dict:
    """What an editor checks: who speaks in order, the headings, who takes part."""
    squash = lambda s: re.sub(r"\s+", "", s or "").translate(str.maketrans("：（）？", ":()?"))
    return {
        "turns": [squash(b.speaker) for s in t.sections for b in s.blocks if getattr(b, "speaker", None)],
        "headings": [squash(h) for s in t.sections for h in (s.heading, s.subheading) if h],
        "participants": [squash(p.name) for p in t.participants],
        "speakers": [squash(p.label) for p in t.speakers],
    }


def texts(t) -> list[tuple]:
    return [(b.speaker, b.text) for s in t.sections for b in s.blocks if hasattr(b, "text")]


@pytest.mark.parametrize("name", NAMES)
def test_full_width_paste_reads_like_half_width(name):
    assert shape(parse(name, wide=True)) == shape(parse(name))


# -- participants blocks ----------------------------------------------------


def test_bracketed_header_with_honorifics_inside_bullets_and_role_post_name():
    t = parse("block_brackets_bullets")
    assert t.honorifics_omitted is True
    mori, kawai = t.participants
    # 「X町CIO:X町副町長 森 一樹」: the name follows the last title; role and post both kept.
    assert (mori.name, mori.organisation, mori.posts, mori.roles) == (
        "森 一樹",
        "みどり町",
        ["副町長"],
        ["みどり町CIO"],
    )
    assert (kawai.name, kawai.title) == ("川井 直子", "県デジタル推進課長")
    assert shape(t)["turns"] == ["森", "川井"] and t.warnings == []
    assert t.kind == "対談"


def test_group_headers_name_with_affiliation_chair_first_and_absentees_left_out():
    t = parse("block_groups_absent")
    assert [(p.name, p.title) for p in t.participants] == [
        ("大友 誠", "北浜大学教授"),
        ("小日向 葵", "座長 港南大学准教授"),
        ("鹿島 亮", "県交通政策課長"),
    ]
    assert "鳩山" not in str(shape(t))  # 欠席 is not a participant
    # anonymous role labels are speakers, not people of the cast
    assert shape(t)["turns"] == ["委員", "事務局"] and shape(t)["speakers"] == ["委員", "事務局"]
    assert shape(t)["headings"] == ["1.路線の見直し"] and t.kind == "議事概要"


def test_organisation_name_title_with_spaces_and_surname_title_labels():
    t = parse("block_spaced_org")
    assert [(p.name, p.title) for p in t.participants] == [
        ("谷口一", "あおば町 町長"),
        ("堤 礼子", "かわせ町 町長"),
        ("宇野浩二", "やまと町 町長"),
    ]
    assert shape(t)["turns"] == ["谷口町長", "堤町長", "宇野町長"]
    assert t.warnings == [] and t.kind == "鼎談"


def test_comma_list_inside_a_bullet_with_members_in_brackets():
    t = parse("block_comma_bullet")
    assert {p.name for p in t.participants} == {"岩槻", "相原", "井手", "江口"}
    assert shape(t)["turns"] == ["岩槻知事", "相原"] and t.warnings == []


def test_three_lines_per_person_without_a_header():
    t = parse("block_three_lines")
    assert [(p.name, p.title) for p in t.participants] == [
        ("浜田 光", "株式会社みなとラボ 代表取締役"),
        ("岸辺 早苗", "港南市企画部 部長"),
    ]
    assert shape(t)["headings"] == ["1.港のこれから"]
    assert texts(t) == [(None, "- 最初に、取り組みを教えてください。"), ("岸辺", "港の再生を進めています。")]


def test_council_list_title_running_into_the_name_and_kun_labels():
    t = parse("block_council")
    assert [(p.name, p.title) for p in t.participants] == [("山中 一郎", "委員長"), ("川島 花子", "副委員長")]
    assert shape(t)["turns"] == ["委員長(山中一郎君)", "副委員長(川島花子君)"]
    assert t.kind == "委員会記録"


# -- speaker labels --------------------------------------------------------


def test_labels_on_their_own_line_alias_bare_and_colon():
    t = parse("labels_own_line")
    assert texts(t) == [
        ("西村", "保育園を増やしました。"),
        (None, "――次の質問です。"),
        ("西村", "待機児童はゼロです。"),
        ("西村", "来年も続けます。"),
    ]
    assert t.warnings == []


def test_inline_labels_in_every_bracket_and_mark_with_titles_honorifics_and_joint_speakers():
    t = parse("labels_inline_forms")
    assert [b for b in texts(t)] == [
        ("松田", "最初に挨拶します。"),
        ("野村町長", "ありがとうございます。"),
        ("藤井", "よろしくお願いします。"),
        ("松田", "続けます。"),
        ("野村町長", "はい。"),
        ("藤井", "そうですね。"),
        ("松田・野村", "一緒にやりましょう。"),
        ("野村町長", "賛成です。"),
        ("藤井", "私もです。"),
    ]
    assert [p.name for p in t.participants] == ["松田 健", "野村 茂", "藤井 由美"]
    assert shape(t)["speakers"] == ["松田・野村"]


def test_press_conference_q_reporter_and_a_official_then_q_dot_a_dot():
    t = parse("labels_press")
    assert texts(t) == [
        ("記者(北浜新聞)", "新年度の目玉は何ですか。"),
        ("知事", "子育て支援です。"),
        (None, "Q.財源はどうしますか。"),
        ("知事", "基金を使います。"),
    ]
    assert t.kind == "記者会見"


def test_several_labelled_statements_and_a_heading_on_one_line():
    t = parse("labels_anonymous_inline")
    assert [(s.heading, s.subheading) for s in t.sections] == [("1.議題", "(1)公園の使い方について")]
    assert texts(t) == [
        (None, "-事務局から資料説明-"),
        ("事務局", "ご意見をください。"),
        ("委員", "夜間の照明を増やしてほしい。"),
        ("委員", "ベンチも足りない。"),
        ("事務局", "検討します。"),
    ]
    assert [(p.name, p.title) for p in t.participants] == [
        ("青木一", "委員"),
        ("井上二郎", "委員"),
        ("宇田川澄", "委員"),
    ]


def test_organisation_labels_followed_by_bulleted_points():
    t = parse("labels_org_points")
    assert texts(t) == [
        ("北浜市", "・バス路線を共同で運行したい。\n・費用は人口割としたい。"),
        ("南浜町", "・賛成する。"),
    ]
    assert [p.label for p in t.participants] == ["北浜市", "南浜町"]  # the one participant of each
    assert t.warnings == [] and t.kind == "議事要旨"


# -- questions and narration ------------------------------------------------


def test_unlabelled_answers_are_the_single_interviewees_turns():
    t = parse("interview_one")
    assert [(p.name, p.title) for p in t.participants] == [("今井", "館長")]  # from the lead
    assert texts(t) == [
        (None, "― 図書館を目指したきっかけは?"),
        ("今井", "子どもの頃から本が好きでした。\n\n毎週通っていました。"),
        (None, "ーいまの仕事は?"),
        ("今井", "蔵書の選定です。"),
    ]


def test_unlabelled_answer_with_two_interviewees_has_no_speaker_and_a_warning_with_its_line():
    t = parse("interview_two_unlabelled")
    assert texts(t)[1] == (None, "地元が好きだからです。")
    assert [(w.line, "話し手が一人に決まらない" in w.message) for w in t.warnings] == [(11, True)]
    assert t.unmatched == [{"line": 11, "label": "", "certainty": 0.3}]


# -- headings ----------------------------------------------------------------


def test_headings_by_mark_number_question_topic_and_a_figure_between_heading_and_subheading():
    t = parse("headings_forms")
    assert [(s.heading, s.subheading) for s in t.sections] == [
        ("■まちの課題", None),
        ("◆解決の道すじ", "(1)空き家について"),
        ("① 次の一手", None),
        ("どう変える??", None),
        ("(交通について)", None),
    ]
    assert shape(t)["turns"] == ["中山", "小川", "中山", "小川", "中山"] and t.warnings == []


# -- not speech --------------------------------------------------------------


def test_page_furniture_meta_lines_stage_directions_and_clock_lines_are_not_speech():
    t = parse("not_speech")
    assert t.title == "令和7年 総務委員会 会議録"
    assert "日時:令和7年3月1日" in t.introduction and "場所:第1委員会室" in t.introduction
    assert texts(t) == [
        (None, "午前10時 開会"),
        ("本田委員長", "開会します。\n(「異議なし」と呼ぶ者あり)\nでは進めます。"),
        (None, "午前10時5分 休憩"),
        (None, "午前10時15分 再開"),
        ("早川委員", "質問します。"),
    ]
    for furniture in ("文字サイズ", "ページの先頭です", "現在地", "印刷", "更新日", "3/22", "PDFで読む"):
        assert furniture not in t.introduction + t.lead + t.title + str(texts(t))


def test_profile_block_and_photo_captions():
    t = parse("profile_caption")
    assert [(p.name, p.title) for p in t.participants] == [("海野 凪", "観光課 企画係")]
    assert "2022年入庁" in t.introduction
    assert [(s.heading) for s in t.sections] == ["「海の町を元気に」"]
    assert shape(t)["turns"] == ["海野"]  # the alt text and the 「海野副主任2」 caption are not turns


# -- parts and series --------------------------------------------------------


@pytest.mark.parametrize(
    "title, lead, expected",
    [
        ("座談会(2)", "全3回でお届けします。前編はこちら", (2, 3)),
        ("座談会②", "", (2, None)),
        ("連載 まちの人|03", "", (3, None)),
        ("まちの人 3回目", "", (3, None)),
        ("対談 前編", "後編はこちら", (1, 2)),
        ("対談", "後編はこちら", (1, 2)),
    ],
)
def test_parts_and_series_numbers(title, lead, expected):
    text = f"{title}\n\n{lead}\n\n参加者\n市長:大川 進\n\n未来\n\n大川:続きです。\n"
    t = parse_transcript(text)
    assert (t.part.number, t.part.of) == expected


def test_parts_file_reads_part_and_count():
    t = parse("parts_series")
    assert (t.part.number, t.part.of, t.kind) == (2, 3, "座談会")


# -- kinds -------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, kind",
    [
        ("市長新春対談", "対談"),
        ("三者鼎談", "鼎談"),
        ("若手座談会", "座談会"),
        ("館長インタビュー", "インタビュー"),
        ("第3回 委員会 議事録", "議事録"),
        ("検討会 議事概要", "議事概要"),
        ("検討会 議事要旨", "議事要旨"),
        ("知事定例記者会見", "記者会見"),
        ("まちの話", None),
    ],
)
def test_kind_of_piece_from_its_title(title, kind):
    t = parse_transcript(f"{title}\n\n参加者\n市長:大川 進\n\n未来\n\n大川:はい。\n")
    assert t.kind == kind
