"""What the public may see of forums and roundtables, decided in one place.

A part is public when Article.objects.published() says so. A roundtable is public when at
least one of its parts is: before that it is not listed, linked or served, so a scheduled
part never leaks through its roundtable. Likewise a forum (its page and its feeds) is
served and listed only once it has a public roundtable.
"""
from django.db.models import Exists, OuterRef, Prefetch

from articles.models import Article
from forum.models import Forum, Roundtable

# What a link to a part needs.
PART_LINK_FIELDS = ("id", "roundtable_id", "part_number", "title", "slug", "publish_at", "updated_at")


def public_roundtables():
    return Roundtable.objects.filter(
        Exists(Article.objects.published().filter(roundtable=OuterRef("pk")))
    )


def public_forums():
    return Forum.objects.filter(Exists(public_roundtables().filter(forum=OuterRef("pk"))))


def public_part_links():
    """Public parts with only what a link needs, in part order."""
    return Article.objects.published().order_by("part_number").only(*PART_LINK_FIELDS)


def with_listing(roundtables):
    """Roundtables as back numbers list them: .public_parts and .listed_participants.

    Two more queries, however many roundtables; see organisations_of() for the names.
    Only public appearances are listed (participants.public decides; imported here as
    participants.public builds on this module).
    """
    from participants.public import public_appearances

    return roundtables.select_related("forum").prefetch_related(
        Prefetch("articles", queryset=public_part_links(), to_attr="public_parts"),
        Prefetch(
            "participants",
            queryset=public_appearances().select_related("organisation").order_by("order", "pk"),
            to_attr="listed_participants",
        ),
    )


def organisations_of(roundtable):
    """The organisations of a listed roundtable's participants, each once, in order."""
    names = []
    for participant in roundtable.listed_participants:
        if participant.organisation and participant.organisation.name not in names:
            names.append(participant.organisation.name)
    return names


def back_numbers(forum, limit=None):
    """The forum's public roundtables, newest first, ready for the back-number list."""
    roundtables = with_listing(public_roundtables().filter(forum=forum).order_by("-number"))
    return roundtables[:limit] if limit else roundtables
