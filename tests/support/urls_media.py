"""The site's URLs plus uploaded files, for browser tests (the live server runs with DEBUG off)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from forum.urls import urlpatterns as site_urlpatterns


def media(request, path):
    # MEDIA_ROOT is read per request: each test has its own folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site_urlpatterns]
