"""Uploaded files, served only to whom they are public (issue 15, point 8).

A random file name is not access control: a draft's images leak as soon as their address
does (a shared preview link, a referrer, a log). So MEDIA_URL is answered by this view:
an image, or a rendition of it, is served to anyone once a public part uses it (header
image, figure, or a Markdown upload in a turn's body) or a public person page shows it;
before that only to logged-in staff; otherwise 404. With MEDIA_ACCEL_REDIRECT set (e.g.
/protected-media/), the file itself is sent by nginx (X-Accel-Redirect to an internal
location aliasing MEDIA_ROOT) after this check.
"""

import posixpath

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils._os import safe_join
from django.views.decorators.http import require_safe
from django.views.static import serve

from forum.images.renditions import ROOT as RENDITIONS

PUBLIC_CACHE = "public, max-age=86400"
STAFF_CACHE = "private, no-store"


def original_name(path):
    """The uploaded file a path belongs to: renditions/<original>/<width>.<ext> → <original>."""
    prefix = RENDITIONS + "/"
    if path.startswith(prefix):
        return posixpath.dirname(path[len(prefix) :])
    return path


def is_public_file(name):
    from articles.models import Article, Figure
    from articles.visibility import public_people, public_turns

    if not name:
        return False
    published = Article.objects.published()
    return (
        published.filter(header_image=name).exists()
        or Figure.objects.filter(image=name, section__article__in=published).exists()
        or public_people().filter(photo=name).exists()
        or (name.startswith(settings.MARKDOWNX_MEDIA_PATH) and public_turns().filter(body__contains=name).exists())
    )


@require_safe
def serve_media(request, path):
    path = posixpath.normpath(path).lstrip("/")
    try:
        safe_join(str(settings.MEDIA_ROOT), path)
    except ValueError:
        raise Http404 from None
    if is_public_file(original_name(path)):
        cache_control = PUBLIC_CACHE
    elif request.user.is_authenticated and request.user.is_staff:
        cache_control = STAFF_CACHE
    else:
        raise Http404
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse()
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + path
        response["Content-Type"] = ""
    else:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = cache_control
    if cache_control == STAFF_CACHE:
        response["Vary"] = "Cookie"
    return response
