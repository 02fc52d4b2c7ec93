"""python manage.py import_site ARCHIVE: load an export_site archive into an empty database."""

from django.core.management.base import BaseCommand, CommandError

from forum.backup import BackupError, import_site


class Command(BaseCommand):
    help = "Load an archive written by export_site into this empty, migrated database and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, archive, **options):
        try:
            manifest = import_site(archive)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        records = sum(manifest["counts"].values())
        self.stdout.write(f"{archive}: {records} records, {len(manifest['media'])} media files imported")
