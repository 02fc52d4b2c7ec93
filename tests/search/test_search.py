"""Search (issue 13): who said what, in Japanese, down to the turn.

Every test here runs on whichever database DATABASE_URL names; CI runs the file on SQLite
and on PostgreSQL, so both give the same results for the same assertions.
"""

import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleStatus, Section, SpeakerTurn
from articles.search.models import SearchEntry
from articles.search.text import index_tokens, parse_query, snippet_html
from participants.models import Role
from tests.support.factories import make_article, make_forum, make_participant, make_roundtable

pytestmark = pytest.mark.django_db


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return Page(response)


class Page:
    def __init__(self, response):
        self.response = response
        self.soup = BeautifulSoup(response.content, "html.parser")
        self.hits = [Hit(item) for item in self.soup.select(".search-hit")]
        status = self.soup.select_one('.search-status[role="status"]')
        self.status = status.get_text() if status else ""

    @property
    def total(self):
        return self.response.context["total"]

    @property
    def texts(self):
        return [hit.text for hit in self.hits]

    @property
    def parts(self):
        return [part.select_one(".search-part-title").get_text() for part in self.soup.select(".search-part")]


class Hit:
    def __init__(self, item):
        self.item = item
        link = item.select_one(".search-hit-snippet a")
        self.text = link.get_text()
        self.href = link["href"]
        self.marks = [mark.get_text() for mark in link.select("mark")]
        self.source = item.select_one(".search-hit-source").get_text()


def add_turns(section, *turns):
    created = []
    for position, (speaker, body) in enumerate(turns, start=1):
        created.append(SpeakerTurn.objects.create(section=section, position=position, speaker=speaker, body=body))
    return created


@pytest.fixture
def corpus():
    """Two roundtables of one forum, a person whose title changed between them, and another forum."""
    forum = make_forum(name="東京都・区市町村CIOフォーラム", slug="tokyo-cio-forum")
    early = make_roundtable(forum, number=1, title="町田市×都CIO座談会", held_on=datetime.date(2021, 10, 15))
    late = make_roundtable(forum, number=2, title="八王子市×都CIO座談会", held_on=datetime.date(2023, 5, 10))
    takahashi_then = make_participant(
        early,
        name="高橋 晃",
        organisation="町田市",
        posts=("総務部長", "情報システム担当部長"),
        roles=("CIO補佐", "CDO"),
    )
    miyasaka = make_participant(early, name="宮坂 学", organisation="東京都", posts=("副知事",), roles=("CIO",))
    takahashi_now = make_participant(late, name="高橋 晃", organisation="町田市", posts=("副市長",), roles=("CIO",))
    part1 = make_article(early, title="町田市×都CIO座談会 part1", slug="machida-1")
    section1 = Section.objects.create(
        article=part1, position=1, heading="事例体験による人材育成", subheading="座学よりも体験が一番のOJT"
    )
    turns1 = add_turns(
        section1,
        (takahashi_then, "外部人材は不定期に採用しております。内部人材については所管課でも活躍しています。"),
        (miyasaka, "小さな成功事例も共有して横展開していく場があるといいですよね。"),
        (
            takahashi_then,
            "5Gのネットワークをタブレットで組んでいます。座学よりも体験が一番良いＯＪＴかと思っています。",
        ),
        (None, "―本日はありがとうございました!"),
    )
    part2 = make_article(late, title="八王子市×都CIO座談会 part1", slug="hachioji-1", lead="第2回は人材の話から。")
    section2 = Section.objects.create(article=part2, position=1, heading="これからの育成")
    turns2 = add_turns(
        section2,
        (takahashi_now, "ＣＩＯとしては、人材育成を全庁に横展開していきたい。"),
        (takahashi_now, "ｶﾀｶﾅで書いたシステムの話もします。"),
    )
    other_forum = make_forum(name="別のフォーラム", slug="other-forum")
    elsewhere = make_roundtable(other_forum, number=1, title="別の座談会", held_on=datetime.date(2022, 3, 1))
    guest = make_participant(elsewhere, name="佐藤 花子", organisation="府中市", posts=("デジタル推進課長",))
    part3 = make_article(elsewhere, title="別の座談会", slug="other-1")
    section3 = Section.objects.create(article=part3, position=1, heading="")
    turns3 = add_turns(section3, (guest, "人材の確保が課題です。育成は別の話です。"))
    return {
        "forum": forum,
        "other_forum": other_forum,
        "early": early,
        "late": late,
        "part1": part1,
        "part2": part2,
        "part3": part3,
        "turns1": turns1,
        "turns2": turns2,
        "turns3": turns3,
        "takahashi": takahashi_then.person,
        "miyasaka": miyasaka.person,
        "guest": guest.person,
        "section1": section1,
    }


# -- Japanese queries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("人材", {"外部人材は", "人材育成を全庁", "人材の確保"}),
        ("横展開", {"横展開していく場", "全庁に横展開"}),
        ("ネットワーク", {"5Gのネットワーク"}),
        ("OJT", {"一番良いＯＪＴ"}),
        ("ＯＪＴ", {"一番良いＯＪＴ"}),
        ("５Ｇ", {"5Gのネットワーク"}),
        ("5g", {"5Gのネットワーク"}),
        ("cio", {"ＣＩＯとしては"}),
        ("カタカナ", {"ｶﾀｶﾅで書いた"}),
        ("ｼｽﾃﾑ", {"ｶﾀｶﾅで書いたシステム"}),
    ],
)
def test_a_query_finds_every_public_turn_containing_it_in_any_width(client, corpus, query, expected):
    page = search(client, q=query)
    turns = [hit.text for hit in page.hits if "発言" not in hit.source and hit.href.count("#t-")]
    for fragment in expected:
        assert sum(fragment in text for text in turns) == 1, (fragment, turns)
    assert len(turns) == len(expected), turns


def test_a_one_character_query_finds_the_character_inside_and_at_the_end_of_a_word(client, corpus):
    page = search(client, q="庁")  # 全庁に (inside a run)
    assert [text for text in page.texts if "全庁" in text]
    page = search(client, q="よ")  # ...いいですよね。 / よ at the end of a run is found too
    assert any("ですよね" in text for text in page.texts)
    assert search(client, q="鬱").total == 0


def test_several_terms_must_all_be_in_the_same_turn(client, corpus):
    page = search(client, q="人材 育成")
    texts = page.texts
    # 人材育成を全庁に… has both; the heading 事例体験による人材育成 too; 人材の確保…育成は別 both.
    assert any("人材育成を全庁" in text for text in texts)
    assert any("人材の確保" in text for text in texts)
    # 外部人材は… has 人材 but no 育成 in the same turn, though its section heading has 育成.
    assert not any("外部人材は" in text for text in texts)
    assert search(client, q="外部人材 横展開").total == 0  # in two different turns of one part


def test_a_quoted_phrase_matches_only_that_sequence(client, corpus):
    assert {hit.text for hit in search(client, q="人材育成").hits} >= {
        "事例体験による人材育成 座学よりも体験が一番のOJT"
    }
    phrase = search(client, q='"人材の確保"')
    assert len(phrase.hits) == 1 and "人材の確保" in phrase.hits[0].text
    assert search(client, q='"確保の人材"').total == 0
    # A phrase with punctuation needs a separator at that point: "OJT、研修" is not "OJT研修".
    assert search(client, q='"一番良い ＯＪＴ"').total == 0
    assert search(client, q='"が一番良いOJT"').total == 1


def test_phrases_across_runs_and_short_runs_match_the_same_when_the_parts_are_walked(client, corpus):
    # PostgreSQL counts the newest parts by reading their rows, checking each row's runs
    # (SearchEntry.runs) before its tokens; rows indexed before that column existed have none.
    add_turns(
        Section.objects.create(article=corpus["part3"], position=2),
        (None, "OJT、研修の話。ｏｊｔ研修も。"),
        (None, "研修OJT"),
        (None, "人材。育成"),
        (None, "人 材"),
    )
    expected = {
        '"OJT、研修"': {"OJT、研修の話。ｏｊｔ研修も。"},  # OJT ends a word, 研修 starts the next
        "ojt 研修": {"OJT、研修の話。ｏｊｔ研修も。", "研修OJT"},
        '"人材 育成"': {"人材。育成"},  # not 人材育成 (one word), nor 人材の確保…育成
        '"人 材"': {"人 材"},  # 人 a word of its own, then a word starting with 材
        '"修 oj"': set(),
    }
    for rows in ("as indexed now", "indexed before SearchEntry.runs"):
        if rows != "as indexed now":
            SearchEntry.objects.update(runs=None)
        for query, texts in expected.items():
            assert {hit.text for hit in search(client, q=query).hits} == texts, (rows, query)


# -- What is searched, and what the public may see ----------------------------------------------------


def test_titles_leads_and_headings_are_found_and_link_to_their_place(client, corpus):
    title = search(client, q="八王子市")
    assert any(hit.href == "/articles/hachioji-1/" and "タイトル" in hit.source for hit in title.hits)
    lead = search(client, q="人材の話")
    assert [hit.source for hit in lead.hits] == ["リード文"]
    heading = search(client, q="座学よりも体験")
    section = corpus["section1"]
    assert any(hit.href == f"/articles/machida-1/#section-{section.pk}" for hit in heading.hits)


def test_drafts_and_scheduled_parts_are_not_found_until_their_time(client, corpus):
    later = timezone.now() + datetime.timedelta(days=2)
    scheduled = make_article(
        corpus["early"],
        part_number=2,
        title="予約の記事",
        slug="machida-2",
        status=ArticleStatus.PUBLISHED,
        publish_at=later,
    )
    section = Section.objects.create(article=scheduled, position=1, heading="量子暗号の見出し")
    add_turns(section, (None, "量子暗号の話です。"))
    draft = make_article(corpus["late"], part_number=2, published=False, title="量子暗号の下書き", slug="draft")
    add_turns(Section.objects.create(article=draft, position=1), (None, "量子暗号の下書きの発言。"))
    assert search(client, q="量子暗号").total == 0
    with time_machine.travel(later - datetime.timedelta(seconds=1), tick=False):
        assert search(client, q="量子暗号").total == 0
    with time_machine.travel(later, tick=False):
        page = search(client, q="量子暗号")
        assert page.parts == ["予約の記事"] and page.total == 2  # its heading and its turn


def test_unpublishing_hides_and_republishing_shows_without_reindexing(client, corpus):
    part = corpus["part2"]
    part.status = ArticleStatus.DRAFT
    part.save()
    assert not any("全庁" in text for text in search(client, q="横展開").texts)
    part.status = ArticleStatus.PUBLISHED
    part.save()
    assert any("全庁" in text for text in search(client, q="横展開").texts)
    Article.objects.filter(pk=part.pk).update(status=ArticleStatus.DRAFT)  # the admin's bulk action
    assert not any("全庁" in text for text in search(client, q="横展開").texts)


def test_the_index_follows_every_save_and_delete(client, corpus):
    turn = corpus["turns2"][0]
    turn.body = "これからは量子暗号の時代です。"
    turn.save()
    assert search(client, q="量子暗号").total == 1
    assert not any("全庁" in text for text in search(client, q="横展開").texts)
    section = corpus["section1"]
    section.heading = "新しい見出しの言葉"
    section.save()
    assert search(client, q="新しい見出し").total == 1
    part = corpus["part1"]
    part.title = "改題された記事"
    part.save()
    assert search(client, q="改題").parts == ["改題された記事"]
    turn.delete()
    assert search(client, q="量子暗号").total == 0
    section_pk = section.pk
    section.delete()
    assert search(client, q="新しい見出し").total == 0
    assert not SearchEntry.objects.filter(section_id=section_pk).exists()
    corpus["part3"].delete()
    assert search(client, q="確保").total == 0


def test_an_imported_part_is_indexed(client, demo):
    demo.status = ArticleStatus.PUBLISHED
    demo.save()
    page = search(client, q="キャッシュレス")
    assert page.total == 1 and "窓口のキャッシュレス化" in page.hits[0].text


def test_rebuild_search_index_restores_the_index_with_a_progress_bar(client, corpus):
    before = search(client, q="人材").texts
    SearchEntry.objects.all().delete()
    assert search(client, q="人材").total == 0
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err)
    assert search(client, q="人材").texts == before
    assert "100%" in err.getvalue() and "[" in err.getvalue()
    assert "作り直しました" in out.getvalue()


def test_the_index_is_maintained_row_by_row_after_a_rebuild(client, corpus):
    call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    # In the same transaction as the rebuild (PostgreSQL once refused this delete: the
    # rebuild left the index's foreign keys checked immediately).
    corpus["turns3"][0].delete()
    assert not any("人材の確保" in text for text in search(client, q="人材").texts)


# -- Filters -----------------------------------------------------------------------------------------


def test_speaker_filter_alone_and_with_a_query(client, corpus):
    takahashi = corpus["takahashi"]
    alone = search(client, speaker=takahashi.pk)
    assert alone.total == 4 and all("高橋 晃" in hit.source for hit in alone.hits)
    combined = search(client, speaker=takahashi.pk, q="人材")
    assert {hit.text[:6] for hit in combined.hits} == {"外部人材は不", "ＣＩＯとして"}


def test_role_filter_is_the_title_held_at_the_time(client, corpus):
    # 高橋 was CIO補佐 at the first roundtable and CIO at the second; 宮坂 was CIO at the first.
    cio = search(client, role="CIO", q="横展開")
    assert sorted(hit.text[:4] for hit in cio.hits) == ["小さな成", "ＣＩＯと"]
    assistant = search(client, role="cio補佐")
    assert assistant.total == 2 and all("CIO補佐" in hit.source for hit in assistant.hits)
    assert all("当時" in hit.source for hit in assistant.hits)
    by_post = search(client, role="総務部長")
    assert by_post.total == 2
    assert search(client, role="存在しない役職").total == 0


def test_role_filter_follows_an_edited_title(client, corpus):
    # The posts are matched in SQL through a copy kept on the appearance: an edit is seen at once.
    guest = corpus["guest"].appearances.get()
    assert search(client, role="ＤＸ推進").total == 0
    guest.posts = ["DX推進担当課長"]
    guest.save()
    assert [hit.text[:5] for hit in search(client, role="ＤＸ推進").hits] == ["人材の確保"]
    assert search(client, role="デジタル推進課長").total == 0
    # A role given to an appearance afterwards (as the admin's form does), and a renamed role.
    guest.roles.add(Role.objects.get(abbreviation="CDO"))
    assert search(client, role="cdo", q="確保").total == 1
    assert search(client, role="%").total == 0 and search(client, role="_").total == 0


def test_role_filter_queries_do_not_grow_with_the_appearances(client, corpus):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = search(client, role="総務部長", q="人材")
        return len(captured.captured_queries), page.total

    before, hits = queries()
    for number in range(3, 13):
        roundtable = make_roundtable(corpus["forum"], number=number, held_on=datetime.date(2020, 1, number))
        speaker = make_participant(roundtable, name=f"別人 {number}", posts=("総務部長",))
        section = Section.objects.create(article=make_article(roundtable, slug=f"more-{number}"), position=1)
        add_turns(section, (speaker, "人材の話です。"))
    assert queries() == (before, hits + 10)


def test_forum_roundtable_and_date_filters(client, corpus):
    assert search(client, q="人材", forum="other-forum").parts == ["別の座談会"]
    assert search(client, q="人材", roundtable=corpus["late"].pk).parts == ["八王子市×都CIO座談会 part1"]
    assert set(search(client, q="人材", year=2021).parts) == {"町田市×都CIO座談会 part1"}
    assert set(search(client, q="人材", year="２０２３").parts) == {"八王子市×都CIO座談会 part1"}
    ranged = search(client, q="人材", **{"from": "2022-01-01", "until": "2023-12-31"})
    assert set(ranged.parts) == {"別の座談会", "八王子市×都CIO座談会 part1"}
    assert set(search(client, **{"q": "人材", "from": "2022"}).parts) == {"別の座談会", "八王子市×都CIO座談会 part1"}
    assert set(search(client, **{"q": "人材", "until": "2022-03"}).parts) == {"別の座談会", "町田市×都CIO座談会 part1"}
    assert search(client, year=2022).total == 2  # a filter alone: the part's title and its turn


def test_filters_are_shareable_links_and_each_can_be_removed(client, corpus):
    takahashi = corpus["takahashi"]
    url = f"/search/?speaker={takahashi.pk}&role=CIO&q=人材"
    page = Page(client.get(url))
    assert page.total == 1 and "人材育成を全庁" in page.hits[0].text
    chips = page.soup.select(".active-filters li")
    assert [chip.get_text().split(" ")[0] for chip in chips] == ["発言者:高橋", "当時の肩書き(役職・ロール):CIO"]
    remove_role = chips[1].select_one("a")["href"]
    assert parse_qs(urlsplit(remove_role).query) == {"speaker": [str(takahashi.pk)], "q": ["人材"]}
    assert Page(client.get("/search/" + remove_role)).total == 2
    # The form keeps every filter, so a new query stays within them.
    form = page.soup.select_one("form.search-form")
    assert form.select_one('input[name="speaker"]')["value"] == str(takahashi.pk)
    assert form.select_one('input[name="role"]')["value"] == "CIO"


def test_a_persons_page_offers_a_search_of_their_words(client, corpus):
    takahashi = corpus["takahashi"]
    soup = BeautifulSoup(client.get(takahashi.get_absolute_url()).content, "html.parser")
    form = soup.select_one('form.person-search[role="search"]')
    assert form["action"] == "/search/"
    assert form.select_one('input[name="speaker"]')["value"] == str(takahashi.pk)
    label = form.select_one("label")
    assert "高橋 晃さんの発言を検索" in label.get_text() and form.select_one("#" + label["for"])
    roundtable = BeautifulSoup(client.get(corpus["early"].get_absolute_url()).content, "html.parser")
    link = roundtable.select_one(".roundtable-search a")["href"]
    assert Page(client.get(link)).parts == ["町田市×都CIO座談会 part1"]


# -- Results -----------------------------------------------------------------------------------------


def test_results_are_grouped_by_part_newest_first_with_the_title_held_then(client, corpus):
    page = search(client, q="人材")
    assert page.parts == ["八王子市×都CIO座談会 part1", "別の座談会", "町田市×都CIO座談会 part1"]
    first_part = page.soup.select(".search-part")[0]
    assert "この記事で2件" in first_part.get_text()  # its lead and one turn
    sources = [hit.source for hit in page.hits]
    assert any("高橋 晃(当時:町田市副市長(CIO))" in source for source in sources)
    assert any("高橋 晃(当時:町田市総務部長兼情報システム担当部長(CIO補佐、CDO))" in source for source in sources)
    assert "5件見つかりました" in page.status


def test_relevance_puts_the_part_with_most_matches_first(client, corpus):
    # The older part (2021) has three matches, the newer one (2022) one.
    add_turns(
        Section.objects.create(article=corpus["part1"], position=2),
        (None, "量子暗号"),
        (None, "量子暗号の二"),
        (None, "量子暗号の三"),
    )
    add_turns(Section.objects.create(article=corpus["part3"], position=2), (None, "量子暗号の一"))
    assert search(client, q="量子暗号").parts == ["別の座談会", "町田市×都CIO座談会 part1"]
    assert search(client, q="量子暗号", order="relevance").parts == ["町田市×都CIO座談会 part1", "別の座談会"]
    # A match in a heading counts more than one in a turn.
    Section.objects.create(article=corpus["part3"], position=3, heading="量子暗号の見出し")
    Section.objects.create(article=corpus["part3"], position=4, heading="量子暗号の小見出し")
    assert search(client, q="量子暗号", order="relevance").parts == ["別の座談会", "町田市×都CIO座談会 part1"]


def test_snippets_mark_the_match_and_escape_the_text(client, corpus):
    add_turns(
        Section.objects.create(article=corpus["part3"], position=2),
        (None, "コードの `<script>alert(1)</script>` と 1 < 2 & の入った発言で量子暗号を語る。"),
    )
    page = search(client, q="量子暗号")
    assert page.hits[0].marks == ["量子暗号"]
    assert page.soup.find("script", string="alert(1)") is None
    assert "<script>alert(1)</script> と 1 < 2 &" in page.hits[0].text
    wide = search(client, q="ＯＪＴ")
    assert wide.hits[0].marks == ["ＯＪＴ"] or "OJT" in wide.hits[0].marks


def test_a_hit_links_to_the_turns_permalink_with_the_words_to_highlight(client, corpus):
    page = search(client, q="横展開 全庁")
    turn = corpus["turns2"][0]
    assert [hit.href for hit in page.hits] == [
        f"/articles/hachioji-1/?hl=%E6%A8%AA%E5%B1%95%E9%96%8B%20%E5%85%A8%E5%BA%81#{turn.anchor}"
    ]
    assert turn.anchor.startswith("t-")  # the kept anchor, not the record number
    target = BeautifulSoup(client.get(page.hits[0].href).content, "html.parser")
    assert target.select_one(f"#{turn.anchor}") is not None
    assert target.select_one('script[src$="highlight.js"]') is not None


def test_long_results_are_paginated_without_losing_or_repeating_a_hit(client, corpus):
    section = Section.objects.create(article=corpus["part3"], position=2)
    add_turns(section, *[(None, f"量子暗号その{i}") for i in range(30)])
    add_turns(
        Section.objects.create(article=corpus["part1"], position=2), *[(None, f"量子暗号第{i}") for i in range(5)]
    )
    first = search(client, q="量子暗号")
    second = Page(client.get("/search/", {"q": "量子暗号", "page": 2}))
    assert first.total == second.total == 35
    assert len(first.hits) == 20 and len(second.hits) == 15
    everything = first.texts + second.texts
    assert len(set(everything)) == 35
    assert everything[:30] == [f"量子暗号その{i}" for i in range(30)]  # newest part first, in reading order
    assert "1〜20件目" in first.status and "21〜35件目" in second.status
    next_link = first.soup.select_one('.pagination a[rel="next"]')["href"]
    assert parse_qs(urlsplit(next_link).query) == {"q": ["量子暗号"], "page": ["2"]}
    assert client.get("/search/", {"q": "量子暗号", "page": 3}).status_code == 404


def test_beyond_the_exact_limit_pages_follow_the_same_order_without_counting_everything(client, corpus, monkeypatch):
    from articles.search import query

    section = Section.objects.create(article=corpus["part3"], position=2)
    add_turns(section, *[(None, f"量子暗号その{i}") for i in range(12)])
    add_turns(
        Section.objects.create(article=corpus["part1"], position=2), *[(None, f"量子暗号第{i}") for i in range(5)]
    )
    Section.objects.create(article=corpus["part1"], position=3, heading="量子暗号の見出し")
    exact = search(client, q="量子暗号")
    exact_texts = exact.texts
    monkeypatch.setattr(query, "EXACT_LIMIT", 10)
    first = search(client, q="量子暗号")
    assert "10件以上見つかりました" in first.status and "1〜10件目" not in first.status
    assert first.texts == exact_texts[:10]
    later = Page(client.get("/search/", {"q": "量子暗号", "page": 1}))
    assert later.texts == first.texts
    # Relevance beyond the limit: parts with matches in a title, lead or heading first.
    relevant = search(client, q="量子暗号", order="relevance")
    assert relevant.parts == ["町田市×都CIO座談会 part1", "別の座談会"]
    assert "量子暗号の見出し" in relevant.texts[:7]  # its part comes first for its heading
    monkeypatch.setattr(query, "EXACT_LIMIT", 1000)
    assert search(client, q="量子暗号", order="relevance").parts == ["別の座談会", "町田市×都CIO座談会 part1"]


def _part_with_headings(roundtable, title, headings, turns=2, **fields):
    """A part whose title and headings hold the words given, and `turns` turns with 量子暗号."""
    part = make_article(roundtable, title=title, **fields)
    for position, heading in enumerate(headings, start=1):
        add_turns(
            Section.objects.create(article=part, position=position, heading=heading),
            *[(None, f"{title}の量子暗号{i}") for i in range(turns if position == 1 else 0)],
        )
    return part


def test_relevance_beyond_the_limit_ranks_parts_by_their_title_lead_and_heading_matches(client, corpus, monkeypatch):
    from articles.search import query

    forum, other = corpus["forum"], corpus["other_forum"]
    day = datetime.date(2024, 1, 1)
    rt = [make_roundtable(forum, number=10 + i, held_on=day + datetime.timedelta(days=i)) for i in range(5)]
    # Matches in the title and headings: two, three, one, three (newer), two (another forum, older),
    # none, and a draft with four that must never show, nor push a public part down.
    two = _part_with_headings(rt[0], "二件の回", ["量子暗号の見出し", "量子暗号の続き"])
    three_old = _part_with_headings(rt[1], "量子暗号の三件", ["量子暗号", "量子暗号ふたたび"])
    one = _part_with_headings(rt[2], "一件の回", ["量子暗号だけ", "別の話"], turns=1)
    three_new = _part_with_headings(rt[3], "量子暗号の新三件", ["量子暗号", "量子暗号まで"])
    older = make_roundtable(other, number=20, held_on=day - datetime.timedelta(days=1))
    elsewhere = _part_with_headings(older, "量子暗号の他所", ["量子暗号の他所見出し"])
    _part_with_headings(rt[4], "量子暗号の下書き", ["量子暗号"] * 3, published=False, slug="draft-quantum")
    none = _part_with_headings(rt[4], "見出しなしの回", ["別の見出し"], turns=3, part_number=2)
    # 23 hits in all: beyond a limit of 20, the first page is the first 20 in relevance order.
    monkeypatch.setattr(query, "EXACT_LIMIT", 20)
    page = search(client, q="量子暗号", order="relevance")
    assert "20件以上見つかりました" in page.status
    assert page.parts == [three_new.title, three_old.title, two.title, elsewhere.title, one.title]
    assert len(page.hits) == 20 and not any("下書き" in text for text in page.texts)
    monkeypatch.setattr(query, "EXACT_LIMIT", 8)
    in_forum = search(client, q="量子暗号", order="relevance", forum=forum.slug)
    assert "8件以上見つかりました" in in_forum.status
    assert in_forum.parts == [three_new.title, three_old.title]
    # Counted exactly: every hit counts, and one in a title, lead or heading counts five.
    monkeypatch.setattr(query, "EXACT_LIMIT", 1000)
    exact = search(client, q="量子暗号", order="relevance")
    assert exact.total == 23
    assert exact.parts == [three_new.title, three_old.title, two.title, elsewhere.title, one.title]
    assert Page(client.get("/search/", {"q": "量子暗号", "order": "relevance", "page": 2})).parts == [none.title]


def test_relevance_beyond_the_limit_takes_the_same_queries_however_many_kinds_of_match(client, corpus, monkeypatch):
    # The parts with matches in their titles, leads and headings are grouped by how many they
    # have; the groups a page needs are read in one query, however many groups there are.
    from articles.search import query

    monkeypatch.setattr(query, "EXACT_LIMIT", 4)

    def queries(groups):
        roundtable = make_roundtable(corpus["forum"], number=100 + groups)
        for count in range(1, groups + 1):
            _part_with_headings(roundtable, f"{groups}の{count}回", ["量子暗号"] * count, part_number=count)
        with CaptureQueriesContext(connection) as captured:
            page = search(client, q="量子暗号", order="relevance")
        assert page.parts[0] == f"{groups}の{groups}回"
        Article.objects.filter(roundtable=roundtable).delete()
        return len(captured)

    assert queries(2) == queries(6)


def test_hits_do_not_depend_on_how_the_parts_are_counted(client, corpus, monkeypatch):
    # At scale the newest parts are counted a chunk at a time before the index is asked (the
    # probe, on PostgreSQL): with chunks of one part and a probe of two, the same hits come out.
    from articles.search import query

    searches = [{"q": "人材"}, {"q": "育成"}, {"q": "横展開"}, {"speaker": corpus["takahashi"].pk}, {"role": "CIO"}]
    expected = [(search(client, **params).texts, search(client, **params).total) for params in searches]
    monkeypatch.setattr(query, "FIRST_CHUNK", 1)
    monkeypatch.setattr(query, "GROWTH", 2)
    monkeypatch.setattr(query, "PROBE_PARTS", 2)
    assert [(search(client, **params).texts, search(client, **params).total) for params in searches] == expected
    monkeypatch.setattr(query, "EXACT_LIMIT", 2)
    for probe_parts in (2, 3):  # 3: the second chunk is sized from the hits of the first
        monkeypatch.setattr(query, "PROBE_PARTS", probe_parts)
        for params, (texts, total) in zip(searches, expected):
            page = search(client, **params)
            assert page.texts == texts[: min(2, total)], params
            assert ("2件以上" in page.status) == (total > 2), params


def test_pages_beyond_the_probe_count_the_parts_it_left_uncounted(client, corpus, monkeypatch):
    # On PostgreSQL the probe's later chunks stop reading once the hits pass the limit, leaving
    # their parts uncounted: the pages that reach those parts count them, and the hits are the
    # ones the exact count gives, in the same order.
    from articles.search import query

    day = datetime.date(2024, 1, 1)
    for i in range(6):
        roundtable = make_roundtable(corpus["forum"], number=30 + i, held_on=day + datetime.timedelta(days=i))
        part = make_article(roundtable, title=f"量子の回{i}")
        add_turns(Section.objects.create(article=part, position=1), *[(None, f"量子暗号{i}の{j}") for j in range(5)])
    pages = lambda: [Page(client.get("/search/", {"q": "量子暗号", "page": n})) for n in (1, 2)]  # noqa: E731
    exact = [page.texts for page in pages()]
    assert exact[0][:5] == [f"量子暗号5の{j}" for j in range(5)] and len(exact[0] + exact[1]) == 30
    monkeypatch.setattr(query, "EXACT_LIMIT", 25)
    monkeypatch.setattr(query, "FIRST_CHUNK", 1)
    first, second = pages()
    assert "25件以上見つかりました" in first.status
    assert first.texts + second.texts == (exact[0] + exact[1])[:25]


def test_a_page_of_results_takes_the_same_queries_however_many_hits(client, corpus):
    def queries(count):
        SpeakerTurn.objects.filter(body__startswith="量子").delete()
        add_turns(
            Section.objects.create(article=corpus["part3"], position=9 + count),
            *[(corpus["takahashi"].appearances.first(), f"量子暗号{i}") for i in range(count)],
        )
        with CaptureQueriesContext(connection) as captured:
            search(client, q="量子暗号", role="CIO補佐")
        return len(captured)

    assert queries(3) == queries(40)


# -- Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": '"'},
        {"q": '"""'},
        {"q": "*"},
        {"q": "人材*"},
        {"q": "NEAR(人材 育成)"},
        {"q": "%"},
        {"q": "_"},
        {"q": "\\"},
        {"q": "' OR 1=1 --"},
        {"q": "人材\x00育成"},
        {"q": "\x07\x1b[31m"},
        {"q": "人材 AND OR NOT"},
        {"q": "a:* & !b"},
        {"q": "人" * 200},
        {"q": " ".join(["人材"] * 50)},
        {"q": "\u202e人材"},
        {"order": "nonsense"},
        {"speaker": "abc"},
        {"speaker": "999999"},
        {"speaker": "99999999999999999999"},
        {"forum": "no-such-forum"},
        {"forum": "../../etc"},
        {"roundtable": "-1"},
        {"year": "20211"},
        {"from": "2021-13-45"},
        {"until": "yesterday"},
        {"from": "2022", "until": "2021"},
        {"page": "abc"},
        {"page": "0"},
        {"role": "x" * 500},
        {"q": "人材", "speaker": "1 OR 1=1"},
    ],
)
def test_bad_queries_get_a_normal_page_or_a_japanese_400_never_a_500(client, corpus, params):
    response = client.get("/search/", params)
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code == 400:
        soup = BeautifulSoup(response.content, "html.parser")
        # A field's error beside it, or (a NUL in the address, refused before any view) the 400 page's message.
        errors = (
            " ".join(error.get_text() for error in soup.select(".field-error")) or soup.select_one("main").get_text()
        )
        assert errors.strip() and any("\u3040" <= ch <= "\u30ff" for ch in errors), errors


def test_a_query_that_is_not_valid_utf8_is_harmless(client, corpus):
    assert client.get("/search/?q=%ED%A0%80%FF%FE").status_code == 200


def test_a_query_of_1000_characters_is_refused_with_its_length(client, corpus):
    response = client.get("/search/", {"q": "人" * 1000})
    assert response.status_code == 400
    assert "検索語は200文字以内で入力してください(1000文字あります)。" in response.content.decode()


def test_invalid_filters_say_which_field_is_wrong(client, corpus):
    cases = {
        "speaker": ({"speaker": "999999"}, "「発言者」に指定された人物(番号999999)は見つかりません。"),
        "forum": ({"forum": "nothing-here"}, "「フォーラム」に指定された「nothing-here」は見つかりません。"),
        "from": ({"from": "2021-13-01"}, "「開催日(から)」は 2021-04-01 のような日付"),
        "until": ({"from": "2022-01-01", "until": "2021-01-01"}, "「開催日(まで)」が「開催日(から)」より前"),
        "year": ({"year": "二千"}, "「開催年」は半角または全角の数字で入力してください。"),
    }
    for params, message in cases.values():
        response = client.get("/search/", params)
        assert response.status_code == 400 and message in response.content.decode(), params


def test_a_query_without_letters_or_digits_says_so(client, corpus):
    page = search(client, q="%%% ***")
    assert "検索できる文字" in page.status


def test_a_person_without_public_turns_cannot_be_used_as_a_filter(client, corpus):
    hidden = make_roundtable(corpus["forum"], number=9)
    guest = make_participant(hidden, name="非公開 太郎")
    draft = make_article(hidden, published=False, slug="hidden")
    add_turns(Section.objects.create(article=draft, position=1), (guest, "下書きの発言です。"))
    assert client.get("/search/", {"speaker": guest.person.pk}).status_code == 400


# -- The search box ----------------------------------------------------------------------------------


def test_every_public_page_has_a_labelled_search_box(client, corpus):
    urls = [
        "/",
        corpus["forum"].get_absolute_url(),
        corpus["early"].get_absolute_url(),
        "/articles/machida-1/",
        corpus["takahashi"].get_absolute_url(),
        "/articles/no-such-part/",
    ]
    for url in urls:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        box = soup.select_one('header form[role="search"]')
        assert box is not None and box["action"] == "/search/", url
        field = box.select_one('input[name="q"]')
        assert soup.select_one(f'label[for="{field["id"]}"]').get_text() == "発言を検索", url


def test_the_header_box_submits_to_the_search(client, corpus):
    response = client.get("/search/", {"q": "横展開"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#search-q")["value"] == "横展開"
    assert len(soup.select('form[role="search"]')) == 1  # the page's own form, not a second box


# -- Text handling (no database) -----------------------------------------------------------------------


def test_tokens_are_bigrams_and_the_last_character_of_each_run():
    assert index_tokens("人材育成、OJT") == ["人材", "材育", "育成", "成", "oj", "jt", "t"]
    assert index_tokens("ｶﾞｲﾄﾞ ５Ｇ") == ["ガイ", "イド", "ド", "5g", "g"]
    assert index_tokens("。、!") == []


def test_query_parsing_ignores_syntax_and_keeps_phrases():
    assert [term.runs for term in parse_query('人材 "OJT、研修" NEAR(a*)')] == [
        ("人材",),
        ("ojt", "研修"),
        ("near", "a"),
    ]
    assert [term.runs for term in parse_query('"unclosed phrase')] == [("unclosed", "phrase")]
    assert parse_query("% _ \\ * ' ;") == []
    assert len(parse_query(" ".join(f"語{i}" for i in range(30)))) == 10


def test_snippet_marks_matches_in_the_original_width():
    terms = parse_query("ojt ｶﾞｲﾄﾞ")
    assert snippet_html("一番良いＯＪＴとガイド", terms) == "一番良い<mark>ＯＪＴ</mark>と<mark>ガイド</mark>"
    long = "あ" * 100 + "量子暗号" + "い" * 100
    html = snippet_html(long, parse_query("量子暗号"), width=40)
    assert html.startswith("…") and html.endswith("…") and "<mark>量子暗号</mark>" in html


# -- The corpus generator ----------------------------------------------------------------------------


def test_generate_search_corpus_makes_searchable_turns_with_a_progress_bar(client):
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_search_corpus", turns=450, forums=2, people=12, stdout=out, stderr=err)
    assert SpeakerTurn.objects.count() == 450
    assert "100%" in err.getvalue() and "450" in out.getvalue()
    assert SearchEntry.objects.filter(kind="turn").count() == 450
    public_turns = SpeakerTurn.objects.filter(section__article__in=Article.objects.published())
    with_term = public_turns.filter(body__contains="人材").count()
    assert with_term and search(client, q="人材").total >= with_term
