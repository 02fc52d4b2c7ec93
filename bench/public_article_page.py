"""How the public part page scales with the number of turns: time and SQL queries.

.venv/bin/python bench/public_article_page.py
"""

from harness import benchmark_database, measure, report  # noqa: I001

from django.test import Client

from tests.support.factories import make_long_article

TURN_COUNTS = [10, 100, 500, 1000]

with benchmark_database():
    client = Client()
    rows = []
    for turns in TURN_COUNTS:
        article = make_long_article(turns)
        url = article.get_absolute_url()
        assert client.get(url).status_code == 200
        median, best, queries = measure(lambda: client.get(url), repeat=7)
        rows.append((turns, f"{median:.1f}", f"{best:.1f}", queries, f"{median / turns:.3f}"))
    report("Public part page (GET)", rows, ["turns", "median ms", "min ms", "queries", "ms/turn"])
