"""A participant's printed title is composed from structured fields, exactly as printed."""

import pytest

from forum.conventions import compose_title
from participants.models import Organisation
from participants.text import normalise_name, normalise_reading
from tests.support.factories import make_participant, make_roundtable


def test_compose_title_with_several_posts_and_roles():
    assert (
        compose_title("町田市", ["総務部長", "情報システム担当部長"], ["CIO補佐", "CDO", "CISO補佐"])
        == "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐)"
    )


def test_compose_title_without_roles_has_no_brackets():
    assert compose_title("都", ["デジタルサービス局戦略部長"], []) == "都デジタルサービス局戦略部長"


@pytest.mark.django_db
def test_participant_title_uses_short_name_of_organisation_and_role_order():
    roundtable = make_roundtable()
    tokyo = Organisation.objects.create(name="東京都", short_name="都")
    vice_governor = make_participant(roundtable, name="宮坂 学", organisation=tokyo, posts=["副知事"], roles=["CIO"])
    assert vice_governor.full_title == "都副知事(CIO)"
    machida = make_participant(
        roundtable,
        name="高橋 晃",
        organisation="町田市",
        posts=["総務部長", "情報システム担当部長"],
        roles=["CIO補佐", "CDO", "CISO補佐"],
    )
    assert machida.full_title == "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐)"
    assert machida.short_label == "高橋"  # label defaults to the surname


@pytest.mark.django_db
def test_organisation_label_overrides_printed_organisation():
    roundtable = make_roundtable()
    tokyo = Organisation.objects.create(name="東京都", short_name="都")
    participant = make_participant(roundtable, organisation=tokyo, posts=["副知事"], organisation_label="東京都")
    assert participant.full_title == "東京都副知事"


def test_names_accept_full_and_half_width_spaces():
    assert normalise_name(" 高橋\u3000\u3000晃 ") == "高橋 晃"


def test_readings_are_stored_in_hiragana_for_gojuon_order():
    assert normalise_reading("タカハシ アキラ") == "たかはしあきら"
    assert normalise_reading("ﾀｶﾊｼ") == "たかはし"  # half-width katakana
