"""Quality tooling for the test suite: browser, accessibility and HTML validation.

This module is deliberately independent of Django (nothing Django is imported,
at the top or elsewhere) so that it can be tested and reused on its own.  It
wraps three external tools, all installed by ``.ci/install-test-tools``:

* **Chromium** (Debian's package, ``/usr/bin/chromium``) driven by Playwright.
  Playwright cannot download its own browser on this project's machines, so
  :func:`chromium_launch_kwargs` points it at the system one::

      from playwright.sync_api import sync_playwright
      with sync_playwright() as p:
          browser = p.chromium.launch(**chromium_launch_kwargs())

* **axe-core** (npm package ``axe-core``, pinned in ``package-lock.json``),
  injected into the page by :func:`axe_violations`; run WCAG 2.1 A/AA and
  best-practice rules, then ``assert not violations, format_violations(violations)``.

* **The Nu HTML Checker** (npm package ``vnu-jar``, run with the system Java).
  Starting the JVM costs 1.5 to 2 seconds, so :func:`validate_html` checks a
  whole batch of documents in one run.  Render every page you want to check
  first, then validate them together, e.g. in a session-scoped fixture::

      @pytest.fixture(scope="session")
      def vnu_errors(rendered_pages):          # {"/articles/1/": "<!DOCTYPE html>…", …}
          return validate_html(rendered_pages)

      @pytest.mark.parametrize("url", PAGE_URLS)
      def test_page_is_valid_html(vnu_errors, url):
          assert not vnu_errors[url], format_html_errors({url: vnu_errors[url]})

A missing tool is an error, never a skip: every helper raises
:class:`ToolMissingError` (a ``RuntimeError``) telling the user to run
``.ci/install-test-tools``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO_ROOT / "node_modules"
INSTALL_HINT = "run `.ci/install-test-tools` from the repository root to install it"

DEFAULT_CHROMIUM = "/usr/bin/chromium"

#: Chromium flags for a root user on a closed network.  Without the
#: background-networking flags Chromium keeps trying to reach Google services.
CHROMIUM_ARGS = (
    "--no-sandbox",  # Chromium refuses to start as root with its sandbox on.
    "--disable-gpu",
    "--disable-dev-shm-usage",  # Small /dev/shm in containers crashes renderers.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

#: axe-core tags run by :func:`axe_violations`: WCAG 2.0 and 2.1, levels A and
#: AA, plus Deque's best practices.  (``wcag2a``/``wcag2aa`` hold the WCAG 2.0
#: criteria that WCAG 2.1 keeps; ``wcag21a``/``wcag21aa`` hold the new ones.)
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")


class ToolMissingError(RuntimeError):
    """An external test tool is not installed; tests must fail, not skip."""


def _missing(what: str) -> ToolMissingError:
    return ToolMissingError(f"{what} is missing: {INSTALL_HINT}.")


# --------------------------------------------------------------------------
# Chromium
# --------------------------------------------------------------------------


def chromium_launch_kwargs(**overrides: Any) -> dict[str, Any]:
    """Return keyword arguments for Playwright's ``browser_type.launch()``.

    The executable is ``$CHROMIUM_PATH`` if set, else Debian's
    ``/usr/bin/chromium``; the browser runs headless with :data:`CHROMIUM_ARGS`.
    ``overrides`` are merged in last (e.g. ``headless=False`` to watch a test,
    ``slow_mo=250``); an ``args`` override is *appended* to the default flags.

    Raises :class:`ToolMissingError` when the executable does not exist.
    """
    executable = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    resolved = shutil.which(executable)
    if resolved is None:
        raise _missing(f"Chromium ({executable})")
    extra_args = list(overrides.pop("args", ()))
    kwargs: dict[str, Any] = {
        "executable_path": resolved,
        "headless": True,
        "args": [*CHROMIUM_ARGS, *extra_args],
    }
    kwargs.update(overrides)
    return kwargs


# --------------------------------------------------------------------------
# axe-core
# --------------------------------------------------------------------------


def axe_script_path() -> Path:
    """Return the path of ``axe.min.js`` from the npm package ``axe-core``.

    ``$AXE_CORE_JS`` overrides the location.  Raises :class:`ToolMissingError`
    when the file is absent.
    """
    override = os.environ.get("AXE_CORE_JS")
    path = Path(override) if override else NODE_MODULES / "axe-core" / "axe.min.js"
    if not path.is_file():
        raise _missing(f"axe-core ({path})")
    return path


@functools.lru_cache(maxsize=4)
def _axe_source(path: Path) -> str:
    # A trailing expression keeps Playwright from trying to serialise whatever
    # the script's last statement evaluates to.
    return path.read_text(encoding="utf-8") + "\n;undefined;"


def _inject_axe(page: Any) -> None:
    """Load axe-core into the page and each of its frames (once per document).

    ``evaluate`` runs through the DevTools protocol, so a strict
    Content-Security-Policy on the page does not block it (unlike a
    ``<script>`` tag added with ``add_script_tag``).  Child frames need their
    own copy for axe to audit their content.
    """
    source = _axe_source(axe_script_path())
    for frame in page.frames:
        if frame.is_detached():
            continue
        if not frame.evaluate("() => typeof window.axe === 'object'"):
            frame.evaluate(source)


def axe_violations(
    page: Any,
    context: str | list | dict | None = None,
    *,
    disable_rules: Iterable[str] = (),
    tags: Iterable[str] = AXE_TAGS,
) -> list[dict[str, Any]]:
    """Run axe-core in a Playwright ``page`` and return its violations.

    ``context`` is an axe context (a CSS selector, a list of selectors, or a
    ``{"include": …, "exclude": …}`` dict); ``None`` audits the whole
    document.  ``tags`` selects the rules (WCAG 2.1 A/AA and best practices by
    default); ``disable_rules`` turns individual rule ids off, e.g.
    ``("region",)`` when auditing an HTML fragment that has no landmarks.

    Frames are audited too (axe is injected into each), but only on pages
    loaded from a URL: axe cannot reach into the frames of a page given with
    ``page.set_content()``, whose opaque ``about:blank`` origin blocks its
    frame messaging.  Only violations are returned, not axe's "incomplete"
    (needs manual review) results.

    Each violation is axe's own dict: ``id``, ``impact``, ``help``,
    ``helpUrl``, ``description``, ``tags`` and ``nodes`` (each with
    ``target``, ``html`` and ``failureSummary``).  Pass the list to
    :func:`format_violations` for an assertion message.
    """
    _inject_axe(page)
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": list(tags)},
        "resultTypes": ["violations"],
    }
    disabled = list(disable_rules)
    if disabled:
        options["rules"] = {rule: {"enabled": False} for rule in disabled}
    # Context and options travel as a JSON argument, never pasted into code.
    results = page.evaluate(
        "([context, options]) => axe.run(context ?? document, options)",
        [context, options],
    )
    return results["violations"]


def _shorten(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_violations(violations: list[dict[str, Any]]) -> str:
    """Format axe violations as a readable, multi-line assertion message.

    One block per rule (id, impact, help text, documentation URL), then one
    line per offending element with its CSS target and HTML snippet.
    """
    if not violations:
        return "No accessibility violations."
    nodes = sum(len(v.get("nodes", ())) for v in violations)
    lines = [f"{len(violations)} accessibility rule(s) violated on {nodes} element(s):"]
    for violation in violations:
        lines.append(
            f"- [{violation['id']}] ({violation.get('impact') or 'n/a'}) "
            f"{violation.get('help', '')} <{violation.get('helpUrl', '')}>"
        )
        for node in violation.get("nodes", ()):
            target = ", ".join(" >> ".join(t) if isinstance(t, list) else str(t) for t in node.get("target", ()))
            lines.append(f"    at {target}: {_shorten(node.get('html', ''))}")
            summary = [line.strip() for line in node.get("failureSummary", "").splitlines()]
            if summary:
                # "Fix any of the following:" then one check per line.
                lines.append(f"       {_shorten(summary[0] + ' ' + '; '.join(summary[1:]), 400)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Nu HTML Checker (vnu.jar)
# --------------------------------------------------------------------------


def vnu_jar_path() -> Path:
    """Locate ``vnu.jar`` from the npm package ``vnu-jar``.

    Tries, in order: ``$VNU_JAR``; ``node_modules/vnu-jar/build/dist/vnu.jar``
    (the path the package has always used); any ``vnu.jar`` inside the
    package; and finally the package's own answer, ``require('vnu-jar')``,
    which also finds a copy hoisted into a parent ``node_modules``.
    Raises :class:`ToolMissingError` when none exists.
    """
    override = os.environ.get("VNU_JAR")
    if override:
        if Path(override).is_file():
            return Path(override)
        raise _missing(f"vnu.jar ($VNU_JAR={override})")
    package = NODE_MODULES / "vnu-jar"
    candidate = package / "build" / "dist" / "vnu.jar"
    if candidate.is_file():
        return candidate
    if package.is_dir():
        found = sorted(package.rglob("vnu.jar"))
        if found:
            return found[0]
    node = shutil.which("node")
    if node:
        result = subprocess.run(
            [node, "-p", "String(require('vnu-jar'))"],
            check=False,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
        path = Path(result.stdout.strip())
        if result.returncode == 0 and path.is_file():
            return path
    raise _missing("vnu.jar (npm package vnu-jar)")


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise _missing("Java (package default-jre-headless)")
    return java


def validate_html(
    documents: Mapping[str, str],
    *,
    ignore: Iterable[str] = (),
    timeout: float = 300,
) -> dict[str, list[dict[str, Any]]]:
    """Check a batch of HTML documents with the Nu HTML Checker, in ONE JVM run.

    ``documents`` maps a name of your choice (a URL path, a test id…) to the
    full HTML text.  The result maps every name to its list of errors (empty
    when the document is valid); each error is a dict with ``message``,
    ``line``, ``column`` (where the offending markup starts, 1-based) and
    ``extract`` (the surrounding source).  Only errors are reported, not
    warnings (``--errors-only``).

    ``ignore`` holds regular expressions: an error whose message matches one
    (``re.search``) is dropped; keep these few and commented where you use them.

    Raises :class:`ToolMissingError` when Java or vnu.jar is absent, and
    ``RuntimeError`` when the checker fails in a way that is not a
    validation error (so a broken tool can never look like a clean page).
    """
    if not documents:
        return {}
    java, jar = _java(), vnu_jar_path()
    patterns = [re.compile(p) for p in ignore]
    names = list(documents)
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix="vnu-") as tmp:
        # Files are named by position, so any name (even "/a/b?c") is safe.
        files: dict[str, str] = {}
        paths = []
        for index, name in enumerate(names):
            path = Path(tmp) / f"doc{index:05d}.html"
            path.write_text(documents[name], encoding="utf-8")
            files[path.name] = name
            paths.append(str(path))
        command = [java, "-jar", str(jar), "--format", "json", "--errors-only", "--stdout", *paths]
        # vnu writes its JSON report in UTF-8 whatever the locale.
        proc = subprocess.run(
            command,
            check=False,  # exit status 1 just means "errors found"; the JSON says which
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(
            f"vnu.jar did not produce a JSON report (exit {proc.returncode}):\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        ) from None
    for message in report.get("messages", []):
        name = files.get(message.get("url", "").rsplit("/", 1)[-1])
        if message.get("type") != "error" or name is None:
            # A "non-document-error" (I/O, internal failure): the check itself
            # did not work, which must not pass for a valid document.
            raise RuntimeError(f"vnu.jar could not check the documents: {message}")
        text = message.get("message", "")
        if message.get("subType") == "fatal":
            text = f"Fatal (checking stopped here): {text}"
        if any(p.search(text) for p in patterns):
            continue
        results[name].append(
            {
                "message": text,
                "line": message.get("firstLine", message.get("lastLine")),
                "column": message.get("firstColumn", message.get("lastColumn")),
                "extract": message.get("extract", ""),
            }
        )
    return results


def format_html_errors(results: Mapping[str, list[dict[str, Any]]]) -> str:
    """Format :func:`validate_html` results as a readable assertion message.

    Lists ``name:line:column: message`` with the source extract under it, for
    every document that has errors.
    """
    failing = {name: errors for name, errors in results.items() if errors}
    if not failing:
        return "No HTML errors."
    count = sum(len(errors) for errors in failing.values())
    lines = [f"{count} HTML error(s) in {len(failing)} document(s):"]
    for name, errors in failing.items():
        for error in errors:
            lines.append(f"{name}:{error['line']}:{error['column']}: {error['message']}")
            extract = " ".join(error.get("extract", "").split())
            if extract:
                lines.append(f"    {extract}")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Screenshots
# --------------------------------------------------------------------------


def screenshot_dir() -> Path:
    """Return (and create) the screenshot folder: ``$SCREENSHOT_DIR`` or ``var/screenshots``."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or REPO_ROOT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(page: Any, path: str | os.PathLike[str], *, full_page: bool = True) -> Path:
    """Save a PNG screenshot of ``page`` and return its path.

    ``path`` is relative to :func:`screenshot_dir` (sub-folders are created);
    ``.png`` is appended when it has no suffix.  An absolute path is used as
    it is.
    """
    target = screenshot_dir() / Path(path)
    if not target.suffix:
        target = target.with_suffix(".png")
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=full_page)
    return target
