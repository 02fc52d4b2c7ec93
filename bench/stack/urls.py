"""The site's URLs, plus what the benchmark compares them with:

- /_bench/same-bytes/: a trivial Django view returning the bytes of the article page as
  they were served (the framework's floor for a response of that size);
- /_bench/uncached/...: the public views themselves, rendering every request from the
  database: nothing of the page made before is used (the first page after a change);
- /_bench/not-kept/...: the view as public_page runs it when the page is not in the cache: the
  content version read, the page rendered, with what other pages made for the same version
  share (forum.page_cache.shared_part: the footer, the forum's back numbers, the roundtable's
  public parts, a person's appearances and turn counts), as for every further page of a forum
  or a person after a change;
- /_bench/plain-django/articles/<slug>/: the reference the issue measured the part page
  against, a part page as plain Django templates render it from the models on every request
  (four queries: the part with its roundtable and forum, its sections, their turns with the
  speakers, the participants; the bodies through |linebreaks;
  bench/stack/templates/bench/plain_article.html). It prints less than the part page (no
  ふりがな, back numbers, metadata or reader's tools), so the ratio to it flatters the reference.
"""

import os
from pathlib import Path

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from articles import feeds
from articles.models import Article, SpeakerTurn
from articles.views import article_detail
from forum import page_cache
from forum.urls import urlpatterns as site_patterns
from forum.views import forum_detail
from participants.views import person_appearances, person_detail

_same_bytes = []


def same_bytes(request):
    if not _same_bytes:  # read once per process (the file is written after this module loads)
        _same_bytes.append(Path(os.environ.get("BENCH_SAME_BYTES_FILE", "/dev/null")).read_bytes())
    return HttpResponse(_same_bytes[0], content_type="text/html; charset=utf-8")


def plain_django(request, slug):
    """The part page as plain Django templates make it from the models (the reference)."""
    article = get_object_or_404(
        Article.objects.select_related("roundtable", "roundtable__forum").prefetch_related(
            "sections", Prefetch("sections__turns", queryset=SpeakerTurn.objects.select_related("speaker"))
        ),
        slug=slug,
    )
    participants = article.roundtable.participants.order_by("order", "pk")
    return render(request, "bench/plain_article.html", {"article": article, "participants": participants})


def not_kept(view):
    """The view as public_page calls it for a page that is not in the cache."""

    def bench_view(request, *args, **kwargs):
        with page_cache.serving(page_cache.current_version()):
            return view.uncached(request, *args, **kwargs)

    return bench_view


urlpatterns = [
    path("_bench/not-kept/articles/<slug:slug>/", not_kept(article_detail)),
    path("_bench/not-kept/people/<int:pk>/", not_kept(person_detail)),
    path("_bench/not-kept/people/<int:pk>/roundtables/", not_kept(person_appearances)),
    path("_bench/plain-django/articles/<slug:slug>/", plain_django),
    path("_bench/same-bytes/", same_bytes),
    path("_bench/uncached/articles/<slug:slug>/", article_detail.uncached),
    path("_bench/uncached/forums/<slug:slug>/", forum_detail.uncached),
    path("_bench/uncached/people/<int:pk>/", person_detail.uncached),
    path("_bench/uncached/people/<int:pk>/roundtables/", person_appearances.uncached),
    path("_bench/uncached/feeds/rss/", feeds.ArticleRssFeed()),
    *site_patterns,
]
