"""Japanese line breaking and ふりがな on the demo part, in Chromium.

Line boxes are measured: every occurrence of a name or a date must sit on one line at
phone widths. ふりがな is checked in the DOM and in Chromium's accessibility tree (CDP).
Screenshots with ふりがな on go to var/screenshots/readings/.
"""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.support import quality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [320, 360, 375, 414]
UNBREAKABLE = ["小澤", "高橋", "宮坂", "深井", "令和4年1月20日", "令和3年10月15日", "東京都", "町田市"]

# Every visible occurrence of each word: is it laid out on more than one line?
BROKEN_WORDS = """(words) => {
    const broken = [];
    const counts = {};
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest('.visually-hidden, [hidden], script, style, rt')) continue;
        for (const word of words) {
            for (let at = node.data.indexOf(word); at !== -1; at = node.data.indexOf(word, at + 1)) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + word.length);
                const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                counts[word] = (counts[word] || 0) + 1;
                if (tops.size > 1) broken.push(`${word} in <${parent.tagName.toLowerCase()} class="${parent.className}">`);
            }
        }
    }
    return {broken, counts};
}"""


@pytest.fixture
def demo_url(live_server):
    call_command("load_demo", stdout=io.StringIO())
    from articles.models import Article

    return live_server.url + Article.objects.get().get_absolute_url()


def phone(browser, width):
    return browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": width, "height": 800})


def add_style(page, css):
    """A style sheet added through the CSSOM (the site's CSP refuses inline <style>)."""
    page.evaluate(
        "css => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);"
        " document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }",
        css,
    )


def measure(page):
    return page.evaluate(BROKEN_WORDS, UNBREAKABLE)


@pytest.mark.parametrize("width", WIDTHS)
def test_names_and_dates_never_break_inside_at_phone_widths(browser, demo_url, width):
    context = phone(browser, width)
    try:
        page = context.new_page()
        page.goto(demo_url)
        assert page.evaluate("() => CSS.supports('word-break', 'auto-phrase')")
        result = measure(page)
        assert result["broken"] == [], result
        # Every word was found where a reader sees it: turns, labels, participants, dates, back numbers.
        assert result["counts"]["小澤"] >= 4 and result["counts"]["高橋"] >= 8
        assert result["counts"]["令和4年1月20日"] >= 1 and result["counts"]["東京都"] >= 3
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"scrolls sideways by {overflow}px"

        # A browser without auto-phrase: words kept whole, lines break at the stored <wbr>.
        add_style(page, "* { word-break: keep-all !important; }")
        result = measure(page)
        assert result["broken"] == [], result
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"keep-all: scrolls sideways by {overflow}px"
    finally:
        context.close()


def test_the_measure_sees_breaks_when_the_page_lets_words_break(browser, demo_url):
    """Without the line-breaking rules, names and dates do break (the bug of issue #16)."""
    broken = []
    for width in WIDTHS:
        context = phone(browser, width)
        try:
            page = context.new_page()
            page.goto(demo_url)
            add_style(page, "* { word-break: normal !important; white-space: normal !important; }")
            broken += measure(page)["broken"]
        finally:
            context.close()
    assert broken


def ax_tree(page):
    """Chromium's whole accessibility tree: (role, name) of every node that is not ignored."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    return [
        (node.get("role", {}).get("value", ""), node.get("name", {}).get("value", ""))
        for node in nodes
        if not node.get("ignored")
    ]


def test_furigana_off_leaves_no_ruby_in_the_page_or_the_tree_and_on_shows_the_readings(page, demo_url):
    page.goto(demo_url)
    button = page.get_by_role("button", name="ふりがな")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.locator("ruby, rt").count() == 0
    tree = ax_tree(page)
    assert not [node for node in tree if "ruby" in node[0].lower()]
    assert not [node for node in tree if "まちだ" in node[1] or "たかはし" in node[1]]
    heading = page.locator("h2.section-heading").first
    expect(heading).to_have_accessible_name("事例体験による人材育成")
    plain_snapshot = page.locator(".article-body").aria_snapshot()
    plain_heading_text = heading.evaluate("h => h.textContent")

    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    # Readings over the kanji of headings and turns.
    assert heading.locator("ruby").count() >= 3
    assert page.locator(".speech ruby").count() > 200
    # 町田 from the reading dictionary (the analyser alone reads 町田市 as one word).
    machida = page.locator(".speech ruby", has_text="町田").first
    assert machida.evaluate("r => [r.firstChild.textContent, r.querySelector('rt').textContent]") == ["町田", "まちだ"]
    # 宮坂 (宮坂副知事) from Person.reading.
    miyasaka = page.locator(".speech ruby", has_text="宮坂").first
    assert miyasaka.locator("rt").text_content() == "みやさか"
    # The speakers' labels and the participants box, from Person.reading.
    label = page.locator(".turn .speaker a").first
    assert label.locator("rt").all_text_contents()[-1] == "ふかい"
    expect(label).to_contain_text("深井")
    name = page.locator(".participant-name", has_text="高橋").first
    assert name.locator("rt").all_text_contents() == ["たかはし", "あきら"]
    # A screen reader reads each word once: the tree holds the text as before and no reading
    # (Chromium only puts a space between the ruby units: 「事例 体験 による 人材育成」).
    assert unspaced(page.locator(".article-body").aria_snapshot()) == unspaced(plain_snapshot)
    assert unspaced(heading.evaluate("h => h.textContent")) != unspaced(plain_heading_text)
    assert not [node for node in ax_tree(page) if "まちだ" in node[1] or "みやさか" in node[1]]

    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.locator("ruby, rt").count() == 0


def unspaced(text):
    """Without white space (and YAML's quotes, which a name with 「: 」 gets in a snapshot)."""
    return "".join(text.split()).replace("'", "")


def test_the_choice_survives_a_reload(page, demo_url):
    page.goto(demo_url)
    page.get_by_role("button", name="ふりがな").click()
    page.reload()
    expect(page.get_by_role("button", name="ふりがな")).to_have_attribute("aria-pressed", "true")
    assert page.locator(".speech ruby").count() > 200
    page.get_by_role("button", name="ふりがな").click()
    page.reload()
    expect(page.get_by_role("button", name="ふりがな")).to_have_attribute("aria-pressed", "false")
    assert page.locator("ruby").count() == 0


def test_copied_text_and_text_content_keep_the_words_as_written(page, demo_url):
    from articles.models import SpeakerTurn

    page.goto(demo_url)
    bodies = page.locator(".speech").evaluate_all("els => els.map(e => e.textContent)")
    from django.utils.html import strip_tags

    expected = [strip_tags(turn.body_html) for turn in SpeakerTurn.objects.order_by("section__position", "position")]
    assert [body for body in bodies] == [body for body in expected[: len(bodies)]]
    assert page.locator(".speech wbr").count() > 100


@pytest.mark.parametrize("furigana", [False, True])
def test_axe_and_the_nu_checker_find_nothing_with_furigana_on_and_off(page, demo_url, furigana):
    page.goto(demo_url)
    if furigana:
        page.get_by_role("button", name="ふりがな").click()
        expect(page.locator("ruby").first).to_be_attached()
    violations = quality.axe_violations(page)
    assert violations == [], quality.format_violations(violations)
    # WCAG 2.2 (target-size) on this feature's control; the turns' permalinks are the
    # quotes branch's (issue #16: a well-sized permalink).
    target_size = quality.axe_violations(page, ".reading-controls", tags=("wcag22a", "wcag22aa"))
    assert target_size == [], quality.format_violations(target_size)
    document = "<!DOCTYPE html>\n" + page.evaluate("() => document.documentElement.outerHTML")
    results = quality.validate_html({"demo part": document})
    assert not results["demo part"], quality.format_html_errors(results)


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshot_with_furigana_on(browser, demo_url, width):
    context = phone(browser, width)
    try:
        page = context.new_page()
        page.goto(demo_url)
        page.get_by_role("button", name="ふりがな").click()
        expect(page.locator("ruby").first).to_be_attached()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        quality.screenshot(page, f"readings/part-furigana-{width}")
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_furigana_with_the_largest_text_and_high_contrast(browser, demo_url, width):
    """The three reading aids together (issue #16's screenshots): ふりがな on, 特大, 高コントラスト.
    Nothing sideways, axe (WCAG 2.2 target size too) and the Nu checker at zero."""
    context = phone(browser, width)
    try:
        page = context.new_page()
        page.goto(demo_url)
        page.evaluate(
            "() => { localStorage.setItem('reader.textSize', 'x-large'); localStorage.setItem('reader.scheme', 'contrast'); }"
        )
        page.reload()
        assert page.evaluate("() => document.documentElement.dataset.scheme") == "contrast"
        page.get_by_role("button", name="ふりがな").click()
        expect(page.locator("ruby").first).to_be_attached()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        violations = quality.axe_violations(page, tags=(*quality.AXE_TAGS, "wcag22aa"))
        assert violations == [], quality.format_violations(violations)
        document = "<!DOCTYPE html>\n" + page.evaluate("() => document.documentElement.outerHTML")
        results = quality.validate_html({"demo part": document})
        assert not results["demo part"], quality.format_html_errors(results)
        quality.screenshot(page, f"readings/part-furigana-x-large-contrast-{width}")
    finally:
        context.close()
