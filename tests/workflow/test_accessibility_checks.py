"""The accessibility checks on their own (articles.accessibility_checks): plain text in, findings out."""

import pytest

from articles.accessibility_checks import (
    ALT_TEXT_LIMIT,
    ERROR,
    WARNING,
    check_alt_text,
    check_heading,
    check_html,
    vague_link_text,
)


def levels(findings):
    return [finding.level for finding in findings]


@pytest.mark.parametrize(
    "alt",
    ["画像", "写真", "画像1", "写真 2", "イメージ", "image", "IMG", "Photo", "IMG_1234.jpg", "DSC0001", "kaigi.png"],
)
def test_alt_text_that_names_the_kind_of_thing_or_a_file_is_an_error(alt):
    (finding,) = check_alt_text(alt, where="画像1")
    assert finding.level == ERROR and finding.where == "画像1"


def test_empty_alt_text_and_the_figure_reference_are_errors():
    assert levels(check_alt_text("  ", where="画像1")) == [ERROR]
    assert levels(check_alt_text("図A", where="図A", reference="図A")) == [ERROR]


def test_alt_text_repeating_the_caption_is_an_error_and_a_description_is_fine():
    caption = "町田市役所での座談会の様子"
    (finding,) = check_alt_text("町田市役所での座談会の様子。", where="画像1", caption=caption)
    assert "キャプションと同じ" in finding.message
    assert check_alt_text("机を囲んで話す4人の参加者", where="画像1", caption=caption) == []


def test_alt_text_over_the_limit_is_a_warning_only():
    long_alt = "会議室の机を囲んで話す参加者" * 20
    assert len(long_alt) > ALT_TEXT_LIMIT
    (finding,) = check_alt_text(long_alt, where="画像1")
    assert finding.level == WARNING and str(ALT_TEXT_LIMIT) in finding.message
    assert check_alt_text("会議室" * (ALT_TEXT_LIMIT // 3), where="画像1") == []


@pytest.mark.parametrize(
    "text",
    [
        "こちら",
        "ここ",
        "詳細",
        "詳しくはこちら",
        "こちらをクリックしてください",
        "click here",
        "More",
        "前半はこちら",
        "第1回はこちら",
        " ",
    ],
)
def test_link_text_that_says_nothing_on_its_own(text):
    assert vague_link_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "町田市デジタル化推進計画(PDF)",
        "ここまでの議論のまとめ",
        "前半はこちら(町田市×都CIOの座談会を実施しました!part1)",
        "詳細設計書",
    ],
)
def test_link_text_that_names_its_target(text):
    assert not vague_link_text(text)


def test_links_images_and_headings_inside_rendered_markdown():
    html = (
        '<p>資料は<a href="https://example.jp/">こちら</a>。<img src="/m/a.png" alt="写真"></p>'
        '<p><a href="https://example.jp/plan.pdf">町田市の計画(PDF)</a></p><h3> </h3><h6>細目</h6>'
    )
    findings = check_html(html, where="発言3(高橋)", anchor="turn-7")
    messages = [finding.message for finding in findings]
    assert len(findings) == 4, messages
    assert "「こちら」" in messages[0] and "写真" in messages[1]
    assert "空の見出し" in messages[2] and "h3の次がh6" in messages[3]
    assert {finding.anchor for finding in findings} == {"turn-7"}


def test_empty_and_skipped_section_headings():
    assert levels(check_heading("―", "", where="見出し")) == [ERROR]
    (skipped,) = check_heading("", "座学よりも体験が一番のOJT", where="見出し")
    assert "階層が飛びます" in skipped.message
    assert check_heading("事例体験による人材育成", "座学よりも体験が一番のOJT", where="見出し") == []
    assert check_heading("", "", where="見出し") == []  # a section without headings is allowed
