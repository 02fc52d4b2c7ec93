"""The admin in Japanese throughout: permission names, its own 403 and 404 pages, 姓・名, and one
page that makes a staff account with its group."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from articles.workflow import EDITOR_GROUP, PUBLISHER_GROUP
from tests.support.factories import make_article
from tests.support.forms import form_data
from tests.support.staff import make_editor

pytestmark = pytest.mark.django_db


def test_permission_names_are_japanese_and_stay_so_after_migrate(admin_client):
    names = dict(Permission.objects.values_list("codename", "name"))
    assert names["add_roundtable"] == "座談会を追加できる"
    assert names["change_article"] == "記事(パート)を変更できる" and names["add_user"] == "ユーザーを追加できる"
    assert names["view_forum"] == "フォーラムを表示できる" and names["delete_person"] == "人物を削除できる"
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    call_command("migrate", verbosity=0)
    assert Permission.objects.get(codename="add_roundtable").name == "座談会を追加できる"
    page = admin_client.get(reverse("admin:auth_group_change", args=[Group.objects.get(name=EDITOR_GROUP).pk]))
    assert "座談会を追加できる" in page.text and "Can add" not in page.text


def test_the_admin_404_is_japanese_in_the_admin_look(client):
    client.force_login(make_editor())
    page = client.get("/admin/articles/article/999999/history/compare/?old=1")
    assert page.status_code == 404
    assert "ページが見つかりません" in page.text and 'id="site-name"' in page.text
    assert "管理画面のトップへ" in page.text and "Not Found" not in page.text
    public = client.get("/no-such-page/")
    assert public.status_code == 404 and 'id="site-name"' not in public.text  # the public look


def test_the_admin_403_is_japanese_in_the_admin_look(client):
    client.force_login(make_editor())
    group = Group.objects.get(name=EDITOR_GROUP)
    page = client.get(reverse("admin:auth_group_change", args=[group.pk]))
    assert page.status_code == 403
    assert "この操作をする権限がありません" in page.text and 'id="site-name"' in page.text
    assert "403 Forbidden" not in page.text


def test_one_page_makes_a_staff_account_in_its_group(admin_client):
    add = admin_client.get(reverse("admin:auth_user_add"))
    labels = re.findall(r"<label[^>]*>([^<]+)</label>", add.text)
    assert labels.index("姓:") < labels.index("名:")  # family name first
    assert EDITOR_GROUP in add.text and PUBLISHER_GROUP in add.text
    publishers = Group.objects.get(name=PUBLISHER_GROUP)
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "suzuki",
            "last_name": "鈴木",
            "first_name": "一郎",
            "email": "suzuki@example.jp",
            "password1": "a-long-enough-password-42",
            "password2": "a-long-enough-password-42",
            "group": publishers.pk,
        },
    )
    assert response.status_code == 302, response.text[:3000]
    user = get_user_model().objects.get(username="suzuki")
    assert user.is_staff and not user.is_superuser and list(user.groups.all()) == [publishers]
    assert user.has_perm("articles.publish_article") and user.check_password("a-long-enough-password-42")
    listing = admin_client.get(reverse("admin:auth_user_changelist"))
    (row,) = [row for row in re.findall(r"<tr[^>]*>.*?</tr>", listing.text, re.S) if "suzuki" in row]
    assert row.index("鈴木") < row.index("一郎") and PUBLISHER_GROUP in row


def test_names_read_family_name_first_in_the_part_records(client):
    editor = make_editor()
    editor.last_name, editor.first_name = "山田", "花子"
    editor.save()
    client.force_login(editor)
    article = make_article(published=False)
    data = form_data(client.get(reverse("admin:articles_article_change", args=[article.pk])).text, "article_form")
    assert (
        client.post(
            reverse("admin:articles_article_change", args=[article.pk]), {**data, "title": "直した"}
        ).status_code
        == 302
    )
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "山田 花子" in page.text and "花子 山田" not in page.text  # the 操作記録


def test_the_new_admin_pages_are_valid_html(admin_client, client):
    from tests.support.quality import format_html_errors, validate_html

    article = make_article(published=False)
    editor = make_editor()
    client.force_login(editor)
    pages = {
        "404": client.get("/admin/articles/article/999999/history/compare/?old=1").text,
        "403": client.get(reverse("admin:auth_group_changelist")).text,
        "user-add": admin_client.get(reverse("admin:auth_user_add")).text,
        "history": admin_client.get(reverse("admin:articles_article_history", args=[article.pk])).text,
    }
    errors = validate_html(pages)
    assert not any(errors.values()), format_html_errors(errors)


@pytest.mark.browser
def test_the_staff_account_page_has_no_axe_violations(admin_page, editor):
    page = admin_page(editor, "correct-horse-battery", next=reverse("admin:auth_user_add"))
    page.wait_for_url(f"**{reverse('admin:auth_user_add')}")
    from tests.support.quality import axe_violations, format_violations

    assert not (v := axe_violations(page)), format_violations(v)
    page.goto(page.url.split("/admin/")[0] + "/admin/no-such-app/")
    assert "ページが見つかりません" in page.content()
    assert not (v := axe_violations(page)), format_violations(v)


AXES_ENGLISH = ("Axes", "AXES", "Access attempt", "Access log", "Access failure", "access attempt", "access log")


def test_django_axes_is_named_in_japanese_in_the_admin(admin_client):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        username="hanako",
        ip_address="192.0.2.1",
        user_agent="Chromium",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        http_accept="*/*",
        failures_since_start=2,
    )
    index = admin_client.get(reverse("admin:index")).text
    assert "ログインの制限" in index
    assert "ログイン試行の記録" in index and "ログインの記録" in index and "ログイン失敗の記録" in index
    for english in AXES_ENGLISH:
        assert english not in index, english
    sidebar = admin_client.get(reverse("admin:axes_accessattempt_changelist")).text  # the sidebar lists every app
    assert "ログインの制限" in sidebar and "ログイン試行の記録" in sidebar
    assert "IPアドレス" in sidebar and "ユーザー名" in sidebar  # the list's columns
    for english in (*AXES_ENGLISH, "IP Address", "Username", "User Agent", "Attempt Time", "Failed Logins"):
        assert english not in sidebar, english
    detail = admin_client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])).text
    assert "送信されたデータ" in detail and "接続の情報" in detail
    assert "Form Data" not in detail and "Meta Data" not in detail
    app_page = admin_client.get(reverse("admin:app_list", args=["axes"])).text
    assert "ログインの制限" in app_page and "Axes" not in app_page


def test_axes_permissions_are_japanese_too():
    names = dict(Permission.objects.filter(content_type__app_label="axes").values_list("codename", "name"))
    assert names["view_accessattempt"] == "ログイン試行の記録を表示できる"
    assert names["delete_accesslog"] == "ログインの記録を削除できる"


def test_the_japanese_names_need_no_migration_of_axes():
    """Only names change (the autodetector ignores them): axes' own migrations stay as shipped."""
    import io

    out = io.StringIO()
    call_command("makemigrations", "axes", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
