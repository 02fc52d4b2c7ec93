"""load_demo holds the whole sample article, word for word, as structured data."""

import datetime
import io

import pytest
from django.core.management import call_command

from articles.models import Article, Credit, Figure, Section, SpeakerTurn
from forum.models import Forum, Roundtable
from participants.models import Participant, Person
from tests.support import SAMPLE

pytestmark = pytest.mark.django_db

SAMPLE_LINES = SAMPLE.read_text(encoding="utf-8").splitlines()

# Written by hand from the sample, independently of the parser that load_demo uses.
LABEL_LINES = {
    "東京都デジタルサービス局戦略部長:深井(以下「深井」)": "深井",
    "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐):高橋(以下「高橋」)": "高橋",
    "都CIO:宮坂(以下「宮坂」)": "宮坂",
    "東京都デジタルサービス局戦略部戦略課:小澤(以下「小澤」)": "小澤",
    "深井": "深井",
    "高橋": "高橋",
    "宮坂": "宮坂",
    "小澤": "小澤",
}
EXPECTED_BLOCKS = [
    ("事例体験による人材育成", "座学よりも体験が一番のOJT", ["深井", "高橋", "深井", "高橋", "宮坂", "画像1"]),
    (
        "コミュニティの形成と情報発信",
        "有志の集いとオール東京",
        ["宮坂", "高橋", "宮坂", "高橋", "宮坂", "高橋", "宮坂", "画像2", "小澤", "高橋", "小澤", "宮坂", None],
    ),
]


def speeches_in_sample():
    """The line after each speaker label, in order, plus the closing narration line."""
    speeches = [
        (LABEL_LINES[line], SAMPLE_LINES[index + 1]) for index, line in enumerate(SAMPLE_LINES) if line in LABEL_LINES
    ]
    narration = next(line for line in SAMPLE_LINES if line.startswith("―"))
    return speeches + [(None, narration)]


def blocks(article):
    result = []
    for section in Section.objects.filter(article=article).order_by("position"):
        items = [(turn.position, "turn", turn) for turn in section.turns.select_related("speaker")]
        items += [(figure.position, "figure", figure) for figure in section.figures.all()]
        result.append((section, [item for _, _, item in sorted(items, key=lambda x: (x[0], x[1] != "turn"))]))
    return result


def test_demo_has_the_forum_roundtable_and_part(demo):
    forum = Forum.objects.get()
    assert forum.name == "東京都・区市町村CIOフォーラム"
    assert forum.magazine_title == "東京都・区市町村CIOフォーラムマガジン"
    roundtable = Roundtable.objects.get()
    assert (roundtable.number, roundtable.title, roundtable.held_on) == (
        4,
        "町田市×都CIO座談会",
        datetime.date(2021, 10, 15),
    )
    assert roundtable.honorifics_omitted
    assert roundtable.held_on_japanese == "令和3年10月15日"
    assert demo.part_number == 2
    assert demo.title == "町田市×都CIOの座談会を実施しました!part2"
    assert demo.is_public


def test_demo_participants_have_their_printed_titles_in_order(demo):
    participants = Participant.objects.filter(roundtable=demo.roundtable).with_title_parts().order_by("order")
    printed = [f"{p.full_title}:{p.person.name}" for p in participants]
    block_start = SAMPLE_LINES.index("参加者(敬称略)") + 1
    assert printed == SAMPLE_LINES[block_start : block_start + 4]
    assert [p.short_label for p in participants] == ["高橋", "宮坂", "深井", "小澤"]
    # The first speaker label may print the title differently from the participants box.
    fukai = participants.get(label="深井")
    assert f"{fukai.speaker_title}:深井(以下「深井」)" in LABEL_LINES


def test_demo_has_every_turn_in_order_with_its_speaker_word_for_word(demo):
    structure = blocks(demo)
    assert [(s.heading, s.subheading) for s, _ in structure] == [(h, sub) for h, sub, _ in EXPECTED_BLOCKS]
    for (section, items), (_, _, expected) in zip(structure, EXPECTED_BLOCKS):
        shown = [
            item.reference if isinstance(item, Figure) else (item.speaker.short_label if item.speaker else None)
            for item in items
        ]
        assert shown == expected, section.heading
    turns = [item for _, items in structure for item in items if isinstance(item, SpeakerTurn)]
    assert [(t.speaker.short_label if t.speaker else None, t.body) for t in turns] == speeches_in_sample()


def test_demo_keeps_lead_introduction_closing_and_credits_word_for_word(demo):
    assert demo.lead.splitlines() == SAMPLE_LINES[4:6]
    assert (
        "令和3年10月15日に、「東京都・区市町村CIOフォーラム第4回座談会」として町田市CIOと都CIOの対談を実施しました。"
        == demo.introduction
    )
    assert demo.closing == "次回もお楽しみに!"
    credits = [(c.role, c.name, c.affiliation) for c in Credit.objects.filter(article=demo).order_by("position")]
    assert credits == [("執筆者", "猪ノ口 渉", "デジタルサービス局戦略部戦略課"), ("編集", "星野 惇", "同上")]


def test_demo_figures_and_header_have_images_with_alt_text(demo):
    assert demo.header_image and demo.header_image_alt
    figures = Figure.objects.filter(section__article=demo)
    assert figures.count() == 2
    assert all(figure.image and figure.alt_text for figure in figures)


def test_load_demo_twice_creates_nothing_new(demo):
    counts = [
        model.objects.count()
        for model in (Forum, Roundtable, Article, Participant, Person, SpeakerTurn, Figure, Credit)
    ]
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert "already loaded" in output.getvalue()
    assert [
        model.objects.count()
        for model in (Forum, Roundtable, Article, Participant, Person, SpeakerTurn, Figure, Credit)
    ] == counts


def test_people_sort_by_kana_reading(demo):
    assert [p.name for p in Person.objects.all()] == ["小澤 洋之", "高橋 晃", "深井 稔", "宮坂 学"]
