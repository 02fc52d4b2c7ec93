"""The body: headed sections of speaker turns, narration and figures, then the closing."""

from __future__ import annotations

import re
import unicodedata

from .i18n import _
from .lines import _is_heading_candidate, _join, _Line, _looks_like_name, _norm
from .patterns import (
    CLOSING_RE, CREDIT_RE, FIGURE_RE, FULL_LABEL_RE, INLINE_COLON_RE, INLINE_QUOTE_RE, NARRATION_RE,
    PARTICIPANT_LINE_RE,
)
from .structure import Figure, ParseWarning, Participant, Section, Transcript, Turn
from .titles import make_participant


class _BodyParser:
    """Walk the body lines, building sections, turns and figures."""

    def __init__(self, t: Transcript, has_block: bool, known: tuple[str, ...] = ()):
        self.t = t
        self.has_block = has_block
        self.known = known
        self.by_label = {_norm(p.label): p for p in t.participants}
        self.by_name = {_norm(p.name): p for p in t.participants}
        self.seen_speakers: set[str] = set()
        self.turn_lines: list[_Line] | None = None  # lines of the open turn
        self.turn: Turn | None = None
        self.speaker: str | None = None  # last labelled speaker
        self.extra_intro: list[_Line] = []
        self.unknown: set[str] = set()  # labels created from the body, not the block
        self.sources: dict[int, list[_Line]] = {}  # id(turn) -> its lines
        self.implicit: dict[int, int] = {}  # id(turn) -> line of its "no label" warning

    # -- classification --------------------------------------------------
    def classify(self, text: str) -> tuple:
        """Return ('figure', ref) | ('label', participant, text|None) | ('narration',) | ('plain',)."""
        normal = unicodedata.normalize("NFKC", text)
        figure = FIGURE_RE.match(normal)
        if figure:
            return ("figure", figure["kind"] + figure["num"])
        if NARRATION_RE.match(text):
            return ("narration",)
        if text.startswith("※") or CREDIT_RE.match(text):
            return ("plain",)
        if _norm(text).rstrip(":") in self.by_label:
            return ("label", self.by_label[_norm(text).rstrip(":")], None, None)
        full = FULL_LABEL_RE.match(text)
        if full:
            return ("label", self._introduced(full["label"], full["name"], full["title"]), None, full["title"])
        colon = PARTICIPANT_LINE_RE.match(text)
        if colon and _norm(colon["name"]) in self.by_name:
            return ("label", self.by_name[_norm(colon["name"])], None, colon["title"])
        for regex in (INLINE_COLON_RE, INLINE_QUOTE_RE):
            inline = regex.match(text)
            if inline and (_norm(inline["label"]) in self.by_label or (
                    _looks_like_name(inline["label"]) and (regex is INLINE_COLON_RE or not self.has_block))):
                return ("label", self._speaker(inline["label"], inline["label"], ""), inline["text"], None)
        return ("plain",)

    def _speaker(self, label: str, name: str, title: str) -> Participant:
        """Find the participant for a label, or create (and later warn about) one."""
        for key, table in ((label, self.by_label), (name, self.by_label), (name, self.by_name)):
            if _norm(key) in table:
                return table[_norm(key)]
        participant = make_participant(title, name.strip(), label.strip(), self.known)
        self.t.participants.append(participant)
        self.by_label[_norm(participant.label)] = participant
        self.by_name[_norm(participant.name)] = participant
        self.unknown.add(participant.label)
        return participant

    def _introduced(self, label: str, name: str, title: str) -> Participant:
        """The participant of a first label 「title:name(以下「label」)」.

        The name may be the full name or the surname; the label in 以下「…」 becomes the
        participant's short label when it differs (宮坂 学 → 宮坂副知事, 鈴木(一))."""
        key = _norm(label)
        participant = (self.by_name.get(_norm(name)) or self.by_label.get(key)
                       or self.by_label.get(_norm(name)) or self._by_surname(name, title))
        if participant is None:
            return self._speaker(label, name, title)
        if key not in self.by_label:
            self.by_label[key] = participant
            if participant.label not in self.seen_speakers:
                participant.label = label.strip()
        return participant

    def _by_surname(self, surname: str, title: str) -> Participant | None:
        """Among participants sharing a surname, the one not yet introduced, by title."""
        candidates = [p for p in self.t.participants
                      if (p.name.split() or [""])[0] == surname.strip() and p.label not in self.seen_speakers]
        titled = [p for p in candidates if _norm(p.title) == _norm(title)]
        return (titled or candidates or [None])[0]

    def is_turn_start(self, text: str) -> bool:
        return self.classify(text)[0] in ("figure", "label", "narration")

    # -- building ---------------------------------------------------------
    def section(self) -> Section:
        if not self.t.sections:
            self.t.sections.append(Section())
        return self.t.sections[-1]

    def close_turn(self) -> None:
        if self.turn is not None:
            self.turn.text = _join(self.turn_lines)
            self.sources[id(self.turn)] = self.turn_lines
        self.turn, self.turn_lines = None, None

    def open_turn(self, speaker: str | None, first: _Line | None, line: int) -> None:
        self.close_turn()
        self.turn, self.turn_lines = Turn(speaker, "", line), ([first] if first else [])
        self.section().blocks.append(self.turn)

    def on_label(self, ln: _Line, participant: Participant, text: str | None, printed_title: str | None) -> None:
        if participant.label in self.unknown:
            self.unknown.discard(participant.label)
            if self.has_block:
                self.t.warnings.append(ParseWarning(
                    ln.number, _("発言者ラベル「%(label)s」は参加者欄のどの人にも一致しません。")
                    % {"label": participant.label}))
        elif participant.label not in self.seen_speakers and printed_title \
                and _norm(printed_title) != _norm(participant.title):
            participant.label_title = printed_title.strip()
        self.seen_speakers.add(participant.label)
        self.speaker = participant.label
        self.open_turn(participant.label, _Line(ln.number, text, True) if text else None, ln.number)

    def on_plain(self, ln: _Line) -> None:
        if self.turn is not None:
            self.turn_lines.append(ln)
        elif not self.t.sections:  # text between the participants block and the first turn
            self.extra_intro.append(ln)
        else:
            message = (_("発言者ラベルのない段落です。直前の発言者「%(label)s」の発言としました。")
                       % {"label": self.speaker} if self.speaker else
                       _("発言者ラベルのない段落です。地の文(ナレーション)としました。"))
            self.t.warnings.append(ParseWarning(ln.number, message))
            self.open_turn(self.speaker, ln, ln.number)
            self.implicit[id(self.turn)] = ln.number

    def try_heading(self, lines: list[_Line], i: int) -> int:
        """If lines[i] starts a heading (+ sub-heading) return lines consumed, else 0."""
        ln = lines[i]
        if not ln.gap or not _is_heading_candidate(ln.text):
            return 0
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is None:
            return 0
        if self.is_turn_start(nxt.text):
            count, sub = 1, None
        elif (nxt.gap and _is_heading_candidate(nxt.text) and i + 2 < len(lines)
              and self.is_turn_start(lines[i + 2].text)):
            count, sub = 2, nxt.text
        else:
            return 0
        # なるほど / そうですね: a short line ending in kana may be the end of a speech;
        # headings end in nouns (人材育成, オール東京) and pass silently.
        if self.turn is not None and self.turn_lines and re.search(r"[\u3040-\u309f]$", ln.text):
            self.t.warnings.append(ParseWarning(ln.number, _(
                "「%(line)s」を見出しとして読みました。%(speaker)sの発言の続き(一行の発言)かもしれません。")
                % {"line": ln.text, "speaker": f"「{self.turn.speaker}」" if self.turn.speaker else _("地の文")}))
        self.close_turn()
        self.t.sections.append(Section(ln.text, sub))
        return count

    def run(self, lines: list[_Line]) -> None:
        i = 0
        while i < len(lines):
            ln = lines[i]
            kind = self.classify(ln.text)
            if kind[0] == "plain":
                consumed = self.try_heading(lines, i)
                if consumed:
                    i += consumed
                    continue
                self.on_plain(ln)
            elif kind[0] == "figure":
                self.close_turn()
                self.section().blocks.append(Figure(kind[1], ln.number))
            elif kind[0] == "narration":
                self.open_turn(None, ln, ln.number)
            else:
                self.on_label(ln, kind[1], kind[2], kind[3])
            i += 1
        self.close_turn()

    def split_closing(self) -> None:
        """Move the paragraphs after the last turn into ``closing``."""
        t = self.t
        blocks = t.sections[-1].blocks if t.sections else []
        if not blocks or not isinstance(blocks[-1], Turn):
            return
        turn = blocks[-1]
        lines = self.sources[id(turn)]
        paragraphs: list[list[_Line]] = []
        for ln in lines:
            if ln.gap or not paragraphs:
                paragraphs.append([])
            paragraphs[-1].append(ln)
        implicit = self.implicit.get(id(turn))
        if implicit is not None:
            start = 0
            t.warnings = [w for w in t.warnings if w.line != implicit]
        elif turn.speaker is None:
            start = 1
        else:
            start = next((k for k, p in enumerate(paragraphs) if k > 0 and CLOSING_RE.search(p[0].text)),
                         len(paragraphs))
        closing = [ln for p in paragraphs[start:] for ln in p]
        if not closing:
            return
        t.closing = _join(closing)
        kept = [ln for p in paragraphs[:start] for ln in p]
        if kept:
            turn.text = _join(kept)
        else:
            blocks.pop()
            if not blocks:
                t.sections.pop()
