"""Specification tests for the pure transcript parser (the articles.transcript package).

Run without Django:
    PYTHONPATH=/work/main python -m pytest -p no:django -p no:cacheprovider \
        tests/importing/test_parser.py -q -c /dev/null
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.transcript import (
    CREDIT_ROLES,
    TranscriptError,
    decode_transcript_bytes,
    find_date,
    parse_number,
    parse_transcript,
    render_markdown_export,
    render_text,
    split_title,
)
from tests.support import SAMPLE, TRANSCRIPTS
from tests.support.strategies import GIVEN, ORGS, POSTS, ROLES, SURNAMES, era_text, heading, paragraphs, sentence


@pytest.fixture(autouse=True)
def media_root():
    """Override the project's autouse Django fixture: this parser needs no settings,
    so the module also runs with ``-p no:django``."""


def sample_text() -> str:
    if not SAMPLE.is_file():
        pytest.fail(f"the sample transcript is missing: expected it at {SAMPLE}")
    return SAMPLE.read_text(encoding="utf-8")


def parse_file(name: str) -> dict:
    return parse_transcript((TRANSCRIPTS / name).read_text(encoding="utf-8")).to_dict()


def turns(d: dict) -> list[dict]:
    return [b for s in d["sections"] for b in s["blocks"] if b["type"] == "turn"]


def blocks(d: dict) -> list[tuple]:
    return [
        (b["speaker"], b["text"][:10]) if b["type"] == "turn" else ("figure", b["ref"])
        for s in d["sections"]
        for b in s["blocks"]
    ]


def without_warnings(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in ("warnings", "uncertain")}


def participant(d: dict, label: str) -> dict:
    return next(p for p in d["participants"] if p["label"] == label)


# --------------------------------------------------------------------------
# The real sample article
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> dict:
    return parse_transcript(sample_text()).to_dict()


def test_sample_has_exactly_the_documented_json_keys(sample):
    assert list(sample) == [
        "title",
        "roundtable",
        "part",
        "honorifics_omitted",
        "participants",
        "sections",
        "credits",
        "warnings",
        "kind",
        "speakers",
        "uncertain",
        "lead",
        "introduction",
        "closing",
        "header_figure",
    ]
    assert (sample["kind"], sample["speakers"], sample["uncertain"]) == ("座談会", [], [])
    assert list(sample["participants"][0]) == [
        "name",
        "title",
        "organisation",
        "posts",
        "roles",
        "label",
        "label_title",
    ]


def test_sample_front_matter(sample):
    assert sample["header_figure"] == "見出し画像"
    assert sample["title"] == "町田市×都CIOの座談会を実施しました!part2"
    assert sample["lead"] == (
        "東京都・区市町村CIOフォーラムにおける活動の一環として、都内各自治体CIO等へ「東京都・区市町村"
        "CIOフォーラムマガジン」を発行しております。今回は、マガジンに掲載した内容を一部公開します。\n"
        "第4回は、「町田市×都CIO座談会」をお届けします!"
    )
    assert sample["introduction"] == (
        "令和3年10月15日に、「東京都・区市町村CIOフォーラム第4回座談会」として町田市CIOと都CIOの対談を実施しました。"
    )
    assert sample["roundtable"] == {"number": 4, "held_on": "2021-10-15", "title": "町田市×都CIO座談会"}
    assert sample["part"] == {"number": 2, "of": 2}
    assert sample["honorifics_omitted"] is True
    assert sample["warnings"] == []


def test_sample_participants(sample):
    assert sample["participants"] == [
        {
            "name": "高橋 晃",
            "title": "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐)",
            "organisation": "町田市",
            "posts": ["総務部長", "情報システム担当部長"],
            "roles": ["CIO補佐", "CDO", "CISO補佐"],
            "label": "高橋",
            "label_title": None,
        },
        {
            "name": "宮坂 学",
            "title": "都副知事(CIO)",
            "organisation": "都",
            "posts": ["副知事"],
            "roles": ["CIO"],
            "label": "宮坂",
            "label_title": "都CIO",
        },
        {
            "name": "深井 稔",
            "title": "都デジタルサービス局戦略部長",
            "organisation": "都",
            "posts": ["デジタルサービス局戦略部長"],
            "roles": [],
            "label": "深井",
            "label_title": "東京都デジタルサービス局戦略部長",
        },
        {
            "name": "小澤 洋之",
            "title": "都デジタルサービス局戦略部戦略課長",
            "organisation": "都",
            "posts": ["デジタルサービス局戦略部戦略課長"],
            "roles": [],
            "label": "小澤",
            "label_title": "東京都デジタルサービス局戦略部戦略課",
        },
    ]


def test_sample_sections_and_every_block_in_order(sample):
    assert [(s["heading"], s["subheading"]) for s in sample["sections"]] == [
        ("事例体験による人材育成", "座学よりも体験が一番のOJT"),
        ("コミュニティの形成と情報発信", "有志の集いとオール東京"),
    ]
    first = [
        ("深井", "話は少し変わってしま"),
        ("高橋", "外部人材は不定期に採"),
        ("深井", "他にも、例えば窓口の"),
        ("高橋", "特別に啓発しているわ"),
        ("宮坂", "いいですね。大きな成"),
        ("figure", "画像1"),
    ]
    second = [
        ("宮坂", "職員・職場の話を聞い"),
        ("高橋", "現在でも自前のネット"),
        ("宮坂", "ネットワークで、そう"),
        ("高橋", "横展開は、まずは熱意"),
        ("宮坂", "全員が集まるフォーマ"),
        ("高橋", "ですね。ただ、有志の"),
        ("宮坂", "それはもう頑張ります"),
        ("figure", "画像2"),
        ("小澤", "今のお話の続きで、仲"),
        ("高橋", "具体的に今何かアクシ"),
        ("小澤", "ありがとうございます"),
        ("宮坂", "コアなメンバーで議論"),
        (None, "―本日は貴重なお時間"),
    ]
    assert blocks(sample) == first + second
    assert [b for b in blocks({"sections": sample["sections"][:1]})] == first


def test_sample_exact_texts(sample):
    all_turns = turns(sample)
    assert all_turns[0]["text"] == (
        "話は少し変わってしまうのですが、我々も他の区市町村も内部ICT人材の育成、"
        "外部人材の任用をどうするか悩んでいるところがありまして、町田市様がその辺について"
        "考えていること、現在実施していることについて伺ってもよろしいでしょうか。"
    )
    assert (
        all_turns[4]["text"]
        == "いいですね。大きな成功事例だけではなくてそういった小さな成功事例も共有していく場があるといいですよね。"
    )
    assert all_turns[-3]["text"] == "ありがとうございます。"
    assert all_turns[-1] == {
        "type": "turn",
        "speaker": None,
        "text": "―本日は貴重なお時間をいただき、色々な形で意見交換をさせていただきありがとうございました!",
    }
    assert sample["closing"] == "次回もお楽しみに!"


def test_sample_credits_keep_dojo_literally(sample):
    assert sample["credits"] == [
        {"role": "執筆者", "name": "猪ノ口 渉", "affiliation": "デジタルサービス局戦略部戦略課"},
        {"role": "編集", "name": "星野 惇", "affiliation": "同上"},
    ]


def test_sample_render_text_reproduces_the_article_word_for_word(sample):
    text = sample_text()
    assert render_text(sample) == text[: text.index("バックナンバー")].rstrip("\n") + "\n"


def test_sample_round_trips_through_render_text(sample):
    assert without_warnings(parse_transcript(render_text(sample)).to_dict()) == without_warnings(sample)


def test_sample_with_crlf_bom_and_stray_spaces_parses_the_same(sample):
    text = "\ufeff" + "\r\n".join(f" {line}  " for line in sample_text().split("\n"))
    assert parse_transcript(text).to_dict() == sample


def test_sample_with_full_width_punctuation_gives_the_same_speakers(sample):
    text = (
        sample_text()
        .replace(":", "：")
        .replace("(以下", "（以下")
        .replace("」)", "」）")
        .replace("(敬称略)", "（敬称略）")
    )
    parsed = parse_transcript(text).to_dict()
    assert blocks(parsed) == blocks(sample)
    assert [p["label_title"] for p in parsed["participants"]] == [p["label_title"] for p in sample["participants"]]
    assert parsed["honorifics_omitted"] is True and parsed["warnings"] == []


@pytest.mark.parametrize("name", sorted(p.name for p in TRANSCRIPTS.glob("*.txt")))
def test_every_test_transcript_round_trips_through_render_text(name):
    d = parse_file(name)
    assert without_warnings(parse_transcript(render_text(d)).to_dict()) == without_warnings(d)


def test_sample_markdown_export(sample):
    md = render_markdown_export(sample)
    assert md.startswith("# 町田市×都CIOの座談会を実施しました!part2\n")
    assert "\n## 事例体験による人材育成\n\n### 座学よりも体験が一番のOJT\n" in md
    assert "\n**深井** 話は少し変わってしまうのですが" in md
    # Parsed text knows no image: a figure is its reference as text, not a broken image.
    assert "\n\\[画像1\\]\n" in md and "\n\\[画像2\\]\n" in md and "![" not in md
    assert md.index("画像1") < md.index("## コミュニティの形成と情報発信")
    assert "\n―本日は貴重なお時間" in md


def test_markdown_export_keeps_the_stored_markdown_and_escapes_only_plain_text_fields():
    d = {
        "title": "*注目*の座談会",
        "roundtable": {"number": 1, "held_on": None, "title": None},
        "part": {"number": 1, "of": None},
        "honorifics_omitted": False,
        "participants": [
            {
                "name": "高橋 晃",
                "title": "町田市長",
                "organisation": "町田市",
                "posts": ["市長"],
                "roles": [],
                "label": "高橋",
            }
        ],
        "sections": [
            {
                "heading": "1_はじめに",
                "subheading": None,
                "blocks": [
                    {
                        "type": "turn",
                        "speaker": "高橋",
                        "text": "**重要**です。\n\n[町田市](https://www.city.machida.tokyo.jp/)",
                    },
                    {"type": "turn", "speaker": "高橋", "text": "- 一つ目\n- 二つ目"},
                    {"type": "turn", "speaker": None, "text": "―本日は_ありがとう_ございます。"},
                ],
            }
        ],
        "credits": [{"role": "文", "name": "*編集部*", "affiliation": None}],
        "warnings": [],
        "lead": "**重要**なお知らせ",
        "introduction": "> 引用",
        "closing": "次回は*最終回*です。",
        "header_figure": None,
    }
    md = render_markdown_export(d)
    assert md.startswith("# \\*注目\\*の座談会\n")
    assert "\n**重要**なお知らせ\n" in md and "\n> 引用\n" in md and "\n次回は*最終回*です。\n" in md
    assert "\n## 1\\_はじめに\n" in md
    assert "\n**高橋** **重要**です。\n\n[町田市](https://www.city.machida.tokyo.jp/)\n" in md
    assert "\n**高橋**\n\n- 一つ目\n- 二つ目\n" in md  # a list stays a list
    assert "\n―本日は_ありがとう_ございます。\n" in md
    assert "\n文:\\*編集部\\*\n" in md


# --------------------------------------------------------------------------
# Conventions, one small transcript each
# --------------------------------------------------------------------------


def test_participants_block_variants_and_inline_labels():
    d = parse_file("participants_block.txt")
    assert d["honorifics_omitted"] is True
    yamada, suzuki, sato, nakamura = d["participants"]
    assert (yamada["organisation"], yamada["posts"], yamada["roles"]) == (
        "渋谷区",
        ["副区長", "デジタル推進担当"],
        ["CIO", "CDO", "CISO"],
    )
    assert (yamada["name"], yamada["label"]) == ("山田\u3000花子", "山田")
    assert (suzuki["organisation"], suzuki["posts"], suzuki["roles"]) == (
        "東京都",
        ["デジタルサービス局長"],
        ["CIO補佐", "CDO"],
    )
    assert suzuki["label_title"] == "都CIO"
    assert (sato["organisation"], sato["posts"]) == (None, ["総務省地域情報化アドバイザー"])
    assert nakamura["organisation"] == "八王子市"
    assert d["sections"][0]["heading"] == "窓口改革" and d["sections"][0]["subheading"] is None
    assert [(t["speaker"], t["text"]) for t in turns(d)] == [
        ("鈴木", "窓口のデジタル化について伺います。"),
        ("山田", "区では書かない窓口を始めました。"),
        ("佐藤", "国の支援もあります。"),
        ("中村", "市でも検討しています。"),
    ]
    assert d["roundtable"] == {"number": 2, "held_on": "2022-03-09", "title": None}
    assert d["warnings"] == []


def test_labels_alone_define_participants_headings_and_narration():
    d = parse_file("labels_only.txt")
    assert [(p["name"], p["title"], p["organisation"], p["posts"], p["label"]) for p in d["participants"]] == [
        ("長谷部", "渋谷区長", "渋谷区", ["区長"], "長谷部"),
        ("司会", "", None, [], "司会"),
    ]
    assert [(s["heading"], s["subheading"]) for s in d["sections"]] == [("区のこれから", "行政サービスの未来")]
    assert [(t["speaker"], t["text"]) for t in turns(d)] == [
        ("長谷部", "よろしくお願いします。"),
        (None, "――最初の質問です。区のDXの現状は?"),
        ("長谷部", "まだ道半ばです。\n\nただ、手応えはあります。"),
        (None, "ー次の質問です。"),
        ("司会", "ありがとうございました。"),
        (None, "—以上、前編でした。"),
    ]
    assert d["closing"] == "後編もお楽しみに!"
    assert d["lead"] == "区長に区のDXについて伺いました。"
    assert d["part"] == {"number": 1, "of": 2}
    assert d["warnings"] == []


def test_front_matter_notes_agenda_and_era_dates_stay_out_of_the_speech():
    d = parse_file("front_matter.txt")
    assert d["header_figure"] == "見出し画像" and d["title"] == "デジタル人材を考える会"
    assert "※CIO(情報統括責任者):組織の情報戦略の責任者" in d["lead"]
    assert d["lead"].endswith("議題\n1. 人材育成\n2 外部人材の任用\n③ 今後の進め方")
    assert (
        d["introduction"]
        == "平成元年十月二十日に、「デジタル人材を考える会」を開催しました。\n※肩書は開催当時のものです。"
    )
    assert [p["label"] for p in d["participants"]] == ["田中"]
    assert [(t["speaker"], t["text"]) for t in turns(d)] == [("田中", "よろしくお願いします。")]
    assert d["roundtable"] == {"number": 12, "held_on": "1989-10-20", "title": None}
    assert d["part"] == {"number": 2, "of": 3}
    assert d["honorifics_omitted"] is True


def test_figures_in_all_spellings_and_multi_paragraph_turns():
    d = parse_file("figures_and_paragraphs.txt")
    assert blocks(d) == [
        ("figure", "画像1"),
        ("宮坂", "一つ目の段落です。\n"),
        ("figure", "画像2"),
        ("高橋", "図のあとで話します。"),
        ("figure", "図3"),
        ("figure", "写真4"),
        ("figure", "写真5"),
        ("宮坂", "以上です。"),
    ]
    assert turns(d)[0]["text"] == "一つ目の段落です。\n同じ段落の二行目です。\n\n二つ目の段落です。"
    assert d["honorifics_omitted"] is False and d["warnings"] == []


def test_credits_closing_and_page_furniture():
    d = parse_file("credits_and_furniture.txt")
    assert d["title"] == "区役所の一日を追いました!"
    assert d["credits"] == [
        {"role": "文・構成", "name": "山本 太郎", "affiliation": "広報課"},
        {"role": "写真", "name": "川村 花", "affiliation": "同上"},
        {"role": "撮影", "name": "小林 次郎", "affiliation": None},
        {"role": "編集", "name": "森 三郎", "affiliation": "同上"},
    ]
    assert d["closing"] == "(了)"
    assert [(t["speaker"], t["text"]) for t in turns(d)] == [("長谷部", "区役所の朝は早いです。")]
    assert d["warnings"] == []
    assert "区長インタビュー" not in str(d)


def test_warnings_carry_one_based_line_numbers():
    d = parse_file("warnings.txt")
    lines = [w["line"] for w in d["warnings"]]
    assert lines == [3, 12, 17, 21]
    messages = [w["message"] for w in d["warnings"]]
    assert "令和2年2月30日" in messages[0]
    assert "「なるほど」を見出しとして読みました" in messages[1] and "「宮坂」の発言の続き" in messages[1]
    assert "「司会」は参加者欄のどの人にも一致しません" in messages[2]
    assert "発言者ラベルのない段落です" in messages[3] and "「司会」" in messages[3]
    assert d["roundtable"]["held_on"] is None
    assert [(s["heading"]) for s in d["sections"]] == [None, "なるほど"]
    assert blocks(d)[-4:] == [
        ("司会", "ここは参加者にいない"),
        ("figure", "画像1"),
        ("司会", "ラベルのない段落です"),
        ("宮坂", "最後の発言です。"),
    ]
    assert participant(d, "司会")["title"] == ""


def test_label_in_igai_brackets_is_the_short_label_even_when_not_the_surname():
    d = parse_file("alias_labels.txt")
    assert [(p["name"], p["label"]) for p in d["participants"]] == [
        ("村山 一郎", "村山"),
        ("鈴木 花子", "鈴木(花)"),
        ("鈴木 次郎", "鈴木(次)"),
        ("宮坂 学", "局長"),
    ]
    assert [(t["speaker"], t["text"]) for t in turns(d)] == [
        ("局長", "本日はよろしくお願いします。"),
        ("村山", "よろしくお願いします。"),
        ("鈴木(花)", "市では窓口改革を進めています。"),
        ("鈴木(次)", "町でも同じ課題があります。"),
        ("局長", "ありがとうございます。"),
        ("鈴木(花)", "共同で取り組みましょう。"),
        ("鈴木(次)", "ぜひお願いします。"),
    ]
    assert participant(d, "局長")["label_title"] == "東京都デジタルサービス局長"
    assert d["roundtable"] == {"number": 7, "held_on": "2023-02-03", "title": "多摩地域CIO座談会"}
    assert d["warnings"] == []


def test_municipality_names_with_village_or_town_inside_are_kept_whole():
    d = parse_file("alias_labels.txt")
    assert [(p["organisation"], p["posts"], p["roles"]) for p in d["participants"]] == [
        ("武蔵村山市", ["総務部長"], ["CIO補佐"]),
        ("東村山市", ["副市長"], ["CIO"]),
        ("日の出町", ["企画財政課長"], []),
        ("都", ["デジタルサービス局長"], []),
    ]


def test_participants_sharing_a_surname_are_not_merged_without_igai_labels():
    text = "題名\n\n参加者\n区長:鈴木 一郎\n副区長:鈴木 花子\n\n鈴木一郎\nはじめます。\n\n鈴木花子\nはい。\n"
    d = parse_transcript(text).to_dict()
    assert [p["label"] for p in d["participants"]] == ["鈴木一郎", "鈴木花子"]
    assert [(t["speaker"], t["text"]) for t in turns(d)] == [("鈴木一郎", "はじめます。"), ("鈴木花子", "はい。")]


def test_known_organisation_names_are_preferred_to_guessing():
    text = "題名\n\n参加者\n四日市市総務部長:伊藤 一\n\n伊藤\nこんにちは。\n"
    guessed = parse_transcript(text).to_dict()["participants"][0]
    known = parse_transcript(text, organisations=["四日市市", "東京都", "都"]).to_dict()["participants"][0]
    assert (guessed["organisation"], guessed["posts"]) == ("四日市", ["市総務部長"])
    assert (known["organisation"], known["posts"]) == ("四日市市", ["総務部長"])


def test_interview_with_inline_quotes_and_interviewer_dashes_without_a_participants_block():
    d = parse_file("inline_quotes_interview.txt")
    assert [(p["name"], p["title"], p["label"]) for p in d["participants"]] == [("石森", "", "石森")]
    assert [(t["speaker"], t["text"]) for t in turns(d)] == [
        (None, "――本日はよろしくお願いします。"),
        ("石森", "よろしくお願いします。"),
        (None, "――まず、DXの取り組みを教えてください。"),
        ("石森", "窓口の予約システムを導入しました。"),
        ("石森", "職員の提案から始まったものです。"),
    ]
    assert d["roundtable"]["held_on"] == "2023-04-01"
    assert d["closing"] == "(了)"
    assert d["credits"] == [{"role": "文", "name": "山本 太郎", "affiliation": "広報課"}]
    assert d["warnings"] == []


def test_turns_and_figures_know_the_line_they_start_on():
    t = parse_transcript(sample_text())
    first = t.sections[0].blocks[0]
    assert (first.speaker, first.line) == ("深井", 22)
    assert [b.line for b in t.sections[0].blocks if b.__class__.__name__ == "Figure"] == [37]


def test_part_note_first_half():
    d = parse_file("part_early.txt")
    assert d["part"] == {"number": 1, "of": 2}
    assert d["roundtable"]["held_on"] == "2019-05-01"
    assert d["introduction"] == "令和元年5月1日に対談を行いました。" and d["lead"] == ""


@pytest.mark.parametrize(
    ("title", "note", "expected"),
    [
        ("題名part3", None, {"number": 3, "of": None}),
        ("題名 Part２", None, {"number": 2, "of": None}),
        ("題名(後編)", None, {"number": 2, "of": 2}),
        ("題名", "※この記事は全2回の後半です。前半はこちら", {"number": 2, "of": 2}),
        ("題名", "※この記事は全2回の前編です。", {"number": 1, "of": 2}),
        ("題名", "※この記事は全3回の第2回です。", {"number": 2, "of": 3}),
        ("題名", "※この記事は全３回の第３回です。", {"number": 3, "of": 3}),
        ("題名", None, {"number": None, "of": None}),
    ],
)
def test_part_number_from_title_and_note(title, note, expected):
    text = f"{title}\n\n" + (f"{note}\n\n" if note else "") + "参加者\n区長:山田 太郎\n\n山田\nこんにちは。\n"
    assert parse_transcript(text).to_dict()["part"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和3年10月15日に", datetime.date(2021, 10, 15)),
        ("令和元年5月1日", datetime.date(2019, 5, 1)),
        ("平成元年1月8日", datetime.date(1989, 1, 8)),
        ("昭和64年1月7日", datetime.date(1989, 1, 7)),
        ("平成31年4月30日", datetime.date(2019, 4, 30)),
        ("令和三年十月十五日", datetime.date(2021, 10, 15)),
        ("令和２年１２月２５日", datetime.date(2020, 12, 25)),
        ("昭和元年十二月二十五日", datetime.date(1926, 12, 25)),
        ("2021年10月15日に", datetime.date(2021, 10, 15)),
        ("２０２１年１０月１５日", datetime.date(2021, 10, 15)),
        ("開催日 2021/10/15", datetime.date(2021, 10, 15)),
    ],
)
def test_dates_in_era_and_western_forms(text, expected):
    assert find_date(text) == (expected, None)


@pytest.mark.parametrize("text", ["令和元年4月30日", "令和3年2月30日", "平成元年1月7日"])
def test_impossible_dates_are_reported_not_raised(text):
    date, problem = find_date(text)
    assert date is None and text in problem


@pytest.mark.parametrize(
    ("text", "last_day"),
    [
        ("平成35年4月1日", "平成は2019年4月30日まで"),
        ("平成31年5月1日", "平成は2019年4月30日まで"),
        ("昭和70年1月1日", "昭和は1989年1月7日まで"),
        ("大正20年1月1日", "大正は1926年12月24日まで"),
    ],
)
def test_era_dates_after_the_era_ended_are_reported_with_the_last_day(text, last_day):
    date, problem = find_date(text)
    assert date is None and text in problem and last_day in problem


def test_an_era_year_past_the_end_is_a_warning_on_its_line_and_no_date():
    d = parse_transcript(
        "座談会の記録\n\n平成32年1月20日、第3回を開催しました。\n\n参加者\n町田市長:高橋 晃\n\n高橋\nこんにちは。"
    ).to_dict()
    assert d["roundtable"]["held_on"] is None and d["roundtable"]["number"] == 3
    assert [(w["line"], "平成32年1月20日" in w["message"]) for w in d["warnings"]] == [(3, True)]


@pytest.mark.parametrize(
    ("text", "value"),
    [("4", 4), ("４", 4), ("十", 10), ("二十", 20), ("二十三", 23), ("十五", 15), ("元", 1), ("一二", 12), ("x", None)],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("都副知事(CIO)", ("都", ["副知事"], ["CIO"])),
        (
            "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐)",
            ("町田市", ["総務部長", "情報システム担当部長"], ["CIO補佐", "CDO", "CISO補佐"]),
        ),
        ("大阪府情報政策課長（CIO補佐・CISO）", ("大阪府", ["情報政策課長"], ["CIO補佐", "CISO"])),
        ("北海道情報政策課長", ("北海道", ["情報政策課長"], [])),
        ("デジタル庁統括官", (None, ["デジタル庁統括官"], [])),
        ("都市整備局長", (None, ["都市整備局長"], [])),
        ("町田市長", ("町田市", ["市長"], [])),
        ("武蔵村山市総務部長", ("武蔵村山市", ["総務部長"], [])),
        ("東村山市長", ("東村山市", ["市長"], [])),
        ("十日町市企画課長", ("十日町市", ["企画課長"], [])),
        ("檜原村総務課長", ("檜原村", ["総務課長"], [])),
        ("渋谷区副区長", ("渋谷区", ["副区長"], [])),
        ("副市長", (None, ["副市長"], [])),
        ("道路課長", (None, ["道路課長"], [])),
        ("都知事", ("都", ["知事"], [])),
    ],
)
def test_split_title(title, expected):
    assert split_title(title) == expected


# --------------------------------------------------------------------------
# Unreadable input
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n \t\n"])
def test_empty_input_raises_naming_line_one(text):
    with pytest.raises(TranscriptError, match="^1行目: 原稿が空です") as info:
        parse_transcript(text)
    assert info.value.line == 1


def test_nul_bytes_raise_naming_the_line():
    with pytest.raises(TranscriptError, match="^3行目: .*NULバイト") as info:
        parse_transcript("題名\n\n本文\x00です\n")
    assert info.value.line == 3
    assert isinstance(info.value, ValueError)


def test_only_page_furniture_raises():
    with pytest.raises(TranscriptError):
        parse_transcript("スキ\nシェア\nバックナンバー\n題名\n")


def test_undecodable_bytes_raise_naming_offset_and_line():
    with pytest.raises(TranscriptError, match=r"^2行目: .*6バイト目") as info:
        decode_transcript_bytes(b"title\n\xff\x81\x20abc\n")
    assert info.value.line == 2


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: s.encode("utf-8-sig"),
        lambda s: s.encode("utf-16"),
        lambda s: s.encode("cp932"),
        lambda s: s.encode("shift_jis"),
    ],
)
def test_decode_transcript_bytes_encodings(encode):
    text = (TRANSCRIPTS / "participants_block.txt").read_text(encoding="utf-8").replace("\u3000", " ")
    assert decode_transcript_bytes(encode(text)) == text
    assert parse_transcript(encode(text)).to_dict()["participants"][0]["label"] == "山田"


# --------------------------------------------------------------------------
# Round trip property: parse(render_text(d)) == d
# --------------------------------------------------------------------------


@st.composite
def transcript_dicts(draw) -> dict:
    people = []
    for surname in draw(st.lists(st.sampled_from(SURNAMES), min_size=1, max_size=4, unique=True)):
        org = draw(st.sampled_from(ORGS))
        posts = draw(st.lists(st.sampled_from(POSTS), min_size=1, max_size=2, unique=True))
        roles = draw(st.lists(st.sampled_from(ROLES), max_size=3, unique=True))
        title = (org or "") + "兼".join(posts) + (f"({'、'.join(roles)})" if roles else "")
        label = draw(st.sampled_from([surname, surname, f"{surname}部長", f"{surname}(都)"]))  # 以下「…」
        people.append(
            {
                "name": f"{surname} {draw(st.sampled_from(GIVEN))}",
                "title": title,
                "organisation": org,
                "posts": posts,
                "roles": roles,
                "label": label,
                "label_title": draw(st.sampled_from([None, "都CIO", "東京都" + posts[0]])),
            }
        )
    labels = [p["label"] for p in people]
    turn = st.builds(
        lambda who, text: {"type": "turn", "speaker": who, "text": text}, st.sampled_from(labels), paragraphs
    )
    narration = st.builds(
        lambda dash, text: {"type": "turn", "speaker": None, "text": dash + text},
        st.sampled_from(["―", "――", "—"]),
        sentence,
    )
    figure = st.builds(
        lambda kind, n: {"type": "figure", "ref": f"{kind}{n}"},
        st.sampled_from(["画像", "図", "写真"]),
        st.integers(1, 20),
    )
    sections = []
    for index in range(draw(st.integers(1, 5))):
        head = draw(st.one_of(st.none(), heading) if index == 0 else heading)
        sub = draw(st.one_of(st.none(), heading)) if head else None
        sections.append(
            {
                "heading": head,
                "subheading": sub,
                "blocks": draw(st.lists(st.one_of(turn, turn, narration, figure), min_size=1, max_size=5)),
            }
        )
    speakers = {b["speaker"] for s in sections for b in s["blocks"] if b["type"] == "turn"}
    for p in people:
        if p["label"] not in speakers or p["label_title"] == p["title"]:
            p["label_title"] = None
        if p["label"] not in speakers:  # a label other than the surname is printed only in speech
            p["label"] = p["name"].split()[0]
    last = sections[-1]["blocks"][-1]
    is_speech = last["type"] == "turn" and last["speaker"] is not None
    closing = draw(
        st.sampled_from(
            ["", "次回もお楽しみに!", "(了)", "次回もお楽しみに!\n\n(了)"] + ([] if is_speech else ["本日はここまで。"])
        )
    )
    number = draw(st.one_of(st.none(), st.integers(1, 30)))
    rt_title = draw(st.one_of(st.none(), heading, heading.map(lambda h: h + "座談会")))
    held_on = draw(st.one_of(st.none(), st.dates(datetime.date(1927, 1, 1), datetime.date(2030, 12, 31))))
    lead = draw(st.lists(sentence, max_size=2))
    if number or rt_title:
        lead.append(
            (f"第{number}回は、" if number else "") + (f"「{rt_title}」" if rt_title else "") + "をお届けします!"
        )
    part_number, part_of, suffix = draw(
        st.sampled_from([(None, None, ""), (1, 2, ""), (2, 2, "part2"), (2, 3, ""), (3, None, "part3"), (2, None, "")])
    )
    has_note = part_of is not None or (part_number is not None and not suffix)
    if held_on:
        date = draw(
            st.sampled_from(
                [era_text(held_on), f"{held_on.year}年{held_on.month}月{held_on.day}日", held_on.strftime("%Y/%m/%d")]
            )
        )
        introduction = f"{date}に、座談会を実施しました。"
    else:
        introduction = draw(sentence) if has_note and draw(st.booleans()) else ""
    credits = draw(
        st.lists(
            st.builds(
                lambda role, name, aff: {"role": role, "name": name, "affiliation": aff},
                st.sampled_from(CREDIT_ROLES),
                st.sampled_from(["猪ノ口 渉", "星野 惇", "山本 太郎"]),
                st.sampled_from([None, "同上", "デジタルサービス局戦略部戦略課"]),
            ),
            max_size=3,
        )
    )
    return {
        "title": draw(sentence) + suffix,
        "roundtable": {"number": number, "held_on": held_on.isoformat() if held_on else None, "title": rt_title},
        "part": {"number": part_number, "of": part_of},
        "honorifics_omitted": draw(st.booleans()),
        "participants": people,
        "sections": sections,
        "credits": credits,
        "warnings": [],
        "lead": "\n\n".join(lead),
        "introduction": introduction,
        "closing": closing,
        "header_figure": draw(st.sampled_from([None, "見出し画像"])),
        "kind": "座談会" if any("座談会" in x for x in lead) else None,
        "speakers": [],
        "uncertain": [],
    }


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcript_dicts())
def test_render_text_round_trips_generated_transcripts(d):
    parsed = parse_transcript(render_text(d)).to_dict()
    assert without_warnings(parsed) == without_warnings(d)


@settings(max_examples=30, deadline=None)
@given(transcript_dicts())
def test_render_markdown_has_one_heading_per_section_heading(d):
    md = render_markdown_export(d)
    expected = [s["heading"] for s in d["sections"] if s["heading"]]
    assert [line[3:] for line in md.splitlines() if line.startswith("## ")] == expected


PIECES = [
    "\n",
    "\n\n",
    "参加者",
    "(敬称略)",
    ":",
    "：",
    "(",
    ")",
    "以下「",
    "」",
    "「",
    "宮坂",
    "高橋 晃",
    "都",
    "兼",
    "画像1",
    "見出し画像",
    "―",
    "ー",
    "※",
    "この記事は全2回の後半です",
    "令和",
    "元年",
    "3年",
    "10月",
    "15日",
    "第4回",
    "座談会",
    "執筆者:",
    "同上",
    "バックナンバー",
    "スキ",
    "あ",
    "。",
    "!",
    " ",
    "\u3000",
    "\r\n",
    "part2",
    "議題",
    "1. ",
    "①",
    "2021/13/45",
    "十",
    "前編",
    "シェア",
    "【",
    "】",
    "\ufeff",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_odd_content_never_raises_anything_but_transcript_error(text):
    try:
        d = parse_transcript(text).to_dict()
    except TranscriptError as exc:
        assert exc.line is not None
        return
    assert all(w["line"] >= 1 for w in d["warnings"])
    render_text(d)
    render_markdown_export(d)


def interview_ending_with(*last_lines):
    """An interview of two participants whose text ends with `last_lines`, blank-line separated."""
    head = [
        "区長に聞く",
        "",
        "第1回は、「区長インタビュー」をお届けします!",
        "",
        "参加者",
        "総務部長:高橋 晃",
        "総務部長:宮坂 晃",
        "",
    ]
    return "\n".join(head + [part for line in last_lines for part in (line, "")])


@pytest.mark.parametrize("end_mark", ["(了)", "（了）", "(終)", "おわり"])
def test_an_end_mark_after_an_interviewers_question_is_the_closing_not_an_answer(end_mark):
    """An interview whose last block is a question (―…) ends with (了): that is the closing,
    not an unlabelled answer with no speaker (found by the export → import property)."""
    parsed = parse_transcript(interview_ending_with("―最初の質問です。", "―最後の質問です。", end_mark)).to_dict()
    assert parsed["warnings"] == []
    assert parsed["closing"] == end_mark
    last = parsed["sections"][-1]["blocks"][-1]
    assert last["text"] == "―最後の質問です。" and last["speaker"] is None


def test_the_closing_after_an_interviewers_last_question_is_the_closing_not_an_answer():
    """次回もお楽しみに! right after the last question (―…) of an interview with several
    participants: the closing, not an answer without a speaker (found by the round-trip property)."""
    parsed = parse_transcript(interview_ending_with("―最後の質問です。", "次回もお楽しみに!")).to_dict()
    assert parsed["warnings"] == []
    assert parsed["closing"] == "次回もお楽しみに!"
    last = parsed["sections"][-1]["blocks"][-1]
    assert last["text"] == "―最後の質問です。" and last["speaker"] is None
