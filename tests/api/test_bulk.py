"""The bulk download: written by `manage.py export_open_data`, served at /api/v1/bulk/."""

import csv
import hashlib
import io
import json

import pytest
from django.core.management import call_command

from articles.visibility import public_turns
from tests.api.conftest import DRAFT_WORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(sample, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "opendata"
    out = io.StringIO()
    call_command("export_open_data", stdout=out)
    return settings.OPEN_DATA_ROOT, out.getvalue()


def test_the_command_writes_every_public_turn_as_json_lines_and_csv(written, client):
    root, output = written
    total = public_turns().count()
    assert f"speeches.jsonl: {total} records" in output
    lines = (root / "speeches.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == total
    api = client.get("/api/v1/speeches?maximumRecords=100").json()["speechRecord"]
    assert records == api  # the same records, in the same order, as the API
    assert all(DRAFT_WORD not in line for line in lines)

    raw = (root / "speeches.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [int(row["speechID"]) for row in rows] == [record["speechID"] for record in records]
    api_csv = client.get("/api/v1/speeches?maximumRecords=100&format=csv").content
    assert raw == api_csv

    roundtables = [json.loads(line) for line in (root / "roundtables.jsonl").read_text(encoding="utf-8").splitlines()]
    assert roundtables == client.get("/api/v1/roundtables").json()["roundtableRecord"]
    people = [json.loads(line) for line in (root / "people.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [p["name"] for p in people] == [p["name"] for p in client.get("/api/v1/people").json()["personRecord"]]
    assert "下書き 次郎" not in [p["name"] for p in people]


def test_the_manifest_describes_the_files_and_the_site_serves_them(written, client):
    root, _ = written
    index = client.get("/api/v1/bulk/")
    assert index.status_code == 200
    manifest = index.json()
    assert manifest["license"]["name"] == "CC BY 4.0"
    files = {entry["name"]: entry for entry in manifest["files"]}
    assert set(files) == {"speeches.jsonl", "speeches.csv", "roundtables.jsonl", "people.jsonl"}
    for name, entry in files.items():
        data = (root / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
        response = client.get(f"/api/v1/bulk/{name}")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == data
        assert response["Content-Type"] == entry["mediaType"]
        assert f'filename="{name}"' in response["Content-Disposition"]
        assert response["Link"].endswith('rel="license"')
        assert client.get(f"/api/v1/bulk/{name}", headers={"If-None-Match": response["ETag"]}).status_code == 304
    assert files["speeches.csv"]["mediaType"] == "text/csv; charset=utf-8"


def test_rewriting_leaves_no_partial_files_and_unknown_names_are_refused(written, client):
    root, _ = written
    call_command("export_open_data", stdout=io.StringIO())
    assert sorted(path.name for path in root.iterdir()) == [
        "manifest.json",
        "people.jsonl",
        "roundtables.jsonl",
        "speeches.csv",
        "speeches.jsonl",
    ]
    for name in ("manifest.json", "..%2Fmanifest.json", "secret.txt", ".speeches.csv.partial"):
        assert client.get(f"/api/v1/bulk/{name}").status_code == 404


def test_before_the_first_export_the_bulk_urls_say_so(client, sample, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "none-yet"
    response = client.get("/api/v1/bulk/")
    assert response.status_code == 404
    assert "export_open_data" in response.json()["message"]
    assert client.get("/api/v1/bulk/speeches.csv").status_code == 404
