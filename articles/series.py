"""Where a part stands in its roundtable, as Japanese readers know it.

「※この記事は全2回の後半です。前半はこちら」 for two parts (前半/後半), 全N回の第k回 for more,
worded by forum.conventions like the exported text. The total is derived from the public
parts (the highest published part number); an editor may announce more with the
roundtable's 全パート数 (part_count) before the later parts are public, and the note then says
which are not online yet (前半はまだ掲載されていません。). A draft or
scheduled part never changes the note. Links go only to parts the public may see.
"""

from dataclasses import dataclass, field

from django.db.models import Max

from articles.models import Article
from articles.visibility import public_parts
from forum.conventions import link_text, not_online_text, part_name, part_note_text


@dataclass
class PartLink:
    name: str
    article: Article
    text: str  # 前半はこちら

    @property
    def label(self):
        """The link's accessible name: its printed words, then the part it opens, so that
        「前半はこちら」 says where it goes out of context too (a screen reader's list of links)."""
        return f"{self.text}({self.article.title})"


@dataclass
class PartNote:
    total: int
    number: int
    name: str  # this part's name: 後半, 第2回
    links: list  # PartLink to the other public parts, in order
    missing: list = field(default_factory=list)  # numbers of the other parts not public (yet)

    @property
    def text(self):
        return part_note_text(self.number, self.total)

    @property
    def not_online(self):
        """前半はまだ掲載されていません。 when a part of the roundtable is not on the site."""
        return not_online_text(self.missing, self.total)


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
    online = {part.part_number for part in public_parts}
    missing = [number for number in range(1, total + 1) if number != article.part_number and number not in online]
    return PartNote(total, article.part_number, part_name(article.part_number, total), links, missing)
