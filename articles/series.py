"""Where a part stands in its roundtable, as Japanese readers know it.

「※この記事は全2回の後半です。前半はこちら」 for two parts (前半/後半), 全N回の第k回 for more,
worded by forum.conventions like the exported text. The total is derived from the public
parts (the highest published part number); an editor may announce more with the
roundtable's 全パート数 (part_count) before the later parts are public. A draft or
scheduled part never changes the note. Links go only to parts the public may see.
"""

from dataclasses import dataclass

from django.db.models import Max

from articles.models import Article
from articles.visibility import public_parts
from forum.conventions import link_text, part_name, part_note_text


@dataclass
class PartLink:
    name: str
    article: Article
    text: str  # 前半はこちら


@dataclass
class PartNote:
    total: int
    number: int
    name: str  # this part's name: 後半, 第2回
    links: list  # PartLink to the other public parts, in order

    @property
    def text(self):
        return part_note_text(self.number, self.total)


def total_parts(article):
    """How many parts the roundtable has: the highest public part number (this part's at
    least), or the announced 全パート数 when that is larger (one query)."""
    highest = public_parts().filter(roundtable_id=article.roundtable_id).aggregate(Max("part_number"))
    announced = article.roundtable.part_count or 0
    return max(highest["part_number__max"] or 1, article.part_number, announced)


def part_note(article, public_parts, total):
    """The note for `article`, or None when the roundtable has a single part."""
    if total < 2:
        return None
    links = [
        PartLink(part_name(part.part_number, total), part, link_text(part.part_number, total))
        for part in public_parts
        if part.pk != article.pk
    ]
    return PartNote(total, article.part_number, part_name(article.part_number, total), links)
