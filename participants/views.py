"""A person's page: appearances with the title held at each, and their public turns.

The person page lists the newest APPEARANCES_SHOWN appearances and, when there are more,
links to the person's appearances page, which lists them all APPEARANCES_PER_PAGE at a time
(?page=N), so neither page grows with the number of roundtables a person attended.

What a person's pages need of all their appearances (their ids, newest first; how many public
turns each has: articles.visibility.PersonTurns) is read in a query each, and kept for the other
pages of that person made for the same content version (forum.page_cache.shared_part): a
further page of a person with 10,000 appearances then reads only its own rows.
"""

from django.db.models import F, Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.visibility import PersonTurns, public_appearances_of
from forum.page_cache import public_page, shared_part
from forum.web import seo
from forum.web.pagination import paginate
from participants.models import Participant, Person

TURNS_PER_PAGE = 20
APPEARANCES_SHOWN = 20  # on the person page, newest first
APPEARANCES_PER_PAGE = 50  # on the appearances page

NEWEST_FIRST = (F("roundtable__held_on").desc(nulls_last=True), "-roundtable__number", "-pk")


def _appearance_ids(person):
    """The ids of the person's public appearances, newest first: sorted narrow, as a person
    may have thousands (_with_entries() then reads the rows a page shows); none, and the
    person is not public (articles.visibility, rule 6.)."""
    return shared_part(
        ("person-appearances", person.pk),
        lambda: list(public_appearances_of(person).order_by(*NEWEST_FIRST).values_list("pk", flat=True)),
    )


def _with_entries(ids):
    """The appearances of `ids`, in that order, with what a list entry shows."""
    rows = Participant.objects.filter(pk__in=ids).with_title_parts().select_related("roundtable", "roundtable__forum")
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids]


@public_page
def person_detail(request, pk):
    person = get_object_or_404(Person, pk=pk)
    ids = _appearance_ids(person)
    if not ids:
        raise Http404
    appearance_count = len(ids)
    appearances = _with_entries(ids[:APPEARANCES_SHOWN])
    page = paginate(request, shared_part(("person-turns", person.pk), lambda: PersonTurns(person)), TURNS_PER_PAGE)
    # Each turn with the title its speaker held then, whichever appearance it is from.
    prefetch_related_objects(page.object_list, Prefetch("speaker", queryset=Participant.objects.with_title_parts()))
    for turn in page.object_list:
        turn.appearance = turn.speaker
    latest = appearances[0]
    description = seo.plain_text(person.profile) or (
        _("%(name)s(%(title)s)の座談会での発言。") % {"name": person.name, "title": latest.full_title}
        if latest
        else person.name
    )
    title = (
        person.name
        if page.number == 1
        else _("%(name)s(%(page)dページ目)") % {"name": person.name, "page": page.number}
    )
    url = seo.absolute_url(person.get_absolute_url())
    meta = seo.PageMeta(
        title=title,
        description=description,
        path=seo.page_path(person.get_absolute_url(), page.number),
        og_type="profile",
        image=seo.social_image(person.photo, person.photo_alt),
        crumbs=[seo.site_crumb(), seo.Crumb(person.name, person.get_absolute_url())],
        json_ld=[
            {
                "@type": "ProfilePage",
                "url": url,
                "inLanguage": "ja",
                "mainEntity": {
                    "@type": "Person",
                    "name": person.name,
                    "url": url,
                    **({"jobTitle": latest.full_title} if latest else {}),
                },
            }
        ],
    )
    return render(
        request,
        "participants/person_detail.html",
        {
            "person": person,
            "appearances": appearances,
            "appearance_count": appearance_count,
            "more_appearances": appearance_count > len(appearances),
            "page": page,
            "meta": meta,
        },
    )


@public_page
def person_appearances(request, pk):
    """Every public appearance of a person, newest first, a page at a time."""
    person = get_object_or_404(Person, pk=pk)
    ids = _appearance_ids(person)
    if not ids:
        raise Http404
    page = paginate(request, ids, APPEARANCES_PER_PAGE)
    page.object_list = _with_entries(list(page.object_list))
    path = reverse("participants:person_appearances", args=[person.pk])
    heading = _("%(name)sさんが登場した座談会") % {"name": person.name}
    title = (
        heading if page.number == 1 else _("%(heading)s(%(page)dページ目)") % {"heading": heading, "page": page.number}
    )
    meta = seo.PageMeta(
        title=title,
        description=_("%(name)sさんが登場した座談会の一覧(%(count)d件、新しい順)。")
        % {"name": person.name, "count": page.paginator.count},
        path=seo.page_path(path, page.number),
        crumbs=[
            seo.site_crumb(),
            seo.Crumb(person.name, person.get_absolute_url()),
            seo.Crumb(_("登場した座談会"), path),
        ],
    )
    return render(
        request,
        "participants/person_appearances.html",
        {"person": person, "heading": heading, "page": page, "meta": meta},
    )
