"""django-axes (login throttling) in Japanese in the admin: 「ログインの制限」 and its records.

django-axes ships no Japanese translation, so the admin's sidebar and index showed "AXES",
"Access attempts", "Access logs" … This AppConfig stands in for axes' own in INSTALLED_APPS
(forum.settings): it is axes' AppConfig (same label, same ready()) with a Japanese name, and
in ready() it gives the models, their fields and the admin's headings Japanese names through
gettext_lazy. It names what it finds by name and skips what a later axes no longer has, so
an upgrade cannot break start-up; tests/admin/test_japanese_admin.py fails if an upgrade
brings an English name back. Permission names follow the model names (forum/permissions.py).
Only names are changed (Django's migration autodetector ignores verbose names, so axes'
migrations stay as shipped: `makemigrations --check` finds nothing); help texts, which it
compares, are left as axes wrote them.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _

MODEL_NAMES = {
    "AccessAttempt": (_("ログイン試行の記録"), _("ログイン試行の記録")),
    "AccessLog": (_("ログインの記録"), _("ログインの記録")),
    "AccessFailureLog": (_("ログイン失敗の記録"), _("ログイン失敗の記録")),
    "AccessAttemptExpiration": (_("ログイン試行の有効期限"), _("ログイン試行の有効期限")),
}

FIELD_NAMES = {
    "user_agent": _("ブラウザーの種類(User-Agent)"),
    "ip_address": _("IPアドレス"),
    "username": _("ユーザー名"),
    "http_accept": _("受け付ける形式(HTTP Accept)"),
    "path_info": _("ページのパス"),
    "attempt_time": _("日時"),
    "locked_out": _("ロックされた"),
    "get_data": _("GETのデータ"),
    "post_data": _("POSTのデータ"),
    "failures_since_start": _("失敗の回数"),
    "logout_time": _("ログアウト日時"),
    "session_hash": _("セッションキーのハッシュ(SHA-256)"),
    "access_attempt": _("ログイン試行"),
    "expires_at": _("有効期限"),
}

# The admin's own headings (fieldsets and the 「ロック中」 filter).
FIELDSET_NAMES = {"Form Data": _("送信されたデータ"), "Meta Data": _("接続の情報")}


class JapaneseAxesConfig(AxesAppConfig):
    verbose_name = _("ログインの制限")

    def ready(self):
        super().ready()
        for model in self.get_models():
            names = MODEL_NAMES.get(model.__name__)
            if names:
                model._meta.verbose_name, model._meta.verbose_name_plural = names
            for field in model._meta.get_fields():
                if field.name in FIELD_NAMES and hasattr(field, "verbose_name"):
                    field.verbose_name = FIELD_NAMES[field.name]
        translate_admin()


def translate_admin():
    """The headings axes' admin classes print (their strings have no Japanese catalogue)."""
    try:
        from axes import admin as axes_admin
    except ImportError:  # pragma: no cover - an axes without its admin
        return
    for admin_class in (
        getattr(axes_admin, name, None) for name in ("AccessAttemptAdmin", "AccessLogAdmin", "AccessFailureLogAdmin")
    ):
        if admin_class is None or not getattr(admin_class, "fieldsets", None):
            continue
        admin_class.fieldsets = tuple(
            (FIELDSET_NAMES.get(str(title), title) if title else title, options)
            for title, options in admin_class.fieldsets
        )
    attempts = getattr(axes_admin, "AccessAttemptAdmin", None)
    for method, label in (
        ("cleanup_expired_attempts", _("期限切れのログイン試行の記録を削除する")),
        ("expiration", _("有効期限")),
        ("status", _("状態")),
    ):
        function = getattr(attempts, method, None)
        if function is not None:
            function.short_description = label
    locked_filter = getattr(axes_admin, "IsLockedOutFilter", None)
    if locked_filter is not None:
        locked_filter.title = _("ロック中")
