"""Recording who created, changed, published, scheduled, unpublished and restored a part,
and when, as AuditEvent rows (articles.models).
Kept apart from the revisions (which hold the content).
"""

from articles.models import AuditEvent


def display_name(user):
    if user is None:
        return ""
    # Japanese order: 姓 名 (Django's get_full_name() puts the given name first).
    return " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part) or user.get_username()


def record(article, action, user, note="", publish_at=None):
    return AuditEvent.objects.create(
        article=article,
        action=action,
        user=user if user and user.pk else None,
        user_name=display_name(user),
        publish_at=publish_at,
        note=note,
    )
