"""The part's admin page in Debian's Chromium keeps the order of turns and figures.

An editor opens the published sample part, changes one word and saves: the public page's
sequence of turns and figures is exactly as before. Then they move a figure with its
「上へ」 button (keyboard only) and a turn by typing its 順番 and by dragging: the public
page shows the new order.
"""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article, Figure, SpeakerTurn
from tests.support.quality import axe_violations, format_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def demo_part(django_user_model):
    call_command("load_demo", stdout=io.StringIO())
    django_user_model.objects.create_superuser("editor", "editor@example.jp", PASSWORD)
    return Article.objects.get()


@pytest.fixture
def change_page(admin_page, live_server, demo_part, django_user_model):
    """The sample part's change form, for a superuser logged in through the login form."""
    page = admin_page(
        django_user_model.objects.get(username="editor"), PASSWORD, viewport={"width": 1366, "height": 768}
    )
    page.goto(f"{live_server.url}/admin/articles/article/{demo_part.pk}/change/")
    return page


def public_sequence(page, live_server, article):
    """The public page's turns (turn-<id>) and figures (their 画像N), in order."""
    references = {f.alt_text: f.reference for f in Figure.objects.filter(section__article=article)}
    page.goto(live_server.url + article.get_absolute_url())
    items = page.eval_on_selector_all(
        ".article-section .turn, .article-section figure",
        "els => els.map(e => e.tagName === 'FIGURE' ? 'alt:' + e.querySelector('img').alt"
        " : e.querySelector('.legacy-anchor').id)",
    )
    return [references[item[4:]] if item.startswith("alt:") else item for item in items]


def save(page):
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def turn_row(page, turn):
    return page.locator(".djn-inline-form[data-inline-model=articles-speakerturn]").filter(
        has=page.locator(f"input[name$='-id'][value='{turn.pk}']")
    )


def figure_row(page, figure):
    return page.locator(".djn-inline-form[data-inline-model=articles-figure]").filter(
        has=page.locator(f"input[name$='-id'][value='{figure.pk}']")
    )


def test_changing_one_word_and_saving_keeps_the_public_order(change_page, live_server, demo_part):
    context = change_page.context
    reader = context.new_page()
    before = public_sequence(reader, live_server, demo_part)
    assert before.index("画像1") == 5 and before.index("画像2") == 5 + 8

    turn = SpeakerTurn.objects.filter(section__article=demo_part).order_by("section__position", "position").first()
    row = turn_row(change_page, turn)
    row.locator("summary").click()  # the compact editor: a turn opens for editing
    body = row.locator("textarea")
    body.fill(body.input_value() + "ね")
    save(change_page)

    assert SpeakerTurn.objects.get(pk=turn.pk).body.endswith("ね")
    assert public_sequence(reader, live_server, demo_part) == before


def test_moving_a_figure_by_keyboard_and_turns_by_number_and_drag_changes_the_public_order(
    change_page, live_server, demo_part
):
    reader = change_page.context.new_page()
    before = public_sequence(reader, live_server, demo_part)
    turns = before[:5]  # the first section: five turns, then 画像1

    # 画像1 up by one, with the keyboard only: it now stands before the fifth turn.
    up = figure_row(change_page, Figure.objects.get(reference="画像1")).locator(".block-order-up")
    up.focus()
    change_page.keyboard.press("Enter")
    expect(change_page.locator("#block-order-status")).to_contain_text("画像1")
    expect(change_page.locator("#block-order-status")).to_contain_text("5番目")
    expect(up).to_be_focused()

    def shown():  # the section's rows by their 順番, as the script numbered them
        values = change_page.eval_on_selector_all(
            ".djn-inline-form[id^=sections-0-]:not(.djn-empty-form) input[name$='-position']",
            "els => els.map(e => [parseInt(e.value), e.closest('.djn-inline-form').querySelector(\"input[name$='-id']\").value, e.closest('.djn-inline-form').dataset.inlineModel])",
        )
        return [
            f"turn-{pk}" if model == "articles-speakerturn" else Figure.objects.get(pk=pk).reference
            for _, pk, model in sorted(values)
        ]

    t1, t2, t3, t4, t5 = turns
    assert shown() == [t1, t2, t3, t4, "画像1", t5]

    # The first turn typed to 順番 3.
    first = SpeakerTurn.objects.get(pk=int(turns[0].removeprefix("turn-")))
    position = turn_row(change_page, first).locator("input[name$='-position']")
    position.fill("3")
    position.press("Tab")
    assert shown() == [t2, t3, t1, t4, "画像1", t5]

    # The (now) first turn, which was the second, dragged onto the last turn's place.
    second = SpeakerTurn.objects.get(pk=int(turns[1].removeprefix("turn-")))
    last = SpeakerTurn.objects.get(pk=int(turns[4].removeprefix("turn-")))
    change_page.set_viewport_size({"width": 1366, "height": 4000})  # both rows on screen at once
    source = turn_row(change_page, second).locator(".block-order-handle")
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    change_page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    change_page.mouse.down()
    target = turn_row(change_page, last).locator(".block-order-handle")
    box = target.bounding_box()
    change_page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=10)
    change_page.mouse.up()
    change_page.set_viewport_size({"width": 1366, "height": 768})
    assert shown() == [t3, t1, t4, "画像1", t5, t2]

    # The move controls themselves: named buttons, contrast, target size.
    violations = axe_violations(change_page, [".block-order-tools", "#block-order-help"])
    assert not violations, format_violations(violations)
    save(change_page)

    # Before: t1 t2 t3 t4 t5 画像1.  画像1 up: t1 t2 t3 t4 画像1 t5.  t1 to 3: t2 t3 t1 t4 画像1 t5.
    # t2 dragged onto t5's place: t3 t1 t4 画像1 t5 t2.
    assert public_sequence(reader, live_server, demo_part) == [t3, t1, t4, "画像1", t5, t2] + before[6:]
