"""The triggers that keep articles.TurnCount (turns per participant and part) equal to the
turns themselves, on PostgreSQL and SQLite, whatever writes the turns (see TurnCount).

A turn inserted adds one to the row of (its speaker, its section's part), created at 0 first;
one deleted takes one away, and the row goes at 0; a turn whose speaker or section changes does
both; a section moved to another part moves its speakers' counts (and a section inserted after
its turns, or deleted before them, counts them in or out). Narration (no speaker) is not
counted. The statements are the same on both databases but for the insert that ignores an
existing row.
"""

TABLE = "articles_turncount"

# The same statements for both databases, {insert_ignore} aside.
_ADD = """
INSERT {insert_ignore} INTO articles_turncount (article_id, speaker_id, turns)
    SELECT s.article_id, {row}.speaker_id, 0 FROM articles_section s
    WHERE s.id = {row}.section_id AND {row}.speaker_id IS NOT NULL {on_conflict};
UPDATE articles_turncount SET turns = turns + 1
    WHERE {row}.speaker_id IS NOT NULL AND speaker_id = {row}.speaker_id
    AND article_id = (SELECT article_id FROM articles_section WHERE id = {row}.section_id);
"""
_REMOVE = """
UPDATE articles_turncount SET turns = turns - 1
    WHERE {row}.speaker_id IS NOT NULL AND speaker_id = {row}.speaker_id
    AND article_id = (SELECT article_id FROM articles_section WHERE id = {row}.section_id);
DELETE FROM articles_turncount WHERE speaker_id = {row}.speaker_id AND turns <= 0;
"""
# A section's turns counted in or out of its part, as a whole: when the section moves to
# another part (out of the old, into the new), and when it is inserted after turns that already
# point to it or deleted before them (a fixture or a revision restored in another order, a
# deferred foreign key): then the turn's own trigger found no section and counted nothing.
_SECTION_ADD = """
INSERT {insert_ignore} INTO articles_turncount (article_id, speaker_id, turns)
    SELECT DISTINCT {row}.article_id, t.speaker_id, 0 FROM articles_speakerturn t
    WHERE t.section_id = {row}.id AND t.speaker_id IS NOT NULL {on_conflict};
UPDATE articles_turncount SET turns = turns + (
    SELECT COUNT(*) FROM articles_speakerturn t
    WHERE t.section_id = {row}.id AND t.speaker_id = articles_turncount.speaker_id
) WHERE article_id = {row}.article_id
    AND speaker_id IN (SELECT t.speaker_id FROM articles_speakerturn t WHERE t.section_id = {row}.id);
"""
_SECTION_REMOVE = """
UPDATE articles_turncount SET turns = turns - (
    SELECT COUNT(*) FROM articles_speakerturn t
    WHERE t.section_id = {row}.id AND t.speaker_id = articles_turncount.speaker_id
) WHERE article_id = {row}.article_id
    AND speaker_id IN (SELECT t.speaker_id FROM articles_speakerturn t WHERE t.section_id = {row}.id);
DELETE FROM articles_turncount WHERE article_id = {row}.article_id AND turns <= 0;
"""

# What is there already, when the table is made.
FILL = """
INSERT INTO articles_turncount (article_id, speaker_id, turns)
    SELECT s.article_id, t.speaker_id, COUNT(*) FROM articles_speakerturn t
    JOIN articles_section s ON s.id = t.section_id
    WHERE t.speaker_id IS NOT NULL GROUP BY s.article_id, t.speaker_id
"""


def _statements(template, vendor, row=None):
    if vendor == "postgresql":
        ignore, conflict = "", "ON CONFLICT (speaker_id, article_id) DO NOTHING"
    else:
        ignore, conflict = "OR IGNORE", ""
    return template.format(row=row, insert_ignore=ignore, on_conflict=conflict)


def create_sql(vendor):
    """The statements that make the triggers."""
    if vendor == "postgresql":
        return [
            f"""CREATE FUNCTION articles_turncount_turn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN {_statements(_REMOVE, vendor, "OLD")} END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN {_statements(_ADD, vendor, "NEW")} END IF;
    RETURN NULL;
END $$""",
            f"""CREATE FUNCTION articles_turncount_section() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN {_statements(_SECTION_REMOVE, vendor, "OLD")} END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN {_statements(_SECTION_ADD, vendor, "NEW")} END IF;
    RETURN NULL;
END $$""",
            """CREATE TRIGGER articles_turncount_insert AFTER INSERT ON articles_speakerturn
    FOR EACH ROW EXECUTE FUNCTION articles_turncount_turn()""",
            """CREATE TRIGGER articles_turncount_delete AFTER DELETE ON articles_speakerturn
    FOR EACH ROW EXECUTE FUNCTION articles_turncount_turn()""",
            """CREATE TRIGGER articles_turncount_update AFTER UPDATE OF speaker_id, section_id ON articles_speakerturn
    FOR EACH ROW WHEN (OLD.speaker_id IS DISTINCT FROM NEW.speaker_id OR OLD.section_id IS DISTINCT FROM NEW.section_id)
    EXECUTE FUNCTION articles_turncount_turn()""",
            """CREATE TRIGGER articles_turncount_section AFTER UPDATE OF article_id ON articles_section
    FOR EACH ROW WHEN (OLD.article_id IS DISTINCT FROM NEW.article_id)
    EXECUTE FUNCTION articles_turncount_section()""",
            """CREATE TRIGGER articles_turncount_section_insert AFTER INSERT ON articles_section
    FOR EACH ROW EXECUTE FUNCTION articles_turncount_section()""",
            """CREATE TRIGGER articles_turncount_section_delete AFTER DELETE ON articles_section
    FOR EACH ROW EXECUTE FUNCTION articles_turncount_section()""",
        ]
    return [
        f"""CREATE TRIGGER articles_turncount_insert AFTER INSERT ON articles_speakerturn
BEGIN {_statements(_ADD, vendor, "NEW")} END""",
        f"""CREATE TRIGGER articles_turncount_delete AFTER DELETE ON articles_speakerturn
BEGIN {_statements(_REMOVE, vendor, "OLD")} END""",
        f"""CREATE TRIGGER articles_turncount_update AFTER UPDATE OF speaker_id, section_id ON articles_speakerturn
WHEN OLD.speaker_id IS NOT NEW.speaker_id OR OLD.section_id IS NOT NEW.section_id
BEGIN {_statements(_REMOVE, vendor, "OLD")} {_statements(_ADD, vendor, "NEW")} END""",
        f"""CREATE TRIGGER articles_turncount_section AFTER UPDATE OF article_id ON articles_section
WHEN OLD.article_id IS NOT NEW.article_id
BEGIN {_statements(_SECTION_REMOVE, vendor, "OLD")} {_statements(_SECTION_ADD, vendor, "NEW")} END""",
        f"""CREATE TRIGGER articles_turncount_section_insert AFTER INSERT ON articles_section
BEGIN {_statements(_SECTION_ADD, vendor, "NEW")} END""",
        f"""CREATE TRIGGER articles_turncount_section_delete AFTER DELETE ON articles_section
BEGIN {_statements(_SECTION_REMOVE, vendor, "OLD")} END""",
    ]


def drop_sql(vendor):
    if vendor == "postgresql":
        return [
            "DROP TRIGGER IF EXISTS articles_turncount_insert ON articles_speakerturn",
            "DROP TRIGGER IF EXISTS articles_turncount_delete ON articles_speakerturn",
            "DROP TRIGGER IF EXISTS articles_turncount_update ON articles_speakerturn",
            "DROP TRIGGER IF EXISTS articles_turncount_section ON articles_section",
            "DROP TRIGGER IF EXISTS articles_turncount_section_insert ON articles_section",
            "DROP TRIGGER IF EXISTS articles_turncount_section_delete ON articles_section",
            "DROP FUNCTION IF EXISTS articles_turncount_turn()",
            "DROP FUNCTION IF EXISTS articles_turncount_section()",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "articles_turncount_insert",
            "articles_turncount_delete",
            "articles_turncount_update",
            "articles_turncount_section",
            "articles_turncount_section_insert",
            "articles_turncount_section_delete",
        )
    ]
