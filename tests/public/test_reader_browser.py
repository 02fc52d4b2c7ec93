"""The reader's side of a part page in Chromium: quoting turns (the copied text is the
printed text), the labels' accessible names, permalinks and their size, the old #turn-<id>
links, links to a passage (text fragments), 読み上げ (speechSynthesis stubbed), 文字サイズ and
背景色 (remembered, no layout shift, no sideways scrolling), axe in every mode.

Screenshots with large text and the high-contrast scheme go to var/screenshots/reader/.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from articles.models import SpeakerTurn
from tests.conftest import new_page
from tests.support import quality
from tests.support.sample_series import make_sample_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# axe's WCAG 2.2 AA rules as well: target-size (24 × 24 CSS px) among them.
AXE_TAGS = (*quality.AXE_TAGS, "wcag22aa")
READINGS = {"fukai": "ふかいみのる", "takahashi": "たかはしあきら"}  # 宮坂 and 小澤 have none


@pytest.fixture
def site(live_server):
    series = make_sample_series()
    for key, reading in READINGS.items():
        series.people[key].reading = reading
        series.people[key].save()
    series.base = live_server.url
    series.url = live_server.url + series.part2.get_absolute_url()
    return series


def turns_of(article):
    return list(
        SpeakerTurn.objects.filter(section__article=article)
        .select_related("speaker__person")
        .order_by("section__position", "position", "pk")
    )


def lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


SELECT_TURNS = """([first, last]) => {
    const turns = document.querySelectorAll('.article-body .turn');
    const range = document.createRange();
    range.setStartBefore(turns[first].querySelector('.speaker'));
    range.setEndAfter(turns[last].querySelector('.speech'));
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
}"""


def test_two_copied_turns_are_the_printed_text_and_nothing_else(site, browser):
    page = new_page(browser, viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"])
    try:
        page.goto(site.url)
        selected = page.evaluate(SELECT_TURNS, [0, 1])
        page.evaluate("() => document.execCommand('copy')")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        first, second = turns_of(site.part2)[:2]
        printed = [
            "東京都デジタルサービス局戦略部長:深井(以下「深井」)",
            *lines(first.body),
            "町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐):高橋(以下「高橋」)",
            *lines(second.body),
        ]
        assert lines(selected) == printed
        assert lines(copied) == printed
        # Later turns: the label alone (no title, no link text) in a copy.
        later = page.evaluate(SELECT_TURNS, [2, 3])
        assert lines(later)[0] == "深井" and "高橋" in lines(later)
        assert not re.search("リンク|コピー|都デジタルサービス局戦略部長 深井 稔", later)
    finally:
        page.context.close()


def test_without_css_the_page_shows_no_hidden_text(site, page):
    page.goto(site.url)
    styled = page.locator(".article-body").inner_text()
    page.evaluate("() => document.querySelectorAll('link[rel=stylesheet], style').forEach(s => s.remove())")
    plain = page.locator(".article-body").inner_text()
    assert lines(plain) == lines(styled)
    assert not re.search("リンク|コピー|以下「深井」\\)\\S", plain)
    assert "都デジタルサービス局戦略部長 深井 稔" not in plain


def test_the_full_title_is_announced_once_and_later_labels_as_the_name(site, page):
    page.goto(site.url)
    turns = page.locator(".article-body .turn:not(.narration)")
    expect(turns.nth(0).locator(".speaker")).to_match_aria_snapshot(
        """
        - paragraph:
          - link "東京都デジタルサービス局戦略部長:深井"
          - text: (以下「深井」)
          - link "深井の発言(1)へのリンク"
          - button "深井の発言(1)のリンクをコピー"
        """
    )
    expect(turns.nth(2).locator(".speaker")).to_match_aria_snapshot(
        """
        - paragraph:
          - link "深井"
          - link "深井の発言(2)へのリンク"
          - button "深井の発言(2)のリンクをコピー"
        """
    )
    # No description either: the name is all a screen reader hears of a later label.
    later = turns.nth(2).locator(".speaker a").first
    assert later.evaluate("a => [a.title, a.getAttribute('aria-describedby')]") == ["", None]


def test_permalinks_are_named_after_the_speaker_and_big_enough_to_hit(site, page):
    page.goto(site.url)
    names = page.locator(".article-body .permalink").evaluate_all("links => links.map(a => a.ariaLabel)")
    assert names[:5] == [
        "深井の発言(1)へのリンク",
        "高橋の発言(1)へのリンク",
        "深井の発言(2)へのリンク",
        "高橋の発言(2)へのリンク",
        "宮坂の発言(1)へのリンク",
    ]
    assert "高橋の発言(3)へのリンク" in names
    narration = page.locator(".article-body .turn.narration").first
    expect(narration.get_by_role("link", name="地の文(1)へのリンク")).to_have_attribute(
        "href", f"#{narration.get_attribute('id')}"
    )
    for control in page.locator(".article-body .permalink, .article-body .copy-link").all()[:6]:
        box = control.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
    link = page.get_by_role("link", name="高橋の発言(3)へのリンク")
    turn = page.locator(".turn").filter(has=link)
    anchor = turn.get_attribute("id")
    assert re.fullmatch(r"t-[0-9a-f]{8}(-\d+)?", anchor)
    link.click()
    expect(page).to_have_url(f"{site.url}#{anchor}")
    expect(turn).to_be_in_viewport()


def test_copy_link_puts_the_turns_address_on_the_clipboard(site, browser):
    page = new_page(browser, viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"])
    try:
        page.goto(site.url)
        button = page.get_by_role("button", name="高橋の発言(2)のリンクをコピー")
        anchor = page.locator(".turn").filter(has=button).get_attribute("id")
        button.click()
        expect(page.get_by_role("status")).to_have_text("発言へのリンクをコピーしました。")
        assert page.evaluate("() => navigator.clipboard.readText()") == f"{site.url}#{anchor}"
    finally:
        page.context.close()


def test_a_selected_passage_gets_a_link_that_opens_its_turn(site, browser):
    page = new_page(browser, viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"])
    try:
        page.goto(site.url)
        bar = page.locator(".passage-link")
        expect(bar).to_be_hidden()
        turn = page.locator(".article-body .turn:not(.narration)").nth(3)
        anchor = turn.get_attribute("id")
        passage = turn.evaluate(
            """turn => {
                // The first 12 characters of the paragraph, across the text nodes that the
                // stored line-break marks (<wbr>, names kept whole) split it into.
                const walker = document.createTreeWalker(turn.querySelector('.speech p'), NodeFilter.SHOW_TEXT);
                const range = document.createRange();
                let node = walker.nextNode(), left = 12;
                range.setStart(node, 0);
                while (node.length < left) { left -= node.length; node = walker.nextNode(); }
                range.setEnd(node, left);
                document.getSelection().removeAllRanges();
                document.getSelection().addRange(range);
                return range.toString();
            }"""
        )
        expect(bar).to_be_visible()
        bar.get_by_role("button", name="選んだ箇所へのリンクをコピー").click()
        expect(page.get_by_role("status")).to_have_text("選んだ箇所へのリンクをコピーしました。")
        link = page.evaluate("() => navigator.clipboard.readText()")
        assert link.startswith(f"{site.url}#{anchor}:~:text=")
        from urllib.parse import unquote

        directive = unquote(link.split(":~:text=")[1])
        assert passage in directive or directive.startswith(passage[:4])  # widened to whole words
        # Opened elsewhere, the link lands on the turn.
        other = new_page(browser, viewport={"width": 375, "height": 667})
        try:
            other.goto(link)
            expect(other.locator(f"#{anchor}")).to_be_in_viewport()
            assert other.evaluate("() => location.hash") == f"#{anchor}"  # the directive is the browser's
        finally:
            other.context.close()
        # A selection outside the part's turns offers nothing.
        page.evaluate(
            """() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('h1'));
                document.getSelection().removeAllRanges(); document.getSelection().addRange(r); }"""
        )
        expect(bar).to_be_hidden()
    finally:
        page.context.close()


def test_an_old_turn_link_still_lands_on_its_turn(site, page):
    turn = turns_of(site.part2)[6]
    page.goto(f"{site.url}#turn-{turn.pk}")
    target = page.locator(f"#{turn.anchor}")
    expect(target).to_be_in_viewport()
    assert target.evaluate("t => t.matches(':has(> .legacy-anchor:target)')")
    assert target.evaluate("t => getComputedStyle(t).outlineStyle") == "solid"
    # An old search result's link (?hl=…#turn-<id>) still marks the words in the turn.
    word = turn.body[:4]
    page.goto(f"{site.url}?hl={word}#turn-{turn.pk}")
    expect(target.locator("mark").first).to_have_text(word)


SPEECH_STUB = """(() => {
    const spoken = window.__spoken = [];
    window.__utterances = [];
    window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; this.lang = ""; this.onend = null; } };
    const synth = {
        paused: false,
        getVoices: () => VOICES,
        addEventListener() {},
        speak(u) { spoken.push([u.lang, u.text]); window.__utterances.push(u); },
        cancel() { window.__utterances = []; },
        pause() { this.paused = true; },
        resume() { this.paused = false; },
    };
    Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
})();"""


def speech_page(browser, voices='[{"lang": "ja-JP", "name": "テスト"}]'):
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    page.add_init_script(SPEECH_STUB.replace("VOICES", voices))
    return page


def finish_turn(page):
    """The stub's speech of the queued turn ends (its last utterance's onend)."""
    page.evaluate("() => { const u = window.__utterances; u[u.length - 1].onend({}); }")


def test_reading_aloud_queues_each_turn_with_the_speakers_reading(site, browser):
    page = speech_page(browser)
    try:
        page.goto(site.url)
        page.get_by_role("button", name="読み上げ", exact=True).click()
        player = page.get_by_role("group", name="読み上げ")
        expect(player).to_be_visible()
        expected_speakers = [
            (turn.speaker.person.reading or turn.speaker.short_label) if turn.speaker_id else None
            for turn in turns_of(site.part2)
        ]
        assert expected_speakers[:5] == ["ふかいみのる", "たかはしあきら", "ふかいみのる", "たかはしあきら", "宮坂"]
        turn_elements = page.locator(".article-body .turn")
        for index, speaker in enumerate(expected_speakers[:5]):
            spoken = page.evaluate("() => window.__spoken.splice(0)")
            assert {lang for lang, _ in spoken} == {"ja-JP"}
            texts = [text for _, text in spoken]
            assert texts[0] == speaker, (index, texts)
            body = re.sub(r"\s+", "", turn_elements.nth(index).locator(".speech").inner_text())
            assert re.sub(r"\s+", "", "".join(texts[1:])) == body
            expect(turn_elements.nth(index)).to_have_class(re.compile(r"\bspeaking\b"))
            expect(turn_elements.nth(index)).to_be_in_viewport()
            finish_turn(page)
        # Turn 6 (index 5) is being read: 次の発言 skips to the next; 一時停止 pauses; 停止 ends it.
        page.evaluate("() => window.__spoken.splice(0)")
        player.get_by_role("button", name="次の発言").click()
        assert page.evaluate("() => window.__spoken.splice(0)")[0][1] == expected_speakers[6]
        expect(turn_elements.nth(6)).to_have_class(re.compile(r"\bspeaking\b"))
        expect(turn_elements.nth(5)).not_to_have_class(re.compile(r"\bspeaking\b"))
        pause = player.get_by_role("button", name="一時停止")
        pause.click()
        expect(pause).to_have_attribute("aria-pressed", "true")
        assert page.evaluate("() => window.speechSynthesis.paused")
        violations = quality.axe_violations(page, tags=AXE_TAGS)
        assert violations == [], quality.format_violations(violations)
        player.get_by_role("button", name="停止", exact=True).click()
        expect(player).to_be_hidden()
        assert page.locator(".turn.speaking").count() == 0
    finally:
        page.context.close()


@pytest.mark.parametrize("stub", ["none", "english"], ids=["no speechSynthesis", "no Japanese voice"])
def test_no_reading_aloud_control_where_the_browser_cannot(site, browser, stub):
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    if stub == "none":
        page.add_init_script("Object.defineProperty(window, 'speechSynthesis', {value: undefined});")
    else:
        page.add_init_script(SPEECH_STUB.replace("VOICES", '[{"lang": "en-US", "name": "English"}]'))
    try:
        page.goto(site.url)
        expect(page.get_by_role("button", name="特大")).to_be_visible()
        assert page.get_by_role("button", name="読み上げ", exact=True).count() == 0
        expect(page.locator('[data-speech="start"]')).not_to_be_visible()
    finally:
        page.context.close()


def shifts(page):
    """The layout shifts of the page so far: (score, what moved) for each."""
    return page.evaluate(
        """() => new Promise(done => {
            const found = [];
            new PerformanceObserver(list => {
                for (const entry of list.getEntries()) {
                    const moved = (entry.sources || []).map(source => source.node
                        ? (source.node.nodeName + ' ' + (source.node.className || source.node.textContent || '')).slice(0, 60)
                        : '?');
                    found.push([entry.value, moved.join(', ')]);
                }
            }).observe({type: 'layout-shift', buffered: true});
            setTimeout(() => done(found), 500);
        })"""
    )


def test_text_size_and_scheme_are_remembered_and_applied_before_the_first_paint(site, page):
    page.goto(site.url)
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "16px"
    page.get_by_role("button", name="特大").click()
    page.get_by_role("button", name="高コントラスト").click()
    expect(page.get_by_role("button", name="特大")).to_have_attribute("aria-pressed", "true")
    page.reload()
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "24px"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    expect(page.get_by_role("button", name="特大")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("group", name="背景色").get_by_role("button", name="高コントラスト")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("group", name="文字サイズ").get_by_role("button", name="標準")).to_have_attribute(
        "aria-pressed", "false"
    )
    assert shifts(page) == []
    # Other pages too, and back to 標準.
    page.goto(site.base + "/")
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "24px"
    page.get_by_role("group", name="文字サイズ").get_by_role("button", name="標準").click()
    page.get_by_role("group", name="背景色").get_by_role("button", name="標準").click()
    page.reload()
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "16px"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


# The scripts that run after parsing (defer): a slow phone paints the page before they do.
DEFERRED_SCRIPTS = re.compile(r"/(js/reader|js/highlight|readings/furigana)(\.[0-9a-f]+)?\.js$")


@pytest.mark.parametrize("furigana", ["off", "on"], ids=["ふりがな off", "ふりがな on"])
def test_nothing_moves_when_the_scripts_start_after_the_first_paint(site, page, furigana):
    """Whatever the deferred scripts show (the ふりがな button, the readings a reader turned
    on, the pressed buttons of 文字サイズ and 背景色) has its room and its look from the first
    paint. The scripts are held back here until the page has been painted."""
    page.goto(site.url)
    prefer(page, "x-large", "contrast")
    if furigana == "on":
        page.evaluate("() => localStorage.setItem('furigana', 'on')")

    def after_the_first_paint(route):
        time.sleep(0.7)  # Chromium goes on parsing and painting meanwhile
        route.continue_()

    page.route(DEFERRED_SCRIPTS, after_the_first_paint)
    page.reload()
    button = page.get_by_role("button", name="ふりがな")
    expect(button).to_have_attribute("aria-pressed", "true" if furigana == "on" else "false")
    expect(page.get_by_role("button", name="特大")).to_have_attribute("aria-pressed", "true")
    assert (page.locator(".speech ruby").count() > 0) == (furigana == "on")
    assert page.evaluate("() => performance.getEntriesByType('paint').length") > 0
    assert shifts(page) == []


def test_without_javascript_no_control_is_shown(site, browser):
    page = new_page(browser, viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    try:
        page.goto(site.url)
        assert page.locator(".furigana-toggle").count() == 1
        expect(page.locator(".furigana-toggle")).to_be_hidden()
        expect(page.locator(".reader-controls")).to_be_hidden()
        expect(page.locator("h1")).to_be_visible()
    finally:
        page.context.close()


def prefer(page, size, scheme):
    page.evaluate(
        """([size, scheme]) => {
            localStorage.setItem('reader.textSize', size); localStorage.setItem('reader.scheme', scheme);
        }""",
        [size, scheme],
    )


@pytest.mark.parametrize("width", [320, 640])  # 640: 1280 px at 200% zoom
def test_no_sideways_scrolling_with_the_largest_text(site, browser, width):
    page = new_page(browser, viewport={"width": width, "height": 800})
    try:
        urls = {
            "home": "/",
            "forum": site.forum.get_absolute_url(),
            "roundtable": site.roundtable.get_absolute_url(),
            "part": site.part2.get_absolute_url(),
            "person": site.people["takahashi"].get_absolute_url(),
        }
        page.goto(site.base + "/")
        prefer(page, "x-large", "contrast")
        for name, url in urls.items():
            page.goto(site.base + url)
            assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "24px"
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} at {width}px with 特大 scrolls sideways by {overflow}px"
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["", "dark", "contrast"])
@pytest.mark.parametrize("size", ["", "large", "x-large"])
def test_part_page_has_no_accessibility_violations_in_every_mode(site, page, size, scheme):
    page.goto(site.url)
    prefer(page, size, scheme)
    page.reload()
    violations = quality.axe_violations(page, tags=AXE_TAGS)
    assert violations == [], quality.format_violations(violations)


@pytest.mark.parametrize("scheme", ["dark", "contrast"])
def test_every_page_type_has_no_accessibility_violations_with_the_largest_text(site, page, scheme):
    urls = {
        "home": "/",
        "forum": site.forum.get_absolute_url(),
        "roundtable": site.roundtable.get_absolute_url(),
        "person": site.people["takahashi"].get_absolute_url(),
        "search": "/search/?q=%E3%83%8D%E3%83%83%E3%83%88%E3%83%AF%E3%83%BC%E3%82%AF",
        "404": "/articles/no-such-part/",
    }
    page.goto(site.base + "/")
    prefer(page, "x-large", scheme)
    for name, url in urls.items():
        page.goto(site.base + url)
        assert page.evaluate("() => document.documentElement.dataset.scheme") == scheme
        violations = quality.axe_violations(page, tags=AXE_TAGS)
        assert violations == [], f"{name}: " + quality.format_violations(violations)


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_with_large_text_and_high_contrast(site, browser, width):
    page = new_page(browser, viewport={"width": width, "height": 900})
    try:
        page.goto(site.url)
        prefer(page, "x-large", "contrast")
        page.reload()
        violations = quality.axe_violations(page, tags=AXE_TAGS)
        assert violations == [], quality.format_violations(violations)
        quality.screenshot(page, f"reader/part-x-large-contrast-{width}")
        prefer(page, "large", "")
        page.reload()
        quality.screenshot(page, f"reader/part-large-{width}", full_page=False)
    finally:
        page.context.close()
