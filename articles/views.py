"""The part page: everything a reader needs, in a fixed number of queries however long."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

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
    listed_people = listed_participants(participants.values(), content)
    speaking = {block.speaker.pk for entry in content for block in entry.blocks if block.speaker}
    speakers = [participant for participant in listed_people if participant.pk in speaking]
    note = part_note(article, parts, total)
    return {
        "article": article,
        "roundtable": roundtable,
        "forum": forum,
        "content": content,
        "toc": [entry.section for entry in content if entry.section.heading],
        "participants": listed_people,
        "credits": credits,
        "part_note": note,
        "previous_part": next((p for p in reversed(parts) if p.part_number < article.part_number), None),
        "next_part": next((p for p in parts if p.part_number > article.part_number), None),
        "back_numbers": listed[:BACK_NUMBERS_ON_PART],
        "more_back_numbers": len(listed) > BACK_NUMBERS_ON_PART,
        "meta": _meta(article, roundtable, forum, parts, credits, content, speakers, note),
    }


def part_description(article, roundtable, forum, content, speakers, note):
    """The meta description, from the part's own content: who speaks and its headings
    (a series' leads all open with the same stock sentence, so the lead says nothing of
    the part). Speakers first, so that a cut at the length limit only loses headings."""
    where = f"{forum.name} {roundtable.numbered_title}" + (f"の{note.name}" if note else "")
    names = "、".join(participant.person.name for participant in speakers)
    headings = "、".join(entry.section.heading for entry in content if entry.section.heading)
    if names:
        text = _("%(names)sが語る、%(where)s。") % {"names": names, "where": where}
    else:
        text = f"{where}。"
    if headings:
        text += _("見出し: %(headings)s") % {"headings": headings}
    return seo.plain_text(text)


def speaker_ld(participant):
    """A speaker as schema.org Person, with the title printed for this appearance."""
    data = {"@type": "Person", "name": participant.person.name}
    if participant.full_title:
        data["jobTitle"] = participant.full_title
    if participant.organisation is not None:
        data["affiliation"] = {"@type": "Organization", "name": participant.organisation.name}
    return data


def _meta(article, roundtable, forum, parts, credits, content, speakers, note):
    url = seo.absolute_url(article.get_absolute_url())
    description = part_description(article, roundtable, forum, content, speakers, note)
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
        "contributor": [speaker_ld(participant) for participant in speakers],
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
