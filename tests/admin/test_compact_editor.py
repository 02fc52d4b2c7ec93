"""The compact editor of a long part, on the server: each turn one line (speaker and first line)
with its fields inside, no Markdown widget per turn, and the same number of queries to open
and to save a part whatever its number of turns (issue 17, issue 12)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import SpeakerTurn
from tests.support.factories import make_long_article
from tests.support.forms import form_data
from tests.support.staff import change_url

pytestmark = pytest.mark.django_db


def _open(client, article):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(change_url(article))
    assert response.status_code == 200
    return response, len(queries)


def _save_one_turn(client, article, text):
    data = form_data(client.get(change_url(article)).text, "article_form")
    body = sorted(name for name in data if name.endswith("-body"))[0]
    data[body] = text
    with CaptureQueriesContext(connection) as queries:
        response = client.post(change_url(article), data)
    assert response.status_code == 302, response.text[-2000:]
    return len(queries)


def test_opening_and_saving_a_part_cost_the_same_queries_at_30_and_120_turns(editor_client):
    small, large = make_long_article(30), make_long_article(120)  # 2 and 6 sections of 20 turns
    # The first save settles the positions the factory left (each section's figure at 0).
    for article in (small, large):
        editor_client.post(change_url(article), form_data(editor_client.get(change_url(article)).text, "article_form"))

    (_, small_open), (_, large_open) = _open(editor_client, small), _open(editor_client, large)
    assert small_open == large_open, (small_open, large_open)

    small_save = _save_one_turn(editor_client, small, "小さい記事の発言を直しました。")
    large_save = _save_one_turn(editor_client, large, "大きい記事の発言を直しました。")
    assert small_save == large_save, (small_save, large_save)
    assert SpeakerTurn.objects.filter(body="大きい記事の発言を直しました。", section__article=large).count() == 1


def test_each_turn_is_one_line_with_its_speaker_and_first_line_and_no_live_preview(editor_client):
    article = make_long_article(3)
    turn = SpeakerTurn.objects.filter(section__article=article).order_by("position").first()
    turn.body = "一行目の言葉です。\n\n二行目は一覧に出ません。"
    turn.save()
    page = editor_client.get(change_url(article)).text
    summary = re.search(r'<summary class="compact-turn-summary">(.*?)</summary>', page).group(1)
    assert "話者0" in summary and "一行目の言葉です。" in summary and "二行目" not in summary
    # The whole text is in the turn's editor, behind its line (a <details> closed until opened).
    assert "二行目は一覧に出ません。</textarea>" in page
    assert page.count('<details class="compact-turn-details">') == 3
    # No markdownx widget on the page: previews are fetched when an editor asks for one.
    assert "markdownx-preview" not in page and "markdownx.js" not in page and "markdownx.min.js" not in page
    assert "compact-preview-button" in page and 'data-preview-url="/markdownx/markdownify/"' in page


def test_the_speaker_choices_are_the_roundtables_on_every_row(editor_client):
    article = make_long_article(4)
    page = editor_client.get(change_url(article)).text
    selects = re.findall(r'<select name="sections-0-turns-(\d)-speaker"[^>]*>(.*?)</select>', page)
    assert len(selects) == 4
    for index, options in selects:
        labels = re.findall(r">([^<]+)</option>", options)
        assert labels == ["(ナレーション・地の文)", "話者0", "話者1", "話者2", "話者3"]
        assert re.search(rf'<option value="\d+" selected>話者{index}</option>', options)


def test_a_turn_with_an_error_comes_back_open_with_the_message_tied_to_its_field(editor_client):
    article = make_long_article(3)
    data = form_data(editor_client.get(change_url(article)).text, "article_form")
    data["sections-0-turns-1-body"] = ""
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    page = response.text
    row = re.search(
        r'<div class="[^"]*compact-turn-has-errors[^"]*"[^>]*id="sections-0-turns-1">.*?</details>', page, re.S
    )
    assert row, "the turn with the error is marked"
    assert '<details class="compact-turn-details" open>' in row.group(0)
    assert 'aria-invalid="true" aria-describedby="id_sections-0-turns-1-body_error"' in row.group(0)
    assert 'id="id_sections-0-turns-1-body_error"' in row.group(0) and "このフィールドは必須です。" in row.group(0)
    # The other turns stay closed; nothing was saved.
    assert page.count('<details class="compact-turn-details">') == 2
    assert SpeakerTurn.objects.filter(section__article=article, body="").count() == 0


def test_an_editor_adds_a_turn_from_the_empty_row_the_page_offers(editor_client):
    article = make_long_article(2)
    page = editor_client.get(change_url(article)).text
    assert 'id="sections-0-turns-empty"' in page and 'name="sections-0-turns-__prefix__-body"' in page
    data = form_data(page, "article_form")
    data.update(
        {
            "sections-0-turns-TOTAL_FORMS": "3",
            "sections-0-turns-2-position": "0",
            "sections-0-turns-2-speaker": "",
            "sections-0-turns-2-body": "新しい地の文",
            "sections-0-turns-2-section": data["sections-0-id"],
        }
    )
    assert editor_client.post(change_url(article), data).status_code == 302
    turns = list(SpeakerTurn.objects.filter(section__article=article).order_by("position"))
    assert [t.body for t in turns][-1] == "新しい地の文" and len(turns) == 3
