"""Specifications of tests/support/quality.py, checked against small inline HTML pages.

These tests really run Chromium, axe-core and the Nu HTML Checker: they prove
that the helpers pass a clean page and catch real problems, so that a green
accessibility or validation test elsewhere in the suite means something.
No Django is involved.
"""

from __future__ import annotations

import http.server
import struct
import threading
from collections.abc import Iterator

import pytest

from tests.support import quality

pytestmark = pytest.mark.browser

# A small, valid and accessible Japanese page: landmarks, one h1, labelled
# form control, image with alt text, <abbr> with its expansion.
VALID_JA_PAGE = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>第4回座談会 後編 | 東京都・区市町村CIOフォーラム</title>
<style>
  body { font-family: "Noto Sans CJK JP", sans-serif; margin: 0 1rem; line-height: 1.8; }
  a { color: #0645ad; }
</style>
</head>
<body>
<header>
  <p><a href="/">東京都・区市町村CIOフォーラム</a></p>
  <nav aria-label="パンくずリスト"><ol><li><a href="/">トップ</a></li><li>座談会</li></ol></nav>
</header>
<main>
  <h1>町田市×都<abbr title="最高情報責任者">CIO</abbr>座談会(後編)</h1>
  <p>令和3年10月15日開催。敬称略。</p>
  <img src="data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22%20width=%228%22%20height=%228%22/%3E"
       alt="座談会の様子" width="8" height="8">
  <h2>行政のデジタル化に向けて</h2>
  <p><strong>深井</strong> 本日はお集まりいただき、ありがとうございます。</p>
  <form action="/search/" method="get" role="search">
    <label for="q">サイト内検索</label>
    <input id="q" name="q" type="search">
    <button type="submit">検索</button>
  </form>
</main>
<footer><p>© 東京都</p></footer>
</body>
</html>
"""

# Two classic accessibility failures, otherwise a proper page.
INACCESSIBLE_PAGE = VALID_JA_PAGE.replace('alt="座談会の様子" ', 'id="bad-img" ').replace(
    '<label for="q">サイト内検索</label>\n    <input id="q"', '<input id="q"'
)

# Invalid markup, each problem on a known line (see _line_of).
INVALID_PAGE = """<!DOCTYPE html>
<html lang="ja">
<head><meta charset="utf-8"><title>不正なHTML</title></head>
<body>
<div><span>名前:<div>深井</div></span></div>
<p id="dup">一つ目</p>
<p id="dup">二つ目</p>
<section><h2>閉じていない要素
</body>
</html>
"""


def _line_of(document: str, needle: str) -> int:
    """1-based line number of the first line of ``document`` containing ``needle``."""
    for number, line in enumerate(document.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in document")


# --------------------------------------------------------------------------
# Fixtures: one tiny HTTP server, one vnu batch for the module (the browser
# and the page come from tests/conftest.py)
# --------------------------------------------------------------------------

PAGES = {
    "/valid/": VALID_JA_PAGE,
    "/inaccessible/": INACCESSIBLE_PAGE,
    "/framed/": VALID_JA_PAGE.replace(
        "</main>",
        '<iframe title="子ページ" src="/child/"></iframe>'
        '<iframe title="埋め込み" srcdoc="<img src=srcdoc.png>"></iframe></main>',
    ),
    "/child/": '<!DOCTYPE html><html lang="ja"><head><title>子</title></head><body><img src="child.png"></body></html>',
}


class _PageHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGES.get(self.path)
        if body is None:
            self.send_error(404)
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def vnu_results():
    """All documents of this module checked in a single vnu.jar run."""
    return quality.validate_html(
        {
            "/valid/": VALID_JA_PAGE,
            "/invalid/?q=日本語&x=1": INVALID_PAGE,
            "second valid copy": VALID_JA_PAGE,
        }
    )


# --------------------------------------------------------------------------
# Chromium
# --------------------------------------------------------------------------


def test_launch_kwargs_use_system_chromium_headless_without_sandbox(monkeypatch):
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    kwargs = quality.chromium_launch_kwargs()
    assert kwargs["executable_path"] == "/usr/bin/chromium"
    assert kwargs["headless"] is True
    for flag in ("--no-sandbox", "--disable-background-networking", "--disable-quic"):
        assert flag in kwargs["args"]


def test_launch_kwargs_append_extra_args_and_apply_overrides():
    kwargs = quality.chromium_launch_kwargs(args=["--lang=ja"], slow_mo=10)
    assert kwargs["args"][-1] == "--lang=ja"
    assert "--no-sandbox" in kwargs["args"]
    assert kwargs["slow_mo"] == 10


def test_missing_chromium_raises_with_install_hint(monkeypatch):
    monkeypatch.setenv("CHROMIUM_PATH", "/nonexistent/chromium")
    with pytest.raises(quality.ToolMissingError, match="install-test-tools"):
        quality.chromium_launch_kwargs()


# --------------------------------------------------------------------------
# axe-core
# --------------------------------------------------------------------------


def test_valid_japanese_page_has_no_axe_violations(page, base_url):
    page.goto(f"{base_url}/valid/")
    violations = quality.axe_violations(page)
    assert violations == [], quality.format_violations(violations)


def test_image_without_alt_and_input_without_label_are_reported(page, base_url):
    page.goto(f"{base_url}/inaccessible/")
    violations = quality.axe_violations(page)
    assert {v["id"] for v in violations} == {"image-alt", "label"}
    message = quality.format_violations(violations)
    assert "[image-alt] (critical)" in message
    assert "[label] (critical)" in message
    assert "at #bad-img:" in message  # the target selector
    assert '<input id="q" name="q" type="search">' in message  # the snippet


def test_axe_runs_again_on_the_same_page_without_reinjecting(page, base_url):
    page.goto(f"{base_url}/inaccessible/")
    first = quality.axe_violations(page)
    page.evaluate("() => { window.axe.__marker = 1; }")
    second = quality.axe_violations(page)
    assert page.evaluate("() => window.axe.__marker") == 1
    assert [v["id"] for v in first] == [v["id"] for v in second]


def test_axe_context_dict_limits_the_audit(page, base_url):
    page.goto(f"{base_url}/inaccessible/")
    violations = quality.axe_violations(page, {"include": [["form"]], "exclude": []})
    assert [v["id"] for v in violations] == ["label"]


def test_axe_rules_can_be_disabled(page, base_url):
    page.goto(f"{base_url}/inaccessible/")
    violations = quality.axe_violations(page, disable_rules=["image-alt"])
    assert [v["id"] for v in violations] == ["label"]


def test_axe_audits_pages_given_with_set_content(page):
    page.set_content(INACCESSIBLE_PAGE)
    violations = quality.axe_violations(page)
    assert {v["id"] for v in violations} == {"image-alt", "label"}


def test_axe_audits_the_content_of_iframes(page, base_url):
    page.goto(f"{base_url}/framed/")
    violations = quality.axe_violations(page)
    assert [v["id"] for v in violations] == ["image-alt"]
    # The target of an element inside a frame is the frame's selector, then the element's.
    message = quality.format_violations(violations)
    assert 'at iframe[title="子ページ"], img: <img src="child.png">' in message
    assert 'at iframe[title="埋め込み"], img: <img src="srcdoc.png">' in message


def test_format_violations_without_violations():
    assert quality.format_violations([]) == "No accessibility violations."


def test_missing_axe_core_raises_with_install_hint(monkeypatch, page):
    monkeypatch.setenv("AXE_CORE_JS", "/nonexistent/axe.min.js")
    page.set_content("<p>x</p>")
    with pytest.raises(quality.ToolMissingError, match="install-test-tools"):
        quality.axe_violations(page)


# --------------------------------------------------------------------------
# Nu HTML Checker
# --------------------------------------------------------------------------


def test_valid_japanese_page_has_no_html_errors(vnu_results):
    assert vnu_results["/valid/"] == [], quality.format_html_errors(vnu_results)
    assert vnu_results["second valid copy"] == []


def test_invalid_html_errors_are_reported_with_line_numbers(vnu_results):
    errors = vnu_results["/invalid/?q=日本語&x=1"]
    by_line = {(e["line"], e["message"].split(".")[0]) for e in errors}
    assert (
        _line_of(INVALID_PAGE, "<div>深井"),
        "Element “div” not allowed as child of element “span” in this context",
    ) in by_line
    assert (_line_of(INVALID_PAGE, "二つ目"), "Duplicate ID “dup”") in by_line
    assert any(
        "Unclosed element “section”" in e["message"] and e["line"] == _line_of(INVALID_PAGE, "<section>")
        for e in errors
    ), quality.format_html_errors({"invalid": errors})
    assert all(isinstance(e["column"], int) and e["extract"] for e in errors)


def test_format_html_errors_names_document_line_and_column(vnu_results):
    message = quality.format_html_errors(vnu_results)
    line = _line_of(INVALID_PAGE, "二つ目")
    assert f"/invalid/?q=日本語&x=1:{line}:" in message
    assert "Duplicate ID “dup”" in message
    assert "/valid/" not in message
    assert quality.format_html_errors({"a": []}) == "No HTML errors."


def test_ignore_patterns_drop_matching_errors():
    results = quality.validate_html({"dup": INVALID_PAGE}, ignore=[r"^Duplicate ID"])
    assert results["dup"]
    assert not any("Duplicate ID" in e["message"] for e in results["dup"])


def test_empty_batch_does_not_start_java():
    assert quality.validate_html({}) == {}


def test_missing_vnu_jar_raises_with_install_hint(monkeypatch):
    monkeypatch.setenv("VNU_JAR", "/nonexistent/vnu.jar")
    with pytest.raises(quality.ToolMissingError, match="install-test-tools"):
        quality.validate_html({"x": VALID_JA_PAGE})


def test_missing_java_raises_with_install_hint(monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(quality.ToolMissingError, match="install-test-tools"):
        quality.validate_html({"x": VALID_JA_PAGE})


# --------------------------------------------------------------------------
# Screenshots
# --------------------------------------------------------------------------


def test_screenshot_of_japanese_text_at_phone_width(browser, monkeypatch, tmp_path):
    monkeypatch.setenv("SCREENSHOT_DIR", str(tmp_path / "shots"))
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="ja-JP")
    try:
        page = context.new_page()
        page.set_content(VALID_JA_PAGE)
        # Long Japanese text wraps inside the phone's width: no sideways scrolling.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
        path = quality.screenshot(page, "phone/valid-ja")
    finally:
        context.close()

    assert path == tmp_path / "shots" / "phone" / "valid-ja.png"
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # IHDR
    assert width == 375 and height >= 300
    assert len(data) > 10_000  # rendered glyphs, not a blank page


def test_screenshot_dir_defaults_to_var_screenshots(monkeypatch):
    monkeypatch.delenv("SCREENSHOT_DIR", raising=False)
    assert quality.screenshot_dir() == quality.REPO_ROOT / "var" / "screenshots"
    assert quality.screenshot_dir().is_dir()
