"""articles.TurnCount: turns per participant and part, kept by triggers (articles.turn_counts),
filled from the turns already there."""

import django.db.models.deletion
from django.db import migrations, models

from articles import turn_counts


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [*turn_counts.create_sql(vendor), turn_counts.FILL]:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in turn_counts.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0015_fill_renditions'),
        ('participants', '0003_participant_search_title'),
    ]

    operations = [
        migrations.CreateModel(
            name='TurnCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('turns', models.PositiveIntegerField()),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article')),
                ('speaker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='participants.participant')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('speaker', 'article'), name='one_turn_count_per_part')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
