"""The public body's page in Debian's Chromium: printed, a part carries the site's name, its
address and dates (出典); the accessibility policy page and the pages with the new footer pass
axe and the Nu checker. Screenshots go to var/screenshots/public/."""

import pytest
from playwright.sync_api import expect

from tests.support import quality
from tests.support.sample_series import make_sample_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    series = make_sample_series()
    series.base = live_server.url
    return series


def test_a_printed_part_shows_the_site_name_its_address_and_the_citation(site, page):
    url = site.base + site.part2.get_absolute_url()
    page.goto(url)
    expect(page.locator(".print-url")).to_be_hidden()  # on screen the address bar says it
    expect(page.locator(".citation")).to_be_visible()
    expect(page.get_by_role("button", name="ふりがな")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-name")).to_have_text("座談会アーカイブ")
    expect(page.locator(".site-name")).to_be_visible()
    expect(page.locator(".print-url")).to_be_visible()
    expect(page.locator(".print-url")).to_have_text(url)
    citation = page.locator(".citation")
    expect(citation).to_be_visible()
    expect(citation).to_contain_text(f"出典:座談会アーカイブ「{site.part2.title}」{url}")
    expect(citation).to_contain_text("令和4年1月20日")
    expect(page.locator(".event-line")).to_contain_text("令和3年10月15日")  # held on
    for hidden in (
        ".site-search",
        ".site-footer",
        ".back-numbers-box",
        ".breadcrumbs",
        ".reader-controls",
        ".reading-controls",
    ):
        expect(page.locator(hidden)).to_be_hidden()
    # Nothing of the page runs off the paper's width (A4 less margins is about 668 CSS px).
    page.set_viewport_size({"width": 668, "height": 900})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 668
    quality.screenshot(page, "public/part-print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_policy_page_and_the_pages_with_the_footer_pass_axe_and_nu(site, page):
    paths = {
        "policy": "/accessibility/",
        "home": "/",
        "part": site.part2.get_absolute_url(),
        "roundtable": site.roundtable.get_absolute_url(),
    }
    documents = {}
    for name, path in paths.items():
        response = page.goto(site.base + path)
        assert response.status == 200, path
        footer = page.locator("footer.site-footer")
        expect(footer).to_contain_text("発行")
        expect(footer.get_by_role("link", name="ウェブアクセシビリティ方針")).to_be_visible()
        violations = quality.axe_violations(page)
        assert violations == [], f"{name}: {quality.format_violations(violations)}"
        documents[name] = page.request.get(site.base + path).text()
    page.goto(site.base + "/")
    page.locator("footer.site-footer").get_by_role("link", name="ウェブアクセシビリティ方針").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ウェブアクセシビリティ方針")
    quality.screenshot(page, "public/accessibility-policy-1280")
    results = quality.validate_html(documents)
    assert not any(results.values()), quality.format_html_errors(results)


def test_the_browser_finds_the_favicon(site, page):
    page.goto(site.base + "/")
    href = page.locator('link[rel="icon"][type="image/svg+xml"]').get_attribute("href")
    response = page.request.get(site.base + href)
    assert response.status == 200 and "svg" in response.headers["content-type"]
    assert page.request.get(site.base + "/favicon.ico").status == 200
