"""What the public may see, decided in one place: parts, roundtables, forums, turns,
appearances and people, as querysets for the pages, feeds, sitemaps and anything to come.

1. A part is public when Article.objects.published() says so: published, its publish
   time has come and its takedown time (公開終了日時) has not (so a scheduled part appears
   and a part taken down disappears by itself, with no background job). A correction
   draft of a live part (articles.corrections) is a draft: never public.
2. A roundtable is public when at least one of its parts is: before that it is not listed,
   linked or served, so a scheduled part never leaks through its roundtable.
3. A forum (its page and its feeds) is served and listed once it has a public roundtable.
4. A turn is public when its part is.
5. An appearance (a Participant) is public when its roundtable is, and the person speaks in
   a public part of it or in none of its parts at all. So a guest who speaks only in a draft
   or scheduled part stays hidden (not listed on the roundtable page or in a part's
   participants box, no person page, not in the sitemap) until that part is public;
   someone without a turn (a moderator, a guest not yet transcribed) is listed as soon as
   the roundtable is, as the printed participants box lists everyone.
6. A person is public when at least one of their appearances is.
"""

from django.db.models import (
    BooleanField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from articles.models import Article, ArticleStatus, SpeakerTurn, TurnCount
from forum.fixed_queries import SAMPLE_TIMES, FixedQuery
from forum.models import Forum, Roundtable
from participants.models import Organisation, Participant, Person, Role

# What a part prints of shared records, and how each kind reaches the parts that print it
# (a lookup from Article): the rule for who may change them (articles.live_content) and what
# makes a stored body stale (articles.renditions) both follow these paths.
PRINTED_RECORDS = {
    Forum: "roundtable__forum",
    Roundtable: "roundtable",
    Participant: "roundtable__participants",
    Person: "roundtable__participants__person",
    Organisation: "roundtable__participants__organisation",
    Role: "roundtable__participants__roles",
}

# What a link to a part needs.
PART_LINK_FIELDS = ("id", "roundtable_id", "part_number", "title", "slug", "publish_at", "updated_at")


def public_parts(now=None):
    return Article.objects.published(now)


def scheduled_parts(now):
    """Parts set to be published whose time has not come yet: the first of them is when the
    public pages change by themselves (forum.page_cache)."""
    return Article.objects.filter(status=ArticleStatus.PUBLISHED, publish_at__gt=now)


def ending_parts(now):
    """Published parts whose takedown time (公開終了日時) has not come yet."""
    return Article.objects.filter(status=ArticleStatus.PUBLISHED, unpublish_at__gt=now)


def next_change(now):
    """The next moment the public pages change by themselves, after `now`: the first
    scheduled publish time or takedown time (an expression, for forum.page_cache's UPDATE)."""
    field = DateTimeField()
    publish = Subquery(scheduled_parts(now).order_by("publish_at").values("publish_at")[:1], output_field=field)
    takedown = Subquery(ending_parts(now).order_by("unpublish_at").values("unpublish_at")[:1], output_field=field)
    # LEAST ignores NULLs on PostgreSQL but not on SQLite: give each side the other as default.
    return Least(Coalesce(publish, takedown), Coalesce(takedown, publish), output_field=field)


def next_change_at(now):
    """next_change(now) as a value."""
    times = [
        scheduled_parts(now).order_by("publish_at").values_list("publish_at", flat=True).first(),
        ending_parts(now).order_by("unpublish_at").values_list("unpublish_at", flat=True).first(),
    ]
    return min((moment for moment in times if moment is not None), default=None)


def public_part_links(now=None):
    """Public parts with only what a link needs, in part order."""
    return public_parts(now).order_by("part_number").only(*PART_LINK_FIELDS)


def public_roundtables(now=None):
    return Roundtable.objects.filter(Exists(public_parts(now).filter(roundtable=OuterRef("pk"))))


def public_forums():
    return Forum.objects.filter(Exists(public_roundtables().filter(forum=OuterRef("pk"))))


def public_turns():
    return SpeakerTurn.objects.filter(section__article__in=public_parts())


def _is_public_appearance():
    roundtable_is_public = Exists(public_roundtables().filter(pk=OuterRef("roundtable_id")))
    speaks_in_public = Exists(public_turns().filter(speaker=OuterRef("pk")))
    speaks_at_all = Exists(SpeakerTurn.objects.filter(speaker=OuterRef("pk")))
    return roundtable_is_public & (speaks_in_public | ~speaks_at_all)


def public_appearances():
    return Participant.objects.filter(_is_public_appearance())


def with_public_flag(participants):
    """Participants annotated with .is_public_appearance, in the same query."""
    return participants.annotate(
        is_public_appearance=ExpressionWrapper(_is_public_appearance(), output_field=BooleanField())
    )


def public_people():
    return Person.objects.filter(Exists(public_appearances().filter(person=OuterRef("pk"))))


def public_appearances_of(person):
    """public_appearances().filter(person=person), for the pages of one person however many
    roundtables they attended: the same rule (5.), read from three sets each built once (the
    roundtables with a public part; the person's appearances speaking in a part that is not
    public, and in one that is: articles.TurnCount) rather than nested EXISTS over the turns
    for each appearance. Since a speaker speaks in a public part or a part that is not, or
    in none, "speaks in a public part or in none" is "speaks in a public part or in no part
    that is not public"; the second set (of a few drafts and scheduled parts) is the one
    read for most appearances."""
    counts = TurnCount.objects.filter(speaker__person=person)
    # From the parts that are not public (a few drafts, scheduled or taken-down parts), not
    # from every count: read by part.
    not_public = Article.objects.exclude(pk__in=public_parts().values("pk"))
    return Participant.objects.filter(
        ~Q(pk__in=counts.filter(article__in=not_public).values("speaker_id"))
        | Q(pk__in=counts.filter(article__in=public_parts()).values("speaker_id")),
        person=person,
        roundtable_id__in=public_parts().values("roundtable_id"),
    )


# How the public pages list what they may show.


def with_listing(roundtables):
    """Roundtables as back numbers list them: .public_parts and .listed_participants (the
    public appearances). Two more queries, however many roundtables; see organisations_of()."""
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


def _recent_back_number_queries(limit):
    """The three queries of recent_back_numbers(), of fixed shape (forum.fixed_queries): the
    forum's `limit` newest public roundtables; the public parts, and the participants with an
    organisation, of its roundtables numbered from the oldest of those on (numbers are unique
    in a forum, so that is those roundtables and roundtables not public, which have no public
    part and whose participants are dropped); with, for each participant, whether they speak
    in a public part and whether they speak at all (articles.TurnCount)."""
    if limit not in _BACK_NUMBER_QUERIES:
        samples = {"forum_id": (-1, -2), "now": SAMPLE_TIMES}
        roundtables = FixedQuery(
            lambda forum_id, now: (
                public_roundtables(now).filter(forum_id=forum_id).select_related("forum").order_by("-number")[:limit]
            ),
            name=f"back numbers ({limit})",
            **samples,
        )
        parts = FixedQuery(
            lambda forum_id, lowest, now: (
                public_part_links(now)
                .filter(roundtable__forum_id=forum_id, roundtable__number__gte=lowest)
                .order_by("roundtable_id", "part_number")
            ),
            name="back numbers' parts",
            lowest=(-3, -4),
            **samples,
        )
        participants = FixedQuery(
            lambda forum_id, lowest, now: (
                Participant.objects.filter(
                    roundtable__forum_id=forum_id, roundtable__number__gte=lowest, organisation__isnull=False
                )
                .annotate(
                    speaks_in_public=Exists(
                        TurnCount.objects.filter(speaker=OuterRef("pk"), article__in=public_parts(now).values("pk"))
                    ),
                    speaks_at_all=Exists(TurnCount.objects.filter(speaker=OuterRef("pk"))),
                )
                .select_related("organisation")
                .order_by("order", "pk")
            ),
            name="back numbers' participants",
            lowest=(-3, -4),
            **samples,
        )
        _BACK_NUMBER_QUERIES[limit] = (roundtables, parts, participants)
    return _BACK_NUMBER_QUERIES[limit]


_BACK_NUMBER_QUERIES = {}


def recent_back_numbers(forum, limit, now=None):
    """The forum's `limit` newest public roundtables as back_numbers() lists them, each with
    .public_parts and .organisations (organisations_of) set: for the part page's box, in
    three plain queries whose SQL is built once per process. The same rule as with_listing(),
    whose nested EXISTS cost more to build than to run: the roundtables are public, so an
    appearance is public when the person speaks in one of their public parts, or in no part
    at all."""
    now = now or timezone.now()
    roundtable_query, part_query, participant_query = _recent_back_number_queries(limit)
    roundtables = roundtable_query.all(forum_id=forum.pk, now=now)
    if not roundtables:
        return []
    by_id = {roundtable.pk: roundtable for roundtable in roundtables}
    lowest = roundtables[-1].number
    for roundtable in roundtables:
        roundtable.public_parts = []
        roundtable.listed_participants = []
    for part in part_query.all(forum_id=forum.pk, lowest=lowest, now=now):
        if part.roundtable_id in by_id:
            by_id[part.roundtable_id].public_parts.append(part)
    for participant in participant_query.all(forum_id=forum.pk, lowest=lowest, now=now):
        if participant.roundtable_id in by_id and (participant.speaks_in_public or not participant.speaks_at_all):
            by_id[participant.roundtable_id].listed_participants.append(participant)
    for roundtable in roundtables:
        roundtable.organisations = organisations_of(roundtable)
    return roundtables


def back_numbers(forum, limit=None):
    """The forum's public roundtables, newest first, ready for the back-number list."""
    roundtables = with_listing(public_roundtables().filter(forum=forum).order_by("-number"))
    return roundtables[:limit] if limit else roundtables


def turns_with_context(turns):
    """Turns with their section, part, roundtable and forum, in one query (a person's page).

    Newest roundtable first; within a roundtable, in reading order (part, section, turn).
    """
    return turns.select_related(
        "section", "section__article", "section__article__roundtable", "section__article__roundtable__forum"
    ).order_by(
        F("section__article__roundtable__held_on").desc(nulls_last=True),
        "-section__article__roundtable_id",
        "section__article__part_number",
        "section__position",
        "position",
        "pk",
    )


class PersonTurns:
    """A person's public turns in the order of turns_with_context(), as a sequence Django's
    Paginator pages through, without OFFSET over all of them or a separate COUNT.

    A person speaks at each roundtable through one appearance, so the turns come grouped by
    appearance, newest roundtable first. One query reads how many public turns each
    appearance has (the total, and where each appearance starts) from articles.TurnCount, a
    row per appearance and part, public when its part is (rule 4., applied as it is read);
    a page then reads only the turns of the one or two appearances it covers, with an offset
    inside them. Two queries for any page, the deepest costing what the first does, and
    neither reads more than a row per part the person spoke in.
    """

    def __init__(self, person):
        rows = (
            TurnCount.objects.filter(speaker__person=person, article__in=public_parts())
            .values("speaker_id")
            .annotate(turns=Sum("turns"))
            .order_by(F("speaker__roundtable__held_on").desc(nulls_last=True), "-speaker__roundtable_id", "speaker_id")
            .values_list("speaker_id", "turns")
        )
        self.groups = list(rows)
        self.total = sum(turns for _, turns in self.groups)

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("read a page at a time")
        start, stop = index.start or 0, self.total if index.stop is None else index.stop
        speakers, skip, first = [], 0, 0
        for speaker_id, turns in self.groups:
            if first + turns > start and first < stop:
                if not speakers:
                    skip = start - first
                speakers.append(speaker_id)
            first += turns
        if not speakers or stop <= start:
            return []
        return list(turns_with_context(public_turns().filter(speaker_id__in=speakers))[skip : skip + stop - start])
