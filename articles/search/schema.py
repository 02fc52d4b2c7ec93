"""The database side of the index that Django's model cannot express, per database.

PostgreSQL: a GIN index on the tsvector column. SQLite: an FTS5 table reading the tokens
of articles_searchentry (external content), kept in step by triggers. Migration 0005
creates them; rebuild_search_index drops and recreates them around a bulk load, which is
much faster than updating them row by row. (A later migration that makes SQLite rebuild
articles_searchentry drops the triggers: call create() again after it.)
"""

from articles.search.fields import FTS_TABLE

ENTRY_TABLE = "articles_searchentry"
GIN_INDEX = "searchentry_tokens_gin"
# The rows of titles, leads and headings (7% of the rows), for relevance beyond the exact
# limit: their matches are counted without visiting every matching turn.
STRONG_GIN_INDEX = "searchentry_strong_tokens_gin"

_TRIGGERS = {
    "insert": f"AFTER INSERT ON {ENTRY_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (new.id, new.tokens); END",
    "delete": f"AFTER DELETE ON {ENTRY_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "update": f"AFTER UPDATE ON {ENTRY_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    f"INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (new.id, new.tokens); END",
}


def _sqlite_triggers():
    return [f"CREATE TRIGGER {ENTRY_TABLE}_fts_{name} {body}" for name, body in _TRIGGERS.items()]


def _sqlite_drop_triggers():
    return [f"DROP TRIGGER IF EXISTS {ENTRY_TABLE}_fts_{name}" for name in _TRIGGERS]


def create_statements(vendor):
    if vendor == "postgresql":
        return [
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {ENTRY_TABLE} USING gin (tokens)",
            f"CREATE INDEX IF NOT EXISTS {STRONG_GIN_INDEX} ON {ENTRY_TABLE} USING gin (tokens) WHERE kind <> 'turn'",
        ]
    if vendor == "sqlite":
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            f"tokens, content='{ENTRY_TABLE}', content_rowid='id', tokenize='ascii')",
            *_sqlite_drop_triggers(),
            *_sqlite_triggers(),
        ]
    return []


def drop_statements(vendor):
    if vendor == "postgresql":
        return [f"DROP INDEX IF EXISTS {GIN_INDEX}", f"DROP INDEX IF EXISTS {STRONG_GIN_INDEX}"]
    if vendor == "sqlite":
        return [*_sqlite_drop_triggers(), f"DROP TABLE IF EXISTS {FTS_TABLE}"]
    return []


def before_bulk_load(cursor, vendor):
    """Empty the index and stop maintaining it row by row."""
    if vendor == "sqlite":
        for statement in _sqlite_drop_triggers():
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {ENTRY_TABLE}")
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    else:
        for statement in drop_statements(vendor):
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {ENTRY_TABLE}")


def after_bulk_load(cursor, vendor):
    """Index everything loaded at once, and maintain the index row by row again."""
    if vendor == "sqlite":
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    if vendor == "postgresql":
        # Check the deferred foreign keys of the loaded rows now: PostgreSQL cannot build an
        # index on a table with pending trigger events. Only this table's keys, and deferred
        # again afterwards: left immediate (SET CONSTRAINTS ALL IMMEDIATE lasts until the
        # transaction ends), a later delete in the same transaction fails, because Django's
        # collector deletes a turn before its entry (a nullable key gives no order) and
        # counts on the key being checked only at commit.
        keys = _foreign_keys(cursor)
        cursor.execute(f"SET CONSTRAINTS {keys} IMMEDIATE")
    for statement in create_statements(vendor):
        cursor.execute(statement)
    if vendor == "postgresql":
        cursor.execute(f"SET CONSTRAINTS {keys} DEFERRED")
        cursor.execute(f"ANALYZE {ENTRY_TABLE}")


def _foreign_keys(cursor):
    """The index table's deferrable foreign keys, quoted, for SET CONSTRAINTS."""
    cursor.execute(
        "SELECT quote_ident(conname) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' AND condeferrable",
        [ENTRY_TABLE],
    )
    return ", ".join(row[0] for row in cursor.fetchall())
