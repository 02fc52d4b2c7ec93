"""The other public pages as content grows: forum (back numbers), person, home, sitemap.

    .venv/bin/python bench/public_pages.py

(The part page has its own benchmark: bench/public_article_page.py.)
"""

import os
import tempfile

os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-media-")

from harness import benchmark_database, measure, report  # noqa: E402, I001

from django.test import Client  # noqa: E402

from articles.models import Section, SpeakerTurn  # noqa: E402
from tests.support.factories import make_article, make_forum, make_participant, make_roundtable  # noqa: E402


def forum_with(count):
    forum = make_forum()
    for number in range(1, count + 1):
        roundtable = make_roundtable(forum, number=number)
        make_participant(roundtable, name=f"参加者{number} 太郎", organisation=f"団体{number % 7}")
        make_article(roundtable, part_number=1)
        make_article(roundtable, part_number=2)
    return forum


def person_with(turns):
    roundtable = make_roundtable()
    speaker = make_participant(roundtable, name=f"話者{turns} 花子", roles=("CIO",))
    section = Section.objects.create(article=make_article(roundtable), position=1, heading="見出し")
    SpeakerTurn.objects.bulk_create(
        [SpeakerTurn(section=section, position=i, speaker=speaker, body=f"発言{i}です。") for i in range(turns)]
    )
    return speaker.person


def row(client, name, url):
    assert client.get(url).status_code == 200, url
    median, best, queries = measure(lambda: client.get(url), repeat=7)
    return (name, f"{median:.1f}", f"{best:.1f}", queries)


with benchmark_database():
    client = Client()
    rows = [row(client, f"forum, {n} roundtables", forum_with(n).get_absolute_url()) for n in (5, 200)]
    rows += [row(client, f"person, {n} turns", person_with(n).get_absolute_url()) for n in (5, 500)]
    rows += [row(client, "home", "/"), row(client, "sitemap.xml (~420 parts)", "/sitemap.xml")]
    report("Public pages (GET)", rows, ["page", "median ms", "min ms", "queries"])
