"""「第N回を表示しない」: an interview or 対談 may be published without its 第N回. The number
stays the roundtable's key (its URL, the API's filter, the exports) and nothing the public
or a feed reader sees prints it; a roundtable with its number shown prints it everywhere."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.exporter import as_json, export_part, export_roundtable
from articles.importer import save_transcript
from articles.search.index import index_article
from forum.conventions import roundtable_title
from forum.models import Roundtable, RoundtableFormat
from tests.support.factories import make_forum, make_long_article, make_participant, make_roundtable
from tests.support.forms import form_data
from tests.support.line_breaks import without_line_breaks

pytestmark = pytest.mark.django_db

HIDDEN, SHOWN = "第8回", "第3回"


@pytest.fixture
def forum():
    return make_forum(name="市政インタビュー", slug="city-interviews")


@pytest.fixture
def hidden(forum):
    roundtable = make_roundtable(
        forum, number=8, title="市長に聞く", format=RoundtableFormat.INTERVIEW, number_hidden=True
    )
    speaker = make_participant(roundtable, name="山田 太郎", posts=("市長",), label="山田")
    article = make_long_article(4, speakers=[speaker], roundtable=roundtable, placeholders=False)
    index_article(article)
    return article


@pytest.fixture
def shown(forum):
    roundtable = make_roundtable(forum, number=3, title="まちの未来", format=RoundtableFormat.ZADANKAI)
    speaker = make_participant(roundtable, name="佐藤 花子", posts=("部長",), label="佐藤")
    article = make_long_article(4, speakers=[speaker], roundtable=roundtable, placeholders=False)
    index_article(article)
    return article


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return without_line_breaks(response.content.decode())  # 第<wbr>8回 would hide from a search


def surfaces(article):
    roundtable = article.roundtable
    person = roundtable.participants.first().person
    return {
        "part page": article.get_absolute_url(),
        "roundtable page": roundtable.get_absolute_url(),
        "forum page (back numbers)": roundtable.forum.get_absolute_url(),
        "home": reverse("forum:home"),
        "person page": person.get_absolute_url(),
        "search": reverse("search:search") + "?q=発言",
        "search filtered by the roundtable": reverse("search:search") + f"?q=発言&roundtable={roundtable.pk}",
        "site RSS": reverse("feeds:site_rss"),
        "site Atom": reverse("feeds:site_atom"),
        "forum Atom": reverse("feeds:forum_atom", args=[roundtable.forum.slug]),
        "sitemap": reverse("sitemap"),
    }


def test_no_surface_prints_the_hidden_number_and_every_one_prints_a_shown_number(client, hidden, shown):
    for name, url in surfaces(hidden).items():
        page = text(client, url)
        assert HIDDEN not in page, name
    for name, url in surfaces(shown).items():
        if name in ("sitemap", "site RSS", "site Atom", "forum Atom"):
            continue  # they print no roundtable title at all
        assert SHOWN in text(client, url), name


def test_the_titles_read_without_the_number(client, hidden):
    roundtable = hidden.roundtable
    assert roundtable.numbered_title == "インタビュー「市長に聞く」"
    assert str(roundtable) == "第8回 市長に聞く"  # the admin's name keeps it (public pages never print str())
    page = text(client, roundtable.get_absolute_url())
    assert '<h1 class="page-title">インタビュー「市長に聞く」</h1>' in page
    assert "<title>インタビュー「市長に聞く」" in page
    part = text(client, hidden.get_absolute_url())
    assert "インタビュー「市長に聞く」" in part  # the kicker and JSON-LD isPartOf


def test_json_ld_gives_no_position_for_a_hidden_number(client, hidden, shown):
    def roundtable_ld(article):
        page = BeautifulSoup(text(client, article.roundtable.get_absolute_url()), "html.parser")
        graph = json.loads(page.select_one('script[type="application/ld+json"]').string)["@graph"]
        return next(item for item in graph if item.get("@type") == "CreativeWork")

    assert "position" not in roundtable_ld(hidden)
    assert roundtable_ld(shown)["position"] == 3


def test_the_number_stays_the_url_key_and_the_apis_filter(client, hidden):
    assert hidden.roundtable.get_absolute_url() == "/forums/city-interviews/8/"
    records = client.get("/api/v1/roundtables", {"roundtable": 8}).json()
    record = records["roundtableRecord"][0] if "roundtableRecord" in records else records
    assert json.dumps(record, ensure_ascii=False).count('"numberShown": false') >= 1
    assert HIDDEN not in json.dumps(record, ensure_ascii=False)


def test_exports_carry_the_choice_and_a_reimport_keeps_it(hidden, forum):
    data = export_part(hidden)
    assert data["roundtable"]["number"] == 8 and data["roundtable"]["number_hidden"] is True
    assert export_roundtable(hidden.roundtable)["roundtable"]["number_hidden"] is True
    assert HIDDEN not in as_json(data)
    other = make_forum(name="別のフォーラム", slug="other")
    article = save_transcript(data, other)
    assert article.roundtable.number == 8 and article.roundtable.number_hidden


def test_only_interviews_and_taidan_may_hide_the_number(forum):
    roundtable = Roundtable(forum=forum, number=9, title="座談会", format=RoundtableFormat.ZADANKAI, number_hidden=True)
    with pytest.raises(ValidationError) as error:
        roundtable.full_clean()
    assert "インタビューか対談のときだけ" in str(error.value)
    roundtable.format = RoundtableFormat.TAIDAN
    roundtable.full_clean()


def test_the_convention_without_a_number():
    assert roundtable_title(None, "市長に聞く", "インタビュー") == "インタビュー「市長に聞く」"
    assert roundtable_title(None, "市長に聞く") == "「市長に聞く」"
    assert roundtable_title(None, "市長に聞く", quoted=False) == "市長に聞く"
    assert roundtable_title(None, "", "対談") == "対談"
    assert roundtable_title(4, "町田市×都CIO座談会", "座談会") == "第4回座談会「町田市×都CIO座談会」"


def test_the_roundtable_admin_offers_it_and_refuses_it_for_a_zadankai(admin_client, shown):
    roundtable = shown.roundtable
    url = reverse("admin:forum_roundtable_change", args=[roundtable.pk])
    page = admin_client.get(url)
    assert "第N回を表示しない" in page.text
    data = form_data(page.text, "roundtable_form")
    data["number_hidden"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "インタビューか対談のときだけ" in response.text
    data["format"] = RoundtableFormat.INTERVIEW
    assert admin_client.post(url, data).status_code == 302
    roundtable.refresh_from_db()
    assert roundtable.number_hidden
