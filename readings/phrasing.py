"""Where Japanese text may break: between BudouX phrases, never inside a name or a date.

A browser breaks Japanese between any two characters, so on a phone 小澤 becomes 小|澤 and
令和4年1月20日 becomes 令和4年1|月20日. The stylesheet keeps words together
(word-break: auto-phrase, or keep-all where the browser lacks it) and the stored HTML says
where a line may break: a <wbr> between the phrases BudouX finds, and names and dates in a
<span class="nobr"> (white-space: nowrap), so that feed readers and older browsers get the
same breaks. Neither adds a character: the text, copied or searched, stays as written.

Django-free: the models call phrase_text()/phrase_html() when a text is saved.
"""

import functools
import html
import re
import threading
from html.parser import HTMLParser

import budoux

_DIGITS = "[0-9０-９]+"
# 令和4年1月20日, 2022年1月20日, 令和元年, 10月15日, 1月 … (an era, a year, a month, a day).
DATE = re.compile(
    rf"(?:(?:令和|平成|昭和|大正|明治)(?:元|{_DIGITS})年|{_DIGITS}年)(?:{_DIGITS}月(?:{_DIGITS}日)?)?"
    rf"|{_DIGITS}月{_DIGITS}日"
)
# Text inside these elements is left as it is.
VERBATIM = frozenset({"code", "pre", "script", "style", "kbd", "samp", "rt", "rp"})
VOID = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link", "source", "col", "area", "embed"})
NOBR_OPEN, NOBR_CLOSE, WBR = '<span class="nobr">', "</span>", "<wbr>"

_local = threading.local()


def _parser():
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = budoux.load_default_japanese_parser()
    return parser


def phrases(text):
    """BudouX's phrases of `text` (their concatenation is `text`)."""
    return _parser().parse(text) if text else []


def _keep_whole_pattern(names):
    names = sorted({name for name in names if name}, key=len, reverse=True)
    alternatives = [re.escape(name) for name in names] + [DATE.pattern]
    return re.compile("|".join(alternatives))


def unbreakable_spans(text, names=()):
    """(start, end) of each name and date in `text`, longest name first, never overlapping."""
    return [match.span() for match in _keep_whole_pattern(names).finditer(text) if match.end() > match.start()]


def break_points(text, names=()):
    """Offsets in `text` where a <wbr> goes: phrase boundaries outside names and dates, and
    not next to a space (a space is a break already); and the (start, end) of the names and dates."""
    return _break_points(text, tuple(names))


# A turn is phrased twice on save (the plain copy and the ruby copy): BudouX runs once.
@functools.lru_cache(maxsize=512)
def _break_points(text, names):
    points, offset = [], 0
    for phrase in phrases(text)[:-1]:
        offset += len(phrase)
        points.append(offset)
    kept = unbreakable_spans(text, names)
    return [
        point
        for point in points
        if not any(start < point < end for start, end in kept)
        and not text[point - 1].isspace()
        and not text[point].isspace()
    ], kept


def phrase_text(text, names=()):
    """Plain text → HTML (escaped) with <wbr> between phrases and names and dates kept whole."""
    if not text:
        return ""
    points, kept = break_points(text, names)
    marks = {}
    for point in points:
        marks.setdefault(point, []).append(WBR)
    for start, end in kept:
        marks.setdefault(start, []).append(NOBR_OPEN)
        marks.setdefault(end, []).insert(0, NOBR_CLOSE)
    out, last = [], 0
    for position in sorted(marks):
        out.append(html.escape(text[last:position], quote=False))
        out.extend(marks[position])
        last = position
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


class _Rewriter(HTMLParser):
    """Re-emits sanitised HTML as it came, passing each text node through `on_text`."""

    def __init__(self, on_text):
        super().__init__(convert_charrefs=True)
        self.on_text = on_text
        self.out = []
        self.verbatim = 0

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in VERBATIM and tag not in VOID:
            self.verbatim += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in VERBATIM and self.verbatim:
            self.verbatim -= 1

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False) if self.verbatim else self.on_text(data))

    def handle_comment(self, data):
        pass


def rewrite_text_nodes(markup, on_text):
    """`markup` with every text node (outside code, pre …) replaced by on_text(text) (HTML)."""
    if not markup:
        return ""
    rewriter = _Rewriter(on_text)
    rewriter.feed(markup)
    rewriter.close()
    return "".join(rewriter.out)


def phrase_html(markup, names=()):
    """Sanitised HTML → the same HTML with <wbr> between phrases, names and dates kept whole."""
    return rewrite_text_nodes(markup, lambda text: phrase_text(text, names))
