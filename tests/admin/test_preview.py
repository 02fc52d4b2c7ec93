"""Staff preview: the public page to come, marked プレビュー, never cached nor indexed, hidden from the public."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import ArticleStatus
from tests.support.factories import make_article, make_long_article
from tests.support.staff import change_url, make_editor
from tests.support.line_breaks import without_line_breaks

pytestmark = pytest.mark.django_db


def preview_url(article):
    return reverse("articles:article_preview", args=[article.pk])


def article_element(html):
    return re.search(r"<article\b.*</article>", html, re.S).group(0)


def test_editor_previews_a_draft_with_the_public_template_marked_as_preview(client):
    client.force_login(make_editor())
    draft = make_long_article(3, published=False)
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    assert "articles/article_detail.html" in [template.name for template in response.templates]
    html = without_line_breaks(response.text)
    assert "<strong>プレビュー</strong>" in html and "<title>【プレビュー】" in html
    assert "一般の読者にはまだ見えません" in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "部長0:話者0(以下「話者0」)" in text  # first appearance printed in full, as in public
    assert "発言その2です。" in html


def test_preview_is_not_cached_and_not_indexed(client):
    client.force_login(make_editor())
    response = client.get(preview_url(make_article(published=False)))
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert "noindex" in response["X-Robots-Tag"]
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control and "private" in cache_control


def test_preview_of_a_published_part_shows_the_same_article_as_the_public_page(client):
    article = make_long_article(25)
    public = client.get(article.get_absolute_url())
    assert public.status_code == 200
    client.force_login(make_editor())
    preview = client.get(preview_url(article))
    assert article_element(preview.text) == article_element(public.text)


def test_a_draft_counts_among_its_roundtables_parts_in_the_preview(client):
    first = make_article(part_number=1)
    second = make_article(roundtable=first.roundtable, part_number=2, published=False)
    client.force_login(make_editor())
    html = client.get(preview_url(second)).text
    assert "※この記事は全2回の後半です。" in html
    assert f'href="{first.get_absolute_url()}"' in html  # the public first part, linked as on the page


@pytest.mark.parametrize("who", ["anonymous", "not staff", "staff without permission"])
def test_the_public_never_reaches_a_preview(client, who):
    draft = make_article(published=False)
    if who != "anonymous":
        user = get_user_model().objects.create_user("visitor", password="x" * 12, is_staff=who != "not staff")
        client.force_login(user)
    assert client.get(preview_url(draft)).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_change_page_links_to_the_preview(client):
    client.force_login(make_editor())
    draft = make_article(published=False)
    assert draft.status == ArticleStatus.DRAFT
    assert f'href="{preview_url(draft)}"' in client.get(change_url(draft)).text
