"""Render and store again the body of every part (or of the given parts): articles.renditions."""

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.renditions import rebuild


class Command(BaseCommand):
    help = "Render and store the public body (rendition) of every part, or of the parts whose slugs are given."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="URL名 of the parts (all parts when none)")

    def handle(self, *args, slugs=(), **options):
        articles = Article.objects.all()
        if slugs:
            articles = articles.filter(slug__in=slugs)
        count = rebuild(articles)
        self.stdout.write(f"Stored the rendered body of {count} part(s).")
