"""Make sure the database DATABASE_URL names can be reached, creating it when it is missing.

`make run` calls this before `migrate`, so `DATABASE_URL=postgres://…/roundtable make run`
works on a server where `roundtable` does not exist yet. Whatever goes wrong is said in one
line (what, where, and what to run), with exit status 1, never a traceback.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.translation import gettext as _


def first_line(error):
    return (str(error).strip().splitlines() or [error.__class__.__name__])[0]


def server_of(settings_dict):
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or "5432"
    return f"{host}:{port}"


class Command(BaseCommand):
    help = "Check that the database can be reached; create a missing PostgreSQL database."
    requires_system_checks = []

    def handle(self, *args, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            connection.ensure_connection()
        except DatabaseError as error:
            if connection.vendor != "postgresql":
                raise CommandError(_("データベースに接続できません: %(error)s") % {"error": first_line(error)})
            self._create_postgresql_database(connection, error)
        finally:
            connection.close()

    def _create_postgresql_database(self, connection, original_error):
        """Connect to the server's `postgres` database and create ours there, if it is absent."""
        settings_dict = connection.settings_dict
        name, server = settings_dict["NAME"], server_of(settings_dict)
        maintenance = type(connection)({**settings_dict, "NAME": "postgres"}, alias="__ensure_database__")
        owner = f" -O {settings_dict['USER']}" if settings_dict.get("USER") else ""
        createdb = (
            f"createdb -h {settings_dict.get('HOST') or 'localhost'} -p {settings_dict.get('PORT') or 5432}"
            f"{owner} {name}"
        )
        try:
            with maintenance.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cursor.fetchone():
                    # It exists, so the server refused us for another reason (password, rights).
                    raise CommandError(
                        _("PostgreSQL(%(server)s)のデータベース「%(name)s」に接続できません: %(error)s")
                        % {"server": server, "name": name, "error": first_line(original_error)}
                    )
                cursor.execute(f"CREATE DATABASE {maintenance.ops.quote_name(name)}")
        except CommandError:
            raise
        except DatabaseError as error:
            if maintenance.connection is None:
                raise CommandError(
                    _(
                        "PostgreSQL(%(server)s)に接続できません: %(error)s サーバーが動いているか、"
                        "DATABASE_URL が正しいかを確かめてください。"
                    )
                    % {"server": server, "error": first_line(original_error)}
                )
            raise CommandError(
                _(
                    "PostgreSQL(%(server)s)にデータベース「%(name)s」がなく、作れませんでした: %(error)s"
                    " 作成の権限があるユーザーで作ってください: %(command)s"
                )
                % {"server": server, "name": name, "error": first_line(error), "command": createdb}
            )
        finally:
            maintenance.close()
        self.stdout.write(
            _("PostgreSQL(%(server)s)にデータベース「%(name)s」を作りました。") % {"server": server, "name": name}
        )
