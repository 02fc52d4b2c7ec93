"""Permission names in Japanese: 「座談会を追加できる」 instead of Django's "Can add 座談会".

Django names each model's default permissions (add, change, delete, view) from its
verbose_name when it creates them after migrate; this renames them after every migrate
(post_migrate, after Django's own handler), so new models' permissions are Japanese too.
Permissions a model declares itself (公開できる) keep the names they were given.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, router
from django.utils import translation
from django.utils.translation import gettext

ACTIONS = {
    "add": "%(model)sを追加できる",
    "change": "%(model)sを変更できる",
    "delete": "%(model)sを削除できる",
    "view": "%(model)sを表示できる",
}


def japanese_name(action, verbose_name):
    return gettext(ACTIONS[action]) % {"model": verbose_name}


def rename_default_permissions(using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    try:
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    if not router.allow_migrate_model(using, Permission):
        return
    with translation.override(settings.LANGUAGE_CODE):
        wanted = {}
        for model in global_apps.get_models():
            opts = model._meta
            for action in opts.default_permissions:
                if action in ACTIONS:
                    name = japanese_name(action, str(opts.verbose_name))
                    wanted[(opts.app_label, opts.model_name, f"{action}_{opts.model_name}")] = name[:255]
    changed = []
    for permission in Permission.objects.using(using).select_related("content_type"):
        key = (permission.content_type.app_label, permission.content_type.model, permission.codename)
        name = wanted.get(key)
        if name and permission.name != name:
            permission.name = name
            changed.append(permission)
    Permission.objects.using(using).bulk_update(changed, ["name"], batch_size=500)


def connect():
    from django.db.models.signals import post_migrate

    # After django.contrib.auth's create_permissions (connected when auth became ready).
    post_migrate.connect(rename_default_permissions, dispatch_uid="forum.japanese_permission_names")
