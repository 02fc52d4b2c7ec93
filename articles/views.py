from django.shortcuts import get_object_or_404, render

from articles.content import load_article_content
from articles.models import Article, resolve_credit_affiliations


def article_detail(request, slug):
    article = get_object_or_404(
        Article.objects.published().select_related("roundtable", "roundtable__forum"), slug=slug
    )
    previous_part, next_part = article.neighbours()
    return render(request, "articles/article_detail.html", {
        "article": article,
        "roundtable": article.roundtable,
        "content": load_article_content(article),
        "participants": article.roundtable.participants.with_title_parts(),
        "credits": resolve_credit_affiliations(article.credits.all()),
        "previous_part": previous_part,
        "next_part": next_part,
        "parts": article.parts(),
    })
