"""The rules of publishing a part: its state, who may change it, and the one safe way to save.

States: 下書き (draft), 公開予約 (published, publish time still ahead), 公開中 (published,
time come), 公開終了 (published, takedown time 公開終了日時 passed). What the public sees is
decided by Article.objects.published() alone, at request time, so a scheduled part appears
and a part taken down disappears by itself when its time comes: no job to run.

Two groups (created by a migration): 編集者 write and change drafts; 公開担当 also hold
the `articles.publish_article` permission to publish, schedule and unpublish. Editors
cannot change the status or publish time by any path, nor edit a part that is public
or scheduled (it would change the public page without a publisher); they change one
through a correction draft (articles.corrections) and ask for publication.

Every publication passes one gate, `before_publish(article, user)`: the admin form
publishing or scheduling a part, the list's publish action (set_publication) and the
publishing of a correction (articles.corrections.publish_correction). Checks that must
hold before anything goes public belong there.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.audit import record
from articles.models import Article, ArticleStatus, AuditAction
from forum.conventions import dual_date

PUBLISH_PERMISSION = "articles.publish_article"
EDITOR_GROUP = "編集者"
PUBLISHER_GROUP = "公開担当"
PUBLICATION_FIELDS = ("status", "publish_at", "unpublish_at")

DRAFT, SCHEDULED, LIVE, ENDED = "draft", "scheduled", "published", "ended"
STATE_LABELS = {DRAFT: _("下書き"), SCHEDULED: _("公開予約"), LIVE: _("公開中"), ENDED: _("公開終了")}


class EditConflict(Exception):
    """Someone saved the part after this form was opened."""


def can_publish(user):
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def before_publish(article, user):
    """The one gate of every publication (see the module's docstring): raise PermissionDenied
    (or ValidationError) to refuse. `article` holds what is about to go public: the part, or
    the correction draft whose content replaces the live part's."""
    if not can_publish(user):
        raise PermissionDenied(_("記事を公開できるのは公開担当だけです。"))


def state(article, now=None):
    if article.status != ArticleStatus.PUBLISHED:
        return DRAFT
    now = now or timezone.now()
    if article.publish_at is not None and article.publish_at > now:
        return SCHEDULED
    if article.unpublish_at is not None and article.unpublish_at <= now:
        return ENDED
    return LIVE


def state_label(article):
    return STATE_LABELS[state(article)]


def format_when(moment, seconds=False):
    """令和8年4月1日(2026年4月1日)10:00, in Tokyo time."""
    local = timezone.localtime(moment)
    time = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{dual_date(local.date())}{time}"


def may_edit(user, article):
    """Editors change drafts only; publishers change any part."""
    return article is None or article.status == ArticleStatus.DRAFT or can_publish(user)


def enforce_publication_rights(user, article):
    """Refuse (403) a save that would change the status or publish time without permission."""
    if article.correction_of_id is not None:
        stored = Article.objects.filter(pk=article.pk).values(*PUBLICATION_FIELDS).first() or {}
        if article.status != ArticleStatus.DRAFT or any(
            stored.get(name) != getattr(article, name) for name in PUBLICATION_FIELDS
        ):
            raise PermissionDenied(
                _("修正版は「修正を公開する」で公開します。修正版そのものの公開の設定は変えられません。")
            )
        return
    if can_publish(user):
        if article.status == ArticleStatus.PUBLISHED:
            stored = snapshot(article)
            if stored is None or stored["status"] != ArticleStatus.PUBLISHED:
                before_publish(article, user)
        return
    if article.pk is None:
        if article.status != ArticleStatus.DRAFT:
            raise PermissionDenied(_("記事を公開できるのは公開担当だけです。"))
        return
    stored = Article.objects.filter(pk=article.pk).values(*PUBLICATION_FIELDS).get()
    if any(stored[name] != getattr(article, name) for name in PUBLICATION_FIELDS) or (
        stored["status"] != ArticleStatus.DRAFT
    ):
        raise PermissionDenied(_("公開中・公開予約中の記事や公開の設定は、公開担当だけが変更できます。"))


def claim_edit(article, seen_version):
    """Take the next edit number atomically, or raise EditConflict if it moved on.

    One conditional UPDATE: of two concurrent saves opened at the same number, exactly one
    matches the row; the other sees no row to update.
    """
    updated = Article.objects.filter(pk=article.pk, edit_version=seen_version).update(
        edit_version=F("edit_version") + 1
    )
    if not updated:
        raise EditConflict
    article.edit_version = seen_version + 1


def takedown_change(before, after):
    """公開終了を予約 when a published part gets a (new) takedown time, else None."""
    if after.status != ArticleStatus.PUBLISHED or after.unpublish_at is None:
        return None
    if before is None or before.get("unpublish_at") != after.unpublish_at:
        return AuditAction.TAKEDOWN_SCHEDULED
    return None


def publication_change(before, after, now=None):
    """The audit action implied by going from `before` (None when new) to `after`, if any."""
    was_published = before is not None and before["status"] == ArticleStatus.PUBLISHED
    if after.status == ArticleStatus.PUBLISHED:
        if not was_published or before["publish_at"] != after.publish_at:
            return AuditAction.SCHEDULED if state(after, now) == SCHEDULED else AuditAction.PUBLISHED
    elif was_published:
        return AuditAction.UNPUBLISHED
    return None


def snapshot(article):
    """The publication fields as stored, to compare with after a save."""
    if article.pk is None:
        return None
    return Article.objects.filter(pk=article.pk).values(*PUBLICATION_FIELDS).first()


def _record_publication(article, user, before):
    action = publication_change(before, article)
    if action:
        record(article, action, user, publish_at=article.publish_at if action != AuditAction.UNPUBLISHED else None)
        if action != AuditAction.UNPUBLISHED and article.publication_requested_at is not None:
            # The request is answered.
            article.publication_requested_at = article.publication_requested_by = None
            Article.objects.filter(pk=article.pk).update(publication_requested_at=None, publication_requested_by=None)
    if takedown_change(before, article):
        note = _("公開終了日時 %(when)s") % {"when": format_when(article.unpublish_at)}
        record(article, AuditAction.TAKEDOWN_SCHEDULED, user, note=note)
    return action


def record_save(article, user, created, before):
    record(article, AuditAction.CREATED if created else AuditAction.CHANGED, user)
    _record_publication(article, user, before)


def set_publication(article, user, status, publish_at):
    """Publish, schedule or unpublish one part (admin actions); needs the permission."""
    if not can_publish(user):
        raise PermissionDenied(_("記事を公開できるのは公開担当だけです。"))
    if article.correction_of_id is not None:
        raise PermissionDenied(_("修正版は「修正を公開する」で公開します。"))
    before = snapshot(article)
    if status == ArticleStatus.PUBLISHED and before["status"] != ArticleStatus.PUBLISHED:
        before_publish(article, user)
    article.status, article.publish_at = status, publish_at
    article.updated_by = user
    # Any form opened before this change is now stale (it would write the old status back).
    Article.objects.filter(pk=article.pk).update(edit_version=F("edit_version") + 1)
    article.edit_version = Article.objects.values_list("edit_version", flat=True).get(pk=article.pk)
    article.save(update_fields=["status", "publish_at", "unpublish_at", "updated_by", "updated_at"])
    return _record_publication(article, user, before)


def publish_now(article, user, now=None):
    now = now or timezone.now()
    # A part published before keeps its first publication date when published again.
    keep = article.publish_at is not None and article.publish_at <= now
    if article.unpublish_at is not None and article.unpublish_at <= now:
        article.unpublish_at = None  # published again: its past takedown time no longer applies
    return set_publication(article, user, ArticleStatus.PUBLISHED, article.publish_at if keep else now)


def unpublish(article, user):
    return set_publication(article, user, ArticleStatus.DRAFT, article.publish_at)
