"""The token column and its `matches` lookup: one bigram scheme, two databases.

PostgreSQL: the column is a tsvector written from Python as a literal ('人材':1 '材育':2 …),
so PostgreSQL's own parser (which cannot split Japanese) never sees the text; a GIN index
(migration 0005) answers `tokens @@ '人材' <-> '材育'`. The literal is cast, never parsed
as words; tokens are letters and digits only, so they need no quoting beyond '…'.

SQLite: the column holds the tokens separated by spaces; an FTS5 table with the `ascii`
tokenizer (every non-ASCII character is a token character, so a token is exactly one
bigram) indexes it through triggers (migration 0005), and answers the phrase "人材 材育".

PostgreSQL keeps at most 256 positions of one token in one row and positions up to 16383:
a phrase beyond those limits in an extremely long turn may be missed, never invented.
"""

from django.db import models
from django.db.models import Lookup

FTS_TABLE = "articles_searchentry_fts"
MAX_POSITION = 16383
MAX_POSITIONS_PER_TOKEN = 256


class BigramTokensField(models.TextField):
    """Holds a list of tokens (articles.search.text.index_tokens); write-only."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or isinstance(value, str):
            return value
        if connection.vendor == "postgresql":
            return tsvector_literal(value)
        return " ".join(value)

    def from_db_value(self, value, expression, connection):
        return None  # never read back; the text lives in the part itself


def tsvector_literal(tokens):
    seen = {}
    parts = []
    for position, token in enumerate(tokens, start=1):
        count = seen.get(token, 0)
        if count >= MAX_POSITIONS_PER_TOKEN or position > MAX_POSITION:
            continue
        seen[token] = count + 1
        parts.append(f"'{token}':{position}")
    return " ".join(parts)


def tsquery(terms):
    """'人材' <-> '材育' & 'oj' <-> 'jt' — every term, each as a phrase."""
    return " & ".join(
        " <-> ".join(f"'{token.text}'" + (":*" if token.prefix else "") for token in term.tokens) for term in terms
    )


def fts5_query(terms):
    """ "人材 材育" AND "o"* — every term, each as a phrase; only a last token is a prefix."""
    phrases = []
    for term in terms:
        tokens = term.tokens
        phrases.append('"' + " ".join(token.text for token in tokens) + '"' + ("*" if tokens[-1].prefix else ""))
    return " AND ".join(phrases)


@BigramTokensField.register_lookup
class Matches(Lookup):
    """SearchEntry.objects.filter(tokens__matches=[Term, …]): rows containing every term."""

    lookup_name = "matches"
    prepare_rhs = False
    id_prefix = ""  # SQLite: the matching ids drive the query (looked up by rowid)

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        if connection.vendor == "postgresql":
            return f"{lhs} @@ %s::tsquery", [*lhs_params, tsquery(self.rhs)]
        table = connection.ops.quote_name(self.lhs.alias)
        return (
            f'{self.id_prefix}{table}."id" IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)',
            [fts5_query(self.rhs)],
        )


@BigramTokensField.register_lookup
class MatchesWithin(Matches):
    """The same, for a query already narrowed to a few parts: the parts lead. On SQLite the ids
    are only checked against the FTS5 result (unary + keeps SQLite from probing every pair of
    part and id); on PostgreSQL each row of those parts is checked, without the GIN index."""

    lookup_name = "matches_within"
    id_prefix = "+"

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return super().as_sql(compiler, connection)
        # The function behind @@, which no index serves: PostgreSQL reads the few parts' rows
        # through their part's index and checks each, instead of collecting every match of a
        # frequent term from the GIN index first (1.3 s against 16 ms for a frequent phrase
        # in 64 parts at 1,000,000 turns). Each term's runs must first be in the row's runs
        # (SearchEntry.runs; a necessary condition, so the hits are the same): most rows are
        # turned down by that short inline text without reading their tsvector, which for
        # one row in six is stored out of line (TOAST). CASE keeps that order: PostgreSQL
        # orders the conditions of an AND by its own cost estimates.
        lhs, lhs_params = compiler.compile(self.lhs)
        runs = f"{connection.ops.quote_name(self.lhs.alias)}.{connection.ops.quote_name('runs')}"
        needles = list(dict.fromkeys(" ".join(term.runs) for term in self.rhs))
        contains = " AND ".join([f"strpos({runs}, %s) > 0"] * len(needles))
        return (
            f"CASE WHEN {runs} IS NULL OR ({contains}) THEN ts_match_vq({lhs}, %s::tsquery) ELSE false END",
            [*needles, *lhs_params, tsquery(self.rhs)],
        )
