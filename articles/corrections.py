"""Corrections of a live part, and asking a publisher for publication (公開を依頼).

A correction draft (修正版) is an Article of its own, linked to the live part
(Article.correction_of, one at a time): a copy of the live part's text, sections, turns,
figures and credits, edited on the same admin page as any draft, by editors too. The
live part and its rows are not touched, so the public keeps reading the live version.
The draft is never public (it stays 下書き; its address, roundtable, part number and
publication fields are the live part's business, not its own).

When a publisher publishes the correction (publish_correction, through
articles.workflow.before_publish like every publication), its content is written into the
live part's own rows: a row copied from a live row updates that row (same id, so turn
anchors and permalinks hold), a new row is added, a live row whose copy was deleted is
deleted. The live part keeps its id, slug, URL, status and publish times; the change gets
a revision in the live part's history and a 修正を公開 record in its audit trail, and
the draft is removed.

Any draft, a new part or a correction, can be sent to the publishers (request_publication):
a 公開を依頼 record, one e-mail to the publishers (Django's mail settings), and the
request stays listed for publishers (the part list's 公開の依頼 filter) until published.
"""

import hashlib
import secrets

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import workflow
from articles.audit import display_name, record
from articles.models import Article, ArticleStatus, AuditAction, Credit, Figure, Section, SpeakerTurn
from articles.search.index import index_article
from articles.versioning import state_from_db
from forum.page_cache import batch, content_changed
from articles.renditions import invalidate as invalidate_renditions

# What stays the live part's own when a correction is published: its identity, place,
# publication and bookkeeping. Every other field (the text, the header image, fields added
# later) is content, copied into the correction and back.
KEPT_ARTICLE_FIELDS = frozenset(
    {
        "id",
        "roundtable_id",
        "part_number",
        "slug",
        "status",
        "publish_at",
        "unpublish_at",
        "created_at",
        "created_by_id",
        "updated_at",
        "updated_by_id",
        "edit_version",
        "correction_of_id",
        "correction_map",
        "correction_base",
        "publication_requested_at",
        "publication_requested_by_id",
    }
)


def article_fields():
    return [field.attname for field in Article._meta.concrete_fields if field.attname not in KEPT_ARTICLE_FIELDS]


class Child:
    """How one kind of row is copied: its parent (the part, or a section) and its fields
    (all but the id and the parent: a field added later is copied too)."""

    def __init__(self, model, parent):
        self.model, self.parent = model, parent

    @property
    def fields(self):
        return [
            field.attname
            for field in self.model._meta.concrete_fields
            if not field.primary_key and field.attname != self.parent
        ]

    def rows(self, article):
        key = "article" if self.parent == "article_id" else "section__article"
        return self.model.objects.filter(**{key: article}).order_by("pk")


CHILDREN = (
    Child(Section, "article_id"),
    Child(SpeakerTurn, "section_id"),
    Child(Figure, "section_id"),
    Child(Credit, "article_id"),
)


class CorrectionRefused(Exception):
    """The correction cannot be published as it is; the message says why."""


def fingerprint(article):
    """The live part's content (text and rows) as a short digest."""
    return hashlib.sha256(repr(state_from_db(article).content()).encode()).hexdigest()


def _copy_rows(source, target):
    """Copy source's rows to target; returns {model name: {copy id: source id}}."""
    mapping, sections = {}, {}
    for child in CHILDREN:
        originals = list(child.rows(source))
        copies = []
        for row in originals:
            copy = child.model(**{name: getattr(row, name) for name in child.fields})
            setattr(copy, child.parent, target.pk if child.parent == "article_id" else sections[row.section_id])
            copies.append(copy)
        child.model.objects.bulk_create(copies, batch_size=500)
        mapping[child.model.__name__] = {str(copy.pk): row.pk for copy, row in zip(copies, originals)}
        if child.model is Section:
            sections = {row.pk: copy.pk for copy, row in zip(copies, originals)}
    return mapping


def start_correction(live, user):
    """The correction draft of a published part: the pending one, or a new copy of the live part."""
    if live.status != ArticleStatus.PUBLISHED or live.correction_of_id is not None:
        raise PermissionDenied(_("修正版を作れるのは、公開中・公開予約中の記事だけです。"))
    if not user.has_perm("articles.add_article"):
        raise PermissionDenied
    with transaction.atomic(), batch():
        live = Article.objects.select_for_update().get(pk=live.pk)
        pending = Article.objects.filter(correction_of=live).first()
        if pending is not None:
            return pending, False
        draft = Article(
            roundtable_id=live.roundtable_id,
            part_number=live.part_number,
            slug=f"correction-{live.pk}-{secrets.token_hex(4)}",
            status=ArticleStatus.DRAFT,
            correction_of=live,
            correction_base=fingerprint(live),
            created_by=user,
            updated_by=user,
            **{name: getattr(live, name) for name in article_fields()},
        )
        draft.save()
        draft.correction_map = _copy_rows(live, draft)
        draft.save(update_fields=["correction_map"])
        with reversion.create_revision():
            reversion.add_to_revision(draft)
            reversion.set_user(user)
            reversion.set_comment(_("公開中の記事から修正版を作成しました"))
        note = _("修正版を作成しました(公開中の記事はそのままです)")
        record(live, AuditAction.CORRECTION_STARTED, user, note=note)
        record(draft, AuditAction.CREATED, user, note=_("公開中の記事「%(title)s」の修正版") % {"title": live.title})
    return draft, True


def _apply_rows(draft, live):
    """Write the draft's rows into the live part's rows (see the module's docstring)."""
    mapping = draft.correction_map or {}
    sections = {}  # draft section id → live section id
    for child in CHILDREN:
        copied = {int(copy): original for copy, original in mapping.get(child.model.__name__, {}).items()}
        live_ids = set(child.rows(live).values_list("pk", flat=True))
        updates, creates, kept = [], [], set()
        for row in child.rows(draft):
            values = {name: getattr(row, name) for name in child.fields}
            values[child.parent] = live.pk if child.parent == "article_id" else sections[row.section_id]
            original = copied.get(row.pk)
            if original in live_ids and original not in kept:
                kept.add(original)
                updates.append(child.model(pk=original, **values))
                target = updates[-1]
            else:
                creates.append(child.model(**values))
                target = creates[-1]
            if child.model is Section:
                sections[row.pk] = target
        if updates:
            child.model.objects.bulk_update(updates, [*child.fields, child.parent], batch_size=500)
        child.model.objects.bulk_create(creates, batch_size=500)
        if child.model is Section:
            sections = {copy: target.pk for copy, target in sections.items()}
        removed = live_ids - kept
        if removed and child.model is not Section:
            child.model.objects.filter(pk__in=removed).delete()
        if child.model is Section:
            removed_sections = removed
    # Sections last: their turns and figures have moved or gone by now.
    Section.objects.filter(pk__in=removed_sections).delete()


def publish_correction(draft, user, reason=""):
    """Publish a correction draft: its content replaces the live part's (a publisher only).

    The one path of a correction to the public, through workflow.before_publish.
    Returns the live part.
    """
    if draft.correction_of_id is None:
        raise PermissionDenied(_("これは修正版ではありません。"))
    workflow.before_publish(draft, user)
    # What goes public is the draft's content: it passes the accessibility gate like any part.
    workflow.accessibility_gate(draft, user, reason, recorded_on=draft.correction_of)
    with transaction.atomic(), batch():
        live = Article.objects.select_for_update().get(pk=draft.correction_of_id)
        draft = Article.objects.select_for_update().get(pk=draft.pk)
        if draft.correction_base and fingerprint(live) != draft.correction_base:
            raise CorrectionRefused(
                _(
                    "この修正版を作ったあとで、公開中の記事そのものが変更されました。"
                    "このまま公開するとその変更が消えるため、公開しませんでした。"
                    "修正版を削除して作り直すか、公開中の記事の変更を修正版にも入れてから、"
                    "修正版を作り直してください。"
                )
            )
        requester = draft.publication_requested_by
        for name in article_fields():
            setattr(live, name, getattr(draft, name))
        live.updated_by = user
        live.edit_version = F("edit_version") + 1  # forms opened on the live part are stale now
        live.save()
        live.refresh_from_db()
        _apply_rows(draft, live)
        # The revision is taken after the rows are written (inside the block, a save would
        # have kept the rows as they were before).
        with reversion.create_revision():
            reversion.add_to_revision(live)
            reversion.set_user(user)
            reversion.set_comment(_("修正版を公開しました"))
        note = _("修正版を公開しました")
        if requester is not None:
            note += _("(%(name)sさんの依頼)") % {"name": display_name(requester)}
        record(live, AuditAction.CORRECTION_PUBLISHED, user, note=note)
        draft.delete()
        index_article(live)
        invalidate_renditions([live.pk])
        content_changed()  # bulk updates send no signals
    return live


def record_discarded(draft, user):
    """A correction draft deleted unpublished: noted in the live part's audit trail."""
    if draft.correction_of_id is not None:
        record(draft.correction_of, AuditAction.CORRECTION_DISCARDED, user, note=_("修正版を公開せずに削除しました"))


# Asking for publication


def publishers():
    """Active users who may publish and have an e-mail address."""
    permission = Permission.objects.get(codename="publish_article", content_type__app_label="articles")
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(
        Q(is_superuser=True) | Q(user_permissions=permission) | Q(groups__permissions=permission)
    ).distinct()


def pending_requests():
    """Drafts waiting for a publisher, oldest request first."""
    return Article.objects.filter(publication_requested_at__isnull=False, status=ArticleStatus.DRAFT).order_by(
        "publication_requested_at"
    )


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def request_publication(article, user, message=""):
    """Ask the publishers to publish a draft (a new part or a correction). Returns the number
    of publishers e-mailed (one message for all of them)."""
    if article.status != ArticleStatus.DRAFT:
        raise PermissionDenied(_("公開を依頼できるのは下書き(修正版を含む)だけです。"))
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(publication_requested_at=now, publication_requested_by=user)
    article.publication_requested_at, article.publication_requested_by = now, user
    message = " ".join(message.split())[:200]
    live = article.correction_of
    note = _("修正版の公開を依頼しました") if live else _("公開を依頼しました")
    record(article, AuditAction.REQUESTED, user, note=f"{note}: {message}" if message else note)
    if live is not None:
        record(live, AuditAction.REQUESTED, user, note=_("修正版の公開を依頼しました"))
    lines = [
        _("%(name)sさんから公開の依頼が届きました。") % {"name": display_name(user)},
        "",
        _("記事: %(title)s") % {"title": article.title},
        _("種類: %(kind)s")
        % {"kind": _("公開中の記事の修正版(公開すると公開中の記事が置き換わります)") if live else _("新しい記事")},
    ]
    if message:
        lines.append(_("メッセージ: %(message)s") % {"message": message})
    lines += [
        "",
        _("確認して公開する: %(url)s")
        % {"url": _absolute(reverse("admin:articles_article_change", args=[article.pk]))},
        _("プレビュー: %(url)s") % {"url": _absolute(reverse("articles:article_preview", args=[article.pk]))},
    ]
    if live is not None:
        lines.append(_("公開中のページ: %(url)s") % {"url": _absolute(live.get_absolute_url())})
    lines += [
        _("公開の依頼の一覧: %(url)s")
        % {"url": _absolute(reverse("admin:articles_article_changelist") + "?requested=yes")},
    ]
    return mail_publishers(_("公開の依頼: %(title)s") % {"title": article.title}, lines, user)


def mail_publishers(subject, lines, sender):
    """One e-mail to every publisher with an address (Django's mail settings), replies going to
    `sender`. Returns the number of publishers mailed (0: nobody has an address)."""
    recipients = sorted(publishers().values_list("email", flat=True))
    if not recipients:
        return 0
    EmailMessage(
        subject=subject,
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[sender.email] if sender is not None and sender.email else None,
    ).send()
    return len(recipients)


def absolute_url(path):
    return _absolute(path)
