"""The words the site reads its own way: the reading dictionary and a roundtable's people.

A Lexicon is built once per roundtable (two queries) and passed to every text of its parts
when they are rendered: `readings` feeds ふりがな (readings.furigana), `names` are kept on
one line (readings.phrasing).
"""

import unicodedata
from dataclasses import dataclass, field

from participants.models import Participant
from django.utils.html import format_html, mark_safe

from readings.furigana import analysed_words, annotate_name, hiragana
from readings.models import ReadingEntry


@dataclass(frozen=True)
class Lexicon:
    readings: dict = field(default_factory=dict)
    names: tuple = ()
    # {name or label: reading} of the roundtable's people only (Person.reading).
    people: dict = field(default_factory=dict)


def names_ruby(lexicon):
    """<span data-ruby-name="高橋">…ruby…</span> for each person's name and label, for the
    ふりがな button to put over the speaker labels and the participants box."""
    return "".join(
        format_html('<span data-ruby-name="{}">{}</span>', name, mark_safe(annotate_name(name, reading)))
        for name, reading in sorted(lexicon.people.items())
    )


def _plain_kana(text):
    """みやざか → みやさか: voicing marks dropped, so that 宮坂 read みやざか lines up with the
    analyser's みやさか (rendaku varies from family to family)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def split_name_reading(name, reading):
    """高橋 晃 + たかはしあきら (Person.reading is stored without spaces) → [たかはし, あきら],
    or [] when the analyser's reading of the surname or given name does not line it up."""
    parts = name.split()
    reading = hiragana(reading.replace(" ", "").replace("\u3000", ""))
    if len(parts) != 2 or not reading:
        return []
    surname, given = parts
    guess = "".join(hiragana(r) for _, r in analysed_words(surname))
    if guess and len(guess) < len(reading) and _plain_kana(reading).startswith(_plain_kana(guess)):
        return [reading[: len(guess)], reading[len(guess) :]]
    guess = "".join(hiragana(r) for _, r in analysed_words(given))
    if guess and len(guess) < len(reading) and _plain_kana(reading).endswith(_plain_kana(guess)):
        return [reading[: -len(guess)], reading[-len(guess) :]]
    return []


def person_entries(name, reading, label=""):
    """{word: reading} for a person: the full name, and the surname (and label) when the
    reading can be split between surname and given name."""
    if not name:
        return {}
    if not reading:
        return {}
    entries = {}
    parts = split_name_reading(name, reading)
    if parts:
        entries[name] = " ".join(parts)
        surname = name.split()[0]
        entries[surname] = parts[0]
        if label and label.replace(" ", "") == name.replace(" ", ""):
            entries[label] = " ".join(parts)
    else:
        entries[name] = hiragana(reading)
    return entries


def dictionary():
    return {entry.word: entry.reading for entry in ReadingEntry.objects.only("word", "reading") if entry.word}


def lexicons(roundtable_ids):
    """{roundtable id: Lexicon}, in two queries however many roundtables."""
    roundtable_ids = set(roundtable_ids)
    words = dictionary()
    people = {rid: {} for rid in roundtable_ids}
    names = {rid: set() for rid in roundtable_ids}
    participants = Participant.objects.filter(roundtable_id__in=roundtable_ids).select_related("person")
    for participant in participants:
        person = participant.person
        people[participant.roundtable_id].update(person_entries(person.name, person.reading, participant.label))
        names[participant.roundtable_id].update({person.name, person.surname, participant.label or ""})
    return {
        rid: Lexicon(
            readings={**people[rid], **words}, names=tuple(sorted(filter(None, names[rid]))), people=people[rid]
        )
        for rid in roundtable_ids
    }


def lexicon(roundtable_id):
    return lexicons([roundtable_id])[roundtable_id] if roundtable_id else Lexicon(readings=dictionary())
