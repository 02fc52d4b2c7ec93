"""The compact editor of a long part in Debian's Chromium, at 1366 × 768 (issue 17).

An editor reaches a turn of a 60-turn part from the outline with the keyboard only, opens
it, edits it and saves; 「発言へ移動」 opens any turn by its number; an error is counted in a
summary whose link opens the turn and focuses the field; leaving with unsaved changes asks
first; the Markdown preview is fetched only when asked for; axe finds nothing on the page.
The test of the outline also writes the screenshot the README's editors' guide shows.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import SpeakerTurn
from tests.support import REPO_ROOT
from tests.support.factories import make_long_article
from tests.support.quality import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
SCREENSHOT = Path(REPO_ROOT) / "var" / "screenshots" / "admin-editor.png"


@pytest.fixture
def long_part(django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.jp", PASSWORD)
    return make_long_article(60)  # three sections of 20 turns, a figure in each


@pytest.fixture
def editor_page(admin_page, live_server, long_part, django_user_model):
    page = admin_page(
        django_user_model.objects.get(username="editor"), PASSWORD, viewport={"width": 1366, "height": 768}
    )
    page.goto(f"{live_server.url}/admin/articles/article/{long_part.pk}/change/")
    expect(page.locator("#compact-outline")).to_be_visible()
    return page


OPEN_TURNS = ".compact-turn:not(.djn-empty-form) .compact-turn-details[open]"


def turns_of(article):
    return list(SpeakerTurn.objects.filter(section__article=article).order_by("section__position", "position"))


def tab_to(page, selector, limit=400):
    """Press Tab until the focused element matches `selector` (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with Tab")


def test_keyboard_only_outline_jump_open_a_turn_edit_and_save(editor_page, long_part):
    page = editor_page
    # Each turn is one line: the page is a few screens, not 60 editors.
    assert page.locator(OPEN_TURNS).count() == 0
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 768 * 12, height

    # The outline: a link per section, with its turn count.
    links = page.locator("#compact-outline a")
    expect(links).to_have_count(3)
    expect(page.locator("#compact-outline")).to_contain_text("見出し3")
    expect(page.locator("#compact-outline")).to_contain_text("発言20件")

    tab_to(page, "#compact-outline a[data-section=sections-2]")
    page.keyboard.press("Enter")
    expect(page.locator("#sections-2")).to_be_focused()

    # The first turn of that section: Tab to its line, Enter opens it; then its text.
    tab_to(page, "#sections-2 .compact-turn:not(.djn-empty-form) summary")
    first_line = page.evaluate("document.activeElement.closest('.compact-turn').id")
    assert first_line == "sections-2-turns-0"
    page.keyboard.press("Enter")
    row = page.locator("#sections-2-turns-0")
    expect(row.locator("details")).to_have_attribute("open", "")
    tab_to(page, "#id_sections-2-turns-0-body", limit=5)
    page.keyboard.press("Control+End")
    page.keyboard.type("キーボードだけで直しました。")
    expect(page.locator("#compact-dirty-status")).to_contain_text("保存していない変更")
    expect(row.locator(".compact-turn-first-line")).to_contain_text("発言その40です。")

    # Opening another turn closes this one: one turn open at a time.
    tab_to(page, "#sections-2-turns-1 summary", limit=10)
    page.keyboard.press("Enter")
    expect(page.locator(OPEN_TURNS)).to_have_count(1)

    # The save bar is on screen wherever the editor is; save with the keyboard.
    assert page.locator("input[name=_continue]").is_visible()
    bar = page.locator(".submit-row").bounding_box()
    assert bar["y"] + bar["height"] <= 768 + 1 and bar["y"] > 500, bar
    tab_to(page, "input[name=_continue]", limit=1000)
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert turns_of(long_part)[40].body == "発言その40です。キーボードだけで直しました。"


def test_jump_to_a_turn_by_number_opens_it_in_two_actions(editor_page, long_part):
    page = editor_page
    jump = page.get_by_label("発言へ移動(番号)")
    jump.fill("37")  # action 1
    jump.press("Enter")  # action 2: not a submit of the form
    body = page.locator("#id_sections-1-turns-16-body")
    expect(body).to_be_focused()
    expect(body).to_be_in_viewport()
    expect(page.locator("#sections-1-turns-16 .compact-turn-number")).to_have_text("発言37")
    assert page.locator(".messagelist .success").count() == 0

    # A whole section folds away and comes back.
    toggle = page.locator("#sections-0 .compact-section-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#sections-0-turns-0")).to_be_hidden()
    toggle.click()
    expect(page.locator("#sections-0-turns-0")).to_be_visible()


def test_the_error_summary_counts_the_errors_and_its_link_opens_the_turn_and_focuses_the_field(editor_page, long_part):
    page = editor_page
    page.get_by_label("発言へ移動(番号)").fill("45")
    page.get_by_label("発言へ移動(番号)").press("Enter")
    page.locator("#id_sections-2-turns-4-body").fill("")
    page.locator("input[name=_continue]").click()

    summary = page.locator("#compact-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("1件の入力エラーがあります")
    link = summary.get_by_role("link")
    expect(link).to_contain_text("発言45")
    expect(link).to_contain_text("このフィールドは必須です。")
    # The editor closes the turn and looks elsewhere; the link brings them back to the field.
    page.locator("#sections-2-turns-4 summary").click()
    expect(page.locator("#id_sections-2-turns-4-body")).to_be_hidden()
    page.evaluate("window.scrollTo(0, 0)")
    link.focus()
    page.keyboard.press("Enter")
    field = page.locator("#id_sections-2-turns-4-body")
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    assert field.get_attribute("aria-describedby") == "id_sections-2-turns-4-body_error"
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    assert turns_of(long_part)[44].body == "発言その44です。"


def test_leaving_with_unsaved_changes_asks_first(editor_page, long_part, live_server):
    page = editor_page
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    page.locator("#sections-0-turns-2 summary").click()
    page.locator("#id_sections-0-turns-2-body").fill("書きかけの発言")
    page.get_by_role("link", name="履歴").click()
    for _ in range(50):  # the dialog comes within 5 s, however loaded the machine
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert dialogs == ["beforeunload"]
    assert "/change/" in page.url
    expect(page.locator("#id_sections-0-turns-2-body")).to_have_value("書きかけの発言")

    # Saved, the page leaves without asking.
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.get_by_role("link", name="履歴").click()
    expect(page).to_have_url(f"{live_server.url}/admin/articles/article/{long_part.pk}/history/")
    assert dialogs == ["beforeunload"]


def test_previews_are_fetched_on_demand_and_the_page_passes_axe(editor_page, long_part):
    page = editor_page
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "markdownify" in request.url else None)
    page.reload()
    expect(page.locator("#compact-outline")).to_be_visible()
    page.wait_for_timeout(700)
    assert requests == []  # opening the page previews nothing

    page.locator("#sections-0-turns-1 summary").click()
    page.locator("#id_sections-0-turns-1-body").fill("**強調**した発言です。")
    button = page.locator("#sections-0-turns-1 .compact-preview-button")
    button.click()
    preview = page.locator("#sections-0-turns-1 .compact-turn-preview")
    expect(preview.locator("strong")).to_have_text("強調")
    assert len(requests) == 1
    expect(button).to_have_text("プレビューを隠す")

    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    # The editors' guide in the README shows this page.
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.getElementById('compact-outline').scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
