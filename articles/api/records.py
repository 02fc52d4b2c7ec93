"""What the API returns: public turns, roundtables and people as records, filtered and paged.

Only public content, decided where the site decides it: articles.visibility (public parts,
turns, roundtables, appearances and people). Each
page takes the same few queries however many records it holds (tests/api/test_queries.py).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from articles.api.any_search import matching_turns
from articles.api.text import normalise, plain_text
from articles.models import SpeakerTurn
from articles.visibility import (
    public_appearances,
    public_part_links,
    public_parts,
    public_people,
    public_roundtables,
    public_turns,
)
from forum.web.seo import absolute_url
from participants.models import Participant
from participants.text import normalise_reading, searchable


def license_info():
    return {
        "name": settings.OPEN_DATA_LICENSE_NAME,
        "url": settings.OPEN_DATA_LICENSE_URL,
        "attribution": settings.OPEN_DATA_ATTRIBUTION or "各記録の forum(フォーラム)",
    }


@dataclass
class Window:
    start: int  # 1-based, as startRecord
    size: int


def page(queryset, window, key, build):
    """The Diet API's paging fields around the records of one window of `queryset`."""
    total = queryset.count()
    offset = window.start - 1
    rows = list(queryset[offset : offset + window.size]) if offset < total else []
    after = offset + len(rows)
    return {
        "numberOfRecords": total,
        "numberOfReturn": len(rows),
        "startRecord": window.start,
        "nextRecordPosition": after + 1 if after < total else None,
        "license": license_info(),
        key: build(rows),
    }


# --- shared pieces ---------------------------------------------------------------------------


def _forum(forum):
    return {"slug": forum.slug, "name": forum.name, "url": absolute_url(forum.get_absolute_url())}


def _roundtable(roundtable):
    return {
        "roundtableID": roundtable.pk,
        "number": roundtable.number,
        "numberShown": not roundtable.number_hidden,
        "title": roundtable.title,
        "heldOn": roundtable.held_on,
        "format": roundtable.get_format_display(),
        "url": absolute_url(roundtable.get_absolute_url()),
    }


def _part(article):
    return {
        "partID": article.pk,
        "number": article.part_number,
        "title": article.title,
        "url": absolute_url(article.get_absolute_url()),
        "published": timezone.localtime(article.publish_at),
    }


def _organisation(participant):
    return participant.organisation.name if participant.organisation else None


def _compact_name(field):
    return Replace(field, Value(" "), Value(""))


def _held_between(queryset, field, filters):
    if filters.from_:
        queryset = queryset.filter(**{f"{field}__gte": filters.from_})
    if filters.until:
        queryset = queryset.filter(**{f"{field}__lte": filters.until})
    return queryset


# --- speeches --------------------------------------------------------------------------------

READING_ORDER = (
    F("section__article__roundtable__held_on").asc(nulls_last=True),
    "section__article__roundtable_id",
    "section__article__part_number",
    "section__position",
    "section_id",
    "position",
    "pk",
)


def _speech_orders(turns):
    """{turn pk: its number within its part (1, 2, …) in reading order}, for the parts of
    these turns: one query of ids, however many turns are asked about."""
    article_ids = {turn.section.article_id for turn in turns}
    if not article_ids:
        return {}
    ordered = (
        SpeakerTurn.objects.filter(section__article_id__in=article_ids)
        .order_by("section__article_id", "section__position", "section_id", "position", "pk")
        .values_list("pk", "section__article_id")
    )
    orders, counts = {}, {}
    for pk, article_id in ordered:
        counts[article_id] = counts.get(article_id, 0) + 1
        orders[pk] = counts[article_id]
    return orders


def speeches(filters):
    """Public turns matching the filters, in reading order (oldest roundtable first)."""
    turns = public_turns()
    # A filter of nothing but spaces filters nothing (as `any` does).
    speaker = normalise(filters.speaker).strip()
    if speaker:
        # Spaces ignored on both sides: 高橋晃, 高橋 晃 and 高橋　晃 are one name.
        condition = Q(speaker__label=speaker) | Q(compact_name__contains="".join(speaker.split()))
        reading = normalise_reading(speaker)
        if reading:
            condition |= Q(speaker__person__reading__contains=reading)
        turns = turns.alias(compact_name=_compact_name("speaker__person__name")).filter(condition)
    position = normalise(filters.speakerPosition).strip()
    if position:
        turns = turns.filter(speaker__in=_participants_titled(position))
    role = normalise(filters.speakerRole).strip()
    if role:
        turns = turns.filter(
            Exists(
                Participant.roles.through.objects.filter(
                    participant_id=OuterRef("speaker_id"), role__abbreviation__iexact=role
                )
            )
        )
    if filters.forum:
        turns = turns.filter(section__article__roundtable__forum__slug=filters.forum)
    if filters.roundtable:
        turns = turns.filter(section__article__roundtable__number=filters.roundtable)
    turns = _held_between(turns, "section__article__roundtable__held_on", filters)
    if filters.any:
        turns = matching_turns(turns, filters.any)
    return (
        turns.select_related(
            "section",
            "section__article",
            "section__article__roundtable",
            "section__article__roundtable__forum",
            "speaker",
            "speaker__person",
            "speaker__organisation",
        )
        .prefetch_related("speaker__roles")
        .order_by(*READING_ORDER)
    )


def _participants_titled(text):
    """The public appearances whose printed title contains `text` (NFKC and case-folded on both
    sides), as a subquery: the title's searchable form is a column (Participant.search_title)."""
    return public_appearances().filter(search_title__contains=searchable(text).strip()).values("pk")


def speech_record(turn, speech_order, urls):
    section = turn.section
    article = section.article
    roundtable = article.roundtable
    speaker = turn.speaker
    return {
        "speechID": turn.pk,
        "speechOrder": speech_order,
        "speaker": speaker.person.name if speaker else None,
        "speakerYomi": (speaker.person.reading or None) if speaker else None,
        "speakerLabel": speaker.short_label if speaker else None,
        "speakerPosition": speaker.full_title if speaker else None,
        "speakerOrganisation": _organisation(speaker) if speaker else None,
        "speakerRoles": speaker.role_names if speaker else [],
        "personID": speaker.person_id if speaker else None,
        "speech": plain_text(turn.body_html),
        "speechHTML": turn.body_html,
        "speechURL": f"{urls.part(article)['url']}#{turn.anchor}",
        "section": section.heading or None,
        "subsection": section.subheading or None,
        "part": urls.part(article),
        "roundtable": urls.roundtable(roundtable),
        "forum": urls.forum(roundtable.forum),
        "date": roundtable.held_on,
    }


class _Shared:
    """The part, roundtable and forum of many records built once each (URLs are reversed once)."""

    def __init__(self):
        self._cache = {}

    def _get(self, kind, obj, build):
        key = (kind, obj.pk)
        if key not in self._cache:
            self._cache[key] = build(obj)
        return self._cache[key]

    def part(self, article):
        return self._get("part", article, _part)

    def roundtable(self, roundtable):
        return self._get("roundtable", roundtable, _roundtable)

    def forum(self, forum):
        return self._get("forum", forum, _forum)


def speech_records(turns):
    orders = _speech_orders(turns)
    shared = _Shared()
    return [speech_record(turn, orders[turn.pk], shared) for turn in turns]


# --- roundtables -----------------------------------------------------------------------------


def _listed_appearances():
    return public_appearances().with_title_parts().order_by("order", "pk")


def roundtables(filters):
    queryset = public_roundtables()
    if filters.forum:
        queryset = queryset.filter(forum__slug=filters.forum)
    if filters.roundtable:
        queryset = queryset.filter(number=filters.roundtable)
    queryset = _held_between(queryset, "held_on", filters)
    return (
        queryset.select_related("forum")
        .prefetch_related(
            Prefetch("articles", queryset=public_part_links(), to_attr="public_parts"),
            Prefetch("participants", queryset=_listed_appearances(), to_attr="public_participants"),
        )
        .order_by(F("held_on").asc(nulls_last=True), "forum_id", "number", "pk")
    )


def _participant(participant):
    person = participant.person
    return {
        "personID": person.pk,
        "name": person.name,
        "yomi": person.reading,
        "label": participant.short_label,
        "position": participant.full_title,
        "organisation": _organisation(participant),
        "roles": participant.role_names,
        "personURL": absolute_url(person.get_absolute_url()),
    }


def roundtable_records(rows):
    return [
        {
            **_roundtable(roundtable),
            "forum": _forum(roundtable.forum),
            "parts": [_part(part) for part in roundtable.public_parts],
            "participants": [_participant(p) for p in roundtable.public_participants],
        }
        for roundtable in rows
    ]


# --- people ----------------------------------------------------------------------------------


def people(filters):
    queryset = public_people()
    name = normalise(filters.name).strip()
    if name:
        condition = Q(compact_name__contains="".join(name.split()))
        reading = normalise_reading(name)
        if reading:
            condition |= Q(reading__contains=reading)
        queryset = queryset.alias(compact_name=_compact_name("name")).filter(condition)
    if filters.forum:
        queryset = queryset.filter(
            Exists(public_appearances().filter(person=OuterRef("pk"), roundtable__forum__slug=filters.forum))
        )
    appearances = (
        _listed_appearances()
        .select_related("roundtable", "roundtable__forum")
        .order_by(F("roundtable__held_on").asc(nulls_last=True), "roundtable__number", "pk")
    )
    return queryset.prefetch_related(
        Prefetch("appearances", queryset=appearances, to_attr="public_appearances")
    ).order_by("reading", "name", "pk")


def person_records(rows):
    return [
        {
            "personID": person.pk,
            "name": person.name,
            "yomi": person.reading,
            "url": absolute_url(person.get_absolute_url()),
            "appearances": [
                {
                    "roundtable": _roundtable(appearance.roundtable),
                    "forum": _forum(appearance.roundtable.forum),
                    "label": appearance.short_label,
                    "position": appearance.full_title,
                    "organisation": _organisation(appearance),
                    "roles": appearance.role_names,
                }
                for appearance in person.public_appearances
            ],
        }
        for person in rows
    ]


# --- freshness -------------------------------------------------------------------------------


def last_modified(now=None):
    """When the public data last changed, as far as timestamps tell (one query): the newest
    edit or publication of a public part, or edit of its roundtable, forum or a participant's
    person. The ETag (a hash of the response) catches what no timestamp records."""
    now = now or timezone.now()
    latest = public_parts(now).aggregate(
        latest_edit=Max("updated_at"),
        latest_publication=Max("publish_at"),
        latest_roundtable=Max("roundtable__updated_at"),
        latest_forum=Max("roundtable__forum__updated_at"),
        latest_person=Max("roundtable__participants__person__updated_at"),
    )
    stamps = [stamp for stamp in latest.values() if stamp is not None]
    return min(max(stamps), now) if stamps else None
