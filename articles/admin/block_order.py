"""One order per section for turns and figures together, as the editor left it.

A section's turns and figures share one sequence of positions (1, 2, 3 … across both
kinds), so 画像1 stands between the turns it was placed between. The admin edits the two
kinds in two lists; whatever it submits, this module settles the section into one
sequence again after a save:

- what the editor did not move keeps its place relative to everything else that did not
  move (a save that moves nothing changes no position);
- what the editor moved (its 順番 changed) goes to the number it was given, among the
  numbers shown: moved up to N, it goes before the item that had N; moved down to N,
  after it; the others close up around it;
- a new turn or figure whose position was left at 0 goes to the end of its section.

The admin's script (articles/static/articles/block-order.js) already submits a whole,
consistent sequence when the editor moves something with the buttons, by dragging or by
typing; this rule is what makes a typed number work without the script too.
"""

from dataclasses import dataclass

import reversion

from articles.models import Credit, Figure, Section, SpeakerTurn
from forum.page_cache import content_changed
from articles.renditions import invalidate as invalidate_renditions

KINDS = (SpeakerTurn, Figure)


@dataclass
class Block:
    obj: object
    before: int | None  # its position before the save; None when it is new

    @property
    def sort_key(self):
        position = self.obj.position
        if self.before is None:
            rank = 0
            if position == 0:
                position = float("inf")  # new and not placed: at the end
        elif position == self.before:
            rank = 1
        else:
            rank = 0 if position < self.before else 2  # moved up: before; moved down: after
        # A tie between a turn and a figure puts the turn first, as the public page does.
        return position, rank, not isinstance(self.obj, SpeakerTurn), self.obj.pk


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
    return sorted(blocks, key=lambda block: block.sort_key)


def settle(article, before):
    """Renumber 1…n each section of `article` in which something moved or was added;
    `before` is its snapshot() from before the save.

    Returns the turns and figures whose position changed (already saved).
    """
    by_section = {}
    for model in KINDS:
        for obj in model.objects.filter(section__article=article).only("pk", "position", "section_id"):
            block = Block(obj, before.get((model, obj.pk)))
            by_section.setdefault(obj.section_id, []).append(block)
    changed = {model: [] for model in KINDS}
    for blocks in by_section.values():
        if all(block.before == block.obj.position for block in blocks):
            continue  # nothing moved or added here: leave the numbers as they are
        for position, block in enumerate(settled(blocks), start=1):
            if block.obj.position != position:
                block.obj.position = position
                changed[type(block.obj)].append(block.obj)
    for model, objs in changed.items():
        if objs:
            model.objects.bulk_update(objs, ["position"])
    if any(changed.values()):
        invalidate_renditions(
            Section.objects.filter(pk__in={obj.section_id for objs in changed.values() for obj in objs}).values(
                "article_id"
            )
        )
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


# == Rows the admin's own sorting renumbers (sections, credits) ==

ROW_KINDS = {Section: "article", Credit: "article"}


def row_ranks(article):
    """{(model, pk): rank} of the part's sections and of its credits (0, 1, 2 … in their order)."""
    if article.pk is None:
        return {}
    ranks = {}
    for model in ROW_KINDS:
        pks = model.objects.filter(article=article).order_by("position", "pk").values_list("pk", flat=True)
        ranks.update({(model, pk): rank for rank, pk in enumerate(pks)})
    return ranks


def drop_unmoved_positions(article, formsets, before):
    """Take 順番 out of the changed fields of each row whose place among its kind did not change
    (its number may have: nested_admin numbers from 0), and rows left with no change at all."""
    after = row_ranks(article)
    for formset in formsets:
        changed = getattr(formset, "changed_objects", None)
        if not changed:
            continue
        kept = []
        for obj, fields in changed:
            key = (type(obj), obj.pk)
            if "position" in fields and key in before and before[key] == after.get(key):
                fields = [name for name in fields if name != "position"]
            if fields:
                kept.append((obj, fields))
        formset.changed_objects = kept
