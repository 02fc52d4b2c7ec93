"""Write the bulk download of the public corpus (articles/api/bulk.py) for /api/v1/bulk/."""

from django.core.management.base import BaseCommand

from articles.api import bulk


class Command(BaseCommand):
    help = "Write the open data bulk files (JSON Lines and CSV) of every public turn, roundtable and person."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Folder to write to (default: settings.OPEN_DATA_ROOT).")

    def handle(self, *args, output=None, **options):
        manifest = bulk.export(output)
        for entry in manifest["files"]:
            self.stdout.write(f"{entry['name']}: {entry['records']} records, {entry['bytes']} bytes")
