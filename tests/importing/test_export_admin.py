"""Editors download a part (text, Markdown, JSON) or its whole roundtable from the admin."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.support import SAMPLE
from tests.support.factories import make_article, make_long_article

pytestmark = pytest.mark.django_db


def export_url(article, fmt):
    return reverse("admin:articles_article_export", args=[article.pk, fmt])


def test_part_page_links_to_every_export(editor_client, demo):
    page = editor_client.get(reverse("admin:articles_article_change", args=[demo.pk]))
    for fmt, label in (("text", "テキストで書き出す"), ("markdown", "Markdownで書き出す"), ("json", "JSONで書き出す")):
        assert f'<a href="{export_url(demo, fmt)}" download>{label}</a>' in page.text
    roundtable_url = reverse("admin:articles_article_export_roundtable", args=[demo.pk])
    assert f'<a href="{roundtable_url}" download>座談会全体をJSONで</a>' in page.text


def test_text_download_is_the_article_as_published(editor_client, demo):
    response = editor_client.get(export_url(demo, "text"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tokyo-cio-forum-4-part2.txt"'
    sample = SAMPLE.read_text(encoding="utf-8")
    assert response.content.decode() == sample[: sample.index("バックナンバー")].rstrip("\n") + "\n"


def test_markdown_and_json_downloads(editor_client, demo):
    markdown = editor_client.get(export_url(demo, "markdown"))
    assert markdown["Content-Disposition"].endswith('.md"') and "## 事例体験による人材育成" in markdown.content.decode()
    data = json.loads(editor_client.get(export_url(demo, "json")).content)
    assert data["part"] == {"number": 2, "of": 2} and len(data["participants"]) == 4
    assert editor_client.get(export_url(demo, "pdf")).status_code == 404
    assert editor_client.get("/admin/articles/article/not-a-number/export/text/").status_code == 404


def test_roundtable_download_has_all_its_parts(editor_client, demo):
    make_article(roundtable=demo.roundtable, part_number=1, title="前半", published=False)
    response = editor_client.get(reverse("admin:articles_article_export_roundtable", args=[demo.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="tokyo-cio-forum-4.json"'
    assert [p["title"] for p in json.loads(response.content)["parts"]] == ["前半", demo.title]


def test_list_action_exports_the_selected_parts_as_json(editor_client, demo):
    other = make_article(title="別の記事")
    response = editor_client.post(
        reverse("admin:articles_article_changelist"), {"action": "export_json", "_selected_action": [demo.pk, other.pk]}
    )
    assert response["Content-Type"] == "application/json"
    assert sorted(p["title"] for p in json.loads(response.content)["parts"]) == sorted([demo.title, "別の記事"])


def export_selected(client, articles):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "export_json", "_selected_action": [article.pk for article in articles]},
        )
    return json.loads(response.content)["parts"], len(queries)


def test_list_action_export_takes_as_many_queries_for_ten_parts_as_for_one(editor_client):
    articles = [make_long_article(25) for _ in range(10)]  # each in its own roundtable, 4 speakers with a post
    one, queries_for_one = export_selected(editor_client, articles[:1])
    ten, queries_for_ten = export_selected(editor_client, articles)
    assert queries_for_ten == queries_for_one
    assert sorted(part["title"] for part in ten) == sorted(article.title for article in articles)
    for part in ten:
        assert [p["label"] for p in part["participants"]] == ["話者0", "話者1", "話者2", "話者3"]
        assert [b["text"] for s in part["sections"] for b in s["blocks"] if b["type"] == "turn"] == [
            f"発言その{index}です。" for index in range(25)
        ]
        assert part["credits"] == [{"role": "執筆者", "name": "猪ノ口 渉", "affiliation": "戦略課"}]
    assert one[0] in ten


def test_exports_need_permission_to_view_parts(client, django_user_model, demo):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert client.get(export_url(demo, "text")).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_article"))
    assert client.get(export_url(demo, "text")).status_code == 200
