"""Benchmark: parse and save a generated 1,000-turn transcript, print the times and queries.

    .venv/bin/python bench/import_transcript.py [--turns 1000] [--repeat 3]

Runs against a throwaway test database (in-memory SQLite, or test_bench_<name> when
DATABASE_URL points at PostgreSQL), never the development data. Goal: parse + save of
1,000 turns well under a second, with a number of queries that does not grow per turn.
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SPEAKERS = [("町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐)", "高橋 晃"),
            ("都副知事(CIO)", "宮坂 学"), ("都デジタルサービス局戦略部長", "深井 稔"),
            ("都デジタルサービス局戦略部戦略課長", "小澤 洋之")]
SPEECH = ("外部人材は不定期に採用しておりまして、来年度も2人募集する予定です。ただ雇えばいいわけではなく、"
          "どうフィットさせるかは非常に難しく感じています。")


def generate(turns):
    """A transcript in the sample's conventions: 50 turns per headed section, a figure after each."""
    lines = ["見出し画像", "", "生成した座談会を実施しました!part2", "",
             "第4回は、「生成した座談会」をお届けします!", "", "※この記事は全2回の後半です。前半はこちら", "",
             "令和3年10月15日に座談会を実施しました。", "", "参加者(敬称略)"]
    lines += [f"{title}:{name}" for title, name in SPEAKERS] + [""]
    introduced = set()
    for index in range(turns):
        if index % 50 == 0:
            lines += [f"見出し{index // 50 + 1}", "", f"小見出し{index // 50 + 1}", ""]
        title, name = SPEAKERS[index % len(SPEAKERS)]
        surname = name.split()[0]
        lines.append(surname if surname in introduced else f"{title}:{surname}(以下「{surname}」)")
        introduced.add(surname)
        lines += [f"{index}番目の発言です。{SPEECH}", ""]
        if index % 7 == 3:  # some turns have a second paragraph
            lines += [SPEECH, ""]
        if index % 50 == 49:
            lines += [f"画像{index // 50 + 1}", ""]
    lines += ["―本日はありがとうございました!", "", "次回もお楽しみに!", "",
              "執筆者:猪ノ口 渉(デジタルサービス局戦略部戦略課)", "編集:星野 惇(同上)"]
    return "\n".join(lines) + "\n"


def timed(function, *args, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function(*args, **kwargs)
        elapsed = time.perf_counter() - start
    return result, elapsed, len(queries)


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--turns", type=int, default=1000)
    options.add_argument("--repeat", type=int, default=3)
    args = options.parse_args()

    from articles.exporter import render_part
    from articles.importer import parse_for_import, save_transcript
    from articles.transcript import parse_transcript
    from forum.models import Forum

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = ":memory:"
    else:
        database.setdefault("TEST", {})["NAME"] = f"test_bench_{database['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        text = generate(args.turns)
        parsed = parse_transcript(text)
        blocks = [b for s in parsed.sections for b in s.blocks]
        turn_count = sum(1 for b in blocks if b.__class__.__name__ == "Turn")
        print(f"import_transcript: {turn_count} turns, {len(parsed.sections)} sections, "
              f"{len(blocks) - turn_count} figures, {len(parsed.participants)} participants, "
              f"{len(text):,} characters; {connection.vendor} test database")
        parse_times = [timed(parse_transcript, text)[1] for _ in range(args.repeat)]
        print(f"  parse (pure)          {min(parse_times):6.3f} s   best of {args.repeat}")
        saves = []
        for run in range(args.repeat):
            forum = Forum.objects.create(name=f"ベンチ{run}", slug=f"bench-{run}")
            data, parse_time, parse_queries = timed(lambda: parse_for_import(text).to_dict())
            article, save_time, save_queries = timed(save_transcript, data, forum)
            saves.append((parse_time + save_time, parse_time, save_time, parse_queries + save_queries))
            label = "first (people created)" if run == 0 else "again (people on file)"
            print(f"  parse + save {label:24} {parse_time + save_time:6.3f} s "
                  f"(parse {parse_time:.3f} s, save {save_time:.3f} s), {parse_queries + save_queries} queries")
        _, export_time, export_queries = timed(render_part, article, "text")
        print(f"  export to text        {export_time:6.3f} s   {export_queries} queries")
        best = min(s[0] for s in saves)
        verdict = "ok" if best < 0.5 else "SLOW"
        print(f"  best parse + save     {best:6.3f} s   goal: well under 1 s ({verdict})")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
