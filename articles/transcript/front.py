"""Front matter: title, header figure, lead, part note, introduction and the event line."""

from __future__ import annotations

import re
import unicodedata

from .dates import NUMBER, find_date
from .i18n import _
from .lines import _join, _Line, _norm, parse_number
from .patterns import FULL_LABEL_RE, HEADER_FIGURE, PART_NOTE_RE, PARTICIPANTS_HEADER_RE, SERIES_TITLE_RE, TITLE_PART_RE
from .structure import ParseWarning, Part, Transcript


def _parse_part(title: str, note: str | None, part: Part) -> None:
    """Fill the part number / count from the title's partN and the ※ note."""
    match = TITLE_PART_RE.search(unicodedata.normalize("NFKC", title))
    if match and match.group(1):
        part.number = int(match.group(1))
    elif match:
        part.number, part.of = (1 if match.group(2) == "前" else 2), 2
    elif part.number is None:
        series = SERIES_TITLE_RE.search(title.strip()) or SERIES_TITLE_RE.search(unicodedata.normalize("NFKC", title))
        if series:
            digits = next(g for g in series.groups() if g)
            part.number = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(digits) + 1 if digits in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳" else int(digits)
    if note is None:
        return
    n = unicodedata.normalize("NFKC", note)
    total = re.search(r"全\s*(\S+?)\s*回", n)
    if total:
        part.of = parse_number(total.group(1))
    nth = re.search(r"(?<!全)第\s*(\S+?)\s*回", n)
    if nth:
        part.number = parse_number(nth.group(1))
    elif re.search(r"(前半|前編)で", n) or "の前半" in n or "の前編" in n:
        part.number, part.of = 1, part.of or 2
    elif re.search(r"(後半|後編)で", n) or "の後半" in n or "の後編" in n:
        part.number, part.of = 2, part.of or 2


def _roundtable_title(lead: str, intro: str) -> str | None:
    """The 「…座談会」 title, else the lead's 「…」をお届け / 第N回は「…」."""
    for text in (lead, intro):
        for quoted in re.findall(r"「([^「」]+)」", text):
            if re.search(r"(座談会|対談|鼎談|インタビュー)$", quoted):
                return quoted
    match = re.search(r"「([^「」]+)」\s*(?:を|の)?お届け|第\s*\S+?回は、?「([^「」]+)」", lead + "\n" + intro)
    return (match.group(1) or match.group(2)) if match else None


def _parse_front_matter(lines: list[_Line], t: Transcript) -> None:
    """Fill title, header figure, lead, part note, introduction and roundtable data."""
    rest = list(lines)
    if rest and _norm(rest[0].text) == HEADER_FIGURE:
        t.header_figure = HEADER_FIGURE
        rest.pop(0)
    if rest and not (PARTICIPANTS_HEADER_RE.match(rest[0].text) or FULL_LABEL_RE.match(rest[0].text)):
        t.title = rest.pop(0).text
    else:
        t.warnings.append(ParseWarning(lines[0].number if lines else 1, _("タイトルの行が見つかりません。")))
    note_index = next((i for i, ln in enumerate(rest) if PART_NOTE_RE.match(_norm(ln.text))), None)
    if note_index is None:
        note_index = next((i for i, ln in enumerate(rest) if any(find_date(ln.text))), len(rest))
        # The event paragraph starts at the previous blank line.
        while 0 < note_index < len(rest) and not rest[note_index].gap:
            note_index -= 1
        lead, note, intro = rest[:note_index], None, rest[note_index:]
    else:
        lead, note, intro = rest[:note_index], rest[note_index], rest[note_index + 1 :]
    t.lead, t.introduction = _join(lead), _join(intro)
    _parse_part(t.title, note.text if note else None, t.part)
    if note is None:  # 後編はこちら / 全3回 in the lead rather than in a ※ note
        lead_text = unicodedata.normalize("NFKC", t.lead)
        total = re.search(r"全\s*([0-9一二三四五六七八九十]+)\s*回", lead_text)
        if total and t.part.of is None:
            t.part.of = parse_number(total.group(1))
        if t.part.number is None and re.search(r"後編は(?:こちら|次回)", lead_text):
            t.part.number, t.part.of = 1, t.part.of or 2
        elif t.part.number is None and re.search(r"前編は(?:こちら)", lead_text):
            t.part.number, t.part.of = 2, t.part.of or 2
    number = re.search(rf"第\s*({NUMBER})\s*回", t.lead) or re.search(rf"第\s*({NUMBER})\s*回", t.introduction)
    t.roundtable.number = parse_number(number.group(1)) if number else None
    t.roundtable.title = _roundtable_title(t.lead, t.introduction)
    for ln in intro + lead:
        date, problem = find_date(ln.text)
        if date or problem:
            t.roundtable.held_on = date
            if problem:
                t.warnings.append(ParseWarning(ln.number, problem))
            break
