"""The API's human documentation page and the bulk files (articles/api/bulk.py)."""

from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from articles.api import bulk, errors, records
from articles.api.schemas import (
    PersonFilters,
    PersonRecord,
    RoundtableFilters,
    RoundtableRecord,
    SpeechFilters,
    SpeechRecord,
)
from forum.web import seo
from forum.web.seo import absolute_url


def _fields(schema, exclude=()):
    return [
        (field.alias or name, field.description or "")
        for name, field in schema.model_fields.items()
        if name not in exclude
    ]


@require_safe
def documentation(request):
    request.open_data_modified = None
    meta = seo.PageMeta(
        title="オープンデータAPI",
        description="公開中の座談会の発言・座談会・人物を返すAPIの説明。",
        path=request.path,
        og_type="website",
        crumbs=[seo.site_crumb(), seo.Crumb("オープンデータAPI", request.path)],
        json_ld=[],
    )
    return render(
        request,
        "articles/api_docs.html",
        {
            "meta": meta,
            "base": absolute_url("/api/v1"),
            "license": records.license_info(),
            "speech_filters": _fields(SpeechFilters),
            "roundtable_filters": _fields(RoundtableFilters),
            "person_filters": _fields(PersonFilters),
            "speech_fields": _fields(SpeechRecord),
            "roundtable_fields": _fields(RoundtableRecord),
            "person_fields": _fields(PersonRecord),
            "manifest": bulk.read_manifest(),
        },
    )


def _not_generated():
    body = errors.error_body(
        [
            errors.detail(
                None,
                "一括ダウンロードのファイルはまだ作られていません(manage.py export_open_data)。",
                "The bulk files have not been written yet (manage.py export_open_data).",
            )
        ]
    )
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


@require_safe
def bulk_index(request):
    manifest = bulk.read_manifest()
    if manifest is None:
        return _not_generated()
    manifest = {
        **manifest,
        "files": [{**entry, "url": absolute_url(f"/api/v1/bulk/{entry['name']}")} for entry in manifest["files"]],
    }
    return JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})


@require_safe
def bulk_file(request, name):
    manifest = bulk.read_manifest()
    entry = next((e for e in (manifest or {}).get("files", []) if e["name"] == name), None)
    path = bulk.root() / name
    if entry is None or name not in bulk.FILES or not path.is_file():
        return _not_generated()
    modified = path.stat().st_mtime
    etag = f'"{entry["sha256"]}"'
    response = get_conditional_response(request, etag=etag, last_modified=int(modified))
    if response is None:
        response = FileResponse(path.open("rb"), content_type=entry["mediaType"], as_attachment=True, filename=name)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    return response
