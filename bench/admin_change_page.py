"""How the part's admin page scales with the number of turns: queries and milliseconds.

    .venv/bin/python bench/admin_change_page.py [--turns 50 200 500] [--repeat 5]

Builds parts of 50/200/500 turns in a throw-away test database (SQLite in memory, or
test_<name> on PostgreSQL when DATABASE_URL is set), logs in as a superuser, then times
opening the change page (GET) and saving it with one turn edited (POST, which also keeps
a revision of the whole part). Prints medians and the ratios to the smallest part: the query count
should stay flat, the time should grow no faster than the page (linearly at most).
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")


def measure(client, url, repeat, post_data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, post_data) if post_data is not None else client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        expected = 302 if post_data is not None else 200
        if response.status_code != expected:
            raise SystemExit(f"{url}: HTTP {response.status_code}, expected {expected}")
        queries = len(captured)
    return statistics.median(timings), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from tests.factories import make_long_article
    from tests.forms import form_data

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = get_user_model().objects.create_superuser("bench", "bench@example.jp", "bench-password-123")
        client = Client()
        client.force_login(user)
        print(f"admin change page of a part — {connection.vendor}, Django {django.get_version()}, "
              f"median of {options.repeat}")
        print(f"{'turns':>6} {'sections':>8} {'GET queries':>11} {'GET ms':>8} {'ms/turn':>8} "
              f"{'save queries':>12} {'save ms':>8}")
        rows = []
        for turns in options.turns:
            article = make_long_article(turns)
            url = reverse("admin:articles_article_change", args=[article.pk])
            client.get(url)  # warm up templates and caches
            get_ms, get_queries = measure(client, url, options.repeat)
            client.post(url, form_data(client.get(url).text, "article_form"))  # positions as the page numbers them
            save_timings = []
            for attempt in range(options.repeat):
                data = form_data(client.get(url).text, "article_form")
                first_body = sorted(name for name in data if name.endswith("-body"))[0]
                data[first_body] = f"一つの発言だけ直して保存({attempt})"
                ms, save_queries = measure(client, url, 1, post_data=data)
                save_timings.append(ms)
            save_ms = statistics.median(save_timings)
            rows.append((turns, get_queries, get_ms, save_queries, save_ms))
            print(f"{turns:>6} {article.sections.count():>8} {get_queries:>11} {get_ms:>8.0f} "
                  f"{get_ms / turns:>8.2f} {save_queries:>12} {save_ms:>8.0f}")
        base = rows[0]
        for turns, get_queries, get_ms, save_queries, save_ms in rows[1:]:
            print(f"{turns} vs {base[0]} turns (×{turns / base[0]:.1f}): GET queries ×{get_queries / base[1]:.2f}, "
                  f"GET time ×{get_ms / base[2]:.2f}; save queries ×{save_queries / base[3]:.2f}, "
                  f"save time ×{save_ms / base[4]:.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
