"""What a public part shows besides itself, and who may change it.

A part's page prints its roundtable (title, 回, date), the participants with their titles,
people's names, organisations, roles and the forum. Changing any of these changes a public
page as surely as editing the part. The rule (stated in the editors' guide, README), the
same model as the correction of a live part (articles.corrections):

- While a public or scheduled part shows a forum, roundtable, participant, person,
  organisation or role, an editor's save of it does not change it: it becomes a
  変更の依頼 (ChangeRequest, `propose`), mailed to the publishers, and the public keeps the
  record as it is. A 公開担当 (publisher) changes such a record directly, or applies a
  request (the admin writes it through the record's own form, so with the validation of a
  direct save) or rejects it with a reason (`reject`, mailed to the editor). A request is
  not applied over a record changed since it was made (`check_applicable`).
- Deleting such a record stays a publisher's: a deletion cannot be shown as a before/after
  diff and cannot be undone from a part's history, and the parts showing it would lose a
  speaker or their roundtable (PROTECT stops most deletions anyway).
- Every change a publisher makes or applies to such a record is written into the 操作記録
  (audit trail) and the 変更履歴 (a revision with the change described) of each part it
  affects (`record_change`).
"""

import hashlib
import json

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import corrections
from articles.audit import display_name
from articles.models import (
    Article,
    ArticleStatus,
    AuditAction,
    AuditEvent,
    ChangeRequest,
    ChangeRequestStatus,
)
from articles.visibility import PRINTED_RECORDS
from articles.workflow import can_publish
from forum.models import Roundtable
from participants.models import Participant

NOTE_LENGTH = AuditEvent._meta.get_field("note").max_length


def guarded(model):
    return model in PRINTED_RECORDS


def guarded_models():
    return list(PRINTED_RECORDS)


def parts_showing(obj):
    """The published or scheduled parts that print `obj` (or will, for a new participant)."""
    if isinstance(obj, Participant) and obj.pk is None and obj.roundtable_id:
        return Article.objects.filter(status=ArticleStatus.PUBLISHED, roundtable_id=obj.roundtable_id).order_by("pk")
    if obj is None or obj.pk is None or type(obj) not in PRINTED_RECORDS:
        return Article.objects.none()
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED, **{PRINTED_RECORDS[type(obj)]: obj.pk})
        .distinct()
        .order_by("pk")
    )


def may_change(user, obj):
    """Publishers change anything; editors only what no public or scheduled part shows."""
    return obj is None or can_publish(user) or not parts_showing(obj).exists()


def needs_request(user, obj):
    """True when `user`'s save of `obj` must be a 変更の依頼 rather than a change."""
    return obj is not None and not may_change(user, obj)


def _titles(parts):
    titles = "、".join(f"「{part.title}」" for part in parts[:3])
    more = _("ほか%(count)d件") % {"count": len(parts) - 3} if len(parts) > 3 else ""
    return titles + more


def explanation(obj, parts):
    """What an editor reads on the page of a record a live part shows."""
    return _(
        "この%(kind)sは公開中・公開予約中の記事 %(titles)s に表示されています。"
        "保存すると、すぐには変わらず、公開担当への「変更の依頼」になります"
        "(公開担当が反映するまで、公開中のページはそのままです)。削除は公開担当だけができます。"
    ) % {"kind": obj._meta.verbose_name, "titles": _titles(parts)}


def deletion_refused(obj, parts):
    return _(
        "この%(kind)sは公開中・公開予約中の記事 %(titles)s に表示されているため、削除できるのは公開担当だけです。"
        "削除が必要なら、公開担当に頼んでください。"
    ) % {"kind": obj._meta.verbose_name, "titles": _titles(parts)}


def upload_refused(obj):
    return _(
        "公開中の記事に表示されている%(kind)sの画像は、変更の依頼では差し替えられません。"
        "画像ファイルを公開担当に渡して差し替えを頼むか、画像以外の変更だけを依頼してください。"
    ) % {"kind": obj._meta.verbose_name}


def check_delete(user, obj):
    """Deleting a record a live part shows: publishers only (see the module's docstring)."""
    parts = list(parts_showing(obj))
    if parts and not can_publish(user):
        raise PermissionDenied(deletion_refused(obj, parts))
    return parts


# --- 変更の依頼 (change requests) ---------------------------------------------------------

# The rows that belong to a record's page (a roundtable's participants are edited on it).
_CHILDREN = {Roundtable: "participants"}


class ChangeRefused(Exception):
    """The request cannot be applied as it is; the message says why."""


def _values(obj):
    values = {}
    for field in obj._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue  # a save that changes nothing still moves updated_at
        values[field.attname] = field.value_to_string(obj)
    for field in obj._meta.many_to_many:
        values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def fingerprint(obj):
    """The record as stored (with the rows edited on its page) as a short digest: a request
    made on one fingerprint is not applied over another."""
    stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj is not None and obj.pk else None
    if stored is None:
        return ""
    rows = [_values(stored)]
    children = _CHILDREN.get(type(stored))
    if children:
        rows += [_values(child) for child in getattr(stored, children).order_by("pk")]
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()


def pending_requests():
    return ChangeRequest.objects.filter(status=ChangeRequestStatus.PENDING).order_by("requested_at", "pk")


def pending_for(obj):
    return pending_requests().filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def pending_count(user):
    """How many requests wait for a publisher (None for editors: they do not apply them)."""
    return pending_requests().count() if can_publish(user) else None


def affected_parts(change_request):
    """The live parts the request would change (today, not when it was made)."""
    target = change_request.target
    if target is None and change_request.object_id is None:
        model = change_request.content_type.model_class()
        if model is Participant:
            roundtable = (change_request.data.get("roundtable") or [""])[0]
            target = Participant(roundtable_id=int(roundtable)) if str(roundtable).isdigit() else None
    return list(parts_showing(target)) if target is not None else []


def review_url(change_request):
    return reverse("admin:articles_changerequest_change", args=[change_request.pk])


def _change_lines(changes):
    return [
        "- "
        + (f"{change['what']}: " if change.get("what") else "")
        + _("%(field)s「%(before)s」→「%(after)s」") % change
        if change.get("field")
        else "- " + change.get("what", "")
        for change in changes
    ]


def propose(model, obj, user, data, changes, summary, parts, message=""):
    """An editor's change of a record live parts show, kept as a request (the record is not
    touched) and mailed to the publishers. `obj` is the stored record (None: a new one);
    `data` the record's admin form as submitted. Returns (request, publishers mailed)."""
    change_request = ChangeRequest.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=obj.pk if obj is not None else None,
        object_repr=str(obj if obj is not None else summary)[:200],
        data=data,
        changes=changes,
        summary=summary,
        base=fingerprint(obj),
        message=" ".join((message or "").split())[:200],
        requested_by=user if user and user.pk else None,
        requested_by_name=display_name(user),
    )
    kind = model._meta.verbose_name
    lines = [
        _("%(name)sさんから、公開中の記事に表示される%(kind)sの変更の依頼が届きました。")
        % {"name": display_name(user), "kind": kind},
        "",
        _("対象: %(kind)s「%(name)s」") % {"kind": kind, "name": change_request.object_repr},
        _("変更点:"),
        *_change_lines(changes),
        _("表示している記事: %(titles)s") % {"titles": _titles(parts)},
    ]
    if change_request.message:
        lines.append(_("メッセージ: %(message)s") % {"message": change_request.message})
    lines += [
        "",
        _("確認して反映する: %(url)s") % {"url": corrections.absolute_url(review_url(change_request))},
        _("変更の依頼の一覧: %(url)s")
        % {
            "url": corrections.absolute_url(
                reverse("admin:articles_changerequest_changelist") + "?status__exact=pending"
            )
        },
    ]
    subject = _("変更の依頼: %(kind)s「%(name)s」") % {"kind": kind, "name": change_request.object_repr}
    return change_request, corrections.mail_publishers(subject, lines, user)


def check_applicable(change_request, obj):
    """Refuse (ChangeRefused) a request that is answered, whose record is gone or has changed."""
    if change_request.status != ChangeRequestStatus.PENDING:
        raise ChangeRefused(_("この変更の依頼は既に%(status)sです。") % {"status": change_request.get_status_display()})
    if change_request.object_id is not None and obj is None:
        raise ChangeRefused(_("依頼の対象が削除されているため、反映できません。この依頼は却下してください。"))
    if change_request.object_id is not None and fingerprint(obj) != change_request.base:
        raise ChangeRefused(
            _(
                "この依頼のあとで、%(kind)s「%(name)s」そのものが変更されました。"
                "このまま反映するとその変更が消えるため、反映しませんでした。"
                "依頼を却下して、依頼した人に今の内容から依頼し直してもらってください。"
            )
            % {"kind": obj._meta.verbose_name, "name": obj}
        )


def applied_note(change_request):
    return _("(%(name)sさんの変更の依頼)") % {"name": change_request.requested_by_name or _("不明")}


def mark_applied(change_request, user, obj=None):
    change_request.status = ChangeRequestStatus.APPLIED
    change_request.decided_by = user if user and user.pk else None
    change_request.decided_by_name = display_name(user)
    change_request.decided_at = timezone.now()
    if obj is not None and change_request.object_id is None:
        change_request.object_id = obj.pk
    change_request.save()
    _tell_requester(
        change_request,
        _("反映されました"),
        _("%(name)sさんが、あなたの変更の依頼を反映しました。"),
        [_("公開中のページに反映されました。")],
    )


def reject(change_request, user, reason):
    """A publisher's no, with the reason (required), told to the editor by e-mail and in the list."""
    if not can_publish(user):
        raise PermissionDenied(_("変更の依頼を却下できるのは公開担当だけです。"))
    reason = (reason or "").strip()
    if not reason:
        raise ChangeRefused(_("却下の理由を書いてください(依頼した人に伝わります)。"))
    if change_request.status != ChangeRequestStatus.PENDING:
        raise ChangeRefused(_("この変更の依頼は既に%(status)sです。") % {"status": change_request.get_status_display()})
    change_request.status = ChangeRequestStatus.REJECTED
    change_request.decided_by = user if user and user.pk else None
    change_request.decided_by_name = display_name(user)
    change_request.decided_at = timezone.now()
    change_request.reason = reason
    change_request.save()
    _tell_requester(
        change_request,
        _("却下されました"),
        _("%(name)sさんが、あなたの変更の依頼を却下しました。"),
        [_("理由: %(reason)s") % {"reason": reason}],
    )


def _tell_requester(change_request, outcome, sentence, lines):
    requester = change_request.requested_by
    if requester is None or not requester.email:
        return 0
    subject = _("変更の依頼が%(outcome)s: %(name)s") % {"outcome": outcome, "name": change_request.object_repr}
    body = [
        sentence % {"name": change_request.decided_by_name},
        "",
        _("対象: %(name)s") % {"name": change_request.object_repr},
        *_change_lines(change_request.changes),
        *lines,
        "",
        _("依頼の内容: %(url)s") % {"url": corrections.absolute_url(review_url(change_request))},
    ]
    EmailMessage(
        subject=subject,
        body="\n".join(body) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[requester.email],
    ).send()
    return 1


def record_change(obj, user, summary, parts, deleted=False):
    """Write the change of `obj` into the audit trail and the history of every part in `parts`."""
    subject = _("%(kind)s「%(name)s」") % {"kind": obj._meta.verbose_name, "name": str(obj)}
    verb = _("を削除しました") if deleted else _("を変更しました")
    note = f"{subject}{verb}" + (f": {summary}" if summary else "")
    for part in parts:
        AuditEvent.objects.create(
            article=part,
            action=AuditAction.CHANGED,
            user=user if user and user.pk else None,
            user_name=display_name(user),
            note=note[:NOTE_LENGTH],
        )
        with reversion.create_revision():
            reversion.add_to_revision(part)
            reversion.set_user(user if user and user.pk else None)
            reversion.set_comment(note)
