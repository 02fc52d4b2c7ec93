"""Queries of a fixed shape whose SQL the ORM builds once per process, then only runs.

A public page that is not in the page cache issues a handful of small queries (the content
version, the part, its roundtable's public parts, the forum's back numbers, the footer's
settings). Each runs in about a tenth of a millisecond, but building it with the ORM (the
filters, the joins, the compiler) costs five to twenty times that, on every request. A
`FixedQuery` builds its queryset once per process and database with two sets of sample
values, keeps the SQL the ORM made, and from then on only binds this request's values into
it. The rows go through the queryset's own iterable (model instances with select_related,
values(), values_list(), with the database's converters), so what comes back is what the
queryset would have given.

    PART = FixedQuery(
        lambda slug, now: public_parts(now).select_related("roundtable").filter(slug=slug)[:1],
        slug=SAMPLE_TEXTS,
        now=SAMPLE_TIMES,
    )
    article = PART.first(slug=slug, now=timezone.now())

The querysets still come from the one place that owns their rule (articles.visibility and the
models' managers); only the SQL text is kept.

Rules, checked when a query is first prepared (a ValueError says which query and why), and
when it runs (a value of another type than its samples is refused: None, say, which the ORM
would turn into IS NULL):
- every value that may change between runs is an argument, with two different samples; the
  two builds must give the same SQL, and each parameter that differs between them must be one
  argument's value as the database receives it. A value the build reads by itself (say
  timezone.now()) differs between the two builds and is refused, so it cannot be kept by
  mistake;
- arguments are scalars (integers, strings, dates and times): a list for __in would change the
  SQL with its length. Slices ([:11]) are part of the shape. Sample a string with
  SAMPLE_TEXTS, which a filter that escapes its text in Python would change (and so be refused);
- no prefetch_related (one query per run) and no query that the ORM finds empty.
"""

import datetime
import threading

from django.core.exceptions import EmptyResultSet
from django.db import connections, router

# Two moments for the `now` argument of visibility querysets, different in every field.
SAMPLE_TIMES = (
    datetime.datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=datetime.UTC),
    datetime.datetime(2002, 3, 4, 5, 6, 7, 8, tzinfo=datetime.UTC),
)


# Strings to sample a text argument with: a filter that changes its text in Python (escaping
# % _ \ for LIKE: contains, startswith, iexact on SQLite) changes them, so its parameter
# matches neither sample and the query is refused, rather than kept with this request's text
# bound unescaped. A change made in the SQL (UPPER(...) on PostgreSQL) is kept with the query.
SAMPLE_TEXTS = ("A%_\\x", "b%_\\Y")

# The integers a database column holds (a larger one matches no row, as with the ORM).
_INTEGER_RANGE = (-(2**63), 2**63 - 1)
_ARGUMENT_TYPES = (datetime.datetime, datetime.date, bool, int, str)


class _NoRows(Exception):
    """A value no row can have (an integer beyond the database's)."""


def _database_value(value, connection):
    """An argument as the ORM hands it to the database driver."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, int) and not isinstance(value, bool) and not _INTEGER_RANGE[0] <= value <= _INTEGER_RANGE[1]:
        raise _NoRows
    if isinstance(value, _ARGUMENT_TYPES):
        return value
    raise ValueError(f"a FixedQuery argument must be an integer, string, date or time, not {type(value).__name__}")


def _same_kind(value, sample):
    """Whether a value may stand where its sample stood (a bool is no integer, a time no date)."""
    kind = type(sample)
    if not isinstance(value, kind):
        return False
    if kind is int and isinstance(value, bool):
        return False
    return not (kind is datetime.date and isinstance(value, datetime.datetime))


def _shallow_copy(instance):
    clone = object.__new__(type(instance))
    clone.__dict__ = instance.__dict__.copy()
    return clone


class _Prepared:
    """What a query keeps per database: the queryset of the first build (its iterable class,
    model, fields), its compiler after compiling (the select list and how rows become
    objects), the SQL, and for each parameter either a constant or an argument's name."""

    def __init__(self, queryset, compiler, sql, slots):
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.slots = slots


class FixedQuery:
    """A queryset of fixed shape (see the module's docstring): `build(**values)` makes it,
    `samples` gives two different values for each argument."""

    def __init__(self, build, name=None, **samples):
        self.build = build
        self.name = name or getattr(build, "__qualname__", repr(build))
        for argument, pair in samples.items():
            if len(pair) != 2 or pair[0] == pair[1] or type(pair[0]) is not type(pair[1]):
                raise ValueError(f"{self.name}: give two different samples of one type for {argument}")
        self.samples = samples
        self._prepared = {}
        self._model = None
        self._lock = threading.Lock()

    def __repr__(self):
        return f"<FixedQuery {self.name}>"

    # --- preparing -------------------------------------------------------------------------

    def _compile(self, queryset):
        if queryset._prefetch_related_lookups:
            raise ValueError(f"{self.name}: prefetch_related makes more than one query")
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = "", ()
        if not sql:
            raise ValueError(f"{self.name}: the ORM finds this query empty")
        return compiler, sql, list(params)

    def _prepare(self, alias):
        first = self.build(**{name: pair[0] for name, pair in self.samples.items()})
        second = self.build(**{name: pair[1] for name, pair in self.samples.items()})
        if first.db != alias:
            raise ValueError(f"{self.name}: built for database {first.db!r}, not {alias!r}")
        compiler, sql, params = self._compile(first)
        _, other_sql, other_params = self._compile(second)
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError(f"{self.name}: the SQL depends on the arguments' values")
        connection = connections[alias]
        candidates = {
            name: (_database_value(pair[0], connection), _database_value(pair[1], connection))
            for name, pair in self.samples.items()
        }
        slots = []
        for position, (value, other) in enumerate(zip(params, other_params, strict=True)):
            matching = [name for name, pair in candidates.items() if pair == (value, other)]
            if value == other and not matching:
                slots.append((False, value))  # a constant of the query
            elif len(matching) == 1:
                slots.append((True, matching[0]))
            else:
                raise ValueError(
                    f"{self.name}: parameter {position + 1} ({value!r}, then {other!r}) is not one argument's "
                    "value: is a value read inside the build (such as the time) rather than passed in?"
                )
        compiler.connection = None  # each run sets its own thread's (see _queryset)
        return _Prepared(first, compiler, sql, slots)

    def _alias(self):
        """The database the query reads from: the router's choice for its model, as the ORM's."""
        if self._model is None:
            self._model = self.build(**{name: pair[0] for name, pair in self.samples.items()}).model
        return router.db_for_read(self._model)

    def prepared(self, alias):
        prepared = self._prepared.get(alias)
        if prepared is None:
            with self._lock:
                prepared = self._prepared.get(alias)
                if prepared is None:
                    prepared = self._prepared[alias] = self._prepare(alias)
        return prepared

    # --- running ---------------------------------------------------------------------------

    def _queryset(self, **values):
        """A fresh queryset that runs the kept SQL with these values. Private: chaining it
        (.filter(), .order_by()) would copy the kept SQL and ignore the change, so only the
        rows leave this class (all(), first())."""
        if values.keys() != self.samples.keys():
            raise TypeError(f"{self.name} takes {sorted(self.samples)}, not {sorted(values)}")
        for name, value in values.items():
            if not _same_kind(value, self.samples[name][0]):
                raise ValueError(
                    f"{self.name}: {name} must be a {type(self.samples[name][0]).__name__}, not {type(value).__name__}"
                )
        prepared = self.prepared(self._alias())
        connection = connections[prepared.queryset.db]
        params = tuple(
            _database_value(values[entry], connection) if is_argument else entry
            for is_argument, entry in prepared.slots
        )
        sql = prepared.sql
        compiler = _shallow_copy(prepared.compiler)
        compiler.connection = connection  # this thread's connection, not the preparing one's
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        query = _shallow_copy(prepared.queryset.query)
        query.get_compiler = lambda using=None, connection=None, elide_empty=True: compiler
        # Not copy.copy(): a QuerySet's __getstate__ runs the query.
        queryset = _shallow_copy(prepared.queryset)
        queryset.query = query
        queryset._iterable_class = prepared.queryset._iterable_class  # the setter above resets it for values()
        queryset._result_cache = None
        queryset._prefetch_done = False
        return queryset

    def all(self, **values):
        try:
            return list(self._queryset(**values))
        except _NoRows:
            return []

    def first(self, **values):
        """The first row, or None (the queryset should be ordered and sliced [:1])."""
        rows = self.all(**values)
        return rows[0] if rows else None
