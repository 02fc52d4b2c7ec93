"""Put back figures that earlier admin saves moved among the turns of their section.

Before the order fix, every save in the admin renumbered a section's turns 0, 1, 2 … and
its figures 0, 1, 2 … separately, so 画像1 came to share a position with a turn (the tell-
tale sign) and showed after the wrong turn. Where the part's history holds a version of
the section without that sign, this command puts each figure back after the turn it
followed there (the turns keep their present order). Sections it cannot tell about are
listed and left alone; the demo part can instead be loaded again with `load_demo`.

    python manage.py repair_block_order            # repair and report
    python manage.py repair_block_order --dry-run  # report only
"""

import reversion
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, Figure, Section, SpeakerTurn
from articles.versioning import state_from_revision, versions_of
from forum.page_cache import content_changed
from articles.renditions import invalidate as invalidate_renditions


def is_scrambled(turn_positions, figure_positions):
    """A figure shares its position with a turn: the sign of the old renumbering."""
    return bool(set(turn_positions) & set(figure_positions))


def anchors_from_history(article, section_id):
    """{figure id: id of the turn it followed (None: first)} from the newest version of the
    section that does not bear the sign, or None when no version can tell."""
    for version in versions_of(article):
        state = state_from_revision(version.revision)
        turns = [t for t in state.children[SpeakerTurn] if t["section_id"] == section_id]
        figures = [f for f in state.children[Figure] if f["section_id"] == section_id]
        if not figures or is_scrambled([t["position"] for t in turns], [f["position"] for f in figures]):
            continue
        anchors = {}
        for figure in figures:
            before = [t for t in turns if t["position"] < figure["position"]]
            anchors[figure["id"]] = max(before, key=lambda t: (t["position"], t["id"]))["id"] if before else None
        return anchors
    return None


def repaired_order(turns, figures, anchors):
    """The section's blocks with each figure after its anchor turn; None if an anchor is gone."""
    turn_ids = {turn.pk for turn in turns}
    if any(
        figure.pk not in anchors or (anchors[figure.pk] is not None and anchors[figure.pk] not in turn_ids)
        for figure in figures
    ):
        return None
    order = [figure for figure in figures if anchors[figure.pk] is None]
    for turn in turns:
        order.append(turn)
        order += [figure for figure in figures if anchors[figure.pk] == turn.pk]
    return order


class Command(BaseCommand):
    help = "管理画面の保存で位置がずれた画像を、履歴をもとに元の発言の後ろへ戻します。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="直さずに、ずれている見出しを表示するだけにする")

    def handle(self, *args, dry_run=False, **options):
        repaired = unresolved = 0
        for section in Section.objects.select_related("article").order_by("article_id", "position", "pk"):
            turns = list(section.turns.order_by("position", "pk"))
            figures = list(section.figures.order_by("position", "pk"))
            if not figures or not is_scrambled([t.position for t in turns], [f.position for f in figures]):
                continue
            where = f"「{section.article.title}」(slug {section.article.slug}) 見出し「{section}」"
            anchors = anchors_from_history(section.article, section.pk)
            order = repaired_order(turns, figures, anchors) if anchors is not None else None
            if order is None:
                unresolved += 1
                self.stdout.write(
                    f"{where}: 履歴から元の位置が分からないため、そのままにしました。管理画面で確かめてください。"
                )
                continue
            repaired += 1
            self.stdout.write(f"{where}: " + ("直せます" if dry_run else "画像の位置を元に戻しました"))
            if not dry_run:
                self._apply(section.article, order)
        self.stdout.write(
            f"修復{'できる' if dry_run else 'した'}見出し: {repaired}件、そのままの見出し: {unresolved}件"
        )

    def _apply(self, article, order):
        with transaction.atomic(), reversion.create_revision():
            for position, obj in enumerate(order, start=1):
                if obj.position != position:
                    obj.position = position
                    type(obj).objects.filter(pk=obj.pk).update(position=position)
            invalidate_renditions([article.pk])
            content_changed()  # update() sends no post_save
            reversion.add_to_revision(Article.objects.get(pk=article.pk))
            reversion.set_comment("画像の位置を修復しました(repair_block_order)")
