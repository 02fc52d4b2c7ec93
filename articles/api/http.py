"""What data users expect of HTTP, around every API view: the licence (Link rel="license"),
Cache-Control, an ETag (a hash of the bytes sent) and Last-Modified, and 304 Not Modified on
a matching conditional GET. CORS is django-cors-headers' (settings.CORS_URLS_REGEX)."""

import functools

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date


def links(request, next_url=None):
    value = f'<{settings.OPEN_DATA_LICENSE_URL}>; rel="license"'
    if next_url:
        value += f', <{next_url}>; rel="next"'
    return value


def open_data_response(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        head = request.method == "HEAD"
        if head:
            request.method = "GET"  # ninja's operations are GET only; HEAD is GET without the body
        try:
            response = _respond(view, request, *args, **kwargs)
        finally:
            if head:
                request.method = "HEAD"
        if head and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return wrapped


def _respond(view, request, *args, **kwargs):
    response = view(request, *args, **kwargs)
    if not response.has_header("Link"):
        response["Link"] = links(request, getattr(request, "open_data_next", None))
    if response.status_code not in (200, 304):
        patch_cache_control(response, no_store=True)  # errors and 429s are not to be kept
        return response
    patch_cache_control(response, public=True, max_age=settings.API_MAX_AGE)
    if response.streaming or response.status_code == 304:  # the bulk files answer for themselves
        return response
    modified = getattr(request, "open_data_modified", None)
    if modified is not None and not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(modified.timestamp())
    if not response.has_header("ETag"):
        set_response_etag(response)
    conditional = get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(modified.timestamp()) if modified is not None else None,
        response=response,
    )
    conditional["Link"] = response["Link"]  # a 304 states the licence too
    return conditional
