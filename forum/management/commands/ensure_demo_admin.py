"""Create the local demo administrator once and print how to log in."""
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = settings.BASE_DIR / "var" / "demo-admin-password.txt"


class Command(BaseCommand):
    help = "Create the superuser 'admin' for local use (password kept in var/) and print the login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--address", default="127.0.0.1:8000", help="host:port the site is served on")

    def handle(self, *args, username, address, **options):
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
            PASSWORD_FILE.write_text(password + "\n", encoding="utf-8")
            PASSWORD_FILE.chmod(0o600)
        if PASSWORD_FILE.exists():
            password = PASSWORD_FILE.read_text(encoding="utf-8").strip()
            hint = f"password: {password}"
        else:
            hint = f"password: (set earlier; reset with: python manage.py changepassword {username})"
        self.stdout.write(
            f"管理画面 / admin: http://{address}/admin/\n"
            f"  user: {username}\n  {hint}  (kept in {PASSWORD_FILE.relative_to(settings.BASE_DIR)})"
        )
