"""The two groups of the editorial workflow: 編集者 (write drafts) and 公開担当 (also publish).

Permissions are normally created after all migrations (post_migrate); they are created
here first so that the groups can be given them on a fresh database.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_GROUP = "編集者"
PUBLISHER_GROUP = "公開担当"

# (app label, model, actions): what an editor needs to prepare a part and its roundtable.
EDITOR_PERMISSIONS = [
    ("articles", "article", ("add", "change", "delete", "view")),
    ("articles", "section", ("add", "change", "delete", "view")),
    ("articles", "speakerturn", ("add", "change", "delete", "view")),
    ("articles", "figure", ("add", "change", "delete", "view")),
    ("articles", "credit", ("add", "change", "delete", "view")),
    ("forum", "forum", ("view",)),
    ("forum", "roundtable", ("add", "change", "view")),
    ("participants", "participant", ("add", "change", "delete", "view")),
    ("participants", "person", ("add", "change", "view")),
    ("participants", "organisation", ("add", "change", "view")),
    ("participants", "role", ("add", "view")),  # a transcript import may bring a new role
]
PUBLISHER_EXTRA = [("articles", "article", "publish_article")]


def create_groups(apps, schema_editor):
    for label in ("articles", "forum", "participants"):
        app_config = apps.get_app_config(label)
        models_module = getattr(app_config, "models_module", None)  # unset in a migration
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(app_label, model, codename):
        return Permission.objects.get(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        )

    editor_permissions = [
        permission(app_label, model, f"{action}_{model}")
        for app_label, model, actions in EDITOR_PERMISSIONS for action in actions
    ]
    editors, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    editors.permissions.add(*editor_permissions)
    publishers, _ = Group.objects.get_or_create(name=PUBLISHER_GROUP)
    publishers.permissions.add(*editor_permissions, *(permission(*spec) for spec in PUBLISHER_EXTRA))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR_GROUP, PUBLISHER_GROUP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_workflow_audit_lock_publish_permission"),
        ("forum", "0001_initial"),
        ("participants", "0002_photo_checked_and_cleaned"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
