"""Create the local demo administrator once and print how to log in.

The generated password is kept in var/, in one file per database (SQLite file, or
PostgreSQL server and database name), so switching DATABASE_URL never shows the password
of another database's admin.
"""

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse

from forum.web.seo import absolute_url

RESET = ".venv/bin/python manage.py changepassword {username}"


def database_key(vendor, settings_dict, base_dir):
    """A file-name-safe name of a database: `sqlite-db.sqlite3`, `postgresql-127.0.0.1-5432-roundtable`."""
    name = str(settings_dict["NAME"])
    if vendor == "sqlite":
        path = Path(name)
        if path.is_absolute() and path.is_relative_to(base_dir):
            name = str(path.relative_to(base_dir))
        parts = [vendor, name]
    else:
        parts = [vendor, settings_dict.get("HOST") or "localhost", str(settings_dict.get("PORT") or ""), name]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", "-".join(part for part in parts if part)).strip("_")


def password_file(alias=DEFAULT_DB_ALIAS):
    """var/demo-admin-password.<database>.txt: one file per database."""
    connection = connections[alias]
    key = database_key(connection.vendor, connection.settings_dict, settings.BASE_DIR)
    return Path(settings.BASE_DIR) / "var" / f"demo-admin-password.{key}.txt"


class Command(BaseCommand):
    help = "Create the superuser 'admin' for local use (password kept in var/) and print the login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        path = password_file()
        shown = path.relative_to(settings.BASE_DIR)
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(password + "\n", encoding="utf-8")
            path.chmod(0o600)
            hint = f"password: {password}  (kept in {shown})"
        elif path.exists() and user.check_password(password := path.read_text(encoding="utf-8").strip()):
            hint = f"password: {password}  (kept in {shown})"
        else:
            # Set by hand, or the file belongs to an earlier database of the same name.
            why = f"the one in {shown} no longer works" if path.exists() else "set earlier"
            hint = f"password: ({why}; reset with: {RESET.format(username=username)})"
        self.stdout.write(f"管理画面 / admin: {absolute_url(reverse('admin:index'))}\n  user: {username}\n  {hint}")
