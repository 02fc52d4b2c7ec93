"""Search of the published parts, down to the turn (issue 13).

One index row (SearchEntry) per title, lead, heading and turn holds the text's overlapping
two-character tokens (bigrams), computed in Python when the row is saved (text.py). The
same tokens feed a GIN-indexed tsvector on PostgreSQL and an FTS5 table on SQLite
(fields.py), so both databases return the same rows. The index may hold unpublished parts:
what the public may see is decided when a query runs, by Article.objects.published()
(query.py), so a scheduled part is findable exactly when it is public.

    text.py      normalising (NFKC), bigram tokens, query parsing, snippets (no Django)
    fields.py    the token column and its `matches` lookup, per database
    models.py    SearchEntry
    index.py     keeping the index current (signals) and rebuilding it
    query.py     filters, counting, grouping by part, paging
    forms.py     the search form (q, speaker, role, forum, roundtable, year, from, until, order)
    views.py     /search/
"""
