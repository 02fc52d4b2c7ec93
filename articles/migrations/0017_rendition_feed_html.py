"""The part's content in the feeds, stored with its rendition (articles.feed_items.feed_body).

No data step: the code that fills the new field is a new release (articles.renditions.RELEASE),
so every stored rendition is stale from this deploy on anyway, and each is made again, feed
content included, on its part's next page or feed request (a feed renders its stale parts in
one batch); `manage.py rebuild_renditions` after migrate makes them all in advance, outside
the migration's transaction.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0016_turn_counts'),
    ]

    operations = [
        migrations.AddField(
            model_name='rendition',
            name='feed_html',
            field=models.TextField(blank=True),
        ),
    ]
