"""The part page as a public body's page: a description of the part itself, a part note that
says which part is not online, the speakers in JSON-LD, a favicon, a footer naming the
publisher and contact with the accessibility policy (editable in the admin), a citation line."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.urls import reverse

from articles.models import ArticleStatus, Section, SpeakerTurn
from forum.models import DEFAULT_CONTACT, DEFAULT_PUBLISHER, SiteSettings
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db
SAMPLE_IMAGES = False  # tests/public/conftest.py: the series without images

STOCK_OPENING = "東京都・区市町村CIOフォーラムにおける活動の一環として"


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(element):
    return "".join(element.get_text().split())


def article_ld(page):
    graph = json.loads(page.select_one('script[type="application/ld+json"]').string)["@graph"]
    return next(item for item in graph if item["@type"] == "Article")


def test_the_description_names_the_speakers_and_headings_of_the_part_not_the_series_opening(client, series):
    assert series.part2.lead.startswith(STOCK_OPENING)  # the lead is the stock sentence
    page = soup(client.get(series.part2.get_absolute_url()))
    description = page.select_one('meta[name="description"]')["content"]
    assert description == (
        "高橋 晃、宮坂 学、深井 稔、小澤 洋之が語る、東京都・区市町村CIOフォーラム 第4回座談会「町田市×都CIO座談会」の後半。"
        "見出し: 事例体験による人材育成、コミュニティの形成と情報発信"
    )
    assert page.select_one('meta[property="og:description"]')["content"] == description
    assert article_ld(page)["description"] == description
    first = soup(client.get(series.part1.get_absolute_url())).select_one('meta[name="description"]')["content"]
    assert first != description and "前半" in first and "町田市のデジタル化" in first


def test_the_description_stays_within_120_characters(client, series):
    for index in range(12):
        series.part2.sections.create(
            position=10 + index, heading=f"長い見出しの例その{index}、自治体のデジタル化について"
        )
    description = soup(client.get(series.part2.get_absolute_url())).select_one('meta[name="description"]')["content"]
    assert len(description) <= 120 and description.endswith("…")
    assert description.startswith("高橋 晃、宮坂 学")  # the speakers are never cut away


def test_the_part_note_says_when_the_other_part_is_not_online(client, series):
    series.part2.status = ArticleStatus.DRAFT
    series.part2.save()
    series.roundtable.part_count = 2
    series.roundtable.save()
    note = soup(client.get(series.part1.get_absolute_url())).select_one(".part-note")
    assert text(note) == "※この記事は全2回の前半です。後半はまだ掲載されていません。"
    assert note.find("a") is None


def test_the_part_note_of_three_parts_links_the_public_one_and_names_the_missing_one(client, series):
    series.roundtable.part_count = 3
    series.roundtable.save()
    note = soup(client.get(series.part2.get_absolute_url())).select_one(".part-note")
    assert text(note) == "※この記事は全3回の第2回です。第1回はこちら/第3回はまだ掲載されていません。"


def test_the_part_note_link_says_where_it_goes_to_a_screen_reader(client, series):
    link = soup(client.get(series.part2.get_absolute_url())).select_one(".part-note a")
    assert text(link) == "前半はこちら"  # the printed words
    assert link["aria-label"] == "前半はこちら(町田市×都CIOの座談会を実施しました!part1)"
    assert link["aria-label"].startswith(text(link))  # the visible words begin the name (WCAG 2.5.3)


def test_the_demo_part_says_its_first_half_is_not_online(client, demo):
    note = soup(client.get(demo.get_absolute_url())).select_one(".part-note")
    assert text(note) == "※この記事は全2回の後半です。前半はまだ掲載されていません。"


def test_json_ld_lists_the_speakers_with_the_titles_they_held_then(client, series):
    speakers = article_ld(soup(client.get(series.part2.get_absolute_url())))["contributor"]
    assert [speaker["name"] for speaker in speakers] == ["高橋 晃", "宮坂 学", "深井 稔", "小澤 洋之"]
    assert speakers[0] == {
        "@type": "Person",
        "name": "高橋 晃",
        "jobTitle": "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐)",
        "affiliation": {"@type": "Organization", "name": "町田市"},
    }
    assert speakers[1]["jobTitle"] == "都副知事(CIO)" and speakers[1]["affiliation"]["name"] == "東京都"
    # The writer stays the author; the speakers are not authors.
    assert [author["name"] for author in article_ld(soup(client.get(series.part2.get_absolute_url())))["author"]] == [
        "猪ノ口 渉"
    ]


def test_a_title_held_at_an_earlier_roundtable_stays_with_that_roundtable(client, series):
    earlier = series.earlier.articles.get()
    then = series.earlier.participants.get()
    then.posts = ["戦略監"]
    then.save()
    section = Section.objects.create(article=earlier, position=1, heading="都のデジタル化")
    SpeakerTurn.objects.create(section=section, position=1, speaker=then, body="よろしくお願いします。")
    speakers = article_ld(soup(client.get(earlier.get_absolute_url())))["contributor"]
    assert [(speaker["name"], speaker["jobTitle"]) for speaker in speakers] == [("宮坂 学", "都戦略監(CIO)")]
    later = article_ld(soup(client.get(series.part2.get_absolute_url())))["contributor"]
    assert later[1]["jobTitle"] == "都副知事(CIO)"


def test_favicon_is_linked_and_answered_at_favicon_ico(client, series):
    page = soup(client.get("/"))
    icons = {link["type"] if link.has_attr("type") else "ico": link["href"] for link in page.select('link[rel="icon"]')}
    assert icons["image/svg+xml"].endswith("favicon.svg") and icons["ico"].endswith("favicon.ico")
    assert finders.find("favicon.svg") and finders.find("favicon.ico")
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.content == open(finders.find("favicon.ico"), "rb").read()


@pytest.mark.parametrize("path", ["/", "part", "/accessibility/", "/articles/no-such-part/"])
def test_every_page_has_a_footer_with_publisher_contact_and_policy_link(client, series, path):
    if path == "part":
        path = series.part2.get_absolute_url()
    response = client.get(path)
    footer = BeautifulSoup(response.content.decode(), "html.parser").select_one("footer.site-footer")
    assert "".join(DEFAULT_PUBLISHER.split()) in text(footer)
    assert "".join(DEFAULT_CONTACT.split()) in text(footer)
    link = footer.find("a", string="ウェブアクセシビリティ方針")
    assert link["href"] == "/accessibility/"


def test_policy_page_shows_the_default_policy_in_japanese(client, series):
    page = soup(client.get("/accessibility/"))
    assert text(page.h1) == "ウェブアクセシビリティ方針"
    body = text(page.select_one("main"))
    assert "JISX8341-3:2016" in body and "適合レベルAA" in body
    assert [text(h) for h in page.select("main h2")][:2] == ["対象", "目標とする適合レベル"]  # ### → h2 under the h1
    assert page.select_one('link[rel="canonical"]')["href"].endswith("/accessibility/")


def test_editing_the_site_settings_in_the_admin_changes_footer_and_policy_at_once(client, editor, series, settings):
    settings.PAGE_CACHE = True
    part_url = series.part2.get_absolute_url()
    assert "町田市デジタル戦略室" not in client.get(part_url).content.decode()  # now cached
    client.get("/accessibility/")
    client.force_login(editor)
    opened = client.get(reverse("admin:forum_sitesettings_changelist"), follow=True)
    assert opened.status_code == 200 and "サイトの情報" in opened.content.decode()
    data = form_data(opened.content.decode(), "sitesettings_form")
    data.update(
        {
            "publisher": "町田市デジタル戦略室",
            "contact": "電話 042-000-0000",
            "accessibility_policy": "町田市は、**JIS X 8341-3:2016** の適合レベル AA を目指します。\n\n### 試験の結果\n\n令和8年12月に確かめました。",
        }
    )
    response = client.post(reverse("admin:forum_sitesettings_change", args=[1]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    footer = text(soup(client.get(part_url)).select_one("footer.site-footer"))
    assert "町田市デジタル戦略室" in footer and "電話042-000-0000" in footer
    policy = soup(client.get("/accessibility/"))
    assert policy.select_one("main strong").get_text() == "JIS X 8341-3:2016"
    assert [text(h) for h in policy.select("main h2")] == ["試験の結果", "お問い合わせ"]
    assert SiteSettings.objects.count() == 1


def test_the_part_page_carries_a_citation_line(client, series, settings):
    settings.SITE_URL = "https://zadankai.example.jp"
    citation = soup(client.get(series.part2.get_absolute_url())).select_one(".citation")
    assert text(citation).startswith(
        "出典:座談会アーカイブ「町田市×都CIOの座談会を実施しました!part2」"
        "https://zadankai.example.jp/articles/machida-cio-roundtable-part2/"
        "(令和4年1月20日(2022年1月20日)公開"
    )
