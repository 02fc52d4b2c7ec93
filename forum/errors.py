"""Error pages in Japanese: a database outage is 503 with Retry-After, CSRF failures 403.

Django's own handlers render 400.html, 403.html and 404.html from templates/; these two
need code: the 500 handler tells an outage of the database (which passes by itself, so
clients and proxies are asked to retry) from a fault of the site.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseForbidden, HttpResponseServerError
from django.template.loader import render_to_string

DATABASE_FAULTS = (OperationalError, InterfaceError)


def _is_database_fault(error):
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_FAULTS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name="500.html"):
    if _is_database_fault(sys.exc_info()[1]):
        response = HttpResponseServerError(render_to_string("503.html", request=request))
        response.status_code = 503
        response.reason_phrase = "Service Unavailable"
        response["Retry-After"] = str(settings.DATABASE_OUTAGE_RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(render_to_string(template_name, request=request))


def csrf_failure(request, reason=""):
    return HttpResponseForbidden(render_to_string("403_csrf.html", request=request))
