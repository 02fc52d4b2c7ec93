"""Saving a part in the admin keeps one order of turns and figures per section.

The sample article has 画像1 after the fifth turn of its first section and 画像2 after the
seventh turn of its second. The public page prints that sequence; these tests save the
part's admin page as a browser without the page's script would, and read the public page.
"""

import pytest
from bs4 import BeautifulSoup

from articles.models import Article, Figure, SpeakerTurn
from articles.renditions import invalidate as invalidate_renditions
from forum.page_cache import content_changed
from tests.support.forms import form_data
from tests.support.staff import change_url

pytestmark = pytest.mark.django_db


def sequence(article):
    """The public page's turns and figures in order: turn-<id> (the old anchor each turn still
    carries) for turns, 画像N for figures."""
    from django.test import Client

    references = {figure.alt_text: figure.reference for figure in Figure.objects.filter(section__article=article)}
    page = BeautifulSoup(Client().get(Article.objects.get(pk=article.pk).get_absolute_url()).content, "html.parser")
    items = []
    for element in page.select(".article-section .turn, .article-section figure"):
        turn_id = element.name != "figure" and element.select_one(".legacy-anchor")["id"]
        items.append(turn_id if element.name != "figure" else references[element.img["alt"]])
    return items


def positions(article):
    """{block: position} as stored."""
    return {
        f"turn-{pk}": position
        for pk, position in SpeakerTurn.objects.filter(section__article=article).values_list("pk", "position")
    } | {
        reference: position
        for reference, position in Figure.objects.filter(section__article=article).values_list("reference", "position")
    }


def submitted(editor_client, article, **changes):
    data = form_data(editor_client.get(change_url(article)).text, "article_form")
    data.update(changes)
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, response.text[:3000]
    return response


def field(article, model, pk, name="position"):
    """The admin form field name of a turn's or figure's field."""
    obj = model.objects.get(pk=pk)
    sections = list(article.sections.order_by("position", "pk"))
    section_index = sections.index(obj.section)
    kind = "turns" if model is SpeakerTurn else "figures"
    siblings = list(getattr(obj.section, kind).order_by("position", "pk"))
    return f"sections-{section_index}-{kind}-{siblings.index(obj)}-{name}"


def test_saving_with_one_word_changed_keeps_every_figure_between_the_same_turns(editor_client, demo):
    before = sequence(demo)
    assert before[5] == "画像1" and before[5 + 8] == "画像2"  # after turn 5 and after turn 12
    turn = demo.sections.order_by("position").first().turns.order_by("position").first()
    submitted(editor_client, demo, **{field(demo, SpeakerTurn, turn.pk, "body"): turn.body + "ね"})
    assert SpeakerTurn.objects.get(pk=turn.pk).body.endswith("ね")
    assert sequence(demo) == before


def test_saving_unchanged_changes_no_position(editor_client, demo):
    stored = positions(demo)
    submitted(editor_client, demo)
    assert positions(demo) == stored


def test_a_typed_position_moves_a_figure_to_that_place_among_the_turns(editor_client, demo):
    before = sequence(demo)
    figure = Figure.objects.get(reference="画像1")
    submitted(editor_client, demo, **{field(demo, Figure, figure.pk): "2"})
    expected = before[:1] + ["画像1"] + [item for item in before[1:] if item != "画像1"]
    assert sequence(demo) == expected


def test_a_typed_position_moves_a_turn_past_a_figure(editor_client, demo):
    before = sequence(demo)  # five turns, then 画像1, then the next section
    first_turn = SpeakerTurn.objects.get(pk=int(before[0].removeprefix("turn-")))
    submitted(editor_client, demo, **{field(demo, SpeakerTurn, first_turn.pk): "6"})
    assert sequence(demo) == before[1:6] + before[:1] + before[6:]
    stored = positions(demo)
    assert sorted(stored[item] for item in before[:6]) == [1, 2, 3, 4, 5, 6]


def test_a_figure_that_shared_a_position_with_a_turn_stays_where_the_page_showed_it(editor_client, demo):
    # Data damaged by the old admin: 画像1 renumbered to 0 beside a turn at 0.
    section = demo.sections.order_by("position").first()
    turns = list(section.turns.order_by("position"))
    SpeakerTurn.objects.filter(pk=turns[0].pk).update(position=0)
    Figure.objects.filter(reference="画像1").update(position=0)
    shown = sequence(demo)
    assert shown[:2] == [f"turn-{turns[0].pk}", "画像1"]
    submitted(editor_client, demo)
    assert sequence(demo) == shown


def test_a_new_turn_left_at_position_zero_goes_to_the_end_of_its_section(editor_client, demo):
    data = form_data(editor_client.get(change_url(demo)).text, "article_form")
    total = int(data["sections-0-turns-TOTAL_FORMS"])
    data.update(
        {
            "sections-0-turns-TOTAL_FORMS": str(total + 1),
            f"sections-0-turns-{total}-position": "0",
            f"sections-0-turns-{total}-speaker": "",
            f"sections-0-turns-{total}-body": "追加した地の文",
            f"sections-0-turns-{total}-section": data["sections-0-id"],
        }
    )
    response = editor_client.post(change_url(demo), data)
    assert response.status_code == 302, response.text[:3000]
    new = SpeakerTurn.objects.get(body="追加した地の文")
    after = sequence(demo)
    assert after[after.index("画像1") + 1] == f"turn-{new.pk}"  # end of the first section


def scramble_as_the_old_admin_did(article):
    """Renumber each section's turns 0, 1, 2 … and its figures 0, 1, 2 … separately."""
    for section in article.sections.all():
        for model in (SpeakerTurn, Figure):
            for index, obj in enumerate(model.objects.filter(section=section).order_by("position", "pk")):
                model.objects.filter(pk=obj.pk).update(position=index)
    # update() sends no signal; the old admin's saves made a new page version and left the
    # part's stored body stale (articles.renditions), as they would today.
    content_changed()
    invalidate_renditions([article.pk])


def repair(*args):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("repair_block_order", *args, stdout=out)
    return out.getvalue()


def test_repair_puts_figures_back_after_the_turn_they_followed_in_the_history(demo):
    before = sequence(demo)  # load_demo kept this as the part's first version
    scramble_as_the_old_admin_did(demo)
    assert sequence(demo) != before  # 画像1 now shows after the first turn

    report = repair("--dry-run")
    assert "直せます" in report and sequence(demo) != before
    report = repair()
    assert "修復した見出し: 2件" in report
    assert sequence(demo) == before
    assert "修復した見出し: 0件" in repair()  # nothing left to do


def test_repair_leaves_a_section_alone_when_the_history_cannot_tell(demo):
    from reversion.models import Version

    Version.objects.get_for_object(demo).delete()  # loaded before load_demo kept a first version
    scramble_as_the_old_admin_did(demo)
    shown = sequence(demo)
    report = repair()
    assert "履歴から元の位置が分からない" in report and "そのままの見出し: 2件" in report
    assert sequence(demo) == shown
