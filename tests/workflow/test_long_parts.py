"""A very long transcript makes a part the admin can open and save, or is refused up front
(issue 15, point 4: 3,330 turns in one section failed with 「最大で 1000 個のフォームを…」)."""

import pytest
from django.urls import reverse

from articles.importer import ImportTooLong, parse_for_import, save_transcript
from articles.models import MAX_TURNS_PER_PART, Article, SpeakerTurn
from tests.support.factories import make_forum
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db


def transcript(turns):
    lines = [
        "長い議事録part1",
        "",
        "第7回は、「長い会議」をお届けします。",
        "",
        "参加者(敬称略)",
        "町田市総務部長:高橋 晃",
        "都副知事(CIO):宮坂 学",
        "",
        "ただ一つの見出し",
        "",
    ]
    for index in range(turns):
        surname = ("高橋", "宮坂")[index % 2]
        lines += [f"{surname}:{index}番目の発言です。", ""]
    return "\n".join(lines) + "\n"


def test_a_3330_turn_part_in_one_section_opens_and_saves_in_the_admin(editor_client):
    forum = make_forum()
    article = save_transcript(parse_for_import(transcript(3330)).to_dict(), forum, roundtable_number=7)
    assert SpeakerTurn.objects.filter(section__article=article).count() == 3330
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    data = form_data(page.text, "article_form")
    turn_prefix = next(name for name in data if name.endswith("-TOTAL_FORMS") and "turns" in name)
    assert data[turn_prefix] == "3330"
    body = next(name for name in data if name.endswith("-3329-body"))
    data[body] = "最後の発言を直しました。"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert "最大で" not in response.content.decode()
    last = SpeakerTurn.objects.filter(section__article=article).order_by("position").last()
    assert last.body == "最後の発言を直しました。"
    assert SpeakerTurn.objects.filter(section__article=article).count() == 3330


def test_a_transcript_longer_than_a_part_can_hold_is_refused_before_anything_is_saved(editor_client):
    forum = make_forum()
    data = parse_for_import(transcript(MAX_TURNS_PER_PART + 1)).to_dict()
    with pytest.raises(ImportTooLong) as refusal:
        save_transcript(data, forum, roundtable_number=7)
    assert f"{MAX_TURNS_PER_PART + 1:,}個" in str(refusal.value) and "分けて" in str(refusal.value)
    assert not Article.objects.exists() and not forum.roundtables.exists()
