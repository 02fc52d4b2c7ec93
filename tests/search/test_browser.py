"""The search page in Debian's Chromium: keyboard use, the count announced, a result's link
landing on the highlighted turn, axe-core (light and dark) and the Nu HTML Checker."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import quality
from tests.support.sample_series import make_sample_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEARCH_PAGES = {
    "results": "/search/?q=人材",
    "filtered": "/search/?q=ネットワーク&role=CIO補佐&year=2021",
    "no hit": "/search/?q=量子暗号",
    "empty form": "/search/",
    "bad input": "/search/?q=" + "人" * 300 + "&from=2021-13-01",
}


@pytest.fixture
def site(live_server):
    series = make_sample_series(images=False)
    series.base = live_server.url
    return series


def test_keyboard_search_from_any_page_announces_the_count_and_lands_on_the_highlighted_turn(site, page):
    page.goto(site.base + site.part1.get_absolute_url())
    box = page.get_by_role("search", name="サイト内検索").get_by_label("発言を検索")
    for _ in range(6):
        page.keyboard.press("Tab")
        if box.evaluate("element => element === document.activeElement"):
            break
    expect(box).to_be_focused()
    page.keyboard.type("ネットワーク")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site.base}/search/?q=%E3%83%8D%E3%83%83%E3%83%88%E3%83%AF%E3%83%BC%E3%82%AF")
    status = page.get_by_role("status")
    expect(status).to_have_text("2件見つかりました。")
    second = page.locator(".search-hit-snippet a").nth(1)  # 高橋: 自前のネットワークや4Gのネットワーク
    expect(second.locator("mark").first).to_have_text("ネットワーク")
    second.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?hl=.*#turn-\d+$"))
    anchor = page.url.split("#")[1]
    turn = page.locator(f"#{anchor}")
    expect(turn).to_be_in_viewport()
    assert page.evaluate(f"() => document.getElementById('{anchor}').matches(':target')")
    expect(turn.locator("mark").first).to_have_text("ネットワーク")
    assert turn.locator("mark").count() == 2  # 自前のネットワークや4Gのネットワーク


def test_highlight_matches_full_width_query_in_half_width_text(site, page):
    turn = site.part2.sections.get(position=2).turns.get(position=2)
    page.goto(f"{site.base}{site.part2.get_absolute_url()}?hl=ｉｐａｄ 4g#turn-{turn.pk}")
    marks = page.locator(f"#turn-{turn.pk} mark")
    expect(marks).to_have_count(2)
    assert sorted(marks.all_inner_texts()) == ["4G", "iPad"]


@pytest.mark.parametrize("name", SEARCH_PAGES)
def test_search_pages_have_no_accessibility_violations(site, page, name):
    response = page.goto(site.base + SEARCH_PAGES[name])
    assert response.status == (400 if name == "bad input" else 200)
    violations = quality.axe_violations(page)
    assert violations == [], quality.format_violations(violations)


def test_search_results_have_no_accessibility_violations_in_the_dark_scheme(site, browser):
    context = browser.new_context(locale="ja-JP", color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(site.base + SEARCH_PAGES["results"])
        mark = page.locator("mark").first
        assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(115, 92, 0)"
        violations = quality.axe_violations(page)
        assert violations == [], quality.format_violations(violations)
    finally:
        context.close()


def test_search_pages_are_valid_html(client):
    make_sample_series(images=False)
    documents = {f"{name} {url[:60]}": client.get(url).content.decode() for name, url in SEARCH_PAGES.items()}
    results = quality.validate_html(documents)
    assert set(results) == set(documents)
    assert not any(results.values()), quality.format_html_errors(results)
