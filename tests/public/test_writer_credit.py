"""The part page and the feeds agree on who wrote a part."""

import json

import feedparser
import pytest
from bs4 import BeautifulSoup

from articles.models import Credit
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def page_authors(client, article):
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    graph = json.loads(page.select_one('script[type="application/ld+json"]').string)["@graph"]
    article_ld = next(item for item in graph if item["@type"] == "Article")
    authors = article_ld["author"] if isinstance(article_ld["author"], list) else [article_ld["author"]]
    return [author["name"] for author in authors if author["@type"] == "Person"]


@pytest.mark.parametrize("role", ["執筆", "執筆者", "文", "文・構成"])
def test_page_and_feeds_name_the_same_writer(client, role):
    article = make_article(title="執筆者のテスト")
    Credit.objects.create(article=article, position=1, role="撮影", name="撮影 太郎")
    Credit.objects.create(article=article, position=2, role=role, name="書き手 花子")
    assert page_authors(client, article) == ["書き手 花子"]
    for url in ["/feeds/rss/", "/feeds/atom/"]:
        assert [entry.author for entry in feedparser.parse(client.get(url).content).entries] == ["書き手 花子"], url


def test_an_editor_or_photographer_alone_is_not_named_as_the_writer(client):
    article = make_article()
    Credit.objects.create(article=article, position=1, role="編集", name="編集 次郎")
    assert page_authors(client, article) == []
    assert "author" not in feedparser.parse(client.get("/feeds/atom/").content).entries[0]
