"""The `any` filter: the turns in which every term of a query occurs.

One function, matching_turns(), so that the site's search (issue 13) can replace it without
touching the API. Until then: every space-separated term must occur in the same turn's text,
NFKC-normalised on both sides (ＤＸ finds DX, ｶﾀｶﾅ finds カタカナ), case-insensitively.

Stored text is not normalised, so the database cannot compare normalised forms: the texts of
the candidate turns are read (one query, id and rendered body only) and compared in Python,
and the queryset is narrowed to the ids that match. That is correct on every database, costs
one query however many turns match, and reads the bodies of all public turns.
"""

from articles.api.text import normalise, plain_text, terms


def matching_turns(turns, query):
    """`turns` (a SpeakerTurn queryset) narrowed to those containing every term of `query`."""
    wanted = [term.casefold() for term in terms(query)]
    if not wanted:
        return turns
    if any("\x00" in term for term in wanted):
        return turns.none()  # no stored text holds NUL (PostgreSQL cannot store it)
    ids = [
        pk
        for pk, body_html in turns.order_by().values_list("pk", "body_html").iterator(chunk_size=2000)
        if _contains_all(normalise(plain_text(body_html)).casefold(), wanted)
    ]
    return turns.filter(pk__in=ids)


def _contains_all(text, wanted):
    return all(term in text for term in wanted)
