"""The part note reads the same on the public page and in an exported transcript."""

from types import SimpleNamespace

import pytest

from forum.conventions import link_text, part_note_text
from articles.series import part_note
from articles.transcript import parse_transcript, render_text


def transcript(number, total):
    return {
        "title": "座談会の記録",
        "roundtable": {"number": 3, "held_on": None, "title": None},
        "part": {"number": number, "of": total},
        "honorifics_omitted": False,
        "participants": [],
        "sections": [
            {
                "heading": None,
                "subheading": None,
                "blocks": [{"type": "turn", "speaker": None, "text": "―本日はありがとうございます。"}],
            }
        ],
        "credits": [],
        "warnings": [],
        "lead": "",
        "introduction": "",
        "closing": "",
        "header_figure": None,
    }


@pytest.mark.parametrize(("number", "total"), [(n, t) for t in (2, 3, 5) for n in range(1, t + 1)])
def test_public_part_note_and_exported_note_have_the_same_wording(number, total):
    parts = [SimpleNamespace(pk=k, part_number=k) for k in range(1, total + 1)]
    public = part_note(parts[number - 1], parts, total)
    assert public.text == part_note_text(number, total)
    assert [link_text(other, total) for other in range(1, total + 1) if other != number] == [
        f"{link.name}はこちら" for link in public.links
    ]  # as templates/articles/article_detail.html prints them
    exported = render_text(transcript(number, total))
    assert part_note_text(number, total) in exported.splitlines()[2]
    assert parse_transcript(exported).to_dict()["part"] == {"number": number, "of": total}


def test_a_two_part_export_prints_the_note_as_the_public_page_does():
    assert "\n※この記事は全2回の後半です。前半はこちら\n" in render_text(transcript(2, 2))
