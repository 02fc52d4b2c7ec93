"""The part page: everything a reader needs, in a fixed number of queries however long."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from articles.content import listed_participants, load_articles_content, load_participants
from articles.models import resolve_credit_affiliations
from articles.series import part_note, total_parts
from articles.visibility import back_numbers, organisations_of, public_parts
from forum.page_cache import public_page
from forum.web import seo

BACK_NUMBERS_ON_PART = 10


@public_page
def article_detail(request, slug):
    article = get_object_or_404(public_parts().select_related("roundtable", "roundtable__forum"), slug=slug)
    return render(request, "articles/article_detail.html", article_page_context(article))


def article_page_context(article, preview=False):
    """Everything templates/articles/article_detail.html needs. The public page and the
    staff preview (articles.preview) both use it, so a preview is the page to come; in a
    preview the part counts among its roundtable's public parts as it will once published."""
    roundtable, forum = article.roundtable, article.roundtable.forum
    parts = article.parts()  # public parts only
    if preview and article not in parts:
        # A correction draft stands in for the live part it corrects.
        others = [part for part in parts if part.pk != article.correction_of_id]
        parts = sorted([*others, article], key=lambda part: part.part_number)
    total = total_parts(article)
    credits = resolve_credit_affiliations(article.credits.all())
    listed = list(back_numbers(forum, limit=BACK_NUMBERS_ON_PART + 1))
    for listed_roundtable in listed:
        listed_roundtable.organisations = organisations_of(listed_roundtable)
    participants = load_participants({roundtable.pk})
    content = load_articles_content([article], participants)[article.pk]
    return {
        "article": article,
        "roundtable": roundtable,
        "forum": forum,
        "content": content,
        "toc": [entry.section for entry in content if entry.section.heading],
        "participants": listed_participants(participants.values(), content),
        "credits": credits,
        "part_note": part_note(article, parts, total),
        "previous_part": next((p for p in reversed(parts) if p.part_number < article.part_number), None),
        "next_part": next((p for p in parts if p.part_number > article.part_number), None),
        "back_numbers": listed[:BACK_NUMBERS_ON_PART],
        "more_back_numbers": len(listed) > BACK_NUMBERS_ON_PART,
        "meta": _meta(article, roundtable, forum, parts, credits),
    }


def _meta(article, roundtable, forum, parts, credits):
    url = seo.absolute_url(article.get_absolute_url())
    description = (
        seo.plain_text(article.lead_html)
        or seo.plain_text(article.introduction_html)
        or (f"{forum.name} {roundtable.numbered_title}")
    )
    image = seo.social_image(article.header_image, article.header_image_alt)
    published = timezone.localtime(article.publish_at or timezone.now())  # a draft in preview has none
    modified = timezone.localtime(max(article.updated_at, published))
    writers = [credit for credit, _ in credits if credit.is_writer]
    data = {
        "@type": "Article",
        "@id": url,
        "headline": article.title,
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": "ja",
        "datePublished": published,
        "dateModified": modified,
        "author": [{"@type": "Person", "name": credit.name} for credit in writers] or seo.organisation_ld(forum),
        "publisher": seo.organisation_ld(forum),
        "position": article.part_number,
        "isPartOf": {
            "@type": "CreativeWork",
            "name": roundtable.numbered_title,
            "url": seo.absolute_url(roundtable.get_absolute_url()),
            "hasPart": [
                {
                    "@type": "Article",
                    "position": part.part_number,
                    "headline": part.title,
                    "url": seo.absolute_url(part.get_absolute_url()),
                }
                for part in parts
            ],
            "isPartOf": seo.series_ld(forum),
        },
    }
    if image:
        data["image"] = image.url
    return seo.PageMeta(
        title=article.title,
        description=description,
        path=article.get_absolute_url(),
        og_type="article",
        image=image,
        crumbs=seo.roundtable_crumbs(roundtable) + [seo.Crumb(article.title, article.get_absolute_url())],
        json_ld=[data],
        published=published,
        modified=modified,
    )
