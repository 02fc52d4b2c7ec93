"""Revisions of a part (django-reversion): what is kept, how to read it, how to restore it.

Every save in the admin keeps a revision of the part with its sections, turns, figures
and credits (Article follows sections and credits; Section follows turns and figures).
Rendered HTML is not kept: it is rendered again from the Markdown on restore, with the
sanitiser of the day. Restoring brings back the content; it never changes whether or when
the part is public, nor its address, roundtable or part number.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import reversion
from django.db import transaction
from django.utils.translation import gettext as _
from reversion.models import Version

from articles.audit import record
from articles.workflow import format_when
from articles.models import Article, AuditAction, Credit, Figure, Section, SpeakerTurn
from articles.search.index import index_article
from participants.models import Participant
from readings.lexicon import lexicon as lexicon_of
from forum.page_cache import content_changed
from articles.renditions import invalidate as invalidate_renditions

# Rendered fields (Markdown, line breaks, ふりがな) are worked out again on restore.
ARTICLE_RENDERED = [
    "lead_html",
    "introduction_html",
    "closing_html",
    "title_html",
    "title_ruby_html",
    "lead_display_html",
]
SECTION_RENDERED = ["heading_html", "heading_ruby_html", "subheading_html", "subheading_ruby_html"]
TURN_RENDERED = ["body_html", "display_html", "ruby_html"]
reversion.register(Article, follow=["sections", "credits"], exclude=ARTICLE_RENDERED)
# Each version stores str(turn), which prints the speaker: follow turns with their speakers.
reversion.register(Section, follow=["turns_with_speakers", "figures"], exclude=SECTION_RENDERED)
reversion.register(SpeakerTurn, exclude=TURN_RENDERED)
reversion.register(Figure)
reversion.register(Credit)

# Fields a restore leaves as they are now.
KEPT_ON_RESTORE = (
    "status",
    "publish_at",
    "slug",
    "roundtable_id",
    "part_number",
    "created_by_id",
    "created_at",
    "edit_version",
    "unpublish_at",
    "correction_of_id",
    "correction_map",
    "correction_base",
    "publication_requested_at",
    "publication_requested_by_id",
)
NOT_CONTENT = (
    set(KEPT_ON_RESTORE) | {"updated_at", "updated_by_id"} | set(ARTICLE_RENDERED + SECTION_RENDERED + TURN_RENDERED)
)


class RestoreRefused(Exception):
    """The revision cannot be restored as it is; the message says why."""


@dataclass
class PartState:
    """A part with its children as plain field dicts (attnames), from a revision or the DB."""

    article: dict
    children: dict = field(default_factory=lambda: defaultdict(list))

    def content(self):
        """Everything a restore would change, in a comparable form."""

        def clean(values):
            return tuple(sorted((k, str(v or "")) for k, v in values.items() if k not in NOT_CONTENT))

        return clean(self.article), {
            model.__name__: sorted(clean(values) for values in rows) for model, rows in self.children.items() if rows
        }


def state_from_revision(revision):
    article, children = None, defaultdict(list)
    for version in revision.version_set.all():
        values = {**version.field_dict, "id": int(version.object_id)}
        if version._model is Article:
            article = values
        else:
            children[version._model].append(values)
    return PartState(article, children)


def state_from_db(article):
    children = defaultdict(list)
    children[Section] = list(Section.objects.filter(article=article).values())
    children[SpeakerTurn] = list(SpeakerTurn.objects.filter(section__article=article).values())
    children[Figure] = list(Figure.objects.filter(section__article=article).values())
    children[Credit] = list(Credit.objects.filter(article=article).values())
    return PartState(Article.objects.filter(pk=article.pk).values().get(), children)


def versions_of(article):
    """The part's versions, newest first, each with its revision and who made it."""
    return Version.objects.get_for_object(article).select_related("revision", "revision__user").order_by("-pk")


def revision_of(article, revision_id):
    version = versions_of(article).filter(revision_id=revision_id).first()
    return version.revision if version else None


def describe(revision):
    return _("%(when)sの版") % {"when": format_when(revision.date_created, seconds=True)}


def _check_speakers(article, state):
    speaker_ids = {turn["speaker_id"] for turn in state.children[SpeakerTurn] if turn["speaker_id"]}
    present = set(
        Participant.objects.filter(pk__in=speaker_ids, roundtable_id=article.roundtable_id).values_list("pk", flat=True)
    )
    if speaker_ids - present:
        raise RestoreRefused(
            _(
                "この版の発言者のうち%(count)d人が、今はこの座談会の参加者にいません。"
                "座談会の参加者を戻してから、もう一度お試しください。"
            )
            % {"count": len(speaker_ids - present)}
        )


def restore(article, revision, user):
    """Bring the part back to `revision`, keeping the state before it as a revision too."""
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        target = state_from_revision(revision)
        _check_speakers(current, target)
        latest = versions_of(current).first()
        if latest is None or state_from_revision(latest.revision).content() != state_from_db(current).content():
            with reversion.create_revision():
                reversion.add_to_revision(current)
                reversion.set_user(user)
                reversion.set_comment(_("戻す前の状態(自動で保存)"))
        kept = {name: getattr(current, name) for name in KEPT_ON_RESTORE}
        with reversion.create_revision():
            revision.revert(delete=True)
            restored = Article.objects.get(pk=current.pk)
            for name, value in kept.items():
                setattr(restored, name, value)
            restored.edit_version = kept["edit_version"] + 1
            restored.updated_by = user
            restored.save()  # renders lead, introduction and closing again
            lexicon = lexicon_of(restored.roundtable_id)
            sections = list(Section.objects.filter(article=restored))
            for section in sections:
                section.render(lexicon)
            Section.objects.bulk_update(sections, SECTION_RENDERED, batch_size=500)
            turns = list(SpeakerTurn.objects.filter(section__article=restored))
            for turn in turns:
                turn.render(lexicon)
            SpeakerTurn.objects.bulk_update(turns, TURN_RENDERED, batch_size=500)
            index_article(restored)  # reverting saves raw rows, which the index signals skip
            invalidate_renditions([restored.pk])
            content_changed()  # bulk_update sends no post_save
            reversion.set_user(user)
            reversion.set_comment(_("%(revision)sに戻しました") % {"revision": describe(revision)})
        record(restored, AuditAction.RESTORED, user, note=describe(revision))
    return restored


def keep_imported(article, user=None, comment=None):
    """A part imported from a transcript (in the admin, by import_transcript or load_demo) starts
    its history: a first revision and a 作成 record."""
    with reversion.create_revision():
        reversion.add_to_revision(article)
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment or _("原稿から取り込みました"))
    record(article, AuditAction.CREATED, user, note=comment or _("原稿から取り込み"))
