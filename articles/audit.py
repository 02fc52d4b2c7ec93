"""Recording who created, changed, published, scheduled, unpublished and restored a part,
and when, as AuditEvent rows (articles.models).
Kept apart from the revisions (which hold the content).
"""

from articles.models import AuditEvent


def display_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def record(article, action, user, note="", publish_at=None):
    return AuditEvent.objects.create(
        article=article,
        action=action,
        user=user if user and user.pk else None,
        user_name=display_name(user),
        publish_at=publish_at,
        note=note,
    )
