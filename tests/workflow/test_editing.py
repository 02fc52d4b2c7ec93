"""Editing a long part: drag to reorder (no order numbers typed), for a 編集者 as for anyone."""

import re

import pytest
from django.urls import reverse

from tests.support.factories import make_long_article
from tests.support.staff import change_form, change_url, make_editor, save
from tests.support.line_breaks import without_line_breaks

pytestmark = pytest.mark.django_db


def order_on_preview(client, article, pattern):
    html = without_line_breaks(client.get(reverse("articles:article_preview", args=[article.pk])).text)
    return re.findall(pattern, html)


def test_sections_and_turns_are_draggable_with_order_numbers_kept_for_keyboard_users(client):
    client.force_login(make_editor())
    article = make_long_article(3, published=False)
    page = client.get(change_url(article)).text
    assert "nested_admin" in page and page.count("djn-drag-handler") >= 3  # sections and turns
    # Dragging rewrites these numbers; someone without a mouse can still type them.
    assert len(re.findall(r'name="sections-0-turns-\d+-position"', page)) == 3


def test_dropping_a_turn_and_a_section_elsewhere_reorders_the_page(client):
    client.force_login(make_editor())
    article = make_long_article(40, published=False)  # two sections of 20 turns
    assert order_on_preview(client, article, r"<h2[^>]*>(見出し\d)</h2>") == ["見出し1", "見出し2"]
    data = change_form(client, article)
    # What nested_admin's script posts after two drops: the last turn of the first section
    # moved to the top, and the second section moved above the first.
    first, last = data["sections-0-turns-0-position"], data["sections-0-turns-19-position"]
    data["sections-0-turns-19-position"], data["sections-0-turns-0-position"] = first, last
    data["sections-0-position"], data["sections-1-position"] = data["sections-1-position"], data["sections-0-position"]
    assert save(client, article, data).status_code == 302
    assert order_on_preview(client, article, r"<h2[^>]*>(見出し\d)</h2>") == ["見出し2", "見出し1"]
    turns = order_on_preview(client, article, r"発言その(\d+)です。")
    section_one = turns[20:]
    assert section_one[0] == "19" and section_one[-1] == "0"


def test_a_part_of_250_turns_can_be_saved_from_its_page(client):
    """Django refuses more than 1,000 posted fields by default: about 160 turns."""
    client.force_login(make_editor())
    article = make_long_article(250, published=False)
    data = change_form(client, article)
    assert len(data) > 1000
    data["sections-12-turns-9-body"] = "最後の発言を直しました。"
    assert save(client, article, data).status_code == 302
    assert order_on_preview(client, article, r"最後の発言を直しました。")
