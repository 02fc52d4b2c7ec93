"""Images in the admin: a thumbnail of each stored figure and header image, and the browser
checking a chosen file's type and size before upload, with the server's own messages."""

import re

import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation

from articles.models import Figure
from forum.images.validation import format_message, too_large_message
from tests.support.quality import axe_violations, format_violations

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_part_page_shows_a_thumbnail_of_the_header_and_each_figure(editor_client, demo):
    page = editor_client.get(change_url(demo)).text
    thumbnails = re.findall(r'<a href="([^"]+)" class="image-thumbnail"><img src="([^"]+)" alt="([^"]*)"', page)
    assert (demo.header_image.url, demo.header_image.url, f"今の画像: {demo.header_image_alt}") in thumbnails
    for figure in Figure.objects.filter(section__article=demo):
        assert (figure.image.url, figure.image.url, f"今の画像: {figure.alt_text}") in thumbnails
    assert len(thumbnails) == 1 + Figure.objects.filter(section__article=demo).count()
    assert editor_client.get(demo.header_image.url).status_code == 200  # staff see draft images too


def test_the_image_inputs_carry_the_servers_limit_and_messages(editor_client, demo):
    page = editor_client.get(change_url(demo)).text
    (header_input,) = re.findall(r'<input type="file" name="header_image"[^>]*>', page)
    assert 'data-image-max-bytes="10485760"' in header_input
    assert "「{name}」は{size}あります。画像は10.0\xa0MBまでにしてください。" in header_input.replace("&nbsp;", "\xa0")
    assert "js/image-check.js" in page


@pytest.mark.browser
def test_a_wrong_or_oversized_file_is_refused_in_the_browser_with_the_servers_message(admin_page, editor, demo):
    from playwright.sync_api import expect

    page = admin_page(editor, "correct-horse-battery", next=change_url(demo))
    page.wait_for_url(f"**{change_url(demo)}")
    header = page.locator("#id_header_image")
    message = page.locator("#id_header_image-image-check")

    size = 11 * 1024 * 1024
    header.set_input_files(
        {"name": "大きな写真.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff" + b"0" * size}
    )
    with translation.override("ja"):
        expected = too_large_message("大きな写真.jpg", filesizeformat(size + 3))
    expect(message).to_have_text(expected)
    assert header.evaluate("input => input.files.length") == 0  # nothing left to upload
    assert header.get_attribute("aria-invalid") == "true"

    header.set_input_files(
        {"name": "図.png", "mimeType": "image/png", "buffer": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}
    )
    with translation.override("ja"):
        expect(message).to_have_text(format_message("図.png"))
    assert not (v := axe_violations(page, "fieldset:has(#id_header_image)")), format_violations(v)

    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    header.set_input_files({"name": "正しい.png", "mimeType": "image/png", "buffer": png})
    expect(message).to_have_count(0)
    assert header.evaluate("input => input.files.length") == 1  # left for the server to check
