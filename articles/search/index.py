"""Keeping the search index current, and rebuilding it.

Every save of a part, section or turn rewrites its row in the same transaction (signals
below); a delete removes it through the foreign keys' cascade. Publishing, unpublishing
and scheduled times need nothing: the query decides what is public when it runs. Code
that writes many rows at once without signals (the transcript import, restoring a
revision) calls index_article() afterwards.
"""

import re
from html import unescape

from django.db import connection, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import Article, Section, SpeakerTurn
from articles.search import schema
from articles.search.models import EntryKind, SearchEntry
from articles.search.text import normalise, run_tokens, runs

_TAGS = re.compile(r"<[^>]+>")
BATCH = 2000


def html_text(html):
    """Text of the sanitised HTML the site renders (articles.markdown), as a reader sees it."""
    return " ".join(unescape(_TAGS.sub(" ", html or "")).split())


def lead_text(article):
    return " ".join(filter(None, [html_text(article.lead_html), html_text(article.introduction_html)]))


def heading_text(section):
    return " ".join(filter(None, [section.heading, section.subheading]))


def _entry(text, **fields):
    """The row of one text (None when it has no letters or digits): its tokens and, on
    PostgreSQL, its runs as text (SearchEntry.runs)."""
    found = runs(normalise(text))
    if not found:
        return None
    tokens = [token for run in found for token in run_tokens(run)]
    return SearchEntry(tokens=tokens, runs=" ".join(found) if connection.vendor == "postgresql" else None, **fields)


def article_entries(article):
    return [
        entry
        for entry in (
            _entry(article.title, kind=EntryKind.TITLE, article_id=article.pk),
            _entry(lead_text(article), kind=EntryKind.LEAD, article_id=article.pk),
        )
        if entry
    ]


def section_entry(section, article_id=None):
    return _entry(
        heading_text(section),
        kind=EntryKind.HEADING,
        article_id=article_id or section.article_id,
        section_id=section.pk,
    )


def turn_entry(turn, article_id):
    return _entry(
        html_text(turn.body_html),
        kind=EntryKind.TURN,
        article_id=article_id,
        section_id=turn.section_id,
        turn_id=turn.pk,
        speaker_id=turn.speaker_id,
    )


def _replace(old, entries):
    old.delete()
    SearchEntry.objects.bulk_create([entry for entry in entries if entry])


def index_article_fields(article):
    _replace(
        SearchEntry.objects.filter(article_id=article.pk, kind__in=[EntryKind.TITLE, EntryKind.LEAD]),
        article_entries(article),
    )


def index_section(section):
    _replace(SearchEntry.objects.filter(section_id=section.pk, kind=EntryKind.HEADING), [section_entry(section)])


def index_turn(turn):
    _replace(SearchEntry.objects.filter(turn_id=turn.pk), [turn_entry(turn, turn.section.article_id)])


def index_article(article):
    """Every row of one part, afresh (a handful of queries however many turns)."""
    sections = list(Section.objects.filter(article=article))
    turns = SpeakerTurn.objects.filter(section__article=article).only("id", "section_id", "speaker_id", "body_html")
    with transaction.atomic():
        _replace(
            SearchEntry.objects.filter(article_id=article.pk),
            [
                *article_entries(article),
                *(section_entry(section, article.pk) for section in sections),
                *(turn_entry(turn, article.pk) for turn in turns),
            ],
        )


@receiver(post_save, sender=Article, dispatch_uid="search_index_article")
def _article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_article_fields(instance)


@receiver(post_save, sender=Section, dispatch_uid="search_index_section")
def _section_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_section(instance)


@receiver(post_save, sender=SpeakerTurn, dispatch_uid="search_index_turn")
def _turn_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_turn(instance)


def rebuild(progress=None):
    """Index every part from scratch in bulk; `progress(n)` is called as rows are done.

    Returns the number of rows written. Runs in one transaction, so a failure leaves the old
    index; on PostgreSQL the GIN index is dropped and built again inside it, so searches wait
    until the rebuild commits (a maintenance command, not for busy hours).
    """
    written, pending = 0, 0
    with transaction.atomic(), connection.cursor() as cursor:
        schema.before_bulk_load(cursor, connection.vendor)
        batch = []

        def add(entries, texts):
            nonlocal batch, written, pending
            batch.extend(entry for entry in entries if entry)
            pending += texts
            if len(batch) >= BATCH:
                flush()

        def flush():
            nonlocal batch, written, pending
            _insert(cursor, batch)
            written += len(batch)
            if progress:
                progress(pending)
            batch, pending = [], 0

        for article in Article.objects.only("id", "title", "lead_html", "introduction_html").iterator(chunk_size=BATCH):
            add(article_entries(article), 2)
        for section in Section.objects.only("id", "article_id", "heading", "subheading").iterator(chunk_size=BATCH):
            add([section_entry(section)], 1)
        turns = SpeakerTurn.objects.values_list("id", "section_id", "section__article_id", "speaker_id", "body_html")
        for turn_id, section_id, article_id, speaker_id, body_html in turns.iterator(chunk_size=BATCH):
            add(
                [
                    _entry(
                        html_text(body_html),
                        kind=EntryKind.TURN,
                        article_id=article_id,
                        section_id=section_id,
                        turn_id=turn_id,
                        speaker_id=speaker_id,
                    )
                ],
                1,
            )
        flush()
        schema.after_bulk_load(cursor, connection.vendor)
    return written


_COLUMNS = ("kind", "article_id", "section_id", "turn_id", "speaker_id", "tokens", "runs")


def _insert(cursor, entries):
    """Rows straight to the table (several times faster than bulk_create for a rebuild)."""
    if not entries:
        return
    field = SearchEntry._meta.get_field("tokens")
    rows = [
        (
            entry.kind,
            entry.article_id,
            entry.section_id,
            entry.turn_id,
            entry.speaker_id,
            field.get_db_prep_value(entry.tokens, connection),
            entry.runs,
        )
        for entry in entries
    ]
    sql = f"INSERT INTO {schema.ENTRY_TABLE} ({', '.join(_COLUMNS)}) VALUES "
    if connection.vendor == "postgresql":
        from psycopg2.extras import execute_values

        execute_values(cursor.cursor, sql + "%s", rows, page_size=BATCH)
    else:
        cursor.executemany(sql + "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")", rows)


def rows_to_index():
    """How many texts rebuild() will read (for a progress bar; empty texts write no row)."""
    return Article.objects.count() * 2 + Section.objects.count() + SpeakerTurn.objects.count()
