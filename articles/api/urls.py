"""/api/v1/: the documentation page, the bulk files and the ninja endpoints, each through
articles.api.http.open_data_response (licence, caching, ETag, 304). Included from forum/urls.py."""

from django.urls import URLPattern, path

from articles.api import views
from articles.api.endpoints import api
from articles.api.http import open_data_response

_ninja_patterns, _, _ = api.urls

app_name = "open_data"
urlpatterns = [
    path("", open_data_response(views.documentation), name="documentation"),
    path("bulk/", open_data_response(views.bulk_index), name="bulk_index"),
    path("bulk/<str:name>", open_data_response(views.bulk_file), name="bulk_file"),
] + [
    URLPattern(pattern.pattern, open_data_response(pattern.callback), pattern.default_args, pattern.name)
    for pattern in _ninja_patterns
]
