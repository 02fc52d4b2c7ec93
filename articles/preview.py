"""Staff preview of a part, draft or scheduled, exactly as its public page will render.

Same template and same context function as the public page (articles.views), marked
プレビュー, never cached, never indexed. Anyone who is not staff with the right to view
parts gets a 404, as if the page did not exist.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from articles import workflow
from articles.models import Article
from articles.views import article_page_context


def may_preview(user):
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


@never_cache
def article_preview(request, pk):
    if not may_preview(request.user):
        raise Http404
    article = get_object_or_404(Article.objects.select_related("roundtable", "roundtable__forum"), pk=pk)
    if article.correction_of_id is not None:
        # A correction is previewed at the address it will have: the live part's.
        article.slug = Article.objects.values_list("slug", flat=True).get(pk=article.correction_of_id)
    context = article_page_context(article, preview=True)
    context.update(
        {
            "preview": True,
            "preview_state": workflow.state(article),
            "preview_state_label": workflow.state_label(article),
            "preview_publish_at": workflow.format_when(article.publish_at) if article.publish_at else "",
            "preview_correction": article.correction_of_id is not None,
        }
    )
    response = render(request, "articles/article_preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
