"""The body: headed sections of speaker turns, narration and figures, then the closing."""

from __future__ import annotations

import re
import unicodedata

from .i18n import _
from .cast import is_meta_header, is_person_name, split_surname_title
from .lines import _is_heading_candidate, _join, _Line, _looks_like_name, _norm
from .patterns import (
    CLOSING_RE,
    CREDIT_RE,
    END_MARK_RE,
    FIGURE_RE,
    FULL_LABEL_RE,
    HEADING_MARK_RE,
    INLINE_QUOTE_RE,
    NARRATION_RE,
    PARTICIPANT_LINE_RE,
    STAGE_RE,
    TIME_LINE_RE,
    MINUTES_NARRATION_RE,
)
from .words import ANONYMOUS_ROLES, CHROME_LINES, META_WORDS, ROLE_LABELS, TITLE_END_RE
from .patterns import CREDIT_ROLES
from .structure import Figure, ParseWarning, Participant, Section, Transcript, Turn
from .titles import make_participant


_SPLIT_HINT_RE = re.compile(r"\s[(【○◯\-]|^[0-9]{1,2}[.．]\s?\S{1,20}\s|^[(（][0-9]")
_LABEL_HINT_RE = re.compile(r"^[○◯⚪●◎【\[［(QA\-−・•]|[:」)]")
_MARK_RE = re.compile(r"^[○◯⚪●◎]\ufe0e?\s*(?P<label>[^\s()（）]+(?:[(（][^()（）]*[)）])?)\s*(?P<text>.*)$")
_BRACKET_RE = re.compile(r"^(?:【(?P<a>[^】]{1,20})】|\[(?P<b>[^\]]{1,20})\]|［(?P<c>[^］]{1,20})］)\s*(?P<text>.*)$")
_CLOSE_RE = re.compile(r"^(?P<label>[^\s:()「」]{1,12})\)\s*(?P<text>.*)$")
_PAREN_RE = re.compile(r"^\((?P<label>[^()]{1,12})\)\s*(?P<text>.*)$")
_QA_RE = re.compile(r"^(?:Q|A)\s+(?P<label>\S+(?:\([^()]*\))?)\s*$")
_LISTED_RE = re.compile(r"^[-−・•]\s*(?P<label>\S{1,12})$")
_COLON_RE = re.compile(r"^(?P<label>[^:「」※]{1,20}?)\s*:\s*(?P<text>.*)$")


class _BodyParser:
    """Walk the body lines, building sections, turns and figures.

    A line is a label when it names someone of the cast (participants block, lead, first
    question), holds a role word (委員, 事務局, 記者), ends in a title (堀参事官), carries a
    label mark (○ ◯ 【】 [] …) with a name-like content, or recurs as a label; a short line
    or a colon alone is not enough."""

    def __init__(
        self,
        t: Transcript,
        has_block: bool,
        known: tuple[str, ...] = (),
        recurring: frozenset[str] = frozenset(),
        interviewee: Participant | None = None,
    ):
        self.t = t
        self.has_block = has_block
        self.known = known
        self.recurring = recurring
        self.interviewee = interviewee
        self._classified: dict = {}
        self.gapless = False
        self.listed_label = False  # the open turn's label was a list item (- 北条)
        self.answerer: Participant | None = None
        self.after_block = False  # the body starts right after a participants block
        self.by_label = {_norm(p.label): p for p in t.participants}
        self.by_name = {_norm(p.name): p for p in t.participants}
        self.roles: dict[str, Participant] = {_norm(p.label): p for p in t.speakers}
        self.seen_speakers: set[str] = set()
        self.turn_lines: list[_Line] | None = None  # lines of the open turn
        self.turn: Turn | None = None
        self.turn_kind: str | None = None  # "speech", "question", "answer", "narration"
        self.speaker: str | None = None  # last labelled speaker
        self.extra_intro: list[_Line] = []
        self.unknown: set[str] = set()  # labels created from the body, not the block
        self.sources: dict[int, list[_Line]] = {}  # id(turn) -> its lines
        self.implicit: dict[int, int] = {}  # id(turn) -> line of its "no label" warning
        self.unassigned: dict[int, int] = {}  # id(turn) -> line of its "answer without a speaker" warning
        self.answers: set[int] = set()  # id(turn) of unlabelled answers given to the interviewee

    # -- the cast ----------------------------------------------------------
    def lookup(self, label: str) -> Participant | None:
        """The cast member a printed label names: label, name, surname, given name, title."""
        key = _norm(label)
        if not key:
            return None
        hit = self.by_label.get(key) or self.by_name.get(key) or self.roles.get(key)
        if hit:
            return hit
        people = self.t.participants
        for getter in (
            lambda p: (p.name.split() or [""])[0],
            lambda p: (p.name.split() or ["", ""])[-1] if len(p.name.split()) == 2 else None,
        ):
            found = [p for p in people if getter(p) and _norm(getter(p)) == key]
            if len(found) == 1:
                return found[0]
        # 樫村委員長 / 島田総務部長 / 堀参事官: a surname followed by the title.
        found = [
            p
            for p in people
            if _norm(p.name)
            and key.startswith(_norm((p.name.split() or [p.name])[0]))
            and len(key) > len(_norm((p.name.split() or [p.name])[0]))
            and TITLE_END_RE.search(key)
        ]
        if len(found) == 1:
            return found[0]
        # 谷口町長 for 谷口一 (町長): the name's first characters and the person's title.
        found = [
            p
            for p in people
            if p.title
            and len(_norm(p.name)) >= 2
            and " " not in p.name.strip()
            and any(
                key == _norm(p.name)[:k] + _norm(p.title).split()[-1][-len(key) + k :]
                and _norm(p.title).endswith(key[k:])
                and TITLE_END_RE.search(key[k:])
                for k in range(1, len(_norm(p.name)))
            )
        ]
        if len(found) == 1:
            return found[0]
        # 市長 for 水城野市長 高階正人: a title held by one participant only.
        exact = [p for p in people if _norm(p.title) == key or key in [_norm(x) for x in p.posts]]
        if len(exact) == 1 and key not in ANONYMOUS_ROLES:
            return exact[0]
        found = [p for p in people if p.title and (_norm(p.title).endswith(key) or key in [_norm(x) for x in p.posts])]
        if len(found) == 1 and key not in ANONYMOUS_ROLES:
            return found[0]
        return None

    def _role(self, label: str) -> Participant:
        """An anonymous speaker (委員, 事務局, 記者 …): not a person of the cast."""
        key = _norm(label)
        if key not in self.roles:
            role = Participant(name=label.strip(), title="", organisation=None, posts=[], roles=[], label=label.strip())
            self.roles[key] = role
            self.t.speakers.append(role)
        return self.roles[key]

    def evidence(self, label: str, form: str) -> Participant | None:
        """The speaker a candidate label stands for, or None when the evidence is too weak."""
        label = label.strip()
        key = _norm(label)
        if not key or len(key) > 40 or key in META_WORDS or key in CREDIT_ROLES:
            return None
        council = re.match(
            r"^(?P<title>[^()（）]+)[(（](?P<name>[^()（）]+?)\s*君?[)）]$", unicodedata.normalize("NFKC", label)
        )
        if (
            council
            and not re.search(r"[\u3040-\u309f0-9、。]", council["title"])
            and ("君" in label or TITLE_END_RE.search(council["title"]))
        ):
            name = council["name"].rstrip("君").strip()
            person = self.lookup(name)
            if person is None and is_person_name(name):
                person = self._speaker(label, name, council["title"])
            if person is not None:
                return self._relabel(person, label)
        person = self.lookup(label)
        if person is not None:
            return self._relabel(person, label)
        plain = re.sub(r"(?:さん|氏|君|先生)$", "", key)
        person = self.lookup(plain) if plain != key else None
        if person is not None:  # 藤井さん: the honorific is not part of the label
            self.by_label.setdefault(key, person)
            return self._relabel(person, plain)
        role = re.match(r"^(?P<role>[^()]+)\((?P<aff>[^()]+)\)$", key)
        if role and role["role"] in ANONYMOUS_ROLES:  # 記者(北浜新聞)
            return self._role(label)
        found = [p for p in self.t.participants if p.organisation and _norm(p.organisation) == key]
        if len(found) == 1:  # 【北浜市】 for the one participant from 北浜市
            return self._relabel(found[0], label)
        if key in ANONYMOUS_ROLES or (key in ROLE_LABELS and form != "bare"):
            return self._role(label) if key in ANONYMOUS_ROLES else self._speaker(label, label, "")
        joint = re.split(r"\s*(?:・|and|&|＆|と)\s*", label)
        if len(joint) == 2 and all(self.lookup(j) for j in joint):
            return self._role(label)
        if not _looks_like_name(label) or re.search(r"[0-9]", key):
            return None
        strong = form in ("mark", "colon", "full", "paren-close")
        titled = bool(TITLE_END_RE.search(key)) and len(key) <= 20
        if (
            (
                strong
                and (
                    titled
                    or key in self.recurring
                    or (form == "colon" and len(key) <= 12)
                    or (form == "mark" and len(key) <= 12)
                )
            )
            or (form in ("paren", "list", "quote") and (key in self.recurring or titled) and len(key) <= 12)
            or (form == "quote" and not self.has_block and len(key) <= 12)
        ):
            split = split_surname_title(key) if titled else None
            return self._speaker(label, split[0] if split else label, split[1] if split else "")
        return None

    def _relabel(self, person: Participant, label: str) -> Participant:
        """The first label printed for a participant becomes its short label (市長, 樫村委員長)."""
        key = _norm(label)
        if key not in self.by_label and person in self.t.participants:
            self.by_label[key] = person
            if person.label not in self.seen_speakers and _norm(person.label) != key:
                self.by_label.pop(_norm(person.label), None)
                person.label = label.strip()
                self.by_label[key] = person
        return person

    # -- classification --------------------------------------------------
    def candidates(self, text: str):
        """(label, text after it, form) readings of a line, strongest first."""
        normal = unicodedata.normalize("NFKC", text).strip()
        if len(normal) > 30 and not _LABEL_HINT_RE.search(normal[:45]):
            return []  # a long line with no mark, bracket or colon near its start is speech
        out = []
        mark = _MARK_RE.match(normal)
        if mark:
            out.append((mark["label"], mark["text"], "mark"))
        bracket = _BRACKET_RE.match(normal)
        if bracket:
            out.append((bracket["a"] or bracket["b"] or bracket["c"], bracket["text"], "mark"))
        close = _CLOSE_RE.match(normal)
        if close:
            out.append((close["label"], close["text"], "paren-close"))
        paren = _PAREN_RE.match(normal)
        if paren:
            out.append((paren["label"], paren["text"], "paren"))
        qa = _QA_RE.match(normal)
        if qa:
            out.append((qa["label"], "", "mark"))
        listed = _LISTED_RE.match(normal)
        if listed:
            out.append((listed["label"], "", "list"))
        colon = _COLON_RE.match(normal)
        if (
            colon
            and not re.search(r"\s", colon["label"].strip())
            or (colon and re.fullmatch(r"\S+\s(?:and|&)\s\S+", colon["label"].strip()))
        ):
            out.append((colon["label"], colon["text"], "colon"))
        quote = INLINE_QUOTE_RE.match(text)
        if quote:
            out.append((quote["label"], quote["text"], "quote"))
        if len(normal) <= 20 and not re.search(r"\s", normal):
            out.append((normal, "", "bare"))
        return out

    def classify(self, text: str) -> tuple:
        """The reading of a line, remembered until the cast changes (lines are read twice:
        once as the next line of a heading, once in turn)."""
        key = (text, len(self.t.participants), len(self.by_label), len(self.roles), id(self.answerer))
        hit = self._classified.get(key)
        if hit is None:
            hit = self._classify(text)
            self._classified[
                (text, len(self.t.participants), len(self.by_label), len(self.roles), id(self.answerer))
            ] = hit
        return hit

    def _classify(self, text: str) -> tuple:
        """Return ('figure', ref) | ('label', participant, text|None, title) | ('narration',) | ('time',)
        | ('caption',) | ('plain',)."""
        normal = unicodedata.normalize("NFKC", text).strip()
        figure = FIGURE_RE.match(normal)
        if figure:
            return ("figure", figure["kind"] + figure["num"])
        if TIME_LINE_RE.match(normal):
            return ("time",)
        if re.match(r"^[―—─ー]", normal) or MINUTES_NARRATION_RE.match(normal):
            return ("narration",)
        answer = re.match(r"^A\s*[.:]\s*(?P<text>\S.*)$", normal)
        if answer and (self.interviewee or self.answerer):  # Q. … / A. …: the interviewee's answer
            return ("label", self.interviewee or self.answerer, answer["text"], None)
        if text.startswith("※") or CREDIT_RE.match(text) or STAGE_RE.match(normal):
            return ("plain",)
        if self.by_label.get(_norm(text).rstrip(":")):
            return ("label", self.by_label[_norm(text).rstrip(":")], None, None)
        full = FULL_LABEL_RE.match(text)
        if full:
            return ("label", self._introduced(full["label"], full["name"], full["title"]), None, full["title"])
        colon = PARTICIPANT_LINE_RE.match(text)
        if colon and _norm(colon["name"]) in self.by_name:
            return ("label", self.by_name[_norm(colon["name"])], None, colon["title"])
        for label, rest, form in self.candidates(text):
            if form == "colon" and _norm(label) in META_WORDS:
                return ("plain",)
            speaker = self.evidence(label, form)
            if speaker is not None:
                return ("label", speaker, rest or None, None)
        if NARRATION_RE.match(normal) and not (re.match(r"^[-−]", normal) and _is_tag(normal)):
            return ("narration",)
        if self.is_caption(normal):
            return ("caption",)
        return ("plain",)

    def is_caption(self, normal: str) -> bool:
        """白鳥副知事3, 三輪のバストショット。…: a photo caption naming someone of the cast."""
        for p in self.t.participants:
            surname = (p.name.split() or [p.name])[0]
            if not surname or not normal.startswith(surname):
                continue
            rest = normal[len(surname) :]
            if re.fullmatch(r"[\u4e00-\u9fff\u30a0-\u30ff]{0,8}\s*[0-9]{0,2}", rest) and rest:
                return True
            if re.search(r"ショット|写真|写している|写っている|の様子", rest[:40]):
                return True
        return False

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
        participant = (
            self.by_name.get(_norm(name))
            or self.by_label.get(key)
            or self.by_label.get(_norm(name))
            or self._by_surname(name, title)
        )
        if participant is None:
            return self._speaker(label, name, title)
        if key not in self.by_label:
            self.by_label[key] = participant
            if participant.label not in self.seen_speakers:
                participant.label = label.strip()
        return participant

    def _by_surname(self, surname: str, title: str) -> Participant | None:
        """Among participants sharing a surname, the one not yet introduced, by title."""
        candidates = [
            p
            for p in self.t.participants
            if (p.name.split() or [""])[0] == surname.strip() and p.label not in self.seen_speakers
        ]
        titled = [p for p in candidates if _norm(p.title) == _norm(title)]
        return (titled or candidates or [None])[0]

    def is_turn_start(self, text: str) -> bool:
        return self.classify(text)[0] in ("figure", "label", "narration", "time")

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

    def open_turn(self, speaker: str | None, first: _Line | None, line: int, kind: str = "speech") -> None:
        self.close_turn()
        self.turn, self.turn_lines = Turn(speaker, "", line), ([first] if first else [])
        self.turn_kind = kind
        self.section().blocks.append(self.turn)

    def on_label(self, ln: _Line, participant: Participant, text: str | None, printed_title: str | None) -> None:
        if participant.label in self.unknown:
            self.unknown.discard(participant.label)
            if self.has_block:
                self.t.warnings.append(
                    ParseWarning(
                        ln.number,
                        _("発言者ラベル「%(label)s」は参加者欄のどの人にも一致しません。")
                        % {"label": participant.label},
                    )
                )
                # The line reads as a label (mark, colon, title) but names no one of the block.
                self.t.unmatched.append({"line": ln.number, "label": participant.label, "certainty": 0.6})
        elif (
            participant.label not in self.seen_speakers
            and printed_title
            and _norm(printed_title) != _norm(participant.title)
        ):
            participant.label_title = printed_title.strip()
        self.seen_speakers.add(participant.label)
        self.speaker = participant.label
        normal = unicodedata.normalize("NFKC", ln.text)
        self.listed_label = bool(re.match(r"^[-−]\s*\S", normal))
        if re.match(r"^A\s+\S", normal):
            self.answerer = participant  # A 知事: later A. answers are this speaker's
        self.open_turn(participant.label, _Line(ln.number, text, True) if text else None, ln.number)

    def on_plain(self, ln: _Line) -> None:
        starts_paragraph = ln.gap or self.gapless
        if (
            self.turn is not None
            and self.turn_kind == "question"
            and starts_paragraph
            and self.speaker is None
            and ((self.interviewee is not None and not self.has_block) or self.t.kind == "インタビュー")
            and not END_MARK_RE.match(unicodedata.normalize("NFKC", ln.text).strip())
        ):
            self.on_answer(ln)
        elif self.turn is not None:
            if self.turn_kind == "speech" and not self.turn_lines and self.listed_label:
                ln = _Line(ln.number, re.sub(r"^[-−]\s*", "", ln.text), ln.gap)  # - 北条 / - text
            self.turn_lines.append(ln)
        elif not self.t.sections:  # text between the participants block and the first turn
            self.extra_intro.append(ln)
        else:
            message = (
                _("発言者ラベルのない段落です。直前の発言者「%(label)s」の発言としました。") % {"label": self.speaker}
                if self.speaker
                else _("発言者ラベルのない段落です。地の文(ナレーション)としました。")
            )
            self.t.warnings.append(ParseWarning(ln.number, message))
            self.open_turn(self.speaker, ln, ln.number, "speech" if self.speaker else "narration")
            self.implicit[id(self.turn)] = ln.number

    def on_answer(self, ln: _Line) -> None:
        """An unlabelled paragraph after a question: the interviewee's, when there is one."""
        if self.interviewee is not None:
            label = self.interviewee.label
            self.seen_speakers.add(label)
            self.open_turn(label, ln, ln.number, "answer")
            self.answers.add(id(self.turn))
            return
        self.t.warnings.append(
            ParseWarning(
                ln.number, _("質問のあとのラベルのない回答です。話し手が一人に決まらないため、発言者なしとしました。")
            )
        )
        self.t.unmatched.append({"line": ln.number, "label": "", "certainty": 0.3})
        self.open_turn(None, ln, ln.number, "answer")
        self.unassigned[id(self.turn)] = ln.number

    def heading_candidate(self, text: str) -> bool:
        normal = unicodedata.normalize("NFKC", text).strip()
        if _norm(normal) in CHROME_LINES or STAGE_RE.match(normal):
            return False
        if _marked(text) and len(normal) <= 60 and not normal.endswith("。"):
            return True
        if re.search(r"[?]{1,2}$", normal) and len(normal) <= 40 and "。" not in normal:
            return True
        return _is_heading_candidate(text)

    def try_heading(self, lines: list[_Line], i: int) -> int:
        """If lines[i] starts a heading (+ sub-heading) return lines consumed, else 0."""
        ln = lines[i]
        if not self.heading_candidate(ln.text):
            return 0
        gap = ln.gap or self.gapless
        normal = unicodedata.normalize("NFKC", ln.text).strip()
        marked = _marked(ln.text)
        in_speech = self.turn is not None and self.turn.speaker is not None and self.turn_lines
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        nxt_start = nxt is not None and self.is_turn_start(nxt.text)
        if (
            marked
            and (gap or not in_speech)
            and not (in_speech and re.match(r"^[0-9(（①-⑳]", normal) and not nxt_start)
        ):
            count, sub = 1, None
            if (
                nxt is not None
                and self.heading_candidate(nxt.text)
                and _marked(nxt.text)
                and i + 2 < len(lines)
                and self.is_turn_start(lines[i + 2].text)
                and _sub_level(normal, nxt.text)
            ):
                count, sub = 2, nxt.text
        elif not gap and in_speech:
            return 0
        elif nxt is None:
            return 0
        elif nxt_start:
            count, sub = 1, None
        elif (
            (nxt.gap or self.gapless)
            and self.heading_candidate(nxt.text)
            and i + 2 < len(lines)
            and self.is_turn_start(lines[i + 2].text)
        ):
            count, sub = 2, nxt.text
        elif i == 0 and self.after_block:
            count, sub = 1, None  # the first short line after a participants block heads the body
        else:
            return 0
        # なるほど / そうですね: a short line ending in kana may be the end of a speech;
        # headings end in nouns (人材育成, オール東京) and pass silently.
        if self.turn is not None and self.turn_lines and re.search(r"[\u3040-\u309f]$", ln.text) and not marked:
            self.t.warnings.append(
                ParseWarning(
                    ln.number,
                    _("「%(line)s」を見出しとして読みました。%(speaker)sの発言の続き(一行の発言)かもしれません。")
                    % {"line": ln.text, "speaker": f"「{self.turn.speaker}」" if self.turn.speaker else _("地の文")},
                )
            )
        self.close_turn()
        current = self.t.sections[-1] if self.t.sections else None
        if (
            current is not None
            and current.heading
            and current.subheading is None
            and sub is None
            and current.blocks
            and all(isinstance(b, Figure) for b in current.blocks)
            and _marked(current.heading)
            and (not marked or _sub_level(current.heading, ln.text))
        ):
            current.subheading = ln.text  # heading, figure, sub-heading
        else:
            self.t.sections.append(Section(ln.text, sub))
        return count

    def split_line(self, ln: _Line) -> list[_Line]:
        """Several statements on one line: 2.議題 (1)…について -説明- (事務局)… (委員)…"""
        normal = unicodedata.normalize("NFKC", ln.text)
        if not _SPLIT_HINT_RE.search(normal):
            return [ln]
        cuts = []
        for match in re.finditer(
            r"(?<=\s)(?:\((?P<p>[^()]{1,10})\)|【(?P<b>[^】]{1,10})】|[○◯](?P<m>[^\s()]{1,12}))(?=\S)", normal
        ):
            label = match["p"] or match["b"] or match["m"]
            if self.lookup(label) or _norm(label) in ANONYMOUS_ROLES or _norm(label) in ROLE_LABELS:
                cuts.append(match.start())
        for match in re.finditer(r"(?<=\s)-[^-\s][^-]{0,60}-(?=\s|$)", normal):
            cuts += [match.start(), match.end()]
        head = re.match(r"^(?P<h>[0-9]{1,2}[.．]\s?\S{1,20})\s+(?=[(（][0-9]{1,2}[)）]|-)", normal)
        if head:
            cuts.append(head.end())
        sub = re.match(r"^(?:[0-9]{1,2}[.．]\s?\S{1,20}\s+)?(?P<s>[(（][0-9]{1,2}[)）][^\s()]{1,40})\s+", normal)
        if sub:
            cuts.append(sub.end())
        cuts = sorted({c for c in cuts if 0 < c < len(normal)})
        if not cuts:
            return [ln]
        pieces, last = [], 0
        for cut in cuts + [len(normal)]:
            piece = ln.text[last:cut].strip() if len(ln.text) == len(normal) else normal[last:cut].strip()
            if piece:
                pieces.append(_Line(ln.number, piece, ln.gap if not pieces else True))
            last = cut
        return pieces

    def skip_meta(self, lines: list[_Line]) -> int:
        """議題 / 配布資料 / 会議の結果 … and their values after a participants block: front matter."""
        i = 0
        while i < len(lines) and is_meta_header(lines[i].text):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            after = lines[i + 2] if i + 2 < len(lines) else None
            if nxt is not None and (
                self.is_turn_start(nxt.text)
                or _marked(nxt.text)
                or (after is not None and self.heading_candidate(nxt.text) and self.is_turn_start(after.text))
            ):
                return i  # 1.議題 (1)…, or 議題 with a sub-heading before a turn: a heading, not front matter
            i += 1
            while i < len(lines) and not is_meta_header(lines[i].text):
                if self.is_turn_start(lines[i].text):
                    return i
                nxt = lines[i + 1] if i + 1 < len(lines) else None
                if (
                    nxt is not None
                    and self.heading_candidate(lines[i].text)
                    and self.is_turn_start(nxt.text)
                    and not re.match(r"^[•・\-−]", lines[i].text)
                ):
                    return i
                i += 1
        return i

    def run(self, lines: list[_Line]) -> None:
        lines = [piece for ln in lines for piece in self.split_line(ln)]
        i = self.skip_meta(lines)
        self.extra_intro += lines[:i]
        if i:
            self.after_block = False
            lines = lines[i:]
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
            elif kind[0] in ("narration", "time", "caption"):
                if self.turn is not None and self.turn_kind == "speech" and not self.turn_lines:
                    self.on_plain(ln)  # - 北条 then - its text: the list item is the speech
                else:
                    question = (
                        kind[0] == "narration"
                        and re.match(r"^(?:[―—─ー]{1,3}|[-−]|Q)", unicodedata.normalize("NFKC", ln.text))
                        and not re.match(r"^-[^-]+-$", unicodedata.normalize("NFKC", ln.text).strip())
                    )
                    self.open_turn(None, ln, ln.number, "question" if question else "narration")
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
        elif id(turn) in self.unassigned and CLOSING_RE.search(paragraphs[0][0].text):
            # The last question's "answer" is the closing itself (次回もお楽しみに!): no answer, no warning.
            start = 0
            line = self.unassigned[id(turn)]
            t.warnings = [w for w in t.warnings if w.line != line]
            t.unmatched = [u for u in t.unmatched if u["line"] != line]
        elif turn.speaker is None:
            start = 1
        elif id(turn) in self.answers:
            start = next((k for k, p in enumerate(paragraphs) if CLOSING_RE.search(p[0].text)), len(paragraphs))
        else:
            start = next(
                (k for k, p in enumerate(paragraphs) if k > 0 and CLOSING_RE.search(p[0].text)), len(paragraphs)
            )
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


def _sub_level(first: str, second: str) -> bool:
    """2.議題 then (1)…: the second line is numbered one level down (or the first is ■/◆)."""
    a = unicodedata.normalize("NFKC", first).strip()
    b = unicodedata.normalize("NFKC", second).strip()
    kind = lambda s: (
        "circle"
        if re.match(r"^[①-⑳]", s)
        else "dot"
        if re.match(r"^[0-9]", s)
        else "paren"
        if re.match(r"^[(]", s)
        else "mark"
    )
    return kind(first.strip()) != kind(second.strip()) and kind(a) != kind(b)


def _is_tag(normal: str) -> bool:
    """- 職員インタビュー: a tag or list item, not a question (those are sentences, or -wrapped-)."""
    body = normal.lstrip("-− ").strip()
    if re.fullmatch(r"-[^-]+-", normal.strip()):
        return False
    return len(body) < 15 and not re.search(r"[。?？!!か]$", body)


def _marked(text: str) -> bool:
    """■ ◆ 1. (1) ① 議事1 ~…~ 「…」 (…について): a heading by its mark (① before NFKC makes it 1)."""
    text = text.strip()
    return bool(HEADING_MARK_RE.match(text) or HEADING_MARK_RE.match(unicodedata.normalize("NFKC", text)))
