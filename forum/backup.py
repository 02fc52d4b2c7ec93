"""A whole site in one archive, and back: `manage.py export_site` / `import_site`.

The archive (.tar.gz) holds
- site.json: every forum, roundtable, organisation, role, person, participant, part with its
  sections, turns, figures and credits, the audit trail and the revision history, in
  Django's fixture format with times to the microsecond (Django's own JSON encoder cuts
  them to milliseconds, which would change every feed's ETag), record numbers kept (so
  addresses, the old #turn-N anchors and revisions stay valid; turn anchors are a field); with --users also the accounts
  (password hashes included) and groups, by user name and group name;
- media/…: every file under MEDIA_ROOT (uploads and renditions), byte for byte;
- manifest.json: the format version, counts, and a SHA-256 of every file.

It is imported into an empty, migrated database (any engine: SQLite ↔ PostgreSQL); the
import refuses a database that already has content, and an archive whose files do not
match its manifest or would be written outside MEDIA_ROOT.
"""

import datetime
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

FORMAT = "roundtable-site/1"
DATA, MANIFEST, MEDIA = "site.json", "manifest.json", "media"

USER_MODELS = ["auth.Group", "auth.User"]
CONTENT_MODELS = [
    "forum.Forum",
    "forum.Roundtable",
    "participants.Organisation",
    "participants.Role",
    "participants.Person",
    "participants.Participant",
    "readings.ReadingEntry",  # the reading dictionary (ふりがな)
    "articles.Article",
    "articles.Section",
    "articles.SpeakerTurn",
    "articles.Figure",
    "articles.Credit",
    "articles.AuditEvent",
    "reversion.Revision",
    "reversion.Version",
    # Last: the page cache's content version, so the restored site keeps its ETags and Last-Modified.
    "forum.ContentVersion",
]
# Content that must be absent for an import (the groups and types a migration makes are not content).
CONTENT_CHECK = [
    "forum.Forum",
    "participants.Person",
    "participants.Organisation",
    "participants.Role",
    "articles.Article",
    "reversion.Revision",
]


class BackupError(Exception):
    """The archive cannot be written or read as asked; the message says why, in Japanese."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _user_fields(model):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [
        field.name for field in model._meta.concrete_fields if field.is_relation and field.related_model is user_model
    ]


def serialise(include_users):
    """The database's content as a list of fixture records."""
    records = []
    for label in (USER_MODELS if include_users else []) + CONTENT_MODELS:
        model = apps.get_model(label)
        queryset = model._default_manager.order_by("pk")
        rows = serializers.serialize(
            "python", queryset.iterator(chunk_size=2000), use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
        if not include_users:
            for name in _user_fields(model):
                for row in rows:
                    row["fields"][name] = None
        records += rows
    return records


def media_files(root):
    root = Path(root)
    if not root.exists():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def export_site(archive, include_users=False):
    """Write the archive; return the manifest."""
    records = serialise(include_users)
    data = json.dumps(records, cls=ExactJSONEncoder, ensure_ascii=False).encode("utf-8")
    root = Path(settings.MEDIA_ROOT)
    files = media_files(root)
    counts = {}
    for record in records:
        counts[record["model"]] = counts.get(record["model"], 0) + 1
    manifest = {
        "format": FORMAT,
        "users": include_users,
        "counts": counts,
        "data_sha256": hashlib.sha256(data).hexdigest(),
        "media": {path.relative_to(root).as_posix(): _sha256(path) for path in files},
    }
    archive = Path(archive)
    partial = archive.with_name(archive.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        for name, payload in ((MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode()), (DATA, data)):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(payload), int(datetime.datetime.now().timestamp()), 0o644
            tar.addfile(info, io.BytesIO(payload))
        for path in files:
            tar.add(path, arcname=f"{MEDIA}/{path.relative_to(root).as_posix()}", recursive=False)
    partial.replace(archive)  # a failed export never leaves a half archive under the real name
    return manifest


def _safe_name(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name and "\x00" not in name


def _read_archive(archive, workdir):
    try:
        tar = tarfile.open(archive, "r:*")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("「%(name)s」はサイトの書き出しファイル(.tar.gz)として読めません: %(error)s")
            % {"name": archive, "error": error}
        ) from None
    with tar:
        for member in tar.getmembers():
            if not (member.isfile() or member.isdir()) or not _safe_name(member.name):
                raise BackupError(_("書き出しファイルに使えない項目があります: %(name)s") % {"name": member.name})
        tar.extractall(workdir, filter="data")
    workdir = Path(workdir)
    try:
        manifest = json.loads((workdir / MANIFEST).read_text("utf-8"))
        data = (workdir / DATA).read_bytes()
    except (OSError, ValueError):
        raise BackupError(
            _("書き出しファイルに %(manifest)s か %(data)s がありません。") % {"manifest": MANIFEST, "data": DATA}
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("書き出しファイルの形式(%(found)s)に対応していません。") % {"found": manifest.get("format")}
        )
    if hashlib.sha256(data).hexdigest() != manifest["data_sha256"]:
        raise BackupError(_("%(data)s が書き出したときと違います(壊れています)。") % {"data": DATA})
    media = workdir / MEDIA
    for name, digest in manifest["media"].items():
        path = media / name
        if not _safe_name(name) or not path.is_file() or _sha256(path) != digest:
            raise BackupError(_("画像などのファイル「%(name)s」がないか、書き出したときと違います。") % {"name": name})
    return manifest


def database_has_content():
    return [label for label in CONTENT_CHECK if apps.get_model(label)._default_manager.exists()]


def import_site(archive):
    """Load the archive into this empty database and MEDIA_ROOT; return the manifest."""
    found = database_has_content()
    if found:
        raise BackupError(
            _(
                "このデータベースには既に内容があります(%(models)s)。取り込みは、migrate しただけの"
                "空のデータベースにしかできません。"
            )
            % {"models": "、".join(str(apps.get_model(label)._meta.verbose_name) for label in found)}
        )
    with tempfile.TemporaryDirectory() as workdir:
        manifest = _read_archive(archive, workdir)
        if manifest["users"]:
            user_model = apps.get_model(settings.AUTH_USER_MODEL)
            records = json.loads((Path(workdir) / DATA).read_text("utf-8"))
            names = [r["fields"]["username"] for r in records if r["model"] == "auth.user"]
            clash = list(user_model._default_manager.filter(username__in=names).values_list("username", flat=True))
            if clash:
                raise BackupError(_("同じ名前のアカウントが既にあります: %(names)s") % {"names": "、".join(clash)})
        root = Path(settings.MEDIA_ROOT)
        for name, digest in manifest["media"].items():
            target = root / name
            if target.exists() and _sha256(target) != digest:
                raise BackupError(_("MEDIA_ROOT に同じ名前の違うファイルがあります: %(name)s") % {"name": name})
        fixture = Path(workdir) / DATA
        with transaction.atomic():
            call_command("loaddata", str(fixture), verbosity=0)
            for name in manifest["media"]:
                target = root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(workdir) / MEDIA / name, target)
    return manifest
