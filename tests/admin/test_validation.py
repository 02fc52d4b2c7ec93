"""Validation an editor meets: wrong speakers, duplicate parts and slugs, missing alt text."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, Figure, Section, SpeakerTurn
from participants.models import Participant, Person
from tests.support.factories import make_article, make_participant, make_roundtable
from tests.support.images import image_bytes, upload

pytestmark = pytest.mark.django_db


def test_speaker_from_another_roundtable_is_refused_with_their_name():
    article = make_article()
    other = make_participant(make_roundtable(), name="宮坂 学")
    section = Section.objects.create(article=article, position=1, heading="見出し")
    turn = SpeakerTurn(section=section, position=1, speaker=other, body="こんにちは")
    with pytest.raises(ValidationError) as error:
        turn.full_clean()
    assert "宮坂 学" in str(error.value.message_dict["speaker"])
    assert "参加者ではありません" in str(error.value.message_dict["speaker"])


def test_speaker_of_the_same_roundtable_is_accepted_and_narration_needs_no_speaker():
    article = make_article()
    speaker = make_participant(article.roundtable, name="高橋 晃")
    section = Section.objects.create(article=article, position=1)
    turns = [
        SpeakerTurn(section=section, position=1, speaker=speaker, body="はい"),
        SpeakerTurn(section=section, position=2, speaker=None, body="―本日はありがとうございました!"),
    ]
    for turn in turns:
        assert turn.full_clean() is None
        turn.save()
    assert [(t.speaker, t.body_html) for t in section.turns.order_by("position")] == [
        (speaker, "<p>はい</p>"),
        (None, "<p>―本日はありがとうございました!</p>"),
    ]


def test_duplicate_part_number_in_a_roundtable_is_refused():
    first = make_article(part_number=1)
    duplicate = Article(roundtable=first.roundtable, part_number=1, title="重複", slug="another-slug")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "同じパート番号" in str(error.value)


def test_same_part_number_in_another_roundtable_is_fine():
    first = make_article(part_number=1)
    second = Article(roundtable=make_roundtable(), part_number=1, title="別の座談会の前編", slug="other-part1")
    assert second.full_clean() is None
    second.save()
    assert list(Article.objects.filter(part_number=1).order_by("pk")) == [first, second]


def test_duplicate_slug_is_refused():
    first = make_article()
    duplicate = Article(roundtable=make_roundtable(), part_number=1, title="別の記事", slug=first.slug)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "slug" in error.value.message_dict
    assert "URL名" in error.value.message_dict["slug"][0]


def test_header_image_without_alt_text_is_refused():
    article = make_article()
    article.header_image = upload("photo.png", image_bytes((8, 8), "red"), "image/png")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "header_image_alt" in error.value.message_dict


def test_figure_image_without_alt_text_is_refused_and_with_it_accepted():
    section = Section.objects.create(article=make_article(), position=1)
    figure = Figure(section=section, position=1, image=upload("photo.png", image_bytes((8, 8), "red"), "image/png"))
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "alt_text" in error.value.message_dict
    figure.alt_text = "会議室で話す4人"
    figure.full_clean()


def test_two_participants_cannot_share_a_speaker_label():
    roundtable = make_roundtable()
    make_participant(roundtable, name="高橋 晃", label="高橋")
    other = Participant(roundtable=roundtable, person=Person.objects.create(name="高橋 一郎"), label="高橋")
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "高橋" in error.value.message_dict["label"][0]


def test_two_participants_with_the_same_surname_and_no_label_are_told_to_choose_a_label():
    roundtable = make_roundtable()
    make_participant(roundtable, name="鈴木 一郎")
    other = Participant(roundtable=roundtable, person=Person.objects.create(name="鈴木 花子"))
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    message = error.value.message_dict["label"][0]
    assert "「鈴木」" in message and "鈴木 一郎" in message
    other.label = "鈴木花子"
    other.full_clean()
    other.save()
    assert sorted(roundtable.participants.values_list("label", flat=True)) == ["鈴木", "鈴木花子"]
