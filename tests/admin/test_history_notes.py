"""History worth reading: the default comparison shows the last change, change notes list only
what the editor changed, and parts made by an import or load_demo start with a first version."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Section
from articles.versioning import versions_of
from tests.support import SAMPLE
from tests.support.factories import make_forum, make_long_article
from tests.support.forms import form_data
from tests.support.staff import change_form, make_editor, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_editor()
    user.last_name, user.first_name = "山田", "花子"
    user.save()
    client.force_login(user)
    return user


def edit(client, article, data):
    response = save(client, article, data)
    assert response.status_code == 302, response.text[:3000]
    return versions_of(article).first().revision


def as_a_browser_submits(data):
    """CRLF in every textarea, and nested_admin's renumbering of sections and credits from 0."""
    data = {name: value.replace("\n", "\r\n") if isinstance(value, str) else value for name, value in data.items()}
    for prefix in ("sections", "credits"):
        for name in [n for n in data if re.fullmatch(rf"{prefix}-\d+-position", n)]:
            data[name] = name.split("-")[1]
    return data


def test_history_compares_the_previous_version_with_the_newest_by_default(client, editor):
    article = make_long_article(3, published=False)
    data = change_form(client, article)
    edit(client, article, {**data, "title": "最初の題"})
    edit(client, article, {**change_form(client, article), "title": "直した題"})
    page = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "山田 花子" in page.text  # 姓 名
    chosen = form_data(page.text, "compare-form")
    newest, previous = [v.revision_id for v in versions_of(article)][:2]
    assert (chosen["old"], chosen["new"]) == (str(previous), str(newest))
    compared = client.get(reverse("admin:articles_article_compare", args=[article.pk]), chosen).text
    assert "本文に違いはありません" not in compared
    changes = re.findall(r'<li class="diff-(?:removed|added)">.*?</li>', compared, re.S)
    assert changes and all("題" in line for line in changes), changes


def test_with_one_version_the_default_compares_it_with_the_part_now(client, editor):
    article = make_long_article(2, published=False)
    edit(client, article, {**change_form(client, article), "title": "一度だけ保存"})
    page = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    chosen = form_data(page.text, "compare-form")
    assert chosen["new"] == "current" and chosen["old"] == str(versions_of(article).get().revision_id)


def test_saving_an_unchanged_part_as_a_browser_does_notes_no_change(client, editor):
    article = make_long_article(45, published=False)  # three sections, two credits
    article.credits.create(position=2, role="撮影", name="佐藤 一郎")
    Article.objects.filter(pk=article.pk).update(lead="一行目\n\n二行目", closing="次回も\nお楽しみに")
    first = edit(client, article, as_a_browser_submits(change_form(client, article)))
    second = edit(client, article, as_a_browser_submits(change_form(client, article)))
    for revision in (first, second):
        assert "順番" not in revision.get_comment() and "リード文" not in revision.get_comment()
    assert second.get_comment() == "変更はありませんでした。"
    article.refresh_from_db()
    assert article.lead == "一行目\n\n二行目" and article.closing == "次回も\nお楽しみに"  # LF, as stored


def test_a_real_move_or_edit_is_still_noted(client, editor):
    article = make_long_article(45, published=False)
    data = as_a_browser_submits(change_form(client, article))
    data["sections-0-position"], data["sections-1-position"] = "1", "0"  # swap the first two
    data["lead"] = "新しいリード文"
    note = edit(client, article, data).get_comment()
    assert "リード文 を変更しました。" in note and "セクション “見出し2” の 順番 を変更しました。" in note
    assert list(Section.objects.filter(article=article).values_list("heading", flat=True))[:2] == ["見出し2", "見出し1"]


def test_the_import_command_and_load_demo_give_a_first_version(db, tmp_path):
    forum = make_forum(name="東京都・区市町村CIOフォーラム", slug="tokyo-cio-forum")
    call_command("import_transcript", str(SAMPLE), "--forum", forum.slug, stdout=open(tmp_path / "out", "w"))
    imported = Article.objects.get()
    assert versions_of(imported).get().revision.get_comment() == "原稿から取り込みました"
    imported.delete()
    call_command("load_demo", stdout=open(tmp_path / "out", "w"))
    demo = Article.objects.get()
    first = versions_of(demo).get().revision
    assert first.get_comment() == "デモ記事を読み込みました"
    assert first.version_set.filter(content_type__model="speakerturn").count() > 10
    assert get_user_model().objects.count() == 0
