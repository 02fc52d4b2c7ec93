from django.shortcuts import get_object_or_404, render

from articles.models import Article
from forum.models import Forum, Roundtable


def home(request):
    latest = Article.objects.published().select_related("roundtable", "roundtable__forum")[:20]
    return render(request, "forum/home.html", {"latest": latest, "forums": Forum.objects.all()})


def forum_detail(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    roundtables = forum.roundtables.order_by("-number")
    return render(request, "forum/forum_detail.html", {"forum": forum, "roundtables": roundtables})


def roundtable_detail(request, slug, number):
    roundtable = get_object_or_404(
        Roundtable.objects.select_related("forum"), forum__slug=slug, number=number
    )
    return render(request, "forum/roundtable_detail.html", {
        "roundtable": roundtable,
        "forum": roundtable.forum,
        "participants": roundtable.participants.with_title_parts(),
        "parts": roundtable.articles.published().order_by("part_number"),
    })
