"""Text for the open data: a turn's plain text, and normalising what clients send."""

import html
import re
import unicodedata

from django.utils.html import strip_tags

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre|tr)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u3000]+")


def plain_text(rendered_html):
    """Sanitised HTML → plain text: one line per paragraph, entities decoded, spaces collapsed."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", rendered_html or "")))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def normalise(text):
    """NFKC (full- and half-width forms alike), for matching what a client typed."""
    return unicodedata.normalize("NFKC", text or "")


def terms(text):
    """The space-separated terms of a query (half- or full-width spaces), NFKC-normalised."""
    return normalise(text).split()
