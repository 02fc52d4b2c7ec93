"""The entry point: text (or bytes) in, a :class:`Transcript` with warnings out.

The order is the evidence's: first the cast (a participants block in any form, headed or
not; then the lead and the first question), then the body read with that cast."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from .body import _BodyParser
from .cast import (
    is_meta_header,
    BULLET_RE,
    BlockReader,
    _titled,
    find_block_header,
    is_person_name,
    lead_cast,
    find_headerless_block,
    interviewee_from_text,
    read_headerless,
)
from .front import _parse_front_matter
from .i18n import _
from .lines import _check_readable, _join, _Line, _norm, _prepare_lines, decode_transcript_bytes
from .patterns import HEADING_MARK_RE, HEADER_FIGURE, NARRATION_RE, PART_NOTE_RE, PARTICIPANT_LINE_RE
from .structure import ParseWarning, Transcript, TranscriptError
from .titles import _read_participants, _take_credits, make_participant
from .words import KINDS


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
    recurring = _recurring_labels(lines)
    header = find_block_header(lines)
    has_block = header is not None
    extra: list[_Line] = []
    if header is not None and PARTICIPANT_LINE_RE.match(lines[header + 1].text if header + 1 < len(lines) else ""):
        front, body = lines[:header], _read_participants(lines, header, t, known)  # title:name, as printed
        _split_posts_from_names(t, known)
    elif header is not None:
        reader = BlockReader(lines, known)
        end = reader.read(header, headed=True)
        t.participants, t.honorifics_omitted = reader.people, reader.honorifics
        front, body, extra = lines[:header], lines[end:], reader.unused
        _relabel_shared_surnames(t)
        if not t.participants:
            t.warnings.append(ParseWarning(lines[header].number, _("参加者欄から参加者を読み取れませんでした。")))
    else:
        front, body = _split_unblocked(lines, t, recurring)
        stop, pos, blocks = len(front), 0, []
        while pos < stop:
            found = find_headerless_block(lines[pos:], stop - pos, known)
            if not found:
                break
            reader = read_headerless(lines, pos + found[0], known)
            if not reader.people or reader.end <= pos + found[0]:
                break
            blocks.append((pos + found[0], reader))
            pos = reader.end
        if blocks:
            has_block = True
            first_start, last_end = blocks[0][0], blocks[-1][1].end
            for _start, reader in blocks:
                for person in reader.people:
                    if not any(_norm(p.name) == _norm(person.name) for p in t.participants):
                        t.participants.append(person)
                    elif person.title:
                        for k, p in enumerate(t.participants):
                            if _norm(p.name) == _norm(person.name) and not p.title:
                                t.participants[k] = person
            _relabel_shared_surnames(t)
            inside = {id(ln) for _start, reader in blocks for ln in lines[_start : reader.end]}
            used = {id(ln) for _start, reader in blocks for ln in lines[_start : reader.end] if ln not in reader.unused}
            extra = [ln for ln in lines[first_start:last_end] if id(ln) not in used or id(ln) not in inside]
            extra = [ln for ln in extra if id(ln) not in used]
            front, body = lines[:first_start], lines[last_end:]
    _parse_front_matter(front, t)
    t.kind = _kind(t.title, t.lead)
    interviewee = _interviewee(t, body, has_block)
    parser = _BodyParser(t, has_block=has_block, known=known, recurring=recurring, interviewee=interviewee)
    parser.after_block = has_block
    parser.run(body)
    intro = extra + parser.extra_intro
    if intro:
        t.introduction = _join([_Line(0, t.introduction, True)] * bool(t.introduction) + intro)
    parser.split_closing()
    t.warnings.sort(key=lambda w: w.line)
    return t


def _split_posts_from_names(t: Transcript, known: tuple[str, ...]) -> None:
    """・X市CIO:X市副市長 山田 花子: a bullet before the title, and a post before the name
    (the name is after the last title; the role and the post are both kept)."""
    for k, p in enumerate(t.participants):
        title = BULLET_RE.sub("", p.title)
        tokens = p.name.split()
        name = p.name
        for cut in range(1, len(tokens)):
            rest = " ".join(tokens[cut:])
            if _titled(tokens[cut - 1]) and is_person_name(rest):
                name, title = rest, f"{title}:{' '.join(tokens[:cut])}"
                break
        if (name, title) != (p.name, p.title):
            role, _sep, post = title.rpartition(":")
            person = make_participant(post, name, known=known)
            if role:
                person.roles = [role] + person.roles
            person.title = title
            t.participants[k] = person


def _relabel_shared_surnames(t: Transcript) -> None:
    """鈴木 一郎 and 鈴木 花子: the surname alone names neither."""
    surnames = Counter(_norm(p.label) for p in t.participants)
    for p in t.participants:
        if surnames[_norm(p.label)] > 1:
            p.label = re.sub(r"\s+", "", p.name)


def _kind(*texts: str) -> str | None:
    for text in texts:
        for word, _format in KINDS:
            if text and word in text:
                return word
    return None


def _interviewee(t: Transcript, body: list[_Line], has_block: bool) -> object | None:
    """The one person the questions are put to, when the piece has exactly one.

    Without a participants block, the lead's people (aliases, 「…に話を聞きました」) and
    the first question (「――川端さんは…」) join the cast."""
    if not has_block:
        for name, title, label in lead_cast(t.lead + "\n" + t.introduction):
            if not any(_norm(p.name) == _norm(name) for p in t.participants):
                t.participants.append(make_participant(title, name, label))
    people = [p for p in t.participants if not re.search(r"聞き手|インタビュアー|司会", p.title)]
    if len(people) == 1:
        return people[0]
    if people:
        return None
    questions = [ln.text for ln in body if NARRATION_RE.match(unicodedata.normalize("NFKC", ln.text))]
    if not questions:
        return None
    found = interviewee_from_text(t.lead + "\n" + t.title, questions)
    if found is None:
        return None
    name, title = found
    person = make_participant(title, name)
    t.participants.append(person)
    return person


def _recurring_labels(lines: list[_Line]) -> frozenset[str]:
    """Short lines (or bracketed/marked prefixes) seen twice or more: labels by recurrence."""
    counts: Counter = Counter()
    for ln in lines:
        normal = unicodedata.normalize("NFKC", ln.text).strip()
        match = re.match(r"^(?:[○◯【\[(]\s*)?(?P<label>[^\s:()【】\[\]「」。、]{1,12})(?:[】\])]|\s*:|$)", normal)
        if match:
            counts[_norm(match["label"])] += 1
    return frozenset(label for label, n in counts.items() if n >= 2)


def _split_unblocked(
    lines: list[_Line], t: Transcript, recurring: frozenset[str] = frozenset()
) -> tuple[list[_Line], list[_Line]]:
    """Without a participants block, the body starts at the first label or narration
    (or at the heading and sub-heading lines just before it)."""
    probe = _BodyParser(Transcript(), has_block=False, recurring=recurring)
    first = 2 if lines and _norm(lines[0].text) == HEADER_FIGURE else 1  # skip the title
    for i, ln in enumerate(lines[first:], start=first):
        kind = probe.classify(ln.text)[0]
        if PART_NOTE_RE.match(_norm(ln.text)) or kind not in ("label", "narration", "time"):
            continue
        start = i
        while (
            kind != "time"
            and start > first
            and not (start > 1 and is_meta_header(lines[start - 2].text))
            and i - start < 2
            and lines[start - 1].gap
            and (lines[start].gap or HEADING_MARK_RE.match(unicodedata.normalize("NFKC", lines[start - 1].text)))
            and probe.heading_candidate(lines[start - 1].text)
        ):
            start -= 1
        return lines[:start], lines[start:]
    return lines, []
