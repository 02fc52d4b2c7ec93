"""Requests no page is made for get a clear 4xx in Japanese, never a 500 (issue 15, point 5)."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db

JAPANESE_400 = "リクエストを処理できません"


def test_a_nul_byte_in_the_part_lists_status_filter_is_a_400_in_japanese(editor_client, demo):
    response = editor_client.get(reverse("admin:articles_article_changelist"), {"status": "draft\x00"})
    assert response.status_code == 400
    assert JAPANESE_400 in response.text and "NUL" in response.text


def test_a_nul_byte_in_the_autocomplete_search_is_a_400(editor_client, demo):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "町田\x00", "app_label": "articles", "model_name": "article", "field_name": "roundtable"},
    )
    assert response.status_code == 400


def test_a_nul_byte_in_a_posted_field_is_refused_beside_the_field_and_in_a_public_query_is_a_400(
    editor_client, demo, client
):
    from tests.support.staff import change_form

    data = change_form(editor_client, demo)
    data["title"] = "a\x00b"
    response = editor_client.post(reverse("admin:articles_article_change", args=[demo.pk]), data)
    assert response.status_code == 200 and "errornote" in response.text
    demo.refresh_from_db()
    assert "\x00" not in demo.title
    assert client.get("/people/1/", {"page": "\x00"}).status_code == 400


def test_the_markdown_preview_without_content_is_a_400(editor_client):
    response = editor_client.post(reverse("markdownx_markdownify"), {})
    assert response.status_code == 400
    assert "本文" in response.json()["content"][0]


def test_an_image_upload_without_the_widgets_header_is_a_400_and_a_get_a_405(editor_client):
    response = editor_client.post(reverse("markdownx_upload"), {})
    assert response.status_code == 400
    assert "ドラッグ" in response.json()["image"][0]
    assert editor_client.get(reverse("markdownx_upload")).status_code == 405


@pytest.mark.parametrize("selection", ["abc", "1 OR 1=1", "１", "-1"])
def test_a_list_action_with_a_selection_that_is_not_a_record_number_is_a_400(editor_client, demo, selection):
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [str(demo.pk), selection], "confirmed": "yes"},
    )
    assert response.status_code == 400
    assert "選び直して" in response.text
    assert Article.objects.get(pk=demo.pk).status == "published"


def test_a_bad_host_gets_the_japanese_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert JAPANESE_400 in response.text and 'lang="ja"' in response.text


def test_a_post_without_the_csrf_token_gets_the_japanese_403_page(db):
    response = Client(enforce_csrf_checks=True).post(reverse("admin:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "送信を受け付けられませんでした" in response.text and 'lang="ja"' in response.text
    assert "CSRF verification failed" not in response.text


def test_a_permission_refusal_is_in_japanese(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    response = client.post(reverse("markdownx_upload"), {}, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 403
    assert "権限がありません" in response.text


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "DELETE", "PATCH"])
def test_public_pages_answer_other_methods_than_get_and_head_with_405(client, demo, method):
    for url in ("/", demo.get_absolute_url(), "/feeds/rss/"):
        response = client.generic(method, url)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert demo.title not in response.content.decode()
    assert client.head(demo.get_absolute_url()).status_code == 200
