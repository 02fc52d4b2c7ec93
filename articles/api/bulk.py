"""The bulk download: the whole public corpus as files, written by
`manage.py export_open_data` into settings.OPEN_DATA_ROOT and served at /api/v1/bulk/.

speeches.jsonl and speeches.csv hold every public turn (the same records, in the same order,
as /api/v1/speeches); roundtables.jsonl and people.jsonl those of the other endpoints;
manifest.json names the files with their record counts, sizes, SHA-256 and the licence. Each
file is written beside its final name and renamed into place, so a download never sees half
a file, and only public content is read, through the API's own querysets.
"""

import hashlib
import json
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from articles.api import csv_records, records
from articles.api.schemas import (
    PersonFilters,
    PersonRecord,
    RoundtableFilters,
    RoundtableRecord,
    SpeechFilters,
    SpeechRecord,
)

CHUNK = 500
MANIFEST = "manifest.json"
MEDIA_TYPES = {
    ".jsonl": "application/x-ndjson; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
}
FILES = ("speeches.jsonl", "speeches.csv", "roundtables.jsonl", "people.jsonl")


def root():
    return Path(settings.OPEN_DATA_ROOT)


def _chunks(queryset, build):
    """Records of the whole queryset in its order: the ids once, then CHUNK rows at a time, so
    the export is one consistent list however long it takes."""
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {row.pk: row for row in queryset.filter(pk__in=chunk)}
        yield build([rows[pk] for pk in chunk if pk in rows])


def speech_records():
    for chunk in _chunks(records.speeches(SpeechFilters()), records.speech_records):
        yield from chunk


def _jsonl(path, schema, items):
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for item in items:
            out.write(schema.model_validate(item).model_dump_json(by_alias=True) + "\n")
            count += 1
    return count


def _csv(path, items):
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(csv_records.BOM)
        writer = csv_records.writer(out)
        writer.writerow(csv_records.HEADER)
        for row in csv_records.rows(items):
            writer.writerow(row)
            count += 1
    return count


def _digest(path):
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            sha.update(block)
    return sha.hexdigest()


def export(directory=None):
    """Write every bulk file and the manifest; return the manifest."""
    directory = Path(directory or root())
    directory.mkdir(parents=True, exist_ok=True)
    writers = {
        "speeches.jsonl": lambda path: _jsonl(path, SpeechRecord, speech_records()),
        "speeches.csv": lambda path: _csv(path, speech_records()),
        "roundtables.jsonl": lambda path: _jsonl(
            path,
            RoundtableRecord,
            (
                record
                for chunk in _chunks(records.roundtables(RoundtableFilters()), records.roundtable_records)
                for record in chunk
            ),
        ),
        "people.jsonl": lambda path: _jsonl(
            path,
            PersonRecord,
            (record for chunk in _chunks(records.people(PersonFilters()), records.person_records) for record in chunk),
        ),
    }
    files = []
    for name in FILES:
        partial = directory / f".{name}.partial"
        count = writers[name](partial)
        os.replace(partial, directory / name)
        path = directory / name
        files.append(
            {
                "name": name,
                "records": count,
                "bytes": path.stat().st_size,
                "sha256": _digest(path),
                "mediaType": MEDIA_TYPES[path.suffix],
            }
        )
    manifest = {
        "generated": timezone.localtime().isoformat(timespec="seconds"),
        "license": records.license_info(),
        "files": files,
    }
    partial = directory / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(partial, directory / MANIFEST)
    return manifest


def read_manifest():
    try:
        return json.loads((root() / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
