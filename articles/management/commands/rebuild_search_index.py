"""python manage.py rebuild_search_index — index every part afresh, with a progress bar.

Not needed in normal use (every save keeps the index current, and what is public is
decided when a search runs); for after a bulk load, a restore of the database, or a change
to the tokens (articles.search.text).
"""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from articles.search.index import rebuild, rows_to_index
from articles.search.progress import ProgressBar


class Command(BaseCommand):
    help = _("検索用の索引を作り直します(タイトル・リード文・見出し・発言)。")

    def handle(self, *args, **options):
        started = time.perf_counter()
        bar = ProgressBar(self.stderr, rows_to_index(), _("索引"))
        written = rebuild(progress=bar.advance)
        bar.finish()
        self.stdout.write(
            _("検索用の索引を作り直しました: %(rows)s件(%(seconds).1f秒)")
            % {"rows": f"{written:,}", "seconds": time.perf_counter() - started}
        )
