"""The project's one way from Markdown to HTML: render, then sanitise.

Used when a turn is saved (the HTML is stored) and by markdownx's live preview
(MARKDOWNX_MARKDOWNIFY_FUNCTION), so the editor sees exactly what the public gets.
Markdown lets authors write raw HTML, so the output is never trusted: nh3 (ammonia)
keeps an allow-list of tags and attributes and drops everything else, including
scripts, event handlers and javascript: URLs.
"""

import threading

import markdown
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "figcaption",
    "figure",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# nl2br: a line break typed in Japanese prose is meant as one (there are no spaces between words).
EXTENSIONS = ["markdown.extensions.tables", "markdown.extensions.sane_lists", "markdown.extensions.nl2br"]


def sanitise_html(html):
    """Drop every tag, attribute and URL scheme that is not explicitly allowed."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


_local = threading.local()


def _converter():
    """One Markdown instance per thread, reset between texts: building one costs more
    than converting a turn, and an import renders a thousand turns at once."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    return converter.reset()


def render_markdown(text):
    """Markdown source → sanitised HTML (a str, safe to mark_safe)."""
    return sanitise_html(_converter().convert(text or ""))
