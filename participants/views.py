"""A person's page: appearances with the title held at each, and their public turns."""

from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from articles.visibility import PersonTurns, public_appearances, public_people
from forum.page_cache import public_page
from forum.web import seo
from forum.web.pagination import paginate

TURNS_PER_PAGE = 20


@public_page
def person_detail(request, pk):
    person = get_object_or_404(public_people(), pk=pk)
    appearances = list(
        public_appearances()
        .filter(person=person)
        .with_title_parts()
        .select_related("roundtable", "roundtable__forum")
        .order_by(F("roundtable__held_on").desc(nulls_last=True), "-roundtable__number")
    )
    page = paginate(request, PersonTurns(person), TURNS_PER_PAGE)
    by_participant = {appearance.pk: appearance for appearance in appearances}
    for turn in page.object_list:
        turn.appearance = by_participant.get(turn.speaker_id)
    latest = appearances[0] if appearances else None
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
            "page": page,
            "meta": meta,
        },
    )
