"""A part's body, assembled for reading in a constant number of queries.

Used by the part page (articles.views) and the feeds (articles.feed_items), so that both
print speaker labels the same way: the first turn of each speaker in a part carries the
full title and name with (以下「label」), later turns the short label (the convention of
Japanese print, forum.conventions).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from articles.models import Figure, Section, SpeakerTurn
from forum.conventions import reading_order
from participants.models import Participant
from articles.visibility import with_public_flag


@dataclass
class Block:
    kind: str  # "turn" or "figure"
    item: object
    speaker: Participant | None = None
    first_appearance: bool = False
    number: int = 0  # the speaker's nth turn in the part (1, 2, …), which names its permalink


@dataclass
class SectionContent:
    section: Section
    blocks: list = field(default_factory=list)


def load_participants(roundtable_ids):
    """{pk: Participant} of these roundtables, in their printed order (two queries), each
    with .is_public_appearance (articles.visibility decides)."""
    participants = with_public_flag(Participant.objects.filter(roundtable_id__in=roundtable_ids))
    return {participant.pk: participant for participant in participants.with_title_parts()}


def speaking_in(content):
    """The ids of the participants who speak in this content (load_articles_content)."""
    return {block.speaker.pk for entry in content for block in entry.blocks if block.speaker}


def listed_participants(participants, speaking):
    """A part's participants box, in printed order: the public appearances and whoever
    speaks in this part (`speaking`: their ids), so that a part never lists a guest of a part
    not yet public and a preview of a draft still lists its own speakers. `participants`
    come from load_participants."""
    return [p for p in participants if p.is_public_appearance or p.pk in speaking]


def load_articles_content(articles, participants=None):
    """{article pk: [SectionContent]}: sections with turns and figures in order, for one
    part (the page) or many (the feeds), in the same five queries whatever the length.

    `participants` may be passed when the caller loaded them already (load_participants).
    """
    articles = list(articles)
    if not articles:
        return {}
    if participants is None:
        participants = load_participants({article.roundtable_id for article in articles})
    sections = Section.objects.filter(article__in=[article.pk for article in articles]).prefetch_related(
        Prefetch(
            "turns",
            queryset=SpeakerTurn.objects.only(
                "id", "section_id", "position", "speaker_id", "body_html", "display_html", "ruby_html", "fragment"
            ),
        ),
        Prefetch("figures", queryset=Figure.objects.all()),
    )
    content = {article.pk: [] for article in articles}
    seen = {article.pk: {} for article in articles}
    for section in sections:
        content[section.article_id].append(
            SectionContent(section, _blocks(section, participants, seen[section.article_id]))
        )
    return content


def _blocks(section, participants, seen):
    """The section's turns and figures in order; `seen` counts the part's turns so far by speaker."""
    blocks = []
    for is_figure, item in reading_order(section.turns.all(), section.figures.all()):
        if is_figure:
            blocks.append(Block("figure", item))
            continue
        speaker = participants.get(item.speaker_id)
        key = speaker.pk if speaker is not None else None
        seen[key] = number = seen.get(key, 0) + 1
        blocks.append(
            Block("turn", item, speaker=speaker, first_appearance=speaker is not None and number == 1, number=number)
        )
    return blocks
