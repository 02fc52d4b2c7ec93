"""export_site / import_site lose nothing: every public page, feed and media file is the same,
byte for byte, after a round trip; SQLite → PostgreSQL → SQLite too (issue 15, point 7)."""

import datetime
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from articles.models import AuditEvent
from articles.models import Article, ArticleStatus, Figure, SpeakerTurn
from participants.models import Person
from reversion.models import Revision
from tests.support.factories import make_long_article
from tests.support.site_snapshot import snapshot

from tests.support import REPO_ROOT as ROOT


def png(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (1300, 700), colour).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="photo.png")


def build_site(demo, django_user_model):
    """The demo part (with its images) plus a long part, a person's photo, a draft and a scheduled part."""
    publisher = django_user_model.objects.create_user("taro", password="pw-for-backup-1", is_staff=True)
    long_part = make_long_article(45)
    figure = Figure.objects.filter(section__article=long_part).first()
    figure.image, figure.alt_text = png("navy"), "紺色の画像"
    figure.save()
    person = Person.objects.filter(appearances__roundtable=demo.roundtable).first()
    person.photo, person.photo_alt = png("teal"), "顔写真"
    person.save()
    make_long_article(3, published=False)
    scheduled = make_long_article(3)
    scheduled.publish_at = timezone.now() + datetime.timedelta(days=2)
    scheduled.save()
    # Microseconds matter: the feeds' Last-Modified and ETag follow updated_at.
    Article.objects.filter(pk=long_part.pk).update(updated_at=timezone.now().replace(microsecond=123456))
    from articles.versioning import keep_imported

    keep_imported(long_part, publisher)


@pytest.mark.django_db(transaction=True)
def test_export_and_import_give_back_every_page_feed_and_media_file_byte_for_byte(
    demo, django_user_model, tmp_path, media_root, workflow_groups
):
    build_site(demo, django_user_model)
    pages, media = snapshot()
    assert len(media) >= 5 and any(name.startswith("renditions/") for name in media)
    counts = (Article.objects.count(), AuditEvent.objects.count(), Revision.objects.count())
    anchors = list(SpeakerTurn.objects.order_by("pk").values_list("pk", "fragment"))
    archive = tmp_path / "site.tar.gz"
    call_command("export_site", str(archive), "--users", stdout=io.StringIO())

    call_command("flush", "--noinput", verbosity=0)
    for path in sorted(Path(media_root).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert Article.objects.count() == 0
    call_command("import_site", str(archive), stdout=io.StringIO())

    after_pages, after_media = snapshot()
    assert list(after_pages) == list(pages)
    for url in pages:
        assert after_pages[url] == pages[url], url
    assert after_media == media
    assert (Article.objects.count(), AuditEvent.objects.count(), Revision.objects.count()) == counts
    assert list(SpeakerTurn.objects.order_by("pk").values_list("pk", "fragment")) == anchors  # permalinks kept
    assert django_user_model.objects.get(username="taro").check_password("pw-for-backup-1")
    # A second export of the imported site is the same data, to the microsecond.
    again = tmp_path / "again.tar.gz"
    call_command("export_site", str(again), "--users", stdout=io.StringIO())
    assert _data(again) == _data(archive)


def _data(archive):
    with tarfile.open(archive) as tar:
        return tar.extractfile("site.json").read()


@pytest.fixture
def workflow_groups():
    """The groups the migration makes (a transactional test may start from a flushed database)."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps as django_apps
    from django.db import connection

    import articles.migrations as articles_migrations

    (path,) = Path(articles_migrations.__file__).parent.glob("*_editor_and_publisher_groups.py")
    migration = importlib.import_module(f"articles.migrations.{path.stem}")
    migration.create_groups(django_apps, SimpleNamespace(connection=connection))


@pytest.mark.django_db
def test_the_import_refuses_a_database_with_content_and_says_so(demo, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("export_site", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="既に内容があります"):
        call_command("import_site", str(archive), stdout=io.StringIO())


@pytest.mark.django_db
def test_without_users_the_archive_holds_no_account_and_no_password_hash(demo, tmp_path, django_user_model):
    django_user_model.objects.create_user("secret-name", password="pw-never-exported")
    archive = tmp_path / "site.tar.gz"
    call_command("export_site", str(archive), stdout=io.StringIO())
    data = _data(archive).decode()
    assert "secret-name" not in data and "pbkdf2" not in data
    assert '"model": "articles.article"' in data


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["../escape.txt", "/etc/evil", "media/../../x"])
def test_an_archive_with_a_file_outside_its_folders_is_refused(tmp_path, member):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo(member)
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    with pytest.raises(CommandError, match="使えない項目"):
        call_command("import_site", str(archive), stdout=io.StringIO())
    assert not (tmp_path.parent / "escape.txt").exists()


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_with_a_message(tmp_path):
    archive = tmp_path / "broken.tar.gz"
    archive.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="読めません"):
        call_command("import_site", str(archive), stdout=io.StringIO())


# SQLite → PostgreSQL → SQLite, each step a separate process as an operator would run it.


def _postgres_server():
    url = os.environ.get("DATABASE_URL", "")
    base = url.rsplit("/", 1)[0] if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432"
    try:
        psycopg2.connect(f"{base}/postgres", connect_timeout=3).close()
    except psycopg2.OperationalError:
        return None
    return base


def _manage(env, *args, code=None):
    command = [sys.executable, "manage.py", *args] + (["-v0", "-c", code] if code else [])
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _json(output):
    return json.loads(output.strip().splitlines()[-1])


SET_UP = """
from django.contrib.auth import get_user_model
from articles.models import Article
from tests.support.factories import make_long_article
import io
from django.core.management import call_command
call_command("load_demo", stdout=io.StringIO())
make_long_article(30)
make_long_article(2, published=False)
"""


def test_sqlite_to_postgresql_and_back_keeps_every_page_feed_and_media_file(tmp_path):
    server = _postgres_server()
    if server is None:
        pytest.skip("no PostgreSQL server to restore into (CI runs one)")
    name = f"rt_backup_{os.getpid()}"
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")}
    stores = {
        "sqlite": {
            **base,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'first.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "m1"),
        },
        "postgres": {**base, "DATABASE_URL": f"{server}/{name}", "MEDIA_ROOT": str(tmp_path / "m2")},
        "sqlite again": {
            **base,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'again.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "m3"),
        },
    }
    digests = "from tests.support.site_snapshot import print_digests; print_digests()"
    try:
        for env in stores.values():
            _manage(env, "migrate", "--noinput", "-v0")
        _manage(stores["sqlite"], "shell", code=SET_UP)
        before = _json(_manage(stores["sqlite"], "shell", code=digests))
        assert len(before["pages"]) >= 8 and before["media"]
        _manage(stores["sqlite"], "export_site", str(tmp_path / "a.tar.gz"), "--users")
        _manage(stores["postgres"], "import_site", str(tmp_path / "a.tar.gz"))
        on_postgres = _json(_manage(stores["postgres"], "shell", code=digests))
        assert on_postgres == before
        _manage(stores["postgres"], "export_site", str(tmp_path / "b.tar.gz"), "--users")
        assert _data(tmp_path / "b.tar.gz") == _data(tmp_path / "a.tar.gz")
        _manage(stores["sqlite again"], "import_site", str(tmp_path / "b.tar.gz"))
        assert _json(_manage(stores["sqlite again"], "shell", code=digests)) == before
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
