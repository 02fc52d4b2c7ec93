"""Store the rendered body of every existing part (articles.renditions), so that the first
request of each part after the upgrade is as fast as the next ones.

It renders with the current code (templates and model methods cannot be historical). On a
site upgraded across several releases at once the current models may not match the tables
at this point of the migrations: the step is then left to `manage.py rebuild_renditions`
(and, until then, each page makes its own on its first request), as the message says.
"""

from django.db import DatabaseError, migrations, transaction
from django.core.exceptions import FieldError


def fill(apps, schema_editor):
    from articles import renditions
    from articles.models import Article

    try:
        with transaction.atomic():
            renditions.rebuild(Article.objects.all())
    except (DatabaseError, FieldError) as error:
        print(f"\n  Renditions not stored now ({error}); run `manage.py rebuild_renditions` after migrate.")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_renditions"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
