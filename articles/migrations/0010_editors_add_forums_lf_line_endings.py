"""Editors may create a forum (series) when they import a transcript; stored texts get LF line
endings (the admin stored a textarea's CRLF, which made every save look like a change)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("編集者", "公開担当")
TEXT_FIELDS = [
    ("articles", "Article", ("lead", "introduction", "closing")),
    ("articles", "SpeakerTurn", ("body",)),
    ("forum", "Forum", ("description",)),
    ("forum", "Roundtable", ("description",)),
    ("participants", "Person", ("profile",)),
]


def grant_add_forum(apps, schema_editor):
    app_config = apps.get_app_config("forum")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = models_module
    Permission = apps.get_model("auth", "Permission")
    add_forum = Permission.objects.get(content_type__app_label="forum", codename="add_forum")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(add_forum)


def revoke_add_forum(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    add_forum = Permission.objects.filter(content_type__app_label="forum", codename="add_forum").first()
    if add_forum:
        for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
            group.permissions.remove(add_forum)


def lf_line_endings(apps, schema_editor):
    for app_label, model_name, fields in TEXT_FIELDS:
        model = apps.get_model(app_label, model_name)
        for field in fields:
            rows = list(model.objects.filter(**{f"{field}__contains": "\r"}).only("pk", field))
            for row in rows:
                setattr(row, field, getattr(row, field).replace("\r\n", "\n").replace("\r", "\n"))
            model.objects.bulk_update(rows, [field], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_publish_despite_accessibility"),
        ("forum", "0004_content_version"),
        ("participants", "0002_photo_checked_and_cleaned"),
    ]

    operations = [
        migrations.RunPython(grant_add_forum, revoke_add_forum),
        migrations.RunPython(lf_line_endings, migrations.RunPython.noop),
    ]
