"""The endpoints of /api/v1/ (django-ninja): parameters validated by the models in schemas.py,
records built by records.py. Errors are 400s naming the parameter in Japanese and English."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import urlencode
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.throttling import SimpleRateThrottle

from articles.api import csv_records, errors, records
from articles.api.schemas import (
    ErrorBody,
    PersonFilters,
    PersonList,
    RoundtableFilters,
    RoundtableList,
    SpeechFilters,
    SpeechList,
)
from forum.web.seo import absolute_url


class ClientRateThrottle(SimpleRateThrottle):
    """settings.API_RATE_LIMIT requests per client and period ("120/m"; "off" for none),
    read on every request so that a deployment (or a test) can change it."""

    scope = "open-data"

    def __init__(self):
        self.rate = None

    def allow_request(self, request):
        rate = (settings.API_RATE_LIMIT or "").strip()
        if not rate or rate.lower() == "off":
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class Utf8JSONRenderer(JSONRenderer):
    """Japanese text as UTF-8 characters, not \\u escapes: readable, and a third smaller."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="座談会オープンデータAPI",
    version="1",
    description=(
        "公開中の座談会・対談・インタビューの発言を、国会会議録検索システムAPIにならった形で返します。"
        'データの利用条件は各応答の license と Link ヘッダー(rel="license")のとおりです。'
    ),
    urls_namespace="open_data",
    docs_url=None,
    throttle=[ClientRateThrottle()],
)

ERRORS = {
    304: None,
    400: ErrorBody,
    429: ErrorBody,
}
NOT_MODIFIED = {304: {"description": "ETag / Last-Modified が一致(本文なし)。"}}


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return api.create_response(request, errors.error_body(errors.from_pydantic(exc.errors)), status=400)


@api.exception_handler(errors.BadParameters)
def bad_parameters(request, exc):
    return api.create_response(request, errors.error_body(exc.details), status=400)


@api.exception_handler(HttpError)
def http_error(request, exc):
    return api.create_response(request, errors.error_body([], status=exc.status_code), status=exc.status_code)


def _check(request, filters_class, filters):
    allowed = [field.alias or name for name, field in filters_class.model_fields.items()]
    unknown = sorted(set(request.GET) - set(allowed))
    details = errors.unknown_parameters(unknown, allowed) if unknown else []
    details += [
        errors.detail(
            name, f"「{name}」に制御文字(NUL など)は使えません。", f"'{name}' must not contain control characters."
        )
        for name, value in sorted(request.GET.items())
        if name in allowed and _has_control(value)
    ]
    start, end = getattr(filters, "from_", None), getattr(filters, "until", None)
    if start and end and start > end:
        details.append(
            errors.detail(
                "from", "from(開始日)は until(終了日)以前の日付にしてください。", "'from' must not be after 'until'."
            )
        )
    if details:
        raise errors.BadParameters(details)
    request.open_data_modified = records.last_modified()


def _has_control(value):
    """C0 controls but tab, line feed and carriage return: no stored text holds them, and
    PostgreSQL refuses NUL in a query."""
    return any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value)


def _window(filters):
    return records.Window(filters.startRecord, filters.maximumRecords)


def _next_link(request, body):
    """Link rel="next" for the next page, the query kept."""
    if body["nextRecordPosition"] is None:
        return None
    query = request.GET.copy()
    query["startRecord"] = body["nextRecordPosition"]
    return absolute_url(f"{request.path}?{urlencode(sorted(query.items()))}")


def _paged(request, body):
    request.open_data_next = _next_link(request, body)
    return body


CSV_RESPONSE = {
    "responses": {
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **NOT_MODIFIED,
    }
}


@api.get(
    "/speeches",
    response={200: SpeechList, **ERRORS},
    openapi_extra=CSV_RESPONSE,
    summary="発言",
    operation_id="speeches",
)
def speeches(request, filters: Query[SpeechFilters]):
    """公開中の発言を1件1記録で返します(古い座談会から、読む順に)。"""
    _check(request, SpeechFilters, filters)
    body = records.page(records.speeches(filters), _window(filters), "speechRecord", records.speech_records)
    _paged(request, body)
    if filters.format == "csv":
        response = HttpResponse(csv_records.speeches_csv(body["speechRecord"]), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="speeches.csv"'
        return response
    return body


@api.get(
    "/roundtables",
    response={200: RoundtableList, **ERRORS},
    openapi_extra={"responses": NOT_MODIFIED},
    summary="座談会",
    operation_id="roundtables",
)
def roundtables(request, filters: Query[RoundtableFilters]):
    """公開中の座談会を、公開中のパートと参加者(その時の肩書き)とともに返します。"""
    _check(request, RoundtableFilters, filters)
    return _paged(
        request,
        records.page(records.roundtables(filters), _window(filters), "roundtableRecord", records.roundtable_records),
    )


@api.get(
    "/people",
    response={200: PersonList, **ERRORS},
    openapi_extra={"responses": NOT_MODIFIED},
    summary="人物",
    operation_id="people",
)
def people(request, filters: Query[PersonFilters]):
    """公開中の座談会に参加した人を、参加ごとの肩書きとともに返します(五十音順)。"""
    _check(request, PersonFilters, filters)
    return _paged(
        request, records.page(records.people(filters), _window(filters), "personRecord", records.person_records)
    )
