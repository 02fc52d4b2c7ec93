"""Markdown is untrusted: one sanitising renderer for pages, saves and the live preview."""

import pytest
from django.urls import reverse

from articles.models import Section, SpeakerTurn
from articles.markdown import render_markdown
from tests.support.factories import make_article


def test_markdown_renders_emphasis_lists_and_links():
    html = render_markdown("**大切**な話です。\n\n- 一つ目\n- 二つ目\n\n[都のサイト](https://www.metro.tokyo.lg.jp/)")
    assert "<strong>大切</strong>" in html
    assert "<li>一つ目</li>" in html
    assert 'href="https://www.metro.tokyo.lg.jp/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="x.png" onerror="alert(1)">',
        "[クリック](javascript:alert(1))",
        '<a href="javascript:alert(1)">クリック</a>',
        '<iframe src="https://evil.example/"></iframe>',
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_markdown_drops_scripts_handlers_and_javascript_urls(attack):
    html = render_markdown(attack)
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html
    assert "style=" not in html


@pytest.mark.django_db
def test_turn_html_is_rendered_once_on_save():
    section = Section.objects.create(article=make_article(), position=1)
    turn = SpeakerTurn.objects.create(section=section, position=1, body="**はい**<script>x()</script>")
    assert SpeakerTurn.objects.get(pk=turn.pk).body_html == "<p><strong>はい</strong></p>"


@pytest.mark.django_db
def test_markdownx_preview_is_for_staff_only(client):
    url = reverse("markdownx_markdownify")
    response = client.post(url, {"content": "**x**"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    upload = client.post(reverse("markdownx_upload"), {})
    assert upload.status_code == 302 and "/admin/login/" in upload["Location"]


@pytest.mark.django_db
def test_markdownx_preview_shows_the_same_sanitised_html_as_the_page(editor_client):
    source = "**はい**<script>alert(1)</script>"
    response = editor_client.post(reverse("markdownx_markdownify"), {"content": source})
    assert response.status_code == 200
    assert response.content.decode() == render_markdown(source)
    assert "<script" not in response.content.decode()


def test_texts_rendered_one_after_another_do_not_share_link_references():
    # The renderer reuses one Markdown instance per thread; it must start clean each time.
    first = render_markdown("[町田市][1]\n\n[1]: https://www.city.machida.tokyo.jp/")
    second = render_markdown("[町田市][1]")
    assert 'href="https://www.city.machida.tokyo.jp/"' in first
    assert "href" not in second and "[町田市][1]" in second


@pytest.mark.django_db
def test_markdownx_upload_needs_permission_to_edit_parts(client, django_user_model):
    from django.contrib.auth.models import Permission

    staff = django_user_model.objects.create_user("viewer", password="x-y-z-123456", is_staff=True)
    client.force_login(staff)
    assert client.post(reverse("markdownx_upload"), {}).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="change_article"))
    staff = django_user_model.objects.get(pk=staff.pk)
    client.force_login(staff)
    # Allowed through; an empty upload is then refused by markdownx's form, not by the gate.
    assert (
        client.post(reverse("markdownx_upload"), {}, headers={"x-requested-with": "XMLHttpRequest"}).status_code != 403
    )
