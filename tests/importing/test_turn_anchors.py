"""Turn anchors (#t-…, SpeakerTurn.fragment): made once from the speaker's label and the text,
then kept through edits, reordering and a JSON export re-imported; importing the same text
again makes the same anchors; the old #turn-<id> stays on the page."""

import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps

from articles.exporter import export_part, render_part
from articles.importer import parse_for_import, save_transcript
from articles.models import Article, ArticleStatus, SpeakerTurn, turn_anchor
from tests.support.factories import make_article, make_participant

pytestmark = pytest.mark.django_db


def anchors(article):
    turns = SpeakerTurn.objects.filter(section__article=article).order_by("section__position", "position", "pk")
    return [(turn.body, turn.fragment) for turn in turns]


def page_anchors(client, article):
    page = BeautifulSoup(client.get(Article.objects.get(pk=article.pk).get_absolute_url()).content, "html.parser")
    return [turn["id"] for turn in page.select(".article-body .turn")]


def reimport(data, demo, **options):
    forum, slug, number = demo.roundtable.forum, demo.slug, demo.roundtable.number
    Article.objects.filter(pk=demo.pk).delete()
    options = {"status": ArticleStatus.PUBLISHED, "publish_at": demo.publish_at} | options
    return save_transcript(data, forum, roundtable_number=number, slug=slug, **options)


def test_every_turn_has_an_anchor_of_its_own_made_from_its_label_and_text(demo, client):
    kept = anchors(demo)
    assert all(fragment.startswith("t-") for _, fragment in kept)
    assert len({fragment for _, fragment in kept}) == len(kept) > 10
    first = SpeakerTurn.objects.filter(section__article=demo).order_by("section__position", "position").first()
    assert first.fragment == turn_anchor("深井", first.body)
    assert page_anchors(client, demo) == [fragment for _, fragment in kept]


def test_a_json_export_re_imported_keeps_every_anchor_even_after_edits(demo, client):
    turn = SpeakerTurn.objects.filter(section__article=demo).order_by("pk")[3]
    turn.body = "言い直した発言です。"
    turn.save()  # an edit keeps the anchor made at creation
    before = anchors(demo)
    data = export_part(demo)
    article = reimport(data, demo)
    assert anchors(article) == before
    assert page_anchors(client, article) == [fragment for _, fragment in before]


def test_the_same_text_imported_again_gets_the_same_anchors(demo):
    before = anchors(demo)
    text = render_part(demo, "text")
    article = reimport(parse_for_import(text).to_dict(), demo)
    assert anchors(article) == before


def test_reordering_turns_moves_them_with_their_anchors(demo, client):
    section = demo.sections.order_by("position").first()
    first, second = section.turns.order_by("position")[:2]
    before = page_anchors(client, demo)
    first.position, second.position = second.position, first.position
    first.save()
    second.save()
    after = page_anchors(client, demo)
    assert after[:2] == [before[1], before[0]] and after[2:] == before[2:]
    assert {first.fragment, second.fragment} == set(before[:2])


def test_turns_saying_the_same_thing_get_distinct_anchors(demo):
    section = demo.sections.order_by("position").first()
    speaker = section.turns.exclude(speaker=None).first().speaker
    made = [
        SpeakerTurn.objects.create(section=section, position=90 + i, speaker=speaker, body="はい。") for i in range(3)
    ]
    base = turn_anchor(speaker.short_label, "はい。")
    assert [turn.fragment for turn in made] == [base, f"{base}-2", f"{base}-3"]
    # The importer does the same, without a query per turn.
    data = export_part(demo)
    for block in (b for s in data["sections"] for b in s["blocks"] if b["type"] == "turn"):
        block.pop("anchor")
    article = reimport(data, demo)
    assert [f for body, f in anchors(article) if body == "はい。"] == [base, f"{base}-2", f"{base}-3"]


def test_an_import_does_not_take_a_malformed_or_duplicate_anchor_as_given(demo):
    data = export_part(demo)
    blocks = [b for s in data["sections"] for b in s["blocks"] if b["type"] == "turn"]
    blocks[0]["anchor"] = '"><script>'
    blocks[2]["anchor"] = blocks[1]["anchor"]
    article = reimport(data, demo)
    fragments = [f for _, f in anchors(article)]
    assert len(set(fragments)) == len(fragments)
    assert fragments[0] == turn_anchor("深井", blocks[0]["text"]) and fragments[1] == blocks[1]["anchor"]


def test_the_page_keeps_each_turns_old_anchor(demo, client):
    page = BeautifulSoup(client.get(demo.get_absolute_url()).content, "html.parser")
    for turn in SpeakerTurn.objects.filter(section__article=demo):
        legacy = page.select_one(f"#turn-{turn.pk}")
        assert legacy is not None and legacy.find_parent(class_="turn")["id"] == turn.fragment


def test_the_migration_gives_turns_on_file_the_anchors_a_new_turn_would_get():
    migration = importlib.import_module("articles.migrations.0008_speakerturn_fragment")
    article = make_article()
    speaker = make_participant(article.roundtable, name="話者 花子", label="話者")
    section = article.sections.create(position=1, heading="見出し")
    for i, body in enumerate(["はい。", "はい。", "そうですね。"]):
        SpeakerTurn.objects.create(section=section, position=i, speaker=speaker if i != 2 else None, body=body)
    made = anchors(article)
    SpeakerTurn.objects.update(fragment="")
    migration.make_fragments(apps, None)
    assert anchors(article) == made
    base = turn_anchor("話者", "はい。")
    assert [f for _, f in made] == [base, f"{base}-2", turn_anchor("", "そうですね。")]


def test_search_api_and_person_pages_link_to_the_kept_anchor(demo, client):
    turn = SpeakerTurn.objects.filter(section__article=demo).exclude(speaker=None).order_by("pk").first()
    person = client.get(turn.speaker.person.get_absolute_url()).content.decode()
    assert f"#{turn.fragment}" in person
    records = client.get("/api/v1/speeches", {"maximumRecords": 100}).json()
    assert any(record["speechURL"].endswith(f"#{turn.fragment}") for record in records["speechRecord"])


def test_a_turn_bulk_created_without_an_anchor_keeps_its_old_one_once(demo, client):
    section = demo.sections.order_by("position").first()
    (turn,) = SpeakerTurn.objects.bulk_create([SpeakerTurn(section=section, position=99, body="追記です。")])
    page = BeautifulSoup(client.get(demo.get_absolute_url()).content, "html.parser")
    assert turn.anchor == f"turn-{turn.pk}"
    assert len(page.select(f"#turn-{turn.pk}")) == 1 and page.select_one(f"#turn-{turn.pk}")["class"] == [
        "turn",
        "narration",
    ]
