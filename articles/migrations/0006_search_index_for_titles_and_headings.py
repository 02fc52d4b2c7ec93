"""PostgreSQL: a second GIN index, on the rows of titles, leads and headings only (relevance
order beyond the exact limit counts their matches). SQLite needs nothing."""

from django.db import migrations

from articles.search import schema


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema.STRONG_GIN_INDEX} ON {schema.ENTRY_TABLE} "
            "USING gin (tokens) WHERE kind <> 'turn'"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema.STRONG_GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
