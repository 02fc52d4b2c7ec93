"""Import of a generated 1,000-turn transcript: parse, save (bulk inserts), export again;
prints the times and SQL queries. Goal: parse + save well under a second, and a number of
queries that does not grow with the turns.

    .venv/bin/python bench/import_transcript.py [--turns 1000] [--repeat 3]
"""

import argparse
import time

from harness import benchmark_database, report  # noqa: I001  (sets Django up first)

from django.db import connection
from django.test.utils import CaptureQueriesContext

SPEAKERS = [
    ("町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐)", "高橋 晃"),
    ("都副知事(CIO)", "宮坂 学"),
    ("都デジタルサービス局戦略部長", "深井 稔"),
    ("都デジタルサービス局戦略部戦略課長", "小澤 洋之"),
]
SPEECH = (
    "外部人材は不定期に採用しておりまして、来年度も2人募集する予定です。ただ雇えばいいわけではなく、"
    "どうフィットさせるかは非常に難しく感じています。"
)


def generate(turns):
    """A transcript in the sample's conventions: 50 turns per headed section, a figure after each."""
    lines = [
        "見出し画像",
        "",
        "生成した座談会を実施しました!part2",
        "",
        "第4回は、「生成した座談会」をお届けします!",
        "",
        "※この記事は全2回の後半です。前半はこちら",
        "",
        "令和3年10月15日に座談会を実施しました。",
        "",
        "参加者(敬称略)",
    ]
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
    lines += [
        "―本日はありがとうございました!",
        "",
        "次回もお楽しみに!",
        "",
        "執筆者:猪ノ口 渉(デジタルサービス局戦略部戦略課)",
        "編集:星野 惇(同上)",
    ]
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
    from articles.transcript import Turn, parse_transcript
    from forum.models import Forum

    with benchmark_database():
        text = generate(args.turns)
        parsed = parse_transcript(text)
        blocks = [b for s in parsed.sections for b in s.blocks]
        turns = sum(isinstance(b, Turn) for b in blocks)
        print(
            f"{turns} turns, {len(parsed.sections)} sections, {len(blocks) - turns} figures, "
            f"{len(parsed.participants)} participants, {len(text):,} characters"
        )
        rows = [
            (
                "parse (pure Python)",
                f"{min(timed(parse_transcript, text)[1] for _ in range(args.repeat)) * 1000:.0f}",
                0,
            )
        ]
        best = None
        for run in range(args.repeat):
            forum = Forum.objects.create(name=f"ベンチ{run}", slug=f"bench-{run}")
            data, parse_time, parse_queries = timed(lambda: parse_for_import(text).to_dict())
            article, save_time, save_queries = timed(save_transcript, data, forum)
            total = parse_time + save_time
            best = total if best is None else min(best, total)
            label = "parse + save, people new" if run == 0 else "parse + save, people on file"
            rows.append((label, f"{total * 1000:.0f}", parse_queries + save_queries))
        _, export_time, export_queries = timed(render_part, article, "text")
        rows.append(("export to text", f"{export_time * 1000:.0f}", export_queries))
        report(f"Import of {turns} turns", rows, ["step", "ms", "queries"])
        print(f"best parse + save: {best:.3f} s (goal: well under 1 s)")


if __name__ == "__main__":
    main()
