"""python manage.py export_transcript SLUG [--format text|markdown|json] [--roundtable] [-o FILE]

Writes a part (by its URL名) in the article's own text form, as Markdown or as JSON;
with --roundtable the part's whole roundtable as JSON. Importing the text form gives
the part back.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.exporter import FORMATS, as_json, export_roundtable, render_part
from articles.models import Article


class Command(BaseCommand):
    help = "Export a part as text, Markdown or JSON (or its whole roundtable as JSON)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the part's URL名 (slug)")
        parser.add_argument(
            "--format", choices=sorted(FORMATS), help="text (the default) for a part; --roundtable is always json"
        )
        parser.add_argument("--roundtable", action="store_true", help="the whole roundtable, as JSON")
        parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    def handle(self, *args, slug, format, roundtable, output, **options):
        article = Article.objects.select_related("roundtable__forum").filter(slug=slug).first()
        if article is None:
            raise CommandError(_("URL名「%(slug)s」の記事はありません。") % {"slug": slug})
        if roundtable and format not in (None, "json"):
            raise CommandError(
                _("--roundtable で書き出せるのは JSON だけです(--format %(format)s は使えません)。")
                % {"format": format}
            )
        format = format or ("json" if roundtable else "text")
        content = as_json(export_roundtable(article.roundtable)) if roundtable else render_part(article, format)
        if output:
            Path(output).write_text(content, encoding="utf-8")
        else:
            self.stdout.write(content, ending="")
