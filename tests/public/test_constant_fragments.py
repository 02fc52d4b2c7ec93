"""The parts of every page that depend only on what they are given (the stylesheets and scripts,
the reader's controls, the feed links, the footer) are rendered once per process
(forum.templatetags.public_site.constant_fragment), and still change with what they print."""

import pytest
from bs4 import BeautifulSoup

from forum.models import SiteSettings
from forum.templatetags import public_site
from tests.support.factories import make_article, make_forum, make_roundtable

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def feed_titles(soup):
    return [link["title"] for link in soup.select("head link[rel=alternate]")]


def test_a_renamed_forum_shows_its_new_name_in_the_feed_links_of_its_pages(client):
    forum = make_forum(name="旧名のフォーラム", slug="renamed")
    article = make_article(make_roundtable(forum, number=1))
    assert "旧名のフォーラムの新着記事(RSS)" in feed_titles(page(client, article.get_absolute_url()))
    forum.name = "新名のフォーラム"
    forum.save()
    for url in (article.get_absolute_url(), forum.get_absolute_url()):
        titles = feed_titles(page(client, url))
        assert "新名のフォーラムの新着記事(RSS)" in titles and "新名のフォーラムの新着記事(Atom)" in titles
        assert not any("旧名" in title for title in titles)
    rss = page(client, forum.get_absolute_url()).select_one("head link[type='application/rss+xml']")
    assert rss["href"] == "/feeds/renamed/rss/"


def test_the_footer_prints_the_saved_settings_escaped(client):
    article = make_article()
    settings = SiteSettings.load()
    settings.publisher = "<b>発行者</b> & 局"
    settings.contact = "電話: 03-0000-0000 https://www.example.jp/contact/"
    settings.save()
    footer = page(client, article.get_absolute_url()).select_one(".site-footer-publisher")
    assert footer.select_one("dd").get_text() == "<b>発行者</b> & 局"  # text, not markup
    assert footer.select_one("b") is None
    assert footer.select_one("a")["href"] == "https://www.example.jp/contact/"  # urlize, as before


def test_each_page_kind_gets_the_controls_it_asks_for(client):
    article = make_article()
    part = page(client, article.get_absolute_url())
    home = page(client, "/")
    assert part.select_one("[data-speech=start]") is not None  # the part page reads aloud
    assert home.select_one("[data-speech=start]") is None
    assert home.select_one("[data-text-size=large]") is not None
    for soup in (part, home):
        assert soup.select_one("head link[rel=stylesheet][href*='site']") is not None
        assert soup.select_one("head script[src*='reader-prefs']") is not None


def test_a_fragment_is_rendered_once_and_takes_only_plain_values(monkeypatch):
    public_site._rendered_fragment.cache_clear()
    rendered = []
    real = public_site.render_to_string
    monkeypatch.setattr(public_site, "render_to_string", lambda *args: rendered.append(args) or real(*args))
    first = public_site.constant_fragment("includes/reader_controls.html", speech=True)
    again = public_site.constant_fragment("includes/reader_controls.html", speech=True)
    other = public_site.constant_fragment("includes/reader_controls.html", speech=False)
    assert first == again and "data-speech" in first and "data-speech" not in other
    assert len(rendered) == 2
    forum = make_forum()
    with pytest.raises(TypeError, match="feed_forum must be a string"):
        public_site.constant_fragment("articles/_feed_links.html", feed_forum=forum)


def test_a_site_under_a_sub_path_gets_its_own_links():
    from django.urls import get_script_prefix, set_script_prefix

    before = get_script_prefix()
    at_root = public_site.constant_fragment("includes/site_footer.html", publisher="局", contact="窓口")
    try:
        set_script_prefix("/roundtables/")
        under = public_site.constant_fragment("includes/site_footer.html", publisher="局", contact="窓口")
    finally:
        set_script_prefix(before)
    assert 'href="/roundtables/accessibility/"' in under
    assert 'href="/accessibility/"' in at_root
    assert public_site.constant_fragment("includes/site_footer.html", publisher="局", contact="窓口") == at_root
