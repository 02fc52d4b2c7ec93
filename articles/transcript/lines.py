"""Reading the raw text: decoding bytes, refusing binary data, splitting into lines."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from .i18n import _
from .patterns import (
    AGENDA_ITEM_RE,
    BREADCRUMB_RE,
    CREDIT_ROLES,
    FURNITURE_RE,
    KANJI_DIGITS,
    PAGE_COUNTER_RE,
    TERMINAL_CHARS,
)
from .words import CHROME_LINES, NAV_WORDS
from .structure import TranscriptError


def _norm(text: str) -> str:
    """Normalise for matching only: NFKC and no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def parse_number(text: str) -> int | None:
    """Parse Arabic (half/full width) or simple kanji numerals such as 二十三."""
    text = unicodedata.normalize("NFKC", text.strip())
    if text.isdigit():
        return int(text)
    if text == "元":
        return 1
    if not text or any(c not in KANJI_DIGITS and c != "十" for c in text):
        return None
    if "十" in text:
        tens, _, units = text.partition("十")
        t = KANJI_DIGITS.get(tens, None) if tens else 1
        u = KANJI_DIGITS.get(units, None) if units else 0
        return None if t is None or u is None else t * 10 + u
    return int("".join(str(KANJI_DIGITS[c]) for c in text))


def _is_terminal(text: str) -> bool:
    return text.rstrip()[-1:] in TERMINAL_CHARS


def _is_heading_candidate(text: str) -> bool:
    """A short line without sentence-final punctuation, colon or enumerator."""
    return (
        0 < len(text) <= 40
        and not _is_terminal(text)
        and not re.search(r"[:：。]", text)
        and not AGENDA_ITEM_RE.match(text)
        and not text.startswith("※")
    )


def _looks_like_name(label: str) -> bool:
    """An unknown label must look like a name or role: no hiragana, no punctuation."""
    return not re.search(r"[\u3040-\u309f、。,.!！?？「」]", label) and label not in CREDIT_ROLES


@dataclass
class _Line:
    number: int
    text: str
    gap: bool  # preceded by at least one blank line


def _join(lines: list[_Line]) -> str:
    """Join lines: "\\n" inside a paragraph, "\\n\\n" across blank lines."""
    out = ""
    for i, ln in enumerate(lines):
        out += ("" if i == 0 else "\n\n" if ln.gap else "\n") + ln.text
    return out


def decode_transcript_bytes(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, else CP932."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp932"]
    first_error = None
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            continue
        if encoding == "cp932" and re.search(r"[\x80-\x9f\ue000-\uf8ff]", text):
            continue  # decoded only into control / private-use characters
        return text
    offset = first_error.start if first_error else 0
    line = data.count(b"\n", 0, offset) + 1
    raise TranscriptError(
        _("文字コードを読み取れないバイトがあります(%(offset)dバイト目。試した文字コード: %(encodings)s)")
        % {"offset": offset, "encodings": ", ".join(encodings)},
        line,
    )


def _check_readable(text: str) -> None:
    if not text.strip():
        raise TranscriptError(_("原稿が空です。"), 1)
    bad = re.search(r"[\x00-\x08\x0e-\x1f\x7f]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        what = _("NULバイト") if bad.group() == "\x00" else _("制御文字 %(char)s") % {"char": repr(bad.group())}
        raise TranscriptError(_("テキストではないデータ(%(what)s)が含まれています。") % {"what": what}, line)


_BULLET_RE = re.compile(r"^[-・•]\s*")
_SKIP_LINK_RE = re.compile(r"^(?:メニューをスキップ|スタイルシート|ホーム\s*(?:>|の中の)|現在地)")
_SPACES_RE = re.compile(r"\s+")
_DATE_FURNITURE_RE = re.compile(r"^(?:最新|最終)?(?:更新日|公開日|掲載日)\s*[:：]?\s*[0-9年月日/.\s]*$")
_BACK_NUMBER_RE = re.compile(r"[【\[]?バックナンバー[】\]]?")
_CELL_BAR_RE = re.compile(r"(?:^|\s)\|(?:\s|$)")


def _is_furniture(normal: str) -> bool:
    """Page furniture of note.com and of municipal sites: share buttons, skip links, tabs,
    breadcrumbs, text-size tools, update dates, page counters, menus."""
    if len(normal) > 60:  # furniture is short; a long line is furniture only as a skip link or breadcrumb
        return bool(_SKIP_LINK_RE.match(normal))
    bare = _BULLET_RE.sub("", normal)
    if FURNITURE_RE.match(normal) or _SPACES_RE.sub("", bare) in CHROME_LINES or PAGE_COUNTER_RE.match(normal):
        return True
    if BREADCRUMB_RE.search(normal) or _DATE_FURNITURE_RE.match(bare):
        return True
    if " " not in normal:
        return False
    tokens = normal.split()
    return (
        len(tokens) >= 2
        and any(w in normal for w in NAV_WORDS)
        and all(len(tok) <= 12 and not re.search(r"[、。,.:]", tok) for tok in tokens)
        and not re.search(r"[0-9]", normal)
    )


def _prepare_lines(text: str) -> list[_Line]:
    """Split into stripped non-blank lines, cutting page furniture.

    Table rows flattened to ``cell |`` text are split into their cells. A text with no
    blank lines at all (a paragraph a line) marks every line as a paragraph of its own."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines: list[_Line] = []
    gap = False
    blank_lines = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        cells = [stripped]
        if "|" in stripped and _CELL_BAR_RE.search(stripped):
            cells = [c.strip() for c in stripped.split("|")]
        cells = [c for c in cells if c]
        if not cells:
            gap = True
            blank_lines += 1
            continue
        for cell in cells:
            normal = unicodedata.normalize("NFKC", cell)
            if "バックナンバー" in normal and _BACK_NUMBER_RE.fullmatch(normal):
                return _finish(lines, blank_lines)
            if _is_furniture(normal):
                continue
            lines.append(_Line(number, cell, gap or not lines))
            gap = False
    return _finish(lines, blank_lines)


def _finish(lines: list[_Line], blank_lines: int) -> list[_Line]:
    if len(lines) >= 8 and sum(ln.gap for ln in lines[1:]) <= 1:
        for ln in lines:
            ln.gap = True
    return lines
