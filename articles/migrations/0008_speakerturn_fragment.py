"""SpeakerTurn.fragment: the turn's kept anchor (#t-3fa9c2d1), made for the turns on file
from their speaker's label and text, in reading order within each part. The page still
carries the old #turn-<id> on each turn, so links shared before keep working."""

from django.db import migrations, models


def make_fragments(apps, schema_editor):
    from articles.models import turn_anchor

    SpeakerTurn = apps.get_model("articles", "SpeakerTurn")
    turns = (
        SpeakerTurn.objects.filter(fragment="")
        .select_related("speaker__person")
        .order_by("section__article_id", "section__position", "section_id", "position", "pk")
    )
    taken, batch, article = set(), [], None
    for turn in turns.iterator(chunk_size=2000):
        if turn.section.article_id != article:
            article, taken = turn.section.article_id, set()
        speaker = turn.speaker
        label = (speaker.label or speaker.person.name.split(" ")[0]) if speaker else ""
        turn.fragment = turn_anchor(label, turn.body, taken)
        taken.add(turn.fragment)
        batch.append(turn)
        if len(batch) >= 2000:
            SpeakerTurn.objects.bulk_update(batch, ["fragment"])
            batch = []
    SpeakerTurn.objects.bulk_update(batch, ["fragment"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_article_unpublish_at_corrections_requests")]

    operations = [
        migrations.AddField(
            model_name="speakerturn",
            name="fragment",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="発言へのリンク(#以降)。作成時に決まり、並べ替えや再取り込みでも変わりません。",
                max_length=24,
                verbose_name="アンカー",
            ),
        ),
        migrations.RunPython(make_fragments, migrations.RunPython.noop),
    ]
