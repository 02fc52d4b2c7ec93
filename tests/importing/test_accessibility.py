"""The import page, in its three states (empty, preview with warnings, errors), is valid
HTML and has no axe-core violations; the keyboard reaches the form and the save button."""

import pytest
from django.urls import reverse

from participants.models import Organisation
from tests.support import TRANSCRIPTS
from tests.support.factories import make_forum
from tests.support.quality import axe_violations, format_html_errors, format_violations, validate_html

IMPORT_URL = reverse("admin:articles_article_import")
WARNINGS = (TRANSCRIPTS / "warnings.txt").read_text(encoding="utf-8")


@pytest.fixture
def forum(db):
    Organisation.objects.create(name="東京都", short_name="都")
    return make_forum(name="東京都・区市町村CIOフォーラム", slug="tokyo-cio-forum")


def test_import_page_states_are_valid_html(editor_client, forum):
    post = {"forum": forum.pk, "action": "preview"}
    pages = {
        "empty": editor_client.get(IMPORT_URL).text,
        "preview": editor_client.post(IMPORT_URL, {**post, "text": WARNINGS}).text,
        "thin": editor_client.post(IMPORT_URL, {**post, "text": "文字サイズ 標準 拡大\n\n本文だけです。\n"}).text,
        "errors": editor_client.post(IMPORT_URL, {**post, "text": "題名\n\n本文\x00\n"}).text,
    }
    assert "読み取り結果(まだ保存されていません)" in pages["preview"] and "errornote" in pages["errors"]
    assert "原稿を十分に読み取れていない可能性があります" in pages["thin"]
    errors = validate_html(pages)
    assert not any(errors.values()), format_html_errors(errors)


@pytest.mark.browser
def test_import_page_has_no_axe_violations_and_works_from_the_keyboard(admin_page, forum, editor):
    page = admin_page(editor, "correct-horse-battery", next=IMPORT_URL)
    page.wait_for_url(f"**{IMPORT_URL}")
    assert not (v := axe_violations(page)), format_violations(v)

    # Submitting nothing: the error summary links to the field, which is described by its error.
    page.get_by_role("button", name="構造を確認する").click()
    page.get_by_role("alert").get_by_role("link", name="原稿").click()
    assert page.evaluate("document.activeElement.id") == "id_text"
    assert "id_text_error" in page.get_attribute("#id_text", "aria-describedby")
    assert not (v := axe_violations(page)), format_violations(v)

    # Typing the transcript and submitting with the keyboard only.
    page.get_by_label("原稿").fill(WARNINGS)
    page.get_by_label("原稿").focus()
    page.keyboard.press("Tab")  # to the file input
    while page.evaluate("document.activeElement.textContent") != "構造を確認する":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="読み取り結果(まだ保存されていません)").wait_for()
    assert page.get_by_text("12行目").first.is_visible()
    assert not (v := axe_violations(page)), format_violations(v)
