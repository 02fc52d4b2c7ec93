"""A part back out of the database: the article's own text, Markdown and JSON."""

import json

import markdown
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.exporter import export_part, export_roundtable, render_part
from articles.models import Figure
from articles.transcript import DOCUMENTED_KEYS, parse_transcript
from tests.support import SAMPLE
from tests.support.factories import make_article, make_long_article, make_roundtable

pytestmark = pytest.mark.django_db


def test_text_export_of_the_demo_part_is_the_sample_article_word_for_word(demo):
    sample = SAMPLE.read_text(encoding="utf-8")
    article_text = sample[: sample.index("バックナンバー")].rstrip("\n") + "\n"
    assert render_part(demo, "text") == article_text


def test_markdown_export_has_headings_speakers_figures_and_credits(demo):
    markdown = render_part(demo, "markdown")
    assert markdown.startswith("# 町田市×都CIOの座談会を実施しました!part2\n")
    assert "\n## 事例体験による人材育成\n\n### 座学よりも体験が一番のOJT\n" in markdown
    assert "\n**高橋** 外部人材は不定期に採用しておりまして" in markdown
    assert "\n執筆者:猪ノ口 渉(デジタルサービス局戦略部戦略課)\n" in markdown


def test_markdown_export_shows_each_figure_by_its_image_url_and_alt_text(demo, settings):
    settings.SITE_URL = "https://zadankai.example.jp"
    html = BeautifulSoup(markdown.markdown(render_part(demo, "markdown")), "html.parser")
    figures = Figure.objects.filter(section__article=demo).order_by("section__position", "position")
    expected = [(f"https://zadankai.example.jp{demo.header_image.url}", demo.header_image_alt)] + [
        (f"https://zadankai.example.jp{figure.image.url}", figure.alt_text) for figure in figures
    ]
    assert [(img["src"], img["alt"]) for img in html.find_all("img")] == expected


def test_markdown_export_writes_a_figure_without_an_image_as_text_not_a_broken_image():
    article = make_long_article(3)
    Figure.objects.filter(section__article=article).update(caption="会場の様子")
    exported = render_part(article, "markdown")
    html = BeautifulSoup(markdown.markdown(exported), "html.parser")
    assert html.find("img") is None
    assert "[画像1]" in html.get_text() and "会場の様子" in html.get_text()


def test_json_export_has_the_documented_shape_and_matches_a_fresh_parse(demo):
    exported = json.loads(render_part(demo, "json"))
    assert list(exported)[: len(DOCUMENTED_KEYS)] == list(DOCUMENTED_KEYS)
    parsed = parse_transcript(SAMPLE.read_text(encoding="utf-8")).to_dict()
    # Each turn also carries its kept anchor (re-imported as is); a fresh parse has none.
    anchors = [
        block.pop("anchor")
        for section in exported["sections"]
        for block in section["blocks"]
        if block["type"] == "turn"
    ]
    assert len(anchors) == len(set(anchors)) > 0 and all(anchor.startswith("t-") for anchor in anchors)
    assert exported == parsed


def test_roundtable_export_lists_its_parts_in_order(demo):
    part1 = make_article(roundtable=demo.roundtable, part_number=1, title="前半の記事", published=False)
    exported = export_roundtable(demo.roundtable)
    assert exported["forum"] == {"name": "東京都・区市町村CIOフォーラム", "slug": "tokyo-cio-forum"}
    assert exported["roundtable"]["number"] == 4 and exported["roundtable"]["part_count"] == 2
    assert [(p["part"]["number"], p["title"]) for p in exported["parts"]] == [(1, part1.title), (2, demo.title)]


def test_figures_without_a_usable_reference_are_numbered_in_the_export():
    article = make_long_article(3)
    Figure.objects.filter(section__article=article).update(reference="集合写真")
    figures = [b for s in export_part(article)["sections"] for b in s["blocks"] if b["type"] == "figure"]
    assert figures == [{"type": "figure", "ref": "画像1"}]


def test_export_queries_do_not_grow_with_the_length_of_the_part():
    short, long = make_long_article(3), make_long_article(120, roundtable=make_roundtable())
    with CaptureQueriesContext(connection) as few:
        render_part(short, "text")
    with CaptureQueriesContext(connection) as many:
        render_part(long, "text")
    assert len(many) == len(few) <= 8
