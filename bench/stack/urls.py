"""The site's URLs, plus what the benchmark compares them with:

- /_bench/same-bytes/: a trivial Django view returning the bytes of the article page as
  they were served (the framework's floor for a response of that size);
- /_bench/uncached/...: the public views themselves, rendering every request.
"""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from articles import feeds
from articles.views import article_detail
from forum.urls import urlpatterns as site_patterns
from forum.views import forum_detail
from participants.views import person_detail

_same_bytes = []


def same_bytes(request):
    if not _same_bytes:  # read once per process (the file is written after this module loads)
        _same_bytes.append(Path(os.environ.get("BENCH_SAME_BYTES_FILE", "/dev/null")).read_bytes())
    return HttpResponse(_same_bytes[0], content_type="text/html; charset=utf-8")


urlpatterns = [
    path("_bench/same-bytes/", same_bytes),
    path("_bench/uncached/articles/<slug:slug>/", article_detail.uncached),
    path("_bench/uncached/forums/<slug:slug>/", forum_detail.uncached),
    path("_bench/uncached/people/<int:pk>/", person_detail.uncached),
    path("_bench/uncached/feeds/rss/", feeds.ArticleRssFeed()),
    *site_patterns,
]
