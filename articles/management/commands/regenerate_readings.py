"""Work out again the line breaks (<wbr>) and ふりがな of every part, or of the given parts."""

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.readings import regenerate


class Command(BaseCommand):
    help = "Regenerate the stored line breaks and furigana of every part (or of the parts whose slugs are given)."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="URL名 of the parts (all parts when none)")

    def handle(self, *args, slugs=(), **options):
        articles = Article.objects.all()
        if slugs:
            articles = articles.filter(slug__in=slugs)
        count = regenerate(articles)
        self.stdout.write(f"Regenerated the line breaks and furigana of {count} part(s).")
