"""The public pages as a reader gets them: what each page shows, and what it must not."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup

from articles.models import Article, ArticleStatus, Section, SpeakerTurn
from tests.support.factories import make_article, make_forum, make_participant, make_roundtable
from tests.support.line_breaks import without_line_breaks

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(without_line_breaks(response.content.decode()), "html.parser")


def text(element):
    return " ".join(element.get_text(" ", strip=True).split())


def plain(element):
    """The text as a reader sees it, without any white space (Japanese has none)."""
    return "".join(element.get_text().split())


# --- the part page -----------------------------------------------------------


def test_part_page_shows_title_lead_header_image_and_event_line_with_both_dates(client, series):
    page = soup(client.get(series.part2.get_absolute_url()))
    assert text(page.h1) == "町田市×都CIOの座談会を実施しました!part2"
    assert "都内各自治体CIO等へ" in text(page.select_one(".lead"))
    event = text(page.select_one(".event-line"))
    assert "令和3年10月15日(2021年10月15日)開催" in event.replace(" ", "")
    assert page.select_one(".event-line time")["datetime"] == "2021-10-15"
    header = page.select_one(".header-image img")
    assert header["alt"] == "町田市×都CIO座談会の見出し画像"
    assert header.get("loading") != "lazy"  # above the fold


def test_second_of_two_parts_says_it_is_the_latter_half_and_links_the_first(client, series):
    note = soup(client.get(series.part2.get_absolute_url())).select_one(".part-note")
    assert text(note) == "※この記事は全2回の後半です。 前半はこちら"
    assert note.a["href"] == series.part1.get_absolute_url()
    assert text(note.a) == "前半はこちら"


def test_first_of_two_parts_says_it_is_the_first_half_and_links_the_second(client, series):
    note = soup(client.get(series.part1.get_absolute_url())).select_one(".part-note")
    assert note.get_text().startswith("※この記事は全2回の前半です。")
    assert note.a["href"] == series.part2.get_absolute_url()
    assert text(note.a) == "後半はこちら"


def test_a_draft_or_scheduled_later_part_does_not_change_the_note(client, series):
    make_article(series.roundtable, published=False, part_number=3, title="第3回の下書き", slug="machida-part3")
    make_article(
        series.roundtable,
        part_number=7,
        title="第7回の予約",
        slug="machida-part7",
        publish_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )
    response = client.get(series.part2.get_absolute_url())
    note = soup(response).select_one(".part-note")
    assert text(note) == "※この記事は全2回の後半です。 前半はこちら"
    assert b"machida-part3" not in response.content and b"machida-part7" not in response.content


def test_with_more_public_parts_the_note_counts_them_and_links_the_others(client, series):
    make_article(series.roundtable, part_number=3, title="第3回", slug="machida-part3")
    note = soup(client.get(series.part2.get_absolute_url())).select_one(".part-note")
    assert note.get_text().startswith("※この記事は全3回の第2回です。")
    assert [(a["href"], text(a)) for a in note.find_all("a")] == [
        (series.part1.get_absolute_url(), "第1回はこちら"),
        ("/articles/machida-part3/", "第3回はこちら"),
    ]


def test_a_part_count_announced_by_the_editor_counts_parts_not_yet_written(client, series):
    series.roundtable.part_count = 3
    series.roundtable.save()
    note = soup(client.get(series.part2.get_absolute_url())).select_one(".part-note")
    assert note.get_text().startswith("※この記事は全3回の第2回です。")


def test_a_single_part_has_no_part_note(client, series):
    assert soup(client.get("/articles/hachioji-cio-roundtable/")).select_one(".part-note") is None


def test_first_turn_of_each_speaker_prints_title_and_later_turns_the_short_label(client, series):
    page = soup(client.get(series.part2.get_absolute_url()))
    # Visible text of each label: screen-reader-only text and the permalink sign removed.
    visible = []
    for speaker in page.select(".turn .speaker"):
        for hidden in speaker.select(".visually-hidden, [aria-hidden]"):
            hidden.decompose()
        visible.append(speaker.get_text().strip())
    assert visible[:5] == [
        "東京都デジタルサービス局戦略部長:深井(以下「深井」)",
        "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐):高橋(以下「高橋」)",
        "深井",
        "高橋",
        "都CIO:宮坂(以下「宮坂」)",
    ]
    assert "東京都デジタルサービス局戦略部戦略課:小澤(以下「小澤」)" in visible
    assert visible.count("高橋") == 3  # four turns: the first in full, three short


def test_every_label_links_to_the_person_as_printed_with_no_hidden_text_or_hover_title(client, series):
    page = soup(client.get(series.part2.get_absolute_url()))
    fukai = series.people["fukai"]
    links = [s.a for s in page.select(".turn .speaker") if s.a["href"] == fukai.get_absolute_url()]
    assert len(links) == 2
    first, later = links
    # The full title is said once, in the first label's own text; a later label is the name.
    assert text(first) == "東京都デジタルサービス局戦略部長:深井"
    assert text(later) == "深井"
    assert not first.has_attr("title") and not later.has_attr("title")
    assert page.select(".turn .speaker .visually-hidden") == []


def test_roles_are_abbreviations_with_their_full_names(client, series):
    page = soup(client.get(series.part2.get_absolute_url()))
    abbrs = {(a.get_text(), a["title"]) for a in page.select(".participants abbr")}
    assert ("CDO", "最高デジタル責任者") in abbrs
    assert ("CIO補佐", "最高情報責任者補佐") in abbrs


def test_every_turn_has_a_permalink_to_its_own_anchor(client, series):
    page = soup(client.get(series.part2.get_absolute_url()))
    turns = page.select(".turn")
    ids = [turn["id"] for turn in turns]
    assert len(ids) == len(set(ids)) == SpeakerTurn.objects.filter(section__article=series.part2).count()
    for turn in page.select(".turn:not(.narration)"):
        assert turn.select_one("a.permalink")["href"] == f"#{turn['id']}"
    # Stable: the same turn keeps its anchor when another turn is added before it.
    section = Section.objects.get(article=series.part2, position=1)
    SpeakerTurn.objects.create(section=section, position=0, speaker=None, body="―はじめに")
    again = soup(client.get(series.part2.get_absolute_url()))
    assert set(ids) <= {turn["id"] for turn in again.select(".turn")}


def test_table_of_contents_links_to_the_section_headings(client, series):
    page = soup(client.get(series.part2.get_absolute_url()))
    entries = page.select("nav.toc a")
    assert [text(a).split(" ")[0] for a in entries] == ["事例体験による人材育成", "コミュニティの形成と情報発信"]
    for link in entries:
        heading = page.find(id=link["href"][1:])
        assert heading.name == "h2"
    assert [text(h) for h in page.select(".article-section h3")] == [
        "座学よりも体験が一番のOJT",
        "有志の集いとオール東京",
    ]


def test_figures_show_caption_and_alt_text_and_figures_without_image_are_left_out(client, series):
    page = soup(client.get(series.part2.get_absolute_url()))
    figures = page.select("figure.figure")
    assert len(figures) == 1  # 画像2 has no uploaded image
    assert figures[0].img["alt"] == "座談会で話す高橋氏と宮坂氏"
    assert figures[0].img["loading"] == "lazy"
    assert text(figures[0].figcaption) == "座談会の様子"


def test_narration_credits_with_same_as_above_and_previous_part(client, series):
    page = soup(client.get(series.part2.get_absolute_url()))
    assert "―本日は貴重なお時間" in text(page.select_one(".narration"))
    credits = [text(div) for div in page.select(".credits div")]
    assert credits == [
        "執筆者 デジタルサービス局戦略部戦略課 猪ノ口 渉",
        "編集 デジタルサービス局戦略部戦略課 山田 花子",
    ]
    previous = page.select_one('.part-nav a[rel="prev"]')
    assert previous["href"] == series.part1.get_absolute_url()
    assert page.select_one('.part-nav a[rel="next"]') is None


def test_part_page_ends_with_the_forums_back_numbers(client, series):
    page = soup(client.get(series.part2.get_absolute_url()))
    box = page.select_one("aside.back-numbers-box")
    assert [text(h) for h in box.select(".back-number-title")] == [
        "第4回 町田市×都CIO座談会",
        "第3回 八王子市×都CIO座談会",
    ]
    assert box.select_one('[aria-current="page"]')["href"] == series.part2.get_absolute_url()


# --- what the public must not see -----------------------------------------------


def test_drafts_scheduled_parts_and_unknown_slugs_are_not_found(client, series):
    for url in [
        series.draft.get_absolute_url(),
        series.scheduled.get_absolute_url(),
        "/articles/no-such-part/",
        "/forums/no-such-forum/",
        "/forums/tokyo-cio-forum/99/",
        "/people/999999/",
        "/forums/tokyo-cio-forum/5/",  # only a draft and a scheduled part: not public yet
        series.people["hino"].get_absolute_url(),  # appears only there
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "ページが見つかりません" in response.content.decode()


def test_a_scheduled_part_appears_by_itself_when_its_time_comes(client, series, time_machine):
    publish_at = series.scheduled.publish_at
    time_machine.move_to(publish_at - datetime.timedelta(minutes=1))
    assert client.get(series.scheduled.get_absolute_url()).status_code == 404
    assert b"machida-scheduled" not in client.get("/").content
    time_machine.move_to(publish_at + datetime.timedelta(minutes=1))
    assert client.get(series.scheduled.get_absolute_url()).status_code == 200
    assert b"machida-scheduled" in client.get("/").content


def test_unpublished_parts_never_appear_in_lists_or_links(client, series):
    hidden = [series.draft.slug.encode(), series.scheduled.slug.encode(), "日野市×都CIO座談会".encode()]
    for url in [
        "/",
        series.forum.get_absolute_url(),
        series.roundtable.get_absolute_url(),
        series.part2.get_absolute_url(),
        series.people["takahashi"].get_absolute_url(),
    ]:
        content = client.get(url).content
        for secret in hidden:
            assert secret not in content, (url, secret)


def test_person_page_shows_only_turns_of_public_parts(client, series):
    draft = make_article(series.roundtable, published=False, part_number=3, slug="machida-draft-3")
    section = Section.objects.create(article=draft, position=1, heading="未公開の見出し")
    fukai = series.roundtable.participants.get(person=series.people["fukai"])
    SpeakerTurn.objects.create(section=section, position=1, speaker=fukai, body="まだ公開していない発言です。")
    content = client.get(series.people["fukai"].get_absolute_url()).content.decode()
    assert "まだ公開していない発言" not in content
    assert "本日はよろしくお願いいたします" in content


# --- home, forum, roundtable, person ------------------------------------------------


def test_home_lists_the_newest_public_parts_across_forums_and_the_forums(client, series):
    other = make_forum(name="多摩地域DXフォーラム", slug="tama-dx")
    make_article(make_roundtable(other, number=1, title="多摩の座談会"), title="多摩の記事", slug="tama-1")
    page = soup(client.get("/"))
    titles = [text(a) for a in page.select("#latest-heading ~ ul .card-title a")]
    assert titles[0] == "多摩の記事"  # published a day ago: the newest
    assert titles[1:] == [
        "町田市×都CIOの座談会を実施しました!part2",
        "町田市×都CIOの座談会を実施しました!part1",
        "八王子市×都CIOの座談会を実施しました!",
    ]
    assert {text(a) for a in page.select(".forum-list a")} == {"東京都・区市町村CIOフォーラム", "多摩地域DXフォーラム"}


def test_forum_page_lists_back_numbers_newest_first_with_dates_organisations_and_parts(client, series):
    page = soup(client.get(series.forum.get_absolute_url()))
    first = page.select(".back-number")[0]
    assert text(first.h3) == "第4回 町田市×都CIO座談会"
    assert "令和3年10月15日" in text(first) and "2021年10月15日" in text(first)
    assert text(first.select_one(".organisations")) == "町田市・東京都"
    assert [a["href"] for a in first.select(".part-links a")] == [
        series.part1.get_absolute_url(),
        series.part2.get_absolute_url(),
    ]


def test_forum_back_numbers_are_paginated_and_a_missing_page_is_not_found(client):
    forum = make_forum(slug="long-forum")
    for number in range(1, 26):
        make_article(make_roundtable(forum, number=number, title=f"第{number}回の座談会"))
    first = soup(client.get("/forums/long-forum/"))
    assert len(first.select(".back-number")) == 20
    assert text(first.select(".back-number h3")[0]) == "第25回 第25回の座談会"
    assert first.select_one('.pagination a[rel="next"]')["href"] == "?page=2"
    second = soup(client.get("/forums/long-forum/?page=2"))
    assert [text(h) for h in second.select(".back-number h3")][-1] == "第1回 第1回の座談会"
    assert second.select_one('link[rel="canonical"]')["href"].endswith("/forums/long-forum/?page=2")
    for bad in ["3", "0", "abc", "-1"]:
        assert client.get(f"/forums/long-forum/?page={bad}").status_code == 404


def test_roundtable_page_shows_date_format_participants_with_titles_and_parts(client, series):
    page = soup(client.get(series.roundtable.get_absolute_url()))
    assert text(page.h1) == "第4回座談会「町田市×都CIO座談会」"
    facts = text(page.select_one(".facts"))
    assert "令和3年10月15日" in facts and "座談会" in facts
    assert text(page.select_one("#participants-heading")) == "参加者 (敬称略)"
    assert (
        plain(page.select(".participant-list li")[0])
        == "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐):高橋晃"
    )
    assert [a["href"] for a in page.select(".part-list a")] == [
        series.part1.get_absolute_url(),
        series.part2.get_absolute_url(),
    ]


def test_honorifics_note_is_left_out_when_the_roundtable_does_not_omit_them(client):
    roundtable = make_roundtable(honorifics_omitted=False)
    make_participant(roundtable)
    make_article(roundtable)
    assert "敬称略" not in client.get(roundtable.get_absolute_url()).content.decode()


def test_person_page_shows_each_appearance_with_the_title_held_then(client, series):
    later = make_roundtable(series.forum, number=6, title="2023年の座談会", held_on=datetime.date(2023, 4, 1))
    make_participant(
        later, name="宮坂 学", organisation="東京都", posts=("副知事", "デジタル推進本部長"), roles=("CIO",)
    )
    make_article(later, slug="later-part")
    page = soup(client.get(series.people["miyasaka"].get_absolute_url()))
    appearances = [plain(li) for li in page.select(".appearance-list li")]
    assert len(appearances) == 3
    assert "第6回" in appearances[0] and "都副知事兼デジタル推進本部長(CIO)" in appearances[0]
    assert "第4回" in appearances[1] and "都副知事(CIO)" in appearances[1]


def test_person_turns_link_to_their_permalinks_and_are_paginated(client):
    roundtable = make_roundtable()
    speaker = make_participant(roundtable, name="話者 花子")
    article = make_article(roundtable, slug="long-talk")
    section = Section.objects.create(article=article, position=1, heading="見出し")
    turns = [
        SpeakerTurn.objects.create(section=section, position=i, speaker=speaker, body=f"発言{i}") for i in range(25)
    ]
    page = soup(client.get(speaker.person.get_absolute_url()))
    links = [a["href"] for a in page.select(".person-turn-source a")]
    assert links[:2] == [f"/articles/long-talk/#{turns[0].anchor}", f"/articles/long-talk/#{turns[1].anchor}"]
    assert len(links) == 20
    second = soup(client.get(speaker.person.get_absolute_url() + "?page=2"))
    assert len(second.select(".person-turn")) == 5


def test_person_pages_run_across_roundtables_newest_first_each_turn_once(client):
    # Pages that begin and end inside an appearance, a draft's turns left out, an undated one last.
    forum = make_forum(slug="pages-forum")
    bodies = []
    for number, held_on, count in (
        (1, datetime.date(2020, 5, 1), 13),
        (2, None, 4),
        (3, datetime.date(2023, 1, 9), 31),
    ):
        roundtable = make_roundtable(forum, number=number, held_on=held_on)
        speaker = make_participant(roundtable, name="常連 花子")
        for part_number in (2, 1):
            article = make_article(roundtable, part_number=part_number, slug=f"pages-{number}-{part_number}")
            section = Section.objects.create(article=article, position=1, heading="見出し")
            for position in range(count // 2 + part_number - 1):
                body = f"第{number}回part{part_number}の発言{position}"
                SpeakerTurn.objects.create(section=section, position=position, speaker=speaker, body=body)
                bodies.append(
                    (held_on is None, -(held_on or datetime.date.min).toordinal(), part_number, position, body)
                )
        draft = make_article(roundtable, part_number=3, published=False, slug=f"pages-{number}-draft")
        section = Section.objects.create(article=draft, position=1, heading="未公開")
        SpeakerTurn.objects.create(section=section, position=1, speaker=speaker, body="未公開の発言")
    expected = [row[-1] for row in sorted(bodies)]
    url = speaker.person.get_absolute_url()
    shown = []
    for number in (1, 2, 3):
        page = soup(client.get(f"{url}?page={number}"))
        assert text(page.select_one("#turns-heading .count")) == f"({len(expected)}件)"
        shown.extend(text(p) for p in page.select(".person-turn .speech"))
    assert shown == expected
    assert client.get(f"{url}?page=4").status_code == 404


# --- for the web ---------------------------------------------------------------


def json_ld(page):
    return json.loads(page.select_one('script[type="application/ld+json"]').string)["@graph"]


def test_part_page_has_canonical_description_open_graph_twitter_and_article_json_ld(client, series, settings):
    settings.SITE_URL = "https://zadankai.example.jp"
    page = soup(client.get(series.part2.get_absolute_url()))
    url = "https://zadankai.example.jp/articles/machida-cio-roundtable-part2/"
    assert page.select_one('link[rel="canonical"]')["href"] == url
    # From the part's own speakers and headings, not the series' stock opening (tests/public/test_public_body_page.py).
    assert "が語る、東京都・区市町村CIOフォーラム" in page.select_one('meta[name="description"]')["content"]
    assert page.select_one('meta[property="og:type"]')["content"] == "article"
    assert page.select_one('meta[property="og:title"]')["content"] == series.part2.title
    og_image = page.select_one('meta[property="og:image"]')["content"]
    assert og_image.startswith("https://zadankai.example.jp/media/renditions/") and og_image.endswith("/1200.jpg")
    assert page.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
    article, breadcrumbs = json_ld(page)
    assert article["@type"] == "Article"
    assert article["datePublished"] == "2022-01-20T10:00:00+09:00"
    assert article["dateModified"] >= article["datePublished"]
    assert article["author"] == [{"@type": "Person", "name": "猪ノ口 渉"}]
    assert article["publisher"]["name"] == "東京都デジタルサービス局"
    assert article["position"] == 2
    assert article["isPartOf"]["isPartOf"]["@type"] == "CreativeWorkSeries"
    assert article["isPartOf"]["isPartOf"]["name"] == "東京都・区市町村CIOフォーラムマガジン"
    assert [(p["position"], p["url"]) for p in article["isPartOf"]["hasPart"]] == [
        (1, "https://zadankai.example.jp/articles/machida-cio-roundtable-part1/"),
        (2, url),
    ]
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == [
        "トップ",
        "東京都・区市町村CIOフォーラム",
        "第4回 町田市×都CIO座談会",
        series.part2.title,
    ]


def test_json_ld_cannot_be_closed_by_text_in_a_title(client):
    article = make_article(title="</script><script>alert(1)</script>", slug="evil")
    content = client.get(article.get_absolute_url()).content.decode()
    script = content.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in script
    assert json.loads(script)["@graph"][0]["headline"] == "</script><script>alert(1)</script>"


def test_every_page_type_has_title_description_and_canonical(client, series):
    for url in [
        "/",
        series.forum.get_absolute_url(),
        series.roundtable.get_absolute_url(),
        series.part1.get_absolute_url(),
        series.people["fukai"].get_absolute_url(),
    ]:
        page = soup(client.get(url))
        assert page.title.string.endswith("座談会アーカイブ"), url
        assert page.select_one('meta[name="description"]')["content"], url
        assert page.select_one('link[rel="canonical"]')["href"].endswith(url), url
        assert page.select_one('meta[property="og:title"]'), url
        assert json_ld(page), url


def test_sitemap_lists_exactly_the_public_pages_with_lastmod(client, series):
    from xml.etree import ElementTree

    Article.objects.filter(pk=series.part2.pk).update(updated_at=datetime.datetime(2022, 2, 1, 12, tzinfo=datetime.UTC))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {
        url.findtext("s:loc", namespaces=ns).removeprefix("http://127.0.0.1:8000"): url.findtext(
            "s:lastmod", namespaces=ns
        )
        for url in ElementTree.fromstring(response.content).findall("s:url", ns)
    }
    people = {series.people[name].get_absolute_url() for name in ("takahashi", "miyasaka", "fukai", "ozawa")}
    assert set(urls) == {
        "/",
        series.forum.get_absolute_url(),
        series.roundtable.get_absolute_url(),
        series.earlier.get_absolute_url(),
        series.part1.get_absolute_url(),
        series.part2.get_absolute_url(),
        "/articles/hachioji-cio-roundtable/",
        *people,
    }
    assert urls[series.part2.get_absolute_url()] == "2022-02-01"
    assert all(urls[url] for url in urls if url != "/")


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in body


def test_not_found_page_is_in_japanese_and_not_indexed(client):
    response = client.get("/articles/nothing-here/")
    assert response.status_code == 404
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert page.html["lang"] == "ja"
    assert text(page.h1) == "ページが見つかりません"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"


def test_server_error_page_is_in_japanese(client, monkeypatch):
    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr("forum.views.public_forums", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "エラーが発生しました" in html and 'lang="ja"' in html
    assert "database went away" not in html


def test_base_template_leaves_a_feeds_block_in_the_head():
    from django.template.loader import get_template

    source = get_template("base.html").template.source
    head = source.split("</head>")[0]
    assert "{% block feeds %}{% endblock %}" in head


def test_draft_status_without_publish_time_is_never_public(client):
    article = make_article(published=False, status=ArticleStatus.DRAFT, slug="no-time")
    assert client.get(article.get_absolute_url()).status_code == 404
