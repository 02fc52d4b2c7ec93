from django.shortcuts import get_object_or_404, render

from articles.content import load_article_content
from articles.models import Article, resolve_credit_affiliations


def article_page_context(article, preview=False):
    """Everything templates/articles/article_detail.html needs; the public page and the
    staff preview (articles.preview) both use it, so the preview is the page to come.

    In a preview the part is counted among its roundtable's parts as it will be once public.
    """
    previous_part, next_part = article.neighbours()
    parts = article.parts()
    if preview and article not in parts:
        parts = sorted([*parts, article], key=lambda part: part.part_number)
    return {
        "article": article,
        "roundtable": article.roundtable,
        "content": load_article_content(article),
        "participants": article.roundtable.participants.with_title_parts(),
        "credits": resolve_credit_affiliations(article.credits.all()),
        "previous_part": previous_part,
        "next_part": next_part,
        "parts": parts,
    }


def article_detail(request, slug):
    article = get_object_or_404(
        Article.objects.published().select_related("roundtable", "roundtable__forum"), slug=slug
    )
    return render(request, "articles/article_detail.html", article_page_context(article))
