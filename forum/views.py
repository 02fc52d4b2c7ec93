"""Home, forum (the series and its back numbers), roundtable, the accessibility policy,
robots.txt and /favicon.ico."""

from functools import cache

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from articles.visibility import (
    back_numbers,
    organisations_of,
    public_appearances,
    public_forums,
    public_part_links,
    public_parts,
    public_roundtables,
)
from forum.conventions import SITE_NAME
from forum.models import SiteSettings
from forum.page_cache import public_page
from forum.web import seo
from forum.web.pagination import paginate

LATEST_PARTS = 12
ROUNDTABLES_PER_PAGE = 20


@public_page
def home(request):
    latest = (
        public_parts()
        .select_related("roundtable", "roundtable__forum")
        .order_by("-publish_at", "roundtable__number", "part_number")[:LATEST_PARTS]
    )
    forums = public_forums().order_by("name")
    description = _("自治体の座談会・対談・インタビューの記事を、シリーズごとに読めます。")
    meta = seo.PageMeta(
        title=SITE_NAME,
        description=description,
        path=reverse("forum:home"),
        json_ld=[{"@type": "WebSite", "name": SITE_NAME, "url": seo.absolute_url("/"), "inLanguage": "ja"}],
    )
    return render(request, "forum/home.html", {"latest": latest, "forums": forums, "meta": meta})


@public_page
def forum_detail(request, slug):
    forum = get_object_or_404(public_forums(), slug=slug)
    page = paginate(request, back_numbers(forum), ROUNDTABLES_PER_PAGE)
    for roundtable in page.object_list:
        roundtable.organisations = organisations_of(roundtable)
    title = (
        forum.name if page.number == 1 else _("%(name)s(%(page)dページ目)") % {"name": forum.name, "page": page.number}
    )
    description = seo.plain_text(forum.description) or _("%(name)sの座談会のバックナンバー。") % {"name": forum.name}
    meta = seo.PageMeta(
        title=title,
        description=description,
        path=seo.page_path(forum.get_absolute_url(), page.number),
        crumbs=seo.forum_crumbs(forum),
        json_ld=[{**seo.series_ld(forum), "description": description, "inLanguage": "ja"}],
    )
    return render(request, "forum/forum_detail.html", {"forum": forum, "page": page, "meta": meta})


@public_page
def roundtable_detail(request, slug, number):
    roundtable = public_roundtables().select_related("forum").filter(forum__slug=slug, number=number).first()
    if roundtable is None:
        raise Http404(_("この座談会は公開されていません。"))
    parts = list(public_part_links().filter(roundtable=roundtable))
    participants = list(public_appearances().filter(roundtable=roundtable).with_title_parts())
    forum = roundtable.forum
    names = "、".join(p.person.name for p in participants)
    description = seo.plain_text(roundtable.description) or _("%(forum)s %(roundtable)s。参加者:%(names)s") % {
        "forum": forum.name,
        "roundtable": roundtable.numbered_title,
        "names": names,
    }
    url = seo.absolute_url(roundtable.get_absolute_url())
    meta = seo.PageMeta(
        title=roundtable.numbered_title,
        description=seo.plain_text(description),
        path=roundtable.get_absolute_url(),
        crumbs=seo.roundtable_crumbs(roundtable),
        json_ld=[
            {
                "@type": "CreativeWork",
                "@id": url,
                "name": roundtable.numbered_title,
                "url": url,
                "inLanguage": "ja",
                **({"position": roundtable.number} if roundtable.shown_number else {}),
                "contributor": [
                    {"@type": "Person", "name": p.person.name, "jobTitle": p.full_title} for p in participants
                ],
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
                "publisher": seo.organisation_ld(forum),
            }
        ],
    )
    return render(
        request,
        "forum/roundtable_detail.html",
        {
            "roundtable": roundtable,
            "forum": forum,
            "participants": participants,
            "parts": parts,
            "meta": meta,
        },
    )


@public_page
def accessibility_policy(request):
    """ウェブアクセシビリティ方針: the text editors keep in the admin (SiteSettings)."""
    site_settings = SiteSettings.load()
    title = _("ウェブアクセシビリティ方針")
    meta = seo.PageMeta(
        title=title,
        description=seo.plain_text(site_settings.accessibility_policy_html),
        path=reverse("forum:accessibility_policy"),
        crumbs=[seo.site_crumb(), seo.Crumb(title, reverse("forum:accessibility_policy"))],
        json_ld=[{"@type": "WebPage", "name": title, "url": seo.absolute_url(reverse("forum:accessibility_policy"))}],
    )
    return render(
        request, "forum/accessibility_policy.html", {"site_settings": site_settings, "meta": meta, "title": title}
    )


@cache
def _favicon():
    with open(finders.find("favicon.ico"), "rb") as file:
        return file.read()


@require_GET
def favicon(request):
    """/favicon.ico, where browsers and feed readers look without a <link>: the static icon."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemap_url": seo.absolute_url(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )
