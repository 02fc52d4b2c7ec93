"""The entry point: text (or bytes) in, a :class:`Transcript` with warnings out."""

from __future__ import annotations

from collections.abc import Iterable

from .body import _BodyParser
from .front import _parse_front_matter
from .i18n import _
from .lines import _check_readable, _is_heading_candidate, _join, _Line, _norm, _prepare_lines, decode_transcript_bytes
from .patterns import HEADER_FIGURE, PART_NOTE_RE, PARTICIPANTS_HEADER_RE
from .structure import Transcript, TranscriptError
from .titles import _read_participants, _take_credits


def parse_transcript(text: str | bytes, *, organisations: Iterable[str] = ()) -> Transcript:
    """Parse transcript text into a :class:`Transcript`; odd content becomes warnings.

    ``organisations`` are names known to be organisations (東京都, 都, 武蔵村山市 …): a
    title starting with one of them is split there before any guessing.
    """
    known = tuple(name for name in organisations if name)
    if isinstance(text, bytes):
        text = decode_transcript_bytes(text)
    _check_readable(text)
    lines = _prepare_lines(text)
    if not lines:
        raise TranscriptError(_("シェアやバックナンバーなどページの付属物のほかに本文がありません。"), 1)
    t = Transcript()
    lines = _take_credits(lines, t)
    header = next((i for i, ln in enumerate(lines) if PARTICIPANTS_HEADER_RE.match(ln.text)), None)
    if header is not None:
        front, body = lines[:header], _read_participants(lines, header, t, known)
    else:
        front, body = _split_unblocked(lines, t)
    _parse_front_matter(front, t)
    parser = _BodyParser(t, has_block=header is not None, known=known)
    parser.run(body)
    if parser.extra_intro:
        t.introduction = _join([_Line(0, t.introduction, True)] * bool(t.introduction) + parser.extra_intro)
    parser.split_closing()
    t.warnings.sort(key=lambda w: w.line)
    return t


def _split_unblocked(lines: list[_Line], t: Transcript) -> tuple[list[_Line], list[_Line]]:
    """Without a participants block, the body starts at the first label or narration
    (or at the heading and sub-heading lines just before it)."""
    probe = _BodyParser(Transcript(), has_block=False)
    first = 2 if lines and _norm(lines[0].text) == HEADER_FIGURE else 1  # skip the title
    for i, ln in enumerate(lines[first:], start=first):
        if PART_NOTE_RE.match(_norm(ln.text)) or probe.classify(ln.text)[0] not in ("label", "narration"):
            continue
        start = i
        while (start > first and i - start < 2 and lines[start].gap and lines[start - 1].gap
               and _is_heading_candidate(lines[start - 1].text)):
            start -= 1
        return lines[:start], lines[start:]
    return lines, []
