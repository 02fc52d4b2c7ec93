"""Who created, changed, published, scheduled, unpublished and restored a part, and when.

Kept apart from the revisions (which hold the content): this is the short record an editor
reads on the part's page. The user's name is copied, so the record outlives the account.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATED = "created", _("作成")
    CHANGED = "changed", _("変更")
    PUBLISHED = "published", _("公開")
    SCHEDULED = "scheduled", _("公開予約")
    UNPUBLISHED = "unpublished", _("公開取り下げ")
    RESTORED = "restored", _("以前の版に戻す")


class AuditEvent(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="audit_events",
        verbose_name=_("記事"),
    )
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("操作した人"),
    )
    user_name = models.CharField(_("操作した人の名前"), max_length=150, blank=True)
    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    publish_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    note = models.CharField(_("メモ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("操作記録")
        verbose_name_plural = _("操作記録")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.user_name}"


def display_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def record(article, action, user, note="", publish_at=None):
    return AuditEvent.objects.create(
        article=article, action=action, user=user if user and user.pk else None,
        user_name=display_name(user), publish_at=publish_at, note=note,
    )
