"""python manage.py export_site ARCHIVE [--users]: the whole site and its media in one file."""

from django.core.management.base import BaseCommand, CommandError

from forum.backup import BackupError, export_site


class Command(BaseCommand):
    help = (
        "Write the site's content, history, audit trail and media files (and optionally accounts) to ARCHIVE (.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--users", action="store_true", help="include the accounts (with password hashes) and groups"
        )

    def handle(self, archive, users, **options):
        try:
            manifest = export_site(archive, include_users=users)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        records = sum(manifest["counts"].values())
        self.stdout.write(f"{archive}: {records} records, {len(manifest['media'])} media files")
