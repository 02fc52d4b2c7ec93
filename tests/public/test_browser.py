"""The public site in Debian's Chromium: a reader's path, keyboard use, accessibility, HTML validity.

Screenshots of every page type at 375 px and 1280 px go to var/screenshots/public/ (or
$SCREENSHOT_DIR) on every run.
"""

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.support import quality
from tests.support.sample_series import make_sample_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_TYPES = ["home", "forum", "roundtable", "part", "person", "appearances", "404"]


@pytest.fixture
def site(live_server):
    series = make_sample_series()
    series.base = live_server.url
    series.urls = {
        "home": "/",
        "forum": series.forum.get_absolute_url(),
        "roundtable": series.roundtable.get_absolute_url(),
        "part": series.part2.get_absolute_url(),
        "person": series.people["takahashi"].get_absolute_url(),
        "appearances": reverse("participants:person_appearances", args=[series.people["takahashi"].pk]),
        "404": "/articles/no-such-part/",
    }
    return series


def test_reader_goes_home_forum_roundtable_part1_part2_through_links(site, page):
    page.goto(site.base + "/")
    page.locator(".forum-list").get_by_role("link", name="東京都・区市町村CIOフォーラム").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("東京都・区市町村CIOフォーラム")

    page.get_by_role("link", name="第4回 町田市×都CIO座談会").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("第4回座談会「町田市×都CIO座談会」")

    page.locator(".part-list").get_by_role("link", name="町田市×都CIOの座談会を実施しました!part1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("町田市×都CIOの座談会を実施しました!part1")
    expect(page.locator(".part-note")).to_contain_text("※この記事は全2回の前半です。")

    page.get_by_role("link", name="後半はこちら").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("町田市×都CIOの座談会を実施しました!part2")
    assert page.url == site.base + site.part2.get_absolute_url()
    # And back again by the part navigation.
    page.get_by_role("link", name="前の記事 町田市×都CIOの座談会を実施しました!part1").click()
    expect(page).to_have_url(site.base + site.part1.get_absolute_url())


def test_a_turns_permalink_leads_to_that_turn(site, page, browser):
    page.goto(site.base + site.part2.get_absolute_url())
    turn = page.locator(".turn").nth(6)
    anchor = turn.get_attribute("id")
    turn.get_by_role("link", name=re.compile(r"^.+の発言\(\d+\)へのリンク$")).click()
    expect(page).to_have_url(f"{site.base}{site.part2.get_absolute_url()}#{anchor}")
    expect(turn).to_be_in_viewport()

    # Shared as a link: a new reader lands on the turn, highlighted as the target.
    other = browser.new_context(locale="ja-JP", viewport={"width": 375, "height": 667})
    try:
        fresh = other.new_page()
        fresh.goto(f"{site.base}{site.part2.get_absolute_url()}#{anchor}")
        target = fresh.locator(f"#{anchor}")
        expect(target).to_be_in_viewport()
        assert fresh.evaluate(f"() => document.querySelector('#{anchor}').matches(':target')")
    finally:
        other.close()


def load_all_images(page):
    """Load lazy images too, so a full-page screenshot shows them."""
    page.evaluate(
        """async () => {
            for (const img of document.querySelectorAll('img[loading="lazy"]')) img.loading = "eager";
            await Promise.all([...document.images].map(img => img.complete ? null
                : new Promise(done => { img.onload = img.onerror = done; })));
        }"""
    )


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {text: e.textContent.trim(), inToc: !!e.closest('nav.toc'), href: e.getAttribute('href')}; }"
    )


def test_keyboard_alone_reaches_the_table_of_contents_and_a_section(site, page):
    page.goto(site.base + site.part2.get_absolute_url())
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "本文へ移動"
    expect(page.get_by_role("link", name="本文へ移動")).to_be_in_viewport()  # visible when focused
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "目次へ移動"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["inToc"], first
    page.keyboard.press("Tab")
    second = focused(page)
    assert second["inToc"] and second["text"].startswith("コミュニティの形成と情報発信")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.base + site.part2.get_absolute_url() + second["href"])
    expect(page.get_by_role("heading", level=2, name="コミュニティの形成と情報発信")).to_be_in_viewport()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_pages_fit_the_screen_without_sideways_scrolling(site, browser, width):
    context = browser.new_context(locale="ja-JP", viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        for name, url in site.urls.items():
            page.goto(site.base + url)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"
            if width != 320:
                load_all_images(page)
                quality.screenshot(page, f"public/{name}-{width}")
    finally:
        context.close()


def test_header_image_is_loaded_eagerly_and_figures_lazily_with_a_rendition_chosen(site, page):
    page.goto(site.base + site.part2.get_absolute_url())
    header = page.locator("picture.header-image img")
    assert header.evaluate("img => img.complete && img.naturalWidth > 0")
    assert header.evaluate("img => img.currentSrc").endswith(".webp")
    assert page.locator("figure.figure img").get_attribute("loading") == "lazy"


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_has_no_accessibility_violations(site, page, name):
    response = page.goto(site.base + site.urls[name])
    assert response.status == (404 if name == "404" else 200)
    violations = quality.axe_violations(page)
    assert violations == [], quality.format_violations(violations)


def test_part_page_has_no_accessibility_violations_in_the_dark_scheme(site, browser):
    context = browser.new_context(locale="ja-JP", color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(site.base + site.part2.get_absolute_url())
        assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(22, 24, 29)"
        violations = quality.axe_violations(page)
        assert violations == [], quality.format_violations(violations)
    finally:
        context.close()


def test_demo_article_is_valid_accessible_and_shows_its_structure(live_server, page):
    """The sample article as `make run` loads it (load_demo), checked like the other pages."""
    from django.core.management import call_command

    from articles.models import Article

    call_command("load_demo", stdout=io.StringIO())
    url = live_server.url + Article.objects.get().get_absolute_url()
    page.goto(url)
    expect(page.locator(".part-note")).to_have_text(
        "※この記事は全2回の後半です。前半はまだ掲載されていません。"
    )  # part 1 is not loaded
    expect(page.locator(".turn .speaker").first).to_contain_text("東京都デジタルサービス局戦略部長:深井(以下「深井」)")
    expect(page.locator("nav.toc li")).to_have_count(2)
    expect(page.locator("figure.figure img")).to_have_count(2)
    violations = quality.axe_violations(page)
    assert violations == [], quality.format_violations(violations)
    load_all_images(page)
    quality.screenshot(page, "public/demo-part-1280")
    results = quality.validate_html({"demo part": page.request.get(url).text()})
    assert not results["demo part"], quality.format_html_errors(results)


def test_every_page_type_is_valid_html(client):
    """All page types checked by the Nu HTML Checker in one run."""
    series = make_sample_series()
    urls = {
        "home": "/",
        "forum": series.forum.get_absolute_url(),
        "roundtable": series.roundtable.get_absolute_url(),
        "part": series.part2.get_absolute_url(),
        "part 1": series.part1.get_absolute_url(),
        "person": series.people["takahashi"].get_absolute_url(),
        "appearances": reverse("participants:person_appearances", args=[series.people["takahashi"].pk]),
        "404": "/articles/no-such-part/",
    }
    documents = {f"{name} {url}": client.get(url).content.decode() for name, url in urls.items()}
    results = quality.validate_html(documents)
    assert set(results) == set(documents)
    assert not any(results.values()), quality.format_html_errors(results)
