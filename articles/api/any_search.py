"""The `any` filter: the turns the site's search (articles.search, issue 13) finds for a query.

The same parsing (NFKC, case, "quoted phrases", at most MAX_TERMS terms), the same index and
the same visibility rule as /search/, narrowed to turns: every term must occur in the same
turn. One subquery on the index, so a page costs no more queries with `any` than without.
"""

from articles.api.text import terms
from articles.search.models import EntryKind
from articles.search.query import SearchRequest, matching_entries
from articles.search.text import parse_query


def matching_turns(turns, query):
    """`turns` (a SpeakerTurn queryset) narrowed to those the search finds for `query`."""
    if not terms(query):
        return turns  # nothing but spaces: no filter
    parsed = parse_query(query)
    if not parsed:
        return turns.none()  # only punctuation: nothing the search can look for
    entries = matching_entries(SearchRequest(terms=parsed, query=query)).filter(kind=EntryKind.TURN)
    return turns.filter(pk__in=entries.values("turn_id"))
