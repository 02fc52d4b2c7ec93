"""A part (or a whole roundtable) back out of the database, as text, Markdown or JSON.

``export_part`` builds the same dict that ``parse_transcript(...).to_dict()`` gives, so the
transcript module's renderers serve both directions and importing an export gives the
part back. A fixed handful of queries however long the part is.
"""

import json

from django.db.models import Prefetch

from articles.models import Article, Credit, Section, SpeakerTurn
from articles.transcript import is_figure_reference, render_markdown_export, render_text
from articles.transcript.words import ANONYMOUS_ROLES
from forum.conventions import reading_order
from forum.web.seo import absolute_url
from participants.models import Participant

HEADER_FIGURE = "見出し画像"


def _participant_dict(participant):
    return {
        "name": participant.person.name,
        "title": participant.full_title,
        "organisation": participant.organisation_prefix or None,
        "posts": list(participant.posts or []),
        "roles": participant.role_names,
        "label": participant.short_label,
        "label_title": participant.label_title or None,
    }


def _image(field_file, alt, caption=""):
    """What the Markdown export shows of an image: its absolute URL, alt text and caption."""
    return {"url": absolute_url(field_file.url) if field_file else None, "alt": alt, "caption": caption}


def _sections(article, images=False):
    figure_count = 0
    result = []
    for section in article.export_sections:
        blocks = []
        for is_figure, item in reading_order(section.turns.all(), section.figures.all()):
            if not is_figure:
                speaker = item.speaker.short_label if item.speaker_id else None
                blocks.append({"type": "turn", "speaker": speaker, "text": item.body, "anchor": item.anchor})
            else:
                figure_count += 1
                # A reference the text form cannot carry (empty, 集合写真) becomes 画像N.
                ref = item.reference if is_figure_reference(item.reference) else f"画像{figure_count}"
                blocks.append({"type": "figure", "ref": ref})
                if images:
                    blocks[-1]["image"] = _image(item.image, item.alt_text, item.caption)
        result.append({"heading": section.heading or None, "subheading": section.subheading or None, "blocks": blocks})
    return result


def _with_export_data(queryset):
    """Everything a part's export needs, fetched once for all the parts in ``queryset``."""
    return queryset.select_related("roundtable", "roundtable__forum").prefetch_related(
        Prefetch(
            "roundtable__participants",
            to_attr="export_participants",
            queryset=Participant.objects.with_title_parts().order_by("order", "pk"),
        ),
        Prefetch(
            "sections",
            to_attr="export_sections",
            queryset=Section.objects.order_by("position", "pk").prefetch_related(
                Prefetch("turns", queryset=SpeakerTurn.objects.select_related("speaker__person")), "figures"
            ),
        ),
        Prefetch("credits", to_attr="export_credits", queryset=Credit.objects.order_by("position", "pk")),
    )


def _is_role(participant):
    """An anonymous role label saved as a participant (委員, 事務局): a speaker, not a person."""
    return participant.person.name == participant.label and participant.label in ANONYMOUS_ROLES


def _part_dict(article, images=False):
    roundtable = article.roundtable
    return {
        "title": article.title,
        "roundtable": {
            "number": roundtable.number,
            "held_on": roundtable.held_on.isoformat() if roundtable.held_on else None,
            "title": roundtable.title,
        }
        | ({"number_hidden": True} if roundtable.number_hidden else {}),
        "part": {"number": article.part_number, "of": roundtable.part_count},
        "honorifics_omitted": roundtable.honorifics_omitted,
        "participants": [_participant_dict(p) for p in roundtable.export_participants if not _is_role(p)],
        "sections": _sections(article, images),
        "credits": [
            {"role": credit.role, "name": credit.name, "affiliation": credit.affiliation or None}
            for credit in article.export_credits
        ],
        "warnings": [],
        "kind": roundtable.get_format_display(),
        "speakers": [_participant_dict(p) for p in roundtable.export_participants if _is_role(p)],
        "uncertain": [],
        "lead": article.lead,
        "introduction": article.introduction,
        "closing": article.closing,
        "header_figure": HEADER_FIGURE if article.header_image else None,
    } | ({"header_image": _image(article.header_image, article.header_image_alt)} if images else {})


def export_parts(queryset, images=False):
    """The parts of ``queryset`` (in its order) as transcript dicts, in a fixed number of
    queries however many parts and turns there are. With ``images`` each figure block, and
    the part as ``header_image``, also carries its image's URL, alt text and caption."""
    return [_part_dict(article, images) for article in _with_export_data(queryset)]


def export_part(article, images=False):
    """The part as a transcript dict (the documented JSON shape plus lead, closing …)."""
    return export_parts(Article.objects.filter(pk=article.pk), images)[0]


def export_roundtable(roundtable):
    """A whole roundtable: its forum, its own fields and every part (drafts included)."""
    return {
        "forum": {"name": roundtable.forum.name, "slug": roundtable.forum.slug},
        "roundtable": {
            "number": roundtable.number,
            "held_on": roundtable.held_on.isoformat() if roundtable.held_on else None,
            "title": roundtable.title,
            "format": roundtable.format,
            "part_count": roundtable.part_count,
            "honorifics_omitted": roundtable.honorifics_omitted,
        }
        | ({"number_hidden": True} if roundtable.number_hidden else {}),
        "parts": export_parts(Article.objects.originals().filter(roundtable=roundtable).order_by("part_number")),
    }


def as_json(data):
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


FORMATS = {
    # name: (file extension, content type, renderer of an export_part dict)
    "text": ("txt", "text/plain; charset=utf-8", render_text),
    "markdown": ("md", "text/markdown; charset=utf-8", render_markdown_export),
    "json": ("json", "application/json", as_json),
}


def render_part(article, fmt):
    """The part in one of FORMATS, as a string (Markdown shows the figures' images)."""
    return FORMATS[fmt][2](export_part(article, images=fmt == "markdown"))
