"""One order per section for turns and figures together, as the editor left it.

A section's turns and figures share one sequence of positions (1, 2, 3 … across both
kinds), so 画像1 stands between the turns it was placed between. The admin edits the two
kinds in two lists; whatever it submits, this module settles the section into one
sequence again after a save:

- what the editor did not move keeps its place relative to everything else that did not
  move (a save that moves nothing changes no position);
- what the editor moved (its 順番 changed) takes the place it was given: position N makes it
  the Nth item of the section, and the others close up around it;
- a new turn or figure whose position was left at 0 goes to the end of its section.

The admin's script (articles/static/articles/block-order.js) already submits a whole,
consistent sequence when the editor moves something with the buttons, by dragging or by
typing; this rule is what makes a typed number work without the script too.
"""
from dataclasses import dataclass

import reversion

from articles.models import Figure, SpeakerTurn
from forum.page_cache import content_changed

KINDS = (SpeakerTurn, Figure)


@dataclass
class Block:
    obj: object
    moved: bool  # its position differs from the one stored before the save
    new: bool  # it did not exist before the save

    @property
    def sort_key(self):
        # A tie between a turn and a figure puts the turn first, as the public page does.
        return self.obj.position, not isinstance(self.obj, SpeakerTurn), self.obj.pk


def snapshot(article):
    """{(model, pk): position} of the part's turns and figures as stored before a save."""
    if article.pk is None:
        return {}
    return {
        (model, pk): position
        for model in KINDS
        for pk, position in model.objects.filter(section__article=article).values_list("pk", "position")
    }


def settled(blocks):
    """The blocks in their settled order (see the module docstring)."""
    order = sorted((b for b in blocks if not b.moved), key=lambda b: b.sort_key)
    moved = [b for b in blocks if b.moved]
    at_end = [b for b in moved if b.obj.position == 0 and b.new]
    placed = sorted((b for b in moved if b not in at_end), key=lambda b: b.sort_key)
    for block in placed:
        index = min(max(block.obj.position - 1, 0), len(order))
        order.insert(index, block)
    return order + sorted(at_end, key=lambda b: b.obj.pk)


def settle(article, before):
    """Renumber each section of `article` 1…n; `before` is its snapshot() from before the save.

    Returns the turns and figures whose position changed (already saved).
    """
    by_section = {}
    for model in KINDS:
        for obj in model.objects.filter(section__article=article).only("pk", "position", "section_id"):
            key = (model, obj.pk)
            block = Block(obj, moved=before.get(key) != obj.position, new=key not in before)
            by_section.setdefault(obj.section_id, []).append(block)
    changed = {model: [] for model in KINDS}
    for blocks in by_section.values():
        for position, block in enumerate(settled(blocks), start=1):
            if block.obj.position != position:
                block.obj.position = position
                changed[type(block.obj)].append(block.obj)
    for model, objs in changed.items():
        if objs:
            model.objects.bulk_update(objs, ["position"])
    if any(changed.values()):
        content_changed()  # bulk_update sends no post_save
    if reversion.is_active():
        # bulk_update sends no post_save: keep the revision's copy of each moved row current.
        for model, objs in changed.items():
            if objs:
                fresh = model.objects.filter(pk__in=[obj.pk for obj in objs])
                if model is SpeakerTurn:
                    fresh = fresh.select_related("speaker__person")
                for obj in fresh:
                    reversion.add_to_revision(obj)
    return [obj for objs in changed.values() for obj in objs]
