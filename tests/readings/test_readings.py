"""Line breaks and ふりがな worked out on save: the functions, the stored HTML, the dictionary.

The readings of the sample were checked against READINGS_BY_HAND, a list written by hand
from the sample article (not from the analyser's output).
"""

import io
import re

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags

from articles.models import Article, Section, SpeakerTurn
from participants.models import Person
from readings.furigana import annotate_word, hiragana, ruby_html, ruby_text
from readings.lexicon import person_entries, split_name_reading
from readings.models import ReadingEntry
from readings.phrasing import phrase_html, phrase_text, unbreakable_spans
from tests.support import SAMPLE

RT = re.compile(r"<rt[^>]*>.*?</rt>")


def text_of(html):
    """What a reader copies: tags dropped, readings (<rt>) left out."""
    return strip_tags(RT.sub("", html)).replace("&amp;", "&")


def readings_of(html):
    """{base: reading} of every ruby in `html`."""
    return dict(re.findall(r'<ruby>([^<]+)<rt aria-hidden="true">([^<]+)</rt></ruby>', html))


# --- phrasing (no database) ------------------------------------------------------------------


def test_phrases_get_a_wbr_between_them_and_the_text_stays_as_written():
    text = "外部人材は不定期に採用しておりまして、来年度も2人募集する予定です。"
    html = phrase_text(text)
    assert "<wbr>" in html
    assert html.replace("<wbr>", "") == text
    assert "人材は<wbr>不定期に" in html


def test_dates_and_names_are_kept_whole_without_a_break_inside():
    text = "令和4年1月20日に小澤さんと高橋 晃さんが2022年1月20日、10月15日に話した"
    html = phrase_text(text, names=["小澤", "高橋 晃"])
    for whole in ["令和4年1月20日", "小澤", "高橋 晃", "2022年1月20日", "10月15日"]:
        assert f'<span class="nobr">{whole}</span>' in html
    assert strip_tags(html) == text


def test_unbreakable_spans_prefer_the_longest_name():
    text = "高橋 晃と高橋"
    assert [text[a:b] for a, b in unbreakable_spans(text, ["高橋", "高橋 晃"])] == ["高橋 晃", "高橋"]


def test_phrase_html_keeps_tags_attributes_entities_and_code_as_they_were():
    html = '<p>外部人材は<strong>不定期</strong>に採用&amp;<a href="/a?b=1&amp;c=2" title="x">町田市様のお話</a></p><pre><code>人材は不定期</code></pre>'
    out = phrase_html(html)
    assert '<a href="/a?b=1&amp;c=2" title="x">' in out and "&amp;" in out
    assert "<pre><code>人材は不定期</code></pre>" in out
    assert out.replace("<wbr>", "") == html


# --- furigana (no database) ------------------------------------------------------------------


def test_the_kana_of_a_word_stays_outside_its_ruby():
    assert annotate_word("話し", "ハナシ") == '<ruby>話<rt aria-hidden="true">はな</rt></ruby>し'
    assert annotate_word("取り組み", "トリクミ") == (
        '<ruby>取<rt aria-hidden="true">と</rt></ruby>り<ruby>組<rt aria-hidden="true">く</rt></ruby>み'
    )
    assert annotate_word("デジタル", "デジタル") == "デジタル"
    assert hiragana("マチダシ") == "まちだし"


def test_ruby_text_reads_kanji_keeps_the_text_and_the_day_of_a_date():
    html = ruby_text("令和4年1月20日に座談会を実施しました。来年度も2人募集します")
    assert text_of(html) == "令和4年1月20日に座談会を実施しました。来年度も2人募集します"
    readings = readings_of(html)
    assert readings["座談会"] == "ざだんかい"
    assert readings["20日"] == "はつか" and readings["2人"] == "ふたり"
    assert readings["実施"] == "じっし"
    assert '<span class="nobr">' in html  # the date kept whole, with its readings inside


def test_the_lexicon_comes_before_the_analyser():
    assert readings_of(ruby_text("町田市の職員"))["町田市"] == "まちだし"  # the analyser: one word
    html = ruby_text("町田市の職員", lexicon={"町田": "まちだ"})
    assert readings_of(html)["町田"] == "まちだ"
    assert text_of(html) == "町田市の職員"


def test_ruby_html_leaves_code_and_attributes_alone():
    html = '<p><a href="/x" title="漢字">東京都</a>の<code>人材</code></p>'
    out = ruby_html(html)
    assert '<a href="/x" title="漢字">' in out and "<code>人材</code>" in out
    assert readings_of(out)["東京都"] == "とうきょうと"


def test_a_persons_reading_is_split_between_surname_and_given_name():
    assert split_name_reading("高橋 晃", "たかはしあきら") == ["たかはし", "あきら"]
    assert split_name_reading("小澤 洋之", "おざわひろゆき") == ["おざわ", "ひろゆき"]
    assert split_name_reading("宮坂 学", "みやざかまなぶ") == ["みやざか", "まなぶ"]  # rendaku
    entries = person_entries("宮坂 学", "みやさかまなぶ")
    assert entries == {"宮坂 学": "みやさか まなぶ", "宮坂": "みやさか"}
    html = ruby_text("宮坂 学さん", lexicon=entries)
    assert readings_of(html) == {"宮坂": "みやさか", "学": "まなぶ"}


# --- the sample, stored on save --------------------------------------------------------------

# Written by hand from the sample (its kanji words and how they are read), not from the analyser.
READINGS_BY_HAND = {
    "町田": "まちだ",
    "宮坂": "みやさか",  # 宮坂副知事: from Person.reading
    "事例": "じれい",
    "体験": "たいけん",
    "人材育成": "じんざいいくせい",
    "座学": "ざがく",
    "一番": "いちばん",
    "外部": "がいぶ",
    "人材": "じんざい",
    "不定期": "ふていき",
    "採用": "さいよう",
    "来年度": "らいねんど",
    "2人": "ふたり",
    "募集": "ぼしゅう",
    "予定": "よてい",
    "非常": "ひじょう",
    "難": "むずか",
    "課題": "かだい",
    "情報": "じょうほう",
    "窓口": "まどぐち",
    "職員": "しょくいん",
    "啓発": "けいはつ",
    "成功": "せいこう",
    "共有": "きょうゆう",
    "形成": "けいせい",
    "発信": "はっしん",
    "有志": "ゆうし",
    "集": "つど",
    "東京": "とうきょう",
    "環境": "かんきょう",
    "自前": "じまえ",
    "価格": "かかく",
    "全廃": "ぜんぱい",
    "時代": "じだい",
    "流": "なが",
    "汎用": "はんよう",
    "十分": "じゅうぶん",
    "発想": "はっそう",
    "移行": "いこう",
    "斬新": "ざんしん",
    "先進": "せんしん",
    "横": "よこ",
    "展開": "てんかい",
    "熱意": "ねつい",
    "先決": "せんけつ",
    "関東": "かんとう",
    "話題": "わだい",
    "副知事": "ふくちじ",
    "期待": "きたい",
    "貴重": "きちょう",
    "意見": "いけん",
    "交換": "こうかん",
}


@pytest.fixture
def sample_readings(demo):
    readings = {}
    for turn in SpeakerTurn.objects.filter(section__article=demo):
        readings.update(readings_of(turn.ruby_html))
    for section in Section.objects.filter(article=demo):
        readings.update(readings_of(section.heading_ruby_html + section.subheading_ruby_html))
    return readings


def test_the_samples_readings_match_the_hand_list(sample_readings):
    wrong = {
        word: (sample_readings.get(word), reading)
        for word, reading in READINGS_BY_HAND.items()
        if sample_readings.get(word) != reading
    }
    assert wrong == {}


@pytest.mark.django_db
def test_every_turn_of_the_demo_keeps_its_text_in_its_line_broken_and_ruby_copies(demo):
    turns = list(SpeakerTurn.objects.filter(section__article=demo))
    assert len(turns) == 17
    for turn in turns:
        assert turn.display_html.replace("<wbr>", "") != turn.display_html or len(turn.body) < 10
        assert strip_tags(turn.display_html) == strip_tags(turn.body_html)
        assert text_of(turn.ruby_html) == strip_tags(turn.body_html)
    sample = SAMPLE.read_text(encoding="utf-8")
    assert all(line in sample for turn in turns for line in strip_tags(turn.display_html).splitlines())
    sections = list(Section.objects.filter(article=demo))
    assert [strip_tags(s.heading_html) for s in sections] == [s.heading for s in sections]
    assert strip_tags(demo.title_html) == demo.title and text_of(demo.title_ruby_html) == demo.title


@pytest.mark.django_db
def test_the_body_html_the_api_and_search_use_has_no_break_marks(demo):
    for turn in SpeakerTurn.objects.filter(section__article=demo):
        assert "<wbr>" not in turn.body_html and "<ruby>" not in turn.body_html


@pytest.mark.django_db
def test_saving_a_dictionary_word_regenerates_the_parts_that_contain_it(demo):
    def readings_of_demo():
        return {
            word: reading
            for turn in SpeakerTurn.objects.filter(section__article=demo)
            for word, reading in readings_of(turn.ruby_html).items()
        }

    assert readings_of_demo()["町田"] == "まちだ"
    entry = ReadingEntry.objects.get(word="町田")
    entry.delete()
    assert "町田" not in readings_of_demo() and readings_of_demo()["町田市"] == "まちだし"
    ReadingEntry.objects.create(word="区市町村", reading="クシチョウソン")
    assert readings_of_demo()["区市町村"] == "くしちょうそん"
    entry = ReadingEntry.objects.get(word="区市町村")
    entry.word, entry.reading = "町田", "まちだ"
    entry.save()  # the old word's parts and the new word's
    assert readings_of_demo()["町田"] == "まちだ" and "区市町村" not in readings_of_demo()


@pytest.mark.django_db
def test_a_persons_new_reading_shows_in_the_turns_that_name_them(demo):
    turn = SpeakerTurn.objects.filter(section__article=demo, body__contains="宮坂副知事").get()
    assert readings_of(turn.ruby_html)["宮坂"] == "みやさか"
    person = Person.objects.get(name="宮坂 学")
    person.reading = "みやざか まなぶ"
    person.save()
    turn.refresh_from_db()
    assert readings_of(turn.ruby_html)["宮坂"] == "みやざか"


@pytest.mark.django_db
def test_the_command_regenerates_every_part(demo):
    SpeakerTurn.objects.update(display_html="", ruby_html="")
    Section.objects.update(heading_html="", heading_ruby_html="")
    out = io.StringIO()
    call_command("regenerate_readings", stdout=out)
    assert "1 part" in out.getvalue()
    assert all(turn.ruby_html and turn.display_html for turn in SpeakerTurn.objects.all())
    assert all(s.heading_html for s in Section.objects.filter(article=demo) if s.heading)


@pytest.mark.django_db
def test_the_part_page_and_the_feed_carry_the_breaks_and_the_page_the_ruby_copies(client, demo):
    page = client.get(demo.get_absolute_url()).content.decode()
    body = page.split('<div class="article-body">')[1].split("</main>")[0]
    plain, furigana = body.split('<template id="furigana-data">')
    assert "<wbr>" in plain and "<ruby>" not in plain
    assert furigana.count("<ruby>") > 200
    assert '<button type="button" class="furigana-toggle" aria-pressed="false">ふりがな</button>' in page
    feed = client.get("/feeds/atom/").content.decode()
    assert "&lt;wbr&gt;" in feed and "ruby" not in feed


@pytest.mark.django_db
def test_the_dictionary_is_in_the_admin_and_refuses_a_reading_in_kanji(admin_client):
    response = admin_client.post("/admin/readings/readingentry/add/", {"word": "町田", "reading": "町田", "note": ""})
    assert response.status_code == 200
    assert "よみがなはひらがなかカタカナで入力してください。" in response.content.decode()
    response = admin_client.post("/admin/readings/readingentry/add/", {"word": "町田", "reading": "マチダ", "note": ""})
    assert response.status_code == 302
    assert ReadingEntry.objects.get(word="町田").reading == "まちだ"
