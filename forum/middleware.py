"""Guards in front of every view, and the site's security headers.

RequestGuardMiddleware turns requests no page is made for into clear 4xx answers instead of
errors deep inside a view (a NUL byte reaching PostgreSQL is a 500 there):
- a NUL byte in the path or the query string (filters, searches): 400;
- methods other than GET, HEAD and POST (TRACE, OPTIONS, PUT …): 405 with Allow;
- an admin list action whose selection is not a list of record numbers: 400.
It also gives the editors' tools every posted text with LF line endings: browsers send a
textarea's lines as CRLF, which would be stored, and would make an untouched lead or turn
count as changed on every save (「リード文を変更」 in the history).
SiteCSPMiddleware sends django-csp's policy, a workable one on the admin, and
Permissions-Policy on every response.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, QueryDict
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from csp.middleware import CSPMiddleware, PolicyParts

from forum.web.text import normalise_line_endings

ALLOWED_METHODS = ("GET", "HEAD", "POST")
PUBLIC_METHODS = ("GET", "HEAD")
# Paths of the editors' tools (the admin and the widgets it calls); everything else is public.
STAFF_PREFIXES = ("/admin/", "/_nested_admin/", "/markdownx/")
ACTION_SELECTION = "_selected_action"
API_PREFIX = "/api/"

# The admin: Django's admin, nested_admin and markdownx load their scripts from files
# (no inline script), but set style attributes; markdownx previews show uploaded images.
ADMIN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}


def is_staff_path(path):
    return path.startswith(STAFF_PREFIXES)


def bad_request(request, message):
    html = render_to_string("400.html", {"message": message})
    return HttpResponseBadRequest(html)


def _with_lf_line_endings(post):
    if not any("\r" in value for values in post.lists() for value in values[1]):
        return post
    normalised = QueryDict(mutable=True, encoding=post.encoding)
    for key, values in post.lists():
        normalised.setlist(key, [normalise_line_endings(value) for value in values])
    normalised._mutable = False
    return normalised


def _has_nul(items):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in items)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            allowed = ALLOWED_METHODS if is_staff_path(request.path_info) else PUBLIC_METHODS
            response = HttpResponseNotAllowed(allowed)
            response.content = render_to_string("405.html", {"allowed": ", ".join(allowed)})
            response["Content-Type"] = "text/html; charset=utf-8"
            return response
        # Posted forms report a NUL beside the field (Django's CharField refuses it; the
        # transcript import names the line), so only the address is checked here.
        # The open data API (/api/) answers a NUL in its parameters itself, as JSON naming the
        # parameter in Japanese and English (articles.api.endpoints), as its OpenAPI says.
        api = request.path_info.startswith(API_PREFIX)
        if "\x00" in request.path or (not api and _has_nul(request.GET.lists())):
            return bad_request(request, _("リクエストに使えない文字(NUL)が含まれています。入力を確かめてください。"))
        if request.method == "POST" and is_staff_path(request.path_info) and request.POST.get("action"):
            selection = request.POST.getlist(ACTION_SELECTION)
            if any(not value.isascii() or not value.isdigit() for value in selection):
                return bad_request(
                    request, _("一覧で選んだ項目が正しくありません。一覧を開き直して、選び直してください。")
                )
        if request.method == "POST" and is_staff_path(request.path_info):
            request.POST = _with_lf_line_endings(request.POST)
        return self.get_response(request)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked login, in Japanese; the same for any account name."""
    from django.contrib import admin
    from django.template.response import TemplateResponse

    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    response = TemplateResponse(
        request,
        "registration/locked_out.html",
        {
            **admin.site.each_context(request),
            "minutes": minutes,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(minutes * 60)
    return response.render()


def client_ip(request):
    """The client's address for login throttling, behind TRUSTED_PROXY_COUNT proxies."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp with the admin's policy on its paths, and Permissions-Policy everywhere."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and is_staff_path(request.path_info) and parts.config is None:
            return PolicyParts(ADMIN_CSP, parts.update, parts.replace, parts.nonce)
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
