"""How the part's admin page scales with the number of turns: queries and milliseconds.

    .venv/bin/python bench/admin_change_page.py

For parts of 50, 200 and 500 turns (throw-away database, see harness.py), as a superuser:
opening the change page (GET), and saving it with one turn edited (POST, the whole form as a
browser posts it; the save also keeps a revision of the whole part). Both query counts stay
the same whatever the number of turns (the goal of issue 12: open and save a 500-turn part
each under 1 s). Times are wall-clock medians and CPU time (this process and its PostgreSQL
backend: what the page costs when other work shares the machine's cores); compare as ratios in a run.
BENCH_TURN_COUNTS=50,200,500,4000 adds sizes.
"""

from harness import CpuClock, benchmark_database, measure, report  # noqa: I001

import os
import statistics

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.support.factories import make_long_article
from tests.support.forms import form_data

TURN_COUNTS = [int(n) for n in os.environ.get("BENCH_TURN_COUNTS", "50,200,500").split(",")]


def cpu_ms(clock, function, repeat):
    """Median CPU time (ms; this process and its PostgreSQL backend, see harness.CpuClock)."""
    timings = []
    for _ in range(repeat):
        start = clock()
        function()
        timings.append(clock() - start)
    return statistics.median(timings)


def save_one_turn(client, url, attempt):
    data = form_data(client.get(url).text, "article_form")
    first_body = sorted(name for name in data if name.endswith("-body"))[0]
    data[first_body] = f"一つの発言だけ直して保存({attempt})"
    return lambda: client.post(url, data)


with benchmark_database():
    from django.db import connection

    clock = CpuClock(connection)
    user = get_user_model().objects.create_superuser("bench", "bench@example.jp", "bench-password-123")
    client = Client()
    client.force_login(user)
    rows = []
    for turns in TURN_COUNTS:
        article = make_long_article(turns)
        url = reverse("admin:articles_article_change", args=[article.pk])
        assert client.get(url).status_code == 200
        client.post(url, form_data(client.get(url).text, "article_form"))  # positions as the page numbers them
        get_ms, _, get_queries = measure(lambda: client.get(url), repeat=5)
        get_cpu = cpu_ms(clock, lambda: client.get(url), repeat=3)
        saves = [measure(save_one_turn(client, url, attempt), repeat=1) for attempt in range(3)]
        save_ms = sorted(ms for ms, _, _ in saves)[1]
        save_queries = saves[-1][2]
        save_cpu = statistics.median(
            cpu_ms(clock, save_one_turn(client, url, 10 + attempt), repeat=1) for attempt in range(3)
        )
        rows.append(
            (
                turns,
                article.sections.count(),
                get_queries,
                f"{get_ms:.0f}",
                f"{get_cpu:.0f}",
                save_queries,
                f"{save_ms:.0f}",
                f"{save_cpu:.0f}",
            )
        )
    report(
        "Part admin change page",
        rows,
        ["turns", "sections", "GET queries", "GET ms", "GET CPU ms", "save queries", "save ms", "save CPU ms"],
    )
    base = rows[0]
    for row in rows[1:]:
        print(
            f"{row[0]} vs {base[0]} turns (×{row[0] / base[0]:.0f}): "
            f"GET queries ×{row[2] / base[2]:.2f}, GET time ×{float(row[3]) / float(base[3]):.2f}, "
            f"save queries ×{row[5] / base[5]:.2f}, save time ×{float(row[6]) / float(base[6]):.2f}"
        )
