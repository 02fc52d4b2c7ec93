"""The part page: everything a reader needs, in a fixed number of queries however long."""

from collections import defaultdict

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles import renditions
from articles.models import Rendition, TurnCount
from articles.series import part_note
from articles.visibility import public_parts, recent_back_numbers
from forum.fixed_queries import SAMPLE_TEXTS, SAMPLE_TIMES, FixedQuery
from forum.page_cache import public_page, shared_part
from forum.web import seo

BACK_NUMBERS_ON_PART = 10


# The part with what its page prints of its roundtable, forum and stored rendition, but for
# the feeds' copy of the body (articles.feed_items); its SQL built once (forum.fixed_queries).
PUBLIC_PART = FixedQuery(
    lambda slug, now: (
        public_parts(now)
        .select_related("roundtable", "roundtable__forum", "rendition")
        .defer("rendition__feed_html")
        .filter(slug=slug)
        .order_by()[:1]
    ),
    name="public part",
    slug=SAMPLE_TEXTS,
    now=SAMPLE_TIMES,
)
SPEAKERS_AND_PARTS = FixedQuery(
    lambda roundtable_id: (
        TurnCount.objects.filter(speaker__roundtable_id=roundtable_id)
        .order_by()
        .values_list("speaker_id", "article_id")
    ),
    name="who speaks in which part",
    roundtable_id=(-1, -2),
)


@public_page
def article_detail(request, slug):
    article = PUBLIC_PART.first(slug=slug, now=timezone.now())
    if article is None:
        raise Http404(_("この記事は見つかりません。"))
    return render(request, "articles/article_detail.html", article_page_context(article))


def article_page_context(article, preview=False):
    """Everything templates/articles/article_detail.html needs. The public page and the
    staff preview (articles.preview) both use it, so a preview is the page to come; in a
    preview the part counts among its roundtable's public parts as it will once published.

    The body, participants' titles and credits come from the part's rendition
    (articles.renditions); what depends on the time or on other parts is read here: the
    public parts (part note, previous and next, the total), the back numbers and which
    participants are public appearances."""
    roundtable, forum = article.roundtable, article.roundtable.forum
    # What every part of the roundtable or forum prints alike is made once per content version
    # (forum.page_cache.shared_part): the public parts, who speaks in which, the back numbers.
    parts = shared_part(("public-parts", roundtable.pk), article.parts)  # public parts only
    public_part_ids = {part.pk for part in parts}
    total = max([part.part_number for part in parts] + [article.part_number, roundtable.part_count or 0, 1])
    if preview and article not in parts:
        # A correction draft stands in for the live part it corrects.
        others = [part for part in parts if part.pk != article.correction_of_id]
        parts = sorted([*others, article], key=lambda part: part.part_number)
    listed = shared_part(("back-numbers", forum.pk), lambda: recent_back_numbers(forum, BACK_NUMBERS_ON_PART + 1))
    if preview:  # a draft or correction: always from its rows as they are now
        rendition = Rendition(article_id=article.pk, **renditions.load([article])[article.pk])
    else:  # the stored rendition, made now if nothing current is stored
        rendition = renditions.for_page(article)
    summary = rendition.summary
    speaking = set(summary["speakers"])
    public = public_appearance_ids(roundtable, [item["id"] for item in summary["participants"]], public_part_ids)
    listed_people = [
        {**item, "html": mark_safe(item["html"])}
        for item in summary["participants"]
        if item["id"] in public or item["id"] in speaking
    ]
    speakers = [item for item in listed_people if item["id"] in speaking]
    headings = summary["headings"]
    note = part_note(article, parts, total)
    return {
        "article": article,
        "roundtable": roundtable,
        "forum": forum,
        "rendition": rendition,
        "toc": bool(headings),
        "participants": listed_people,
        "part_note": note,
        "previous_part": next((p for p in reversed(parts) if p.part_number < article.part_number), None),
        "next_part": next((p for p in parts if p.part_number > article.part_number), None),
        "back_numbers": listed[:BACK_NUMBERS_ON_PART],
        "more_back_numbers": len(listed) > BACK_NUMBERS_ON_PART,
        "meta": _meta(article, roundtable, forum, parts, summary["writers"], headings, speakers, note),
    }


def public_appearance_ids(roundtable, participant_ids, public_part_ids):
    """The ids of the roundtable's participants who are public appearances (the rule of
    articles.visibility, worked out here from the roundtable's public parts, already read, and
    one query of who speaks in which part, rather than its three nested EXISTS): the
    roundtable is public, and the person speaks in a public part of it or in none at all."""
    if not public_part_ids:
        return set()
    spoken = shared_part(("parts-spoken-in", roundtable.pk), lambda: parts_spoken_in(roundtable))
    return {pk for pk in participant_ids if pk not in spoken or spoken[pk] & public_part_ids}


def parts_spoken_in(roundtable):
    """{participant id: the ids of the parts (any state) where they speak} for the roundtable."""
    spoken = defaultdict(set)
    for speaker_id, article_id in SPEAKERS_AND_PARTS.all(roundtable_id=roundtable.pk):
        spoken[speaker_id].add(article_id)
    return dict(spoken)


def part_description(article, roundtable, forum, headings, speakers, note):
    """The meta description, from the part's own content: who speaks and its headings
    (a series' leads all open with the same stock sentence, so the lead says nothing of
    the part). Speakers first, so that a cut at the length limit only loses headings."""
    where = f"{forum.name} {roundtable.numbered_title}" + (f"の{note.name}" if note else "")
    names = "、".join(speaker["name"] for speaker in speakers)
    headings = "、".join(headings)
    if names:
        text = _("%(names)sが語る、%(where)s。") % {"names": names, "where": where}
    else:
        text = f"{where}。"
    if headings:
        text += _("見出し: %(headings)s") % {"headings": headings}
    return seo.plain_text(text)


def _meta(article, roundtable, forum, parts, writers, headings, speakers, note):
    url = seo.absolute_url(article.get_absolute_url())
    description = part_description(article, roundtable, forum, headings, speakers, note)
    image = seo.social_image(article.header_image, article.header_image_alt)
    published = timezone.localtime(article.publish_at or timezone.now())  # a draft in preview has none
    modified = timezone.localtime(max(article.updated_at, published))
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
        "author": [{"@type": "Person", "name": name} for name in writers] or seo.organisation_ld(forum),
        "publisher": seo.organisation_ld(forum),
        "contributor": [renditions.speaker_ld(speaker) for speaker in speakers],
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
