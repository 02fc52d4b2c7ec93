"""Running a search: filters, the visibility rule, counting, grouping by part, paging.

What the public may see is applied here, at query time: only rows of parts that
Article.objects.published() accepts now. The other filters narrow the parts (forum,
roundtable, date held) or the speakers (the person, the title they held at the time).

No row is ever scored. Counting stops after EXACT_LIMIT + 1 matching rows. Up to that
many, hits are counted per part in one aggregate query and the parts are ordered in Python
(newest roundtable first, or by relevance: parts where the terms occur most, with hits in
titles, leads and headings counting five times). Beyond it (a frequent term matches a
large share of all rows), the page says "more than 1,000", the public parts are ordered
from the parts table (relevance: by matches in titles, leads and headings, which are few),
and their hits are counted in growing chunks of parts only as far as the page needs. Then
only the page's hits are fetched, in reading order within their part.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Lookup, Q, Subquery
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section, SpeakerTurn
from articles.search.index import heading_text, html_text, lead_text
from articles.search.models import EntryKind, SearchEntry
from articles.search.text import snippet_html
from articles.visibility import public_parts
from participants.models import Participant, Role
from participants.text import searchable

ORDERS = [("newest", _("新しい順")), ("relevance", _("関連度順"))]
STRONG_WEIGHT = 5  # a hit in a title, lead or heading counts as much as five turns
EXACT_LIMIT = 1000  # up to this many hits are counted exactly; beyond, "more than 1,000"


@dataclass
class SearchRequest:
    terms: list = field(default_factory=list)
    query: str = ""
    person: object = None
    role: str = ""
    forum: object = None
    roundtable: object = None
    date_from: datetime.date | None = None
    date_until: datetime.date | None = None
    order: str = "newest"

    @property
    def has_filters(self):
        return any([self.person, self.role, self.forum, self.roundtable, self.date_from, self.date_until])

    @property
    def is_empty(self):
        return not self.terms and not self.has_filters

    @property
    def highlight(self):
        """What the part page highlights in the turn a result links to (?hl=)."""
        return " ".join(run for term in self.terms for run in term.runs)


def public_articles(search, now=None):
    """The public parts (articles.visibility, i.e. Article.objects.published()) that the part filters allow."""
    articles = public_parts(now)
    if search.person:
        # Only the roundtables where the person appears can hold their turns: the parts to walk
        # through, newest first, are theirs (a person appears in 1% of the parts at scale).
        articles = articles.filter(roundtable__participants__person=search.person)
    if search.forum:
        articles = articles.filter(roundtable__forum=search.forum)
    if search.roundtable:
        articles = articles.filter(roundtable=search.roundtable)
    if search.date_from:
        articles = articles.filter(roundtable__held_on__gte=search.date_from)
    if search.date_until:
        articles = articles.filter(roundtable__held_on__lte=search.date_until)
    return articles


def matching_speakers(search):
    """Participants (appearances) the speaker filters allow, or None when there is no such filter.

    The title is the one held at that roundtable: a role (CIO, CIO補佐 — the whole
    abbreviation or full name, so CIO is not CIO補佐) or a post containing the words (総務部長).
    """
    if not search.person and not search.role:
        return None
    if getattr(search, "_speakers", None) is None:
        search._speakers = _speakers(search)
    return search._speakers


def _speakers(search):
    participants = Participant.objects.all()
    if search.person:
        participants = participants.filter(person=search.person)
    if search.role:
        # In SQL: the roles (a handful) are compared here, the posts through the appearances'
        # search_posts column (participants.models), never read into Python.
        wanted = searchable(search.role)
        roles = [
            role.pk
            for role in Role.objects.all()
            if wanted in (searchable(role.abbreviation), searchable(role.full_name))
        ]
        with_role = Participant.roles.through.objects.filter(role_id__in=roles).values("participant_id")
        participants = participants.filter(Q(pk__in=with_role) | Q(search_posts__contains=wanted))
    return participants.values("pk")


def matching_entries(search, now=None, article_ids=None, indexed=False, roundtable_ids=None):
    """The index rows that match, of public parts only; `article_ids` narrows to those parts.

    `roundtable_ids`, those parts' roundtables, narrows a speaker or role filter to the
    appearances at them (a turn's speaker is an appearance at its part's roundtable,
    SpeakerTurn.clean): a few appearances to check instead of every one (20,000 at scale,
    6 to 25 ms in each chunk's query), and PostgreSQL can then read only their rows.

    Without article_ids, SQLite must be led by the FTS5 match: the part condition is written
    so that it is not an index constraint (article_id + 0), otherwise SQLite probes every pair
    of public part and matching id. With article_ids, the parts lead and the ids are checked.
    """
    articles = public_articles(search, now)
    lookup = "tokens__matches"
    if article_ids is not None:
        entries = SearchEntry.objects.filter(article__in=articles.filter(pk__in=article_ids))
        lookup = "tokens__matches" if indexed else "tokens__matches_within"
    elif connection.vendor == "sqlite" and search.terms:
        entries = SearchEntry.objects.alias(part=F("article_id") + 0).filter(part__in=articles.values("pk"))
    else:
        entries = SearchEntry.objects.filter(article__in=articles)
    if search.terms:
        entries = entries.filter(**{lookup: search.terms})
    speakers = matching_speakers(search)
    if speakers is not None:
        if roundtable_ids is not None:
            speakers = speakers.filter(roundtable_id__in=sorted(set(roundtable_ids)))
            entries = entries.filter(SpeakerAmong(F("speaker_id"), Subquery(speakers)))
        else:
            entries = entries.filter(speaker__in=speakers)
    return entries


class SpeakerAmong(Lookup):
    """speaker_id among a few appearances (a subquery). On PostgreSQL as = ANY(ARRAY(…)): the
    appearances are read first and the rows found through the speaker index (a sixth of a
    chunk's rows for a role filter), where IN (…) becomes a join that reads every row of the
    chunk's parts and checks its tokens before its speaker (45 against 156 ms, 353 parts)."""

    lookup_name = "speaker_among"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = compiler.compile(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]


class AmongIds(Lookup):
    """A column among a list of ids. On PostgreSQL one array literal, = ANY('{…}'::bigint[]),
    which is parsed as one value, where IN (%s, …) is one constant per id to parse and plan
    (1.2 against 2.6 ms for the 485 parts of a relevance group for 人材, 5.6 against 9.6 for
    2,900); on SQLite the integers are written out (no limit on the number of parameters)."""

    lookup_name = "among_ids"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        ids = [int(pk) for pk in self.rhs]
        if not ids:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, "{" + ",".join(map(str, ids)) + "}"]
        return f"{lhs} IN ({','.join(map(str, ids))})", lhs_params


@dataclass
class Hit:
    kind: str
    article: Article
    section: Section | None
    turn: SpeakerTurn | None
    speaker: Participant | None
    snippet: str
    url: str

    @property
    def kind_label(self):
        return EntryKind(self.kind).label


@dataclass
class PartHits:
    """The hits of one part on this page; `total` counts all its hits."""

    article: Article
    total: int
    hits: list


def _newest_key(row):
    held_on = row["article__roundtable__held_on"]
    return (
        held_on is None,
        -(held_on.toordinal() if held_on else 0),
        -row["article__roundtable_id"],
        row["article__part_number"],
        row["article_id"],
    )


def _reading_key(row):
    kind = row["kind"]
    if kind == EntryKind.TITLE:
        return (0,)
    if kind == EntryKind.LEAD:
        return (1,)
    in_section = (2, row["section__position"] or 0, row["section_id"] or 0)
    if kind == EntryKind.HEADING:
        return (*in_section, 0)
    return (*in_section, 1, row["turn__position"] or 0, row["turn_id"] or 0)


NEWEST = (F("roundtable__held_on").desc(nulls_last=True), "-roundtable_id", "part_number", "pk")
FIRST_CHUNK = 32  # parts counted at a time, three times more each time: the newest 32 parts first
GROWTH = 3
PROBE_PARTS = 416  # at most the newest 32 + 96 + 288 parts are counted before the index is asked
AIM_MARGIN = 125  # the probe sizes its next chunk for 125% of the hits it still needs
INDEXED_CHUNK = 512  # from this many parts at once, the index leads (a rarer term, deeper pages)


def _rows(queryset, wrap="{}"):
    """The rows of `queryset` as plain tuples (its SQL inside `wrap`), without Django's iterator."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a condition that can match nothing, which Django would answer itself
        return []
    with connection.cursor() as cursor:
        cursor.execute(wrap.format(sql), params)
        return cursor.fetchall()


def _capped_counts(entries, limit):
    """{article_id: hits} of the first `limit` rows of `entries` (in no particular order)."""
    capped = entries.order_by().values("article_id")[:limit]
    return dict(_rows(capped, "SELECT article_id, COUNT(*) FROM ({}) capped GROUP BY article_id"))


class OrderedParts:
    """Public part ids in result order, read from the database a chunk at a time: the `head`
    groups first (relevance: the parts whose titles, leads or headings match, most matches
    first), each group newest first, then every other part newest first. A group is ordered
    (and its parts checked against `articles`) only when a page reaches it, and a page near
    the top never loads the whole list of parts."""

    def __init__(self, articles, head=()):
        self.ids = []
        self._articles = articles
        self._groups = [list(group) for group in head]
        self._skip = {pk for group in self._groups for pk in group}
        self._query = articles.order_by(*NEWEST).values_list("pk", "roundtable_id")
        self.roundtables = {}  # part id → its roundtable's, for the parts read so far
        self._read = 0
        self.complete = False

    def upto(self, stop):
        """The first `stop` ids (fewer when there are no more)."""
        while len(self.ids) < stop and self._groups:
            # As many groups as make up the ids wanted, in one query (however many small groups
            # there are), newest first, then each part in its group's place (a stable sort).
            rank, place = {}, 0  # part id → its group's place among those read now
            while self._groups and len(rank) < stop - len(self.ids):
                rank.update(dict.fromkeys(self._groups.pop(0), place))
                place += 1
            parts = self._articles.filter(AmongIds(F("pk"), list(rank))).order_by(*NEWEST)
            chunk = sorted(parts.values_list("pk", "roundtable_id"), key=lambda row: rank[row[0]])
            self.roundtables.update(chunk)
            self.ids.extend(pk for pk, _roundtable in chunk)
        while len(self.ids) < stop and not self.complete:
            size = max(stop - len(self.ids), len(self.ids), FIRST_CHUNK)
            chunk = list(self._query[self._read : self._read + size])
            self._read += len(chunk)
            self.complete = len(chunk) < size
            self.roundtables.update(chunk)
            self.ids.extend(pk for pk, _roundtable in chunk if pk not in self._skip)
        return self.ids[:stop]


class Results:
    """The hits of a search as a sequence Django's Paginator can page through."""

    def __init__(self, search, now=None):
        self.search, self.now = search, now
        self.entries = matching_entries(search, now)
        self.part_totals = {}
        self.roundtable_of = {}
        self.parts = None
        # The probe is for PostgreSQL, whose GIN index cannot stop early (a bitmap of every
        # match is built first); SQLite's FTS5 streams matches, so its capped count stops early.
        # Relevance is probed too: whether there are more than EXACT_LIMIT hits does not depend
        # on the order, and the parts counted stay counted for its pages.
        probe = connection.vendor == "postgresql"
        if probe and search.order == "relevance":
            # Probed in its own order (parts whose titles, leads or headings match first): the
            # first page needs those parts' counts anyway.
            self.parts = OrderedParts(public_articles(search, now), self._strong_parts(now))
        decided = self._probe_newest_parts(now) if probe else None
        if decided is None:
            # Counting stops after EXACT_LIMIT + 1 rows: a frequent term (人材, です) matches a large
            # share of all rows, and neither counting nor ordering should have to visit them all.
            capped = self.entries.order_by()[: EXACT_LIMIT + 1].count()
            if not capped:  # nothing matches: no part to count or order
                self.order, self.total, self.exact = [], 0, True
                return
            decided = capped <= EXACT_LIMIT
        self.exact = decided
        if self.exact:
            self._count_every_part()
        else:
            self._order_parts_without_counting(now)

    def _probe_newest_parts(self, now):
        """Newest first, count the hits of the newest parts in growing chunks (the rows of a few
        parts, found through the parts, not through the token index, which for a frequent term
        or phrase would have to collect every match). True: all parts counted, at most
        EXACT_LIMIT hits; False: more than EXACT_LIMIT hits; None: undecided within PROBE_PARTS
        parts (a rarer term: the index counts it)."""
        if self.parts is None:
            self.parts = OrderedParts(public_articles(self.search, now))
        hits, counted = 0, 0
        for _article_id, part_hits in self._counts(aim=EXACT_LIMIT + 1, probe=True):
            hits += part_hits
            counted += 1
            if hits > EXACT_LIMIT:
                return False
            if counted < len(self.part_totals):
                continue  # within a counted chunk
            if self.parts.complete and counted == len(self.parts.ids):
                break
            if counted >= PROBE_PARTS or hits * PROBE_PARTS <= EXACT_LIMIT * counted:
                return None  # at this rate the probe would not reach the limit: the index counts
        self.order = [pk for pk in self.parts.ids if self.part_totals.get(pk)]
        self.total = hits
        return True

    def _count_every_part(self):
        probed = self.parts is not None and self.parts.complete and len(self.part_totals) == len(self.parts.ids)
        if probed and self.search.order == "newest":
            return  # the probe counted every part (self.order and self.total are set)
        rows = list(
            self.entries.values(
                "article_id", "article__roundtable__held_on", "article__roundtable_id", "article__part_number"
            )
            .annotate(hits=Count("pk"), strong=Count("pk", filter=~Q(kind=EntryKind.TURN)))
            .order_by()
        )
        if self.search.order == "relevance":
            rows.sort(key=lambda row: (-(row["hits"] + (STRONG_WEIGHT - 1) * row["strong"]), *_newest_key(row)))
        else:
            rows.sort(key=_newest_key)
        self.order = [row["article_id"] for row in rows]
        self.roundtable_of = {row["article_id"]: row["article__roundtable_id"] for row in rows}
        self.part_totals = {row["article_id"]: row["hits"] for row in rows}
        self.total = sum(self.part_totals.values())

    def _order_parts_without_counting(self, now):
        """More than EXACT_LIMIT hits: the parts in order, their hits counted only as pages need
        them (_window). Relevance here ranks parts by their matches in titles, leads and
        headings (few rows, with their own index on PostgreSQL), then newest first."""
        if self.search.order == "relevance" and connection.vendor != "postgresql":
            self.parts = OrderedParts(public_articles(self.search, now), self._strong_parts(now))
        elif self.parts is None:
            self.parts = OrderedParts(public_articles(self.search, now))
        self.total = EXACT_LIMIT  # "more than": the pages go as far as EXACT_LIMIT hits

    def _strong_parts(self, now):
        """The parts whose titles, leads or headings match, in groups: most matches first
        (OrderedParts orders each group newest first, and only when a page reaches it).

        One aggregate over the few rows the partial GIN index holds (titles, leads, headings),
        not joined to the parts: that join, to check visibility and order thousands of parts
        (3,400 for 人材 at 1,000,000 turns, 15 to 20 ms), was most of a relevance search,
        whose first pages need the first few dozen. Visibility and the part filters are
        checked when a group is read (OrderedParts), so the parts here may include drafts.
        """
        if matching_speakers(self.search) is not None:
            return []  # titles, leads and headings have no speaker: no part comes first
        strong = SearchEntry.objects.exclude(kind=EntryKind.TURN)
        if not self.search.terms:  # a part filter alone: those parts' rows, through their index
            strong = strong.filter(article__in=public_articles(self.search, now))
        elif self.search.has_filters:
            # Forum, roundtable, dates: those parts, as a condition no index serves (article_id
            # + 0), so that the GIN index is read once; PostgreSQL otherwise loops over the
            # parts and reads it again for each (260 ms for the 768 parts of one year).
            parts = public_articles(self.search, now).values("pk")
            strong = strong.alias(part=F("article_id") + 0).filter(part__in=parts, tokens__matches=self.search.terms)
        else:
            strong = strong.filter(tokens__matches=self.search.terms)
        # Read as plain rows: thousands of them, which Django's iterator would take 1 to 2 ms over.
        groups = {}
        for article_id, count in _rows(strong.values("article_id").annotate(strong=Count("pk")).order_by()):
            groups.setdefault(count, []).append(article_id)
        return [groups[count] for count in sorted(groups, reverse=True)]

    def _counts(self, stop=None, aim=None, probe=False):
        """Yield (article_id, hits) in result order, counting parts in growing chunks as needed
        (`stop` parts at most). With `aim` (hits), a chunk after the first is sized from the
        hits per part seen so far to reach `aim` hits (with a margin): a frequent phrase is
        decided after the 200 parts it needs, not after 416, and a deep page counts the parts
        up to it, not three times as many. The probe's chunks stay within PROBE_PARTS."""
        index, chunk, hits = 0, FIRST_CHUNK, 0
        while stop is None or index < stop:
            ids = self.parts.upto(index + chunk)[index:]
            if not ids:
                return
            if stop is not None:
                ids = ids[: stop - index]
            todo = [pk for pk in ids if pk not in self.part_totals]
            if todo:
                entries = matching_entries(
                    self.search,
                    self.now,
                    todo,
                    indexed=len(todo) >= INDEXED_CHUNK,
                    roundtable_ids=self._roundtables(todo),
                )
                if probe and index:
                    # A later chunk of the probe only has to show that the hits reach `aim`:
                    # its rows are read until they do (the chunk is sized with a margin, so
                    # most of its last fifth is never read), and its parts stay uncounted
                    # (a later page counts them). Fewer: every hit was read, counted per part.
                    need = aim - hits - sum(self.part_totals[pk] for pk in ids if pk in self.part_totals)
                    counted = _capped_counts(entries, need)
                    if sum(counted.values()) >= need:
                        yield None, sum(counted.values())
                        return
                else:
                    counted = dict(
                        entries.values("article_id")
                        .annotate(hits=Count("pk"))
                        .order_by()
                        .values_list("article_id", "hits")
                    )
                self.part_totals.update({pk: counted.get(pk, 0) for pk in todo})
            for pk in ids:
                hits += self.part_totals[pk]
                yield pk, self.part_totals[pk]
            index += len(ids)
            if aim is not None and hits and not (probe and index >= PROBE_PARTS):
                wanted = -(-(aim - hits) * index * AIM_MARGIN // hits // 100)
                chunk = max(wanted, FIRST_CHUNK)
                if probe:
                    chunk = min(chunk, PROBE_PARTS - index)
            else:
                chunk *= GROWTH

    def _roundtables(self, article_ids):
        """The roundtables of these parts when they are all known (else None: no narrowing)."""
        known = {**(self.parts.roundtables if self.parts is not None else {}), **self.roundtable_of}
        if matching_speakers(self.search) is None or any(pk not in known for pk in article_ids):
            return None
        return [known[pk] for pk in article_ids]

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Results are read a page at a time")
        return self._window(index.start or 0, self.total if index.stop is None else index.stop)

    def _window(self, start, stop):
        """Hits start..stop-1 in result order, with what a page shows of each."""
        parts = ((pk, self.part_totals[pk]) for pk in self.order) if self.exact else self._counts(aim=stop)
        wanted, cursor = [], 0
        for article_id, hits in parts:
            if cursor >= stop:
                break
            if hits and cursor + hits > start:
                skip = max(0, start - cursor)
                wanted.append((article_id, skip, min(hits, stop - cursor) - skip))
            cursor += hits
        if not wanted:
            return []
        ids = [article_id for article_id, _, _ in wanted]
        rows = matching_entries(self.search, self.now, ids, roundtable_ids=self._roundtables(ids)).values(
            "id", "article_id", "kind", "section_id", "section__position", "turn_id", "turn__position", "speaker_id"
        )
        by_article = {}
        for row in rows:
            by_article.setdefault(row["article_id"], []).append(row)
        chosen = []
        for article_id, skip, take in wanted:
            chosen.extend(sorted(by_article.get(article_id, []), key=_reading_key)[skip : skip + take])
        return self._hits(chosen)

    def _hits(self, rows):
        # (order_by(): the models' default orders join the parts, roundtables and forums)
        articles = (
            Article.objects.select_related("roundtable", "roundtable__forum")
            .order_by()
            .in_bulk({row["article_id"] for row in rows})
        )
        sections = Section.objects.order_by().in_bulk({row["section_id"] for row in rows if row["section_id"]})
        turns = (
            SpeakerTurn.objects.only("id", "section_id", "speaker_id", "position", "body_html", "fragment")
            .order_by()
            .in_bulk({row["turn_id"] for row in rows if row["turn_id"]})
        )
        speakers = {
            speaker.pk: speaker
            for speaker in Participant.objects.filter(pk__in={row["speaker_id"] for row in rows if row["speaker_id"]})
            .order_by()
            .with_title_parts()
        }
        hits = []
        for row in rows:
            article, section = articles[row["article_id"]], sections.get(row["section_id"])
            turn = turns.get(row["turn_id"])
            kind = row["kind"]
            text = {
                EntryKind.TITLE: lambda: article.title,
                EntryKind.LEAD: lambda: lead_text(article),
                EntryKind.HEADING: lambda: heading_text(section),
                EntryKind.TURN: lambda: html_text(turn.body_html),
            }[kind]()
            hits.append(
                Hit(
                    kind=kind,
                    article=article,
                    section=section,
                    turn=turn,
                    speaker=speakers.get(row["speaker_id"]),
                    snippet=mark_safe(snippet_html(text, self.search.terms)),
                    url=self._url(article, section, turn),
                )
            )
        return hits

    def _url(self, article, section, turn):
        url = article.get_absolute_url()
        if turn is not None:
            highlight = self.search.highlight
            return url + (f"?hl={quote(highlight)}" if highlight else "") + f"#{turn.anchor}"
        if section is not None:
            return url + f"#{section.anchor}"
        return url

    def group(self, hits):
        """Consecutive hits of one part together, for the page."""
        groups = []
        for hit in hits:
            if not groups or groups[-1].article.pk != hit.article.pk:
                groups.append(PartHits(hit.article, self.part_totals.get(hit.article.pk, 0), []))
            groups[-1].hits.append(hit)
        return groups
