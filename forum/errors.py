"""Error pages in Japanese: a database outage is 503 with Retry-After, CSRF failures 403.

Django's own handlers render 400.html, 403.html and 404.html from templates/; inside the
admin, staff get admin/403.html and admin/404.html in the admin's look instead. These need code: the 500 handler tells an outage of the database (which passes by itself, so
clients and proxies are asked to retry) from a fault of the site.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.template.loader import render_to_string
from django.views import defaults

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


ADMIN_PREFIX = "/admin/"


def _in_the_admin(request):
    """A staff member on the admin's pages gets its error pages in the admin's look."""
    user = getattr(request, "user", None)
    return request.path_info.startswith(ADMIN_PREFIX) and user is not None and user.is_active and user.is_staff


def _admin_error(request, template_name, status, exception=None):
    from django.contrib import admin

    context = {**admin.site.each_context(request), "exception": exception}
    return HttpResponse(render_to_string(template_name, context, request=request), status=status)


def page_not_found(request, exception, template_name="404.html"):
    if _in_the_admin(request):
        return _admin_error(request, "admin/404.html", 404)
    return defaults.page_not_found(request, exception, template_name)


def permission_denied(request, exception, template_name="403.html"):
    if _in_the_admin(request):
        message = str(exception) if exception and str(exception) else ""
        return _admin_error(request, "admin/403.html", 403, message)
    return defaults.permission_denied(request, exception, template_name)
