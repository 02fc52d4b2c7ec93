"""Saving a parsed transcript (articles.transcript's dict shape) as structured data.

All-or-nothing: everything is written in one transaction. People, organisations and
roles are matched to existing rows by name, so importing never duplicates them.
"""
import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Article, Credit, Figure, Section, SpeakerTurn
from forum.models import Roundtable
from participants.models import Organisation, Participant, Person, Role
from participants.text import normalise_name


class ImportConflict(Exception):
    """The part already exists; importing it again would make a second copy."""

    def __init__(self, article):
        self.article = article
        super().__init__(
            _("第%(number)s回のパート%(part)sは既に登録されています(%(title)s)。")
            % {"number": article.roundtable.number, "part": article.part_number, "title": article.title}
        )


def default_slug(forum, roundtable_number, part_number):
    return f"{forum.slug}-{roundtable_number}-part{part_number}"


def find_organisation(name):
    """Match 東京都 and its short form 都 to one organisation; create unknown ones."""
    if not name:
        return None
    match = Organisation.objects.filter(name=name).first() or Organisation.objects.filter(short_name=name).first()
    return match or Organisation.objects.create(name=name)


def find_role(abbreviation, order_hint):
    role = Role.objects.filter(abbreviation=abbreviation).first()
    return role or Role.objects.create(abbreviation=abbreviation, sort_order=100 + order_hint)


def find_person(name):
    name = normalise_name(name)
    return Person.objects.filter(name=name).first() or Person.objects.create(name=name)


@transaction.atomic
def save_transcript(data, forum, *, roundtable_number=None, user=None, slug=None, status=None, publish_at=None):
    """Create the roundtable (if new), its participants, and the part with its body.

    Raises ImportConflict when the same part of the same roundtable already exists.
    """
    rt = data["roundtable"]
    number = roundtable_number or rt.get("number")
    if not number:
        raise ValueError(_("座談会の回(第N回)が分かりません。回を指定してください。"))
    held_on = datetime.date.fromisoformat(rt["held_on"]) if rt.get("held_on") else None
    roundtable, created = Roundtable.objects.get_or_create(
        forum=forum, number=number,
        defaults={
            "title": rt.get("title") or data["title"],
            "held_on": held_on,
            "honorifics_omitted": data.get("honorifics_omitted", False),
        },
    )
    part_number = (data.get("part") or {}).get("number") or 1
    existing = Article.objects.filter(roundtable=roundtable, part_number=part_number).first()
    if existing:
        raise ImportConflict(existing)

    speakers = _save_participants(roundtable, data.get("participants", []))
    article = Article(
        roundtable=roundtable,
        part_number=part_number,
        title=data["title"],
        slug=slug or default_slug(forum, number, part_number),
        lead=data.get("lead", ""),
        introduction=data.get("introduction", ""),
        closing=data.get("closing", ""),
        created_by=user,
        updated_by=user,
    )
    if status:
        article.status = status
    if publish_at:
        article.publish_at = publish_at
    article.full_clean(exclude=["roundtable"])
    article.save()
    _save_body(article, data.get("sections", []), speakers)
    for position, credit in enumerate(data.get("credits", []), start=1):
        Credit.objects.create(
            article=article, position=position, role=credit["role"], name=credit["name"],
            affiliation=credit.get("affiliation") or "",
        )
    return article


def _save_participants(roundtable, participants):
    """Return {label: Participant}, reusing participants the roundtable already has."""
    existing = {p.label: p for p in Participant.objects.filter(roundtable=roundtable).select_related("person")}
    speakers = dict(existing)
    next_order = len(existing)
    for index, entry in enumerate(participants):
        label = entry["label"]
        if label in speakers:
            continue
        next_order += 1
        organisation = find_organisation(entry.get("organisation"))
        printed = entry.get("organisation") or ""
        participant = Participant.objects.create(
            roundtable=roundtable,
            person=find_person(entry["name"]),
            organisation=organisation,
            # Keep the printed form only where it differs from the organisation's own.
            organisation_label=(
                "" if organisation is None or printed == (organisation.short_name or organisation.name)
                else printed
            ),
            posts=list(entry.get("posts") or []),
            label=label,
            label_title=entry.get("label_title") or "",
            order=next_order,
        )
        participant.roles.set([find_role(role, i) for i, role in enumerate(entry.get("roles") or [])])
        speakers[label] = participant
    return speakers


def _save_body(article, sections, speakers):
    turns, figures = [], []
    for section_position, entry in enumerate(sections, start=1):
        section = Section.objects.create(
            article=article, position=section_position,
            heading=entry.get("heading") or "", subheading=entry.get("subheading") or "",
        )
        for position, block in enumerate(entry.get("blocks", []), start=1):
            if block["type"] == "figure":
                figures.append(Figure(section=section, position=position, reference=block["ref"]))
                continue
            label = block.get("speaker")
            if label and label not in speakers:
                raise ValueError(_("発言者「%(label)s」が参加者にいません。") % {"label": label})
            turn = SpeakerTurn(
                section=section, position=position,
                speaker=speakers[label] if label else None, body=block["text"],
            )
            turn.render()
            turns.append(turn)
    SpeakerTurn.objects.bulk_create(turns)
    Figure.objects.bulk_create(figures)
