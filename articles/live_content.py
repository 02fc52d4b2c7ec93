"""What a public part shows besides itself, and who may change it.

A part's page prints its roundtable (title, 回, date), the participants with their titles,
people's names, organisations, roles and the forum. Changing any of these changes a public
page as surely as editing the part. The rule (stated in the editors' guide, README):

- While a public or scheduled part shows a forum, roundtable, participant, person,
  organisation or role, only a 公開担当 (publisher) may change or delete it; editors see it
  read-only, with the reason.
- Every change a publisher makes to such a record is written into the 操作記録 (audit
  trail) and the 変更履歴 (a revision with the change described) of each part it affects.
"""

import reversion
from django.utils.translation import gettext as _

from articles.audit import display_name
from articles.models import Article, ArticleStatus, AuditAction, AuditEvent
from articles.workflow import can_publish
from forum.models import Forum, Roundtable
from participants.models import Organisation, Participant, Person, Role

NOTE_LENGTH = AuditEvent._meta.get_field("note").max_length

# How each kind of record reaches the parts that print it.
_PATHS = {
    Forum: "roundtable__forum",
    Roundtable: "roundtable",
    Participant: "roundtable__participants",
    Person: "roundtable__participants__person",
    Organisation: "roundtable__participants__organisation",
    Role: "roundtable__participants__roles",
}


def guarded(model):
    return model in _PATHS


def parts_showing(obj):
    """The published or scheduled parts that print `obj` (or will, for a new participant)."""
    if isinstance(obj, Participant) and obj.pk is None and obj.roundtable_id:
        return Article.objects.filter(status=ArticleStatus.PUBLISHED, roundtable_id=obj.roundtable_id).order_by("pk")
    if obj is None or obj.pk is None or type(obj) not in _PATHS:
        return Article.objects.none()
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED, **{_PATHS[type(obj)]: obj.pk}).distinct().order_by("pk")
    )


def may_change(user, obj):
    """Publishers change anything; editors only what no public or scheduled part shows."""
    return obj is None or can_publish(user) or not parts_showing(obj).exists()


def explanation(obj, parts):
    titles = "、".join(f"「{part.title}」" for part in parts[:3])
    more = _("ほか%(count)d件") % {"count": len(parts) - 3} if len(parts) > 3 else ""
    return _(
        "この%(kind)sは公開中・公開予約中の記事 %(titles)s%(more)s に表示されているため、"
        "表示だけになっています。変更は公開担当に依頼してください"
        "(公開担当が変更すると、その記事の操作記録と変更履歴に残ります)。"
    ) % {"kind": obj._meta.verbose_name, "titles": titles, "more": more}


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
