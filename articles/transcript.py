"""Pure parser for Japanese roundtable / interview transcripts.

The input is the plain text a reader copies off an article page (see
``shared/samples/machida-cio-roundtable-part2.txt``): a title, a lead, a part
note, the event line, a participants block, headed sections of speaker turns
with figure placeholders, a closing line, credits and page furniture.

Only the standard library is used, so the module can be imported and tested
without Django.  ``parse_transcript`` never raises for odd content: problems
become warnings carrying 1-based line numbers.  ``TranscriptError`` is raised
only for unreadable input (empty text, binary data, undecodable bytes).

Messages are for editors, so they are Japanese source strings marked with ``_``:
Django's gettext when Django is configured, the string itself otherwise.
"""

from __future__ import annotations

import codecs
import datetime
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

try:
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.translation import gettext as _django_gettext
except ImportError:  # the parser also runs without Django
    _django_gettext = None


def _(message: str) -> str:
    """Translate a message with Django when it is set up; the parser needs no settings."""
    if _django_gettext is None:
        return message
    try:
        return _django_gettext(message)
    except ImproperlyConfigured:
        return message


__all__ = [
    "TranscriptError", "Transcript", "Participant", "Section", "Turn", "Figure",
    "Credit", "ParseWarning", "Roundtable", "Part", "parse_transcript",
    "decode_transcript_bytes", "render_text", "render_markdown", "documented_shape",
    "is_figure_reference",
]

# == Errors and data classes ==


class TranscriptError(ValueError):
    """The input cannot be read as a transcript at all."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        self.message = message
        super().__init__(_("%(line)d行目: %(message)s") % {"line": line, "message": message}
                         if line is not None else message)


@dataclass
class Participant:
    name: str
    title: str
    organisation: str | None
    posts: list[str]
    roles: list[str]
    label: str
    label_title: str | None = None


@dataclass
class Turn:
    speaker: str | None
    text: str
    line: int | None = field(default=None, compare=False)  # where it starts, for previews

    def to_dict(self) -> dict:
        return {"type": "turn", "speaker": self.speaker, "text": self.text}


@dataclass
class Figure:
    ref: str
    line: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict:
        return {"type": "figure", "ref": self.ref}


@dataclass
class Section:
    heading: str | None = None
    subheading: str | None = None
    blocks: list = field(default_factory=list)


@dataclass
class Credit:
    role: str
    name: str
    affiliation: str | None


@dataclass
class ParseWarning:
    line: int
    message: str


@dataclass
class Roundtable:
    number: int | None = None
    held_on: datetime.date | None = None
    title: str | None = None


@dataclass
class Part:
    number: int | None = None
    of: int | None = None


@dataclass
class Transcript:
    title: str = ""
    roundtable: Roundtable = field(default_factory=Roundtable)
    part: Part = field(default_factory=Part)
    honorifics_omitted: bool = False
    participants: list[Participant] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    lead: str = ""
    introduction: str = ""
    closing: str = ""
    header_figure: str | None = None

    def to_dict(self) -> dict:
        """Return the JSON-ready dictionary shape used by the importer."""
        held = self.roundtable.held_on
        return {
            "title": self.title,
            "roundtable": {"number": self.roundtable.number,
                           "held_on": held.isoformat() if held else None,
                           "title": self.roundtable.title},
            "part": {"number": self.part.number, "of": self.part.of},
            "honorifics_omitted": self.honorifics_omitted,
            "participants": [asdict(p) for p in self.participants],
            "sections": [{"heading": s.heading, "subheading": s.subheading,
                          "blocks": [b.to_dict() for b in s.blocks]} for s in self.sections],
            "credits": [asdict(c) for c in self.credits],
            "warnings": [asdict(w) for w in self.warnings],
            "lead": self.lead,
            "introduction": self.introduction,
            "closing": self.closing,
            "header_figure": self.header_figure,
        }


# == Patterns ==

COLON = r"\s*[:：]\s*"
CREDIT_ROLES = ("執筆者", "編集", "撮影", "文", "構成", "取材", "写真")
_ROLE_ALT = "|".join(CREDIT_ROLES)
CREDIT_RE = re.compile(rf"^(?P<role>(?:{_ROLE_ALT})(?:[・/／](?:{_ROLE_ALT}))*){COLON}"
                       r"(?P<name>[^:：()（）。]{1,30}?)\s*(?:[(（](?P<aff>[^()（）]*)[)）])?$")
PARTICIPANTS_HEADER_RE = re.compile(r"^[【\[［]?(?:参加者|出席者)[】\]］]?\s*(?:[(（][^)）]*[)）])?\s*[:：]?$")
PARTICIPANT_LINE_RE = re.compile(rf"^(?P<title>[^:：※]+?){COLON}(?P<name>[^:：()（）「」。]{{1,30}})$")
FULL_LABEL_RE = re.compile(rf"^(?P<title>[^:：]+?){COLON}(?P<name>[^:：()（）「」]+?)\s*"
                           r"[(（]以下\s*[「『](?P<label>[^」』]+)[」』]\s*[)）]$")
INLINE_COLON_RE = re.compile(rf"^(?P<label>[^:：\s「」()（）※]{{1,12}}){COLON}(?P<text>\S.*)$")
INLINE_QUOTE_RE = re.compile(r"^(?P<label>[^:：\s「」()（）※]{1,12})「(?P<text>.*)」$")
NARRATION_RE = re.compile(r"^[―—─ー]{1,2}\S")
FIGURE_RE = re.compile(r"^[\[［【]?\s*(?P<kind>画像|図|写真)\s*(?P<num>[0-9０-９]+)\s*[\]］】]?$")
HEADER_FIGURE = "見出し画像"
PART_NOTE_RE = re.compile(r"^※?\s*この(?:記事|連載)は.*(?:全\s*\S+?回|前半|後半|前編|後編|第\s*\S+?回)")
TITLE_PART_RE = re.compile(r"(?:part|パート)\s*([0-9０-９]+)\s*$|[(（]?(前|後)(?:編|半)[)）]?$", re.IGNORECASE)
AGENDA_ITEM_RE = re.compile(r"^(?:[0-9０-９]+[.．、)）]?\s|[0-9０-９]+[.．、)）]|[①-⑳])")
TERMINAL_CHARS = "。．.!！?？)）」』…〜~♪ｗ笑"
CLOSING_RE = re.compile(r"(次回|お楽しみに|^[(（](?:了|終|おわり)[)）]$|^おわり$)")
FURNITURE_RE = re.compile(
    r"^(?:この記事が気に入ったら.*|\d*\s*スキ\s*\d*|スキ[!！]?|\d+|"
    r"(?:Facebook|Twitter|X|LINE|はてな)?\s*で?\s*シェア(?:する)?|ツイート|"
    r"フォロー(?:する|中)?|いいね[!！]?|記事をシェア.*|.{0,10}をフォロー(?:する)?)$")
# Organisation names: up to 5 characters and a suffix; 都/道 alone are short forms.  The
# suffix ranks break ties between candidates of one title: 武蔵村山市 (市) beats 武蔵村 (村).
ORG_SUFFIX_RANK = {"都": 0, "道": 0, "府": 0, "県": 0, "市": 1, "区": 2, "町": 3, "村": 4}
ORG_NAME_CHAR_RE = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffヶ々の]")
ORG_SHORT_FORMS = ("都", "道")
NOT_ORG_PREFIXES = ("都市", "道路", "副")  # 都市整備局長, 道路課長, 副市長
ROLE_SPLIT_RE = re.compile(r"[、・/／,，]")
ERA_STARTS = {"令和": datetime.date(2019, 5, 1), "平成": datetime.date(1989, 1, 8),
              "昭和": datetime.date(1926, 12, 25)}
_NUM = r"[0-9０-９〇零一二三四五六七八九十]+"
ERA_DATE_RE = re.compile(rf"(?P<era>令和|平成|昭和)\s*(?P<y>元|{_NUM})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*日")
WESTERN_DATE_RE = re.compile(rf"(?P<y>[0-9０-９]{{4}})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*日")
SLASH_DATE_RE = re.compile(r"(?<![0-9])(?P<y>[0-9]{4})[/／.](?P<m>[0-9]{1,2})[/／.](?P<d>[0-9]{1,2})(?![0-9])")
KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
                "六": 6, "七": 7, "八": 8, "九": 9}


# == Small helpers ==

def _norm(text: str) -> str:
    """Normalise for matching only: NFKC and no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


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
    return (0 < len(text) <= 40 and not _is_terminal(text) and not re.search(r"[:：。]", text)
            and not AGENDA_ITEM_RE.match(text) and not text.startswith("※"))


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


# == Decoding and line preparation ==

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
    raise TranscriptError(_("文字コードを読み取れないバイトがあります(%(offset)dバイト目。"
                            "試した文字コード: %(encodings)s)")
                          % {"offset": offset, "encodings": ", ".join(encodings)}, line)


def _check_readable(text: str) -> None:
    if not text.strip():
        raise TranscriptError(_("原稿が空です。"), 1)
    bad = re.search(r"[\x00-\x08\x0e-\x1f\x7f]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        what = _("NULバイト") if bad.group() == "\x00" else _("制御文字 %(char)s") % {"char": repr(bad.group())}
        raise TranscriptError(_("テキストではないデータ(%(what)s)が含まれています。") % {"what": what}, line)


def _prepare_lines(text: str) -> list[_Line]:
    """Split into stripped non-blank lines, cutting page furniture."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines: list[_Line] = []
    gap = False
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            gap = True
            continue
        normal = unicodedata.normalize("NFKC", stripped)
        if re.fullmatch(r"[【\[]?バックナンバー[】\]]?", normal):
            break
        if FURNITURE_RE.match(normal):
            continue
        lines.append(_Line(number, stripped, gap or not lines))
        gap = False
    return lines


# == Participants and credits ==

def find_organisation_prefix(title: str, known: tuple[str, ...] = ()) -> str | None:
    """The organisation a title starts with (武蔵村山市総務部長 → 武蔵村山市), or None.

    Known names (an editor's list of organisations and their short forms) win, longest
    first; otherwise the best candidate of 2-6 characters ending in 都道府県市区町村,
    then the short forms 都 and 道.  Something must follow the organisation.
    """
    if title.startswith(NOT_ORG_PREFIXES):
        return None
    for name in sorted(known, key=len, reverse=True):
        if name and title.startswith(name) and len(title) > len(name):
            return name
    candidates = []
    for end in range(2, min(6, len(title) - 1) + 1):
        suffix = title[end - 1]
        if suffix not in ORG_SUFFIX_RANK:
            continue
        if all(ORG_NAME_CHAR_RE.match(char) for char in title[:end - 1]):
            candidates.append((ORG_SUFFIX_RANK[suffix], end))
    if candidates:
        return title[:min(candidates)[1]]
    return title[0] if title[:1] in ORG_SHORT_FORMS and len(title) > 1 else None


def split_title(title: str, known: tuple[str, ...] = ()) -> tuple[str | None, list[str], list[str]]:
    """Split 町田市総務部長兼情報システム担当部長(CIO補佐、CDO) into org, posts, roles."""
    rest, roles = title.strip(), []
    match = re.search(r"[(（](?P<roles>[^()（）]*)[)）]$", rest)
    if match:
        roles = [r.strip() for r in ROLE_SPLIT_RE.split(match["roles"]) if r.strip()]
        rest = rest[:match.start()].strip()
    organisation = find_organisation_prefix(rest, known)
    if organisation:
        after = rest[len(organisation):]
        # 渋谷区長 / 町田市長: the suffix belongs to the post as well (but 都知事 stays).
        rest = (organisation[-1] if after.startswith("長") and len(organisation) > 1 else "") + after
    posts = [p.strip() for p in rest.split("兼") if p.strip()]
    return organisation, posts, roles


def make_participant(title: str, name: str, label: str | None = None,
                     known: tuple[str, ...] = ()) -> Participant:
    organisation, posts, roles = split_title(title, known)
    name = name.strip()
    return Participant(name=name, title=title.strip(), organisation=organisation, posts=posts,
                       roles=roles, label=label or (name.split() or [name])[0])


def _parse_credit(text: str) -> Credit | None:
    match = CREDIT_RE.match(text)
    if not match:
        return None
    aff = match["aff"].strip() if match["aff"] is not None else None
    return Credit(role=match["role"], name=match["name"].strip(), affiliation=aff)


# == Front matter: title, lead, part note, event line ==

def _parse_part(title: str, note: str | None, part: Part) -> None:
    """Fill the part number / count from the title's partN and the ※ note."""
    match = TITLE_PART_RE.search(unicodedata.normalize("NFKC", title))
    if match and match.group(1):
        part.number = int(match.group(1))
    elif match:
        part.number, part.of = (1 if match.group(2) == "前" else 2), 2
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


def find_date(text: str) -> tuple[datetime.date | None, str | None]:
    """Find the first event date; return (date, problem) where problem names a bad date."""
    candidates = [m for regex in (ERA_DATE_RE, WESTERN_DATE_RE, SLASH_DATE_RE) for m in regex.finditer(text)]
    if not candidates:
        return None, None
    match = min(candidates, key=lambda m: m.start())
    y, mo, d = (parse_number(match[k]) for k in ("y", "m", "d"))
    if None in (y, mo, d):
        return None, _("日付「%(date)s」を読み取れません。") % {"date": match.group()}
    era_start = ERA_STARTS.get(match.groupdict().get("era"))
    try:
        date = datetime.date(era_start.year + y - 1 if era_start else y, mo, d)
    except ValueError:
        date = None
    if date is None or (era_start and date < era_start):
        return None, _("日付「%(date)s」は存在しない日付です。") % {"date": match.group()}
    return date, None


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
        lead, note, intro = rest[:note_index], rest[note_index], rest[note_index + 1:]
    t.lead, t.introduction = _join(lead), _join(intro)
    _parse_part(t.title, note.text if note else None, t.part)
    number = re.search(rf"第\s*({_NUM})\s*回", t.lead) or re.search(rf"第\s*({_NUM})\s*回", t.introduction)
    t.roundtable.number = parse_number(number.group(1)) if number else None
    t.roundtable.title = _roundtable_title(t.lead, t.introduction)
    for ln in intro + lead:
        date, problem = find_date(ln.text)
        if date or problem:
            t.roundtable.held_on = date
            if problem:
                t.warnings.append(ParseWarning(ln.number, problem))
            break


# == Body: sections, turns, figures ==

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


# == Entry point ==

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


def _take_credits(lines: list[_Line], t: Transcript) -> list[_Line]:
    """Remove credit lines; stray text after final credits is dropped with a warning."""
    kept, last = [], None
    for ln in lines:
        credit = _parse_credit(ln.text)
        if credit:
            t.credits.append(credit)
            last = len(kept)
        else:
            kept.append(ln)
    if last is None:
        return kept
    tail = kept[last:]
    if any(PARTICIPANTS_HEADER_RE.match(ln.text) or FULL_LABEL_RE.match(ln.text)
           or NARRATION_RE.match(ln.text) for ln in tail):
        return kept  # the credits were not at the end of the article
    t.warnings += [ParseWarning(ln.number, _("クレジットの後の「%(text)s」は本文ではないとみなして読み飛ばしました。")
                                % {"text": ln.text[:20]}) for ln in tail]
    return kept[:last]


def _read_participants(lines: list[_Line], header: int, t: Transcript, known: tuple[str, ...]) -> list[_Line]:
    """Read the participants block at ``header``; return the body lines after it."""
    t.honorifics_omitted = "敬称略" in lines[header].text
    i = header + 1
    notes = []
    while i < len(lines):
        ln = lines[i]
        match = PARTICIPANT_LINE_RE.match(ln.text)
        if ln.text.startswith("※"):
            notes.append(ln)
        elif match and not (ln.gap and i > header + 1):
            t.participants.append(make_participant(match["title"], match["name"], known=known))
        else:
            break
        i += 1
    surnames = Counter(_norm(p.label) for p in t.participants)
    for p in t.participants:  # 鈴木 一郎 and 鈴木 花子: the surname alone names neither
        if surnames[_norm(p.label)] > 1:
            p.label = re.sub(r"\s+", "", p.name)
    if not t.participants:
        t.warnings.append(ParseWarning(lines[header].number, _("参加者欄に「肩書き:氏名」の行がありません。")))
    return notes + lines[i:]


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


# == Rendering ==

#: The JSON shape documented in the README (and the issue): keys in this order.
DOCUMENTED_KEYS = ("title", "roundtable", "part", "honorifics_omitted", "participants", "sections",
                   "credits", "warnings")
DOCUMENTED_PARTICIPANT_KEYS = ("name", "title", "organisation", "posts", "roles", "label")


def documented_shape(d: dict) -> dict:
    """Only the documented keys of a transcript dict (no lead, closing, label_title …)."""
    shaped = {key: d[key] for key in DOCUMENTED_KEYS}
    shaped["participants"] = [{key: p[key] for key in DOCUMENTED_PARTICIPANT_KEYS} for p in d["participants"]]
    return shaped


def is_figure_reference(text: str) -> bool:
    """画像1, 図2, 写真3, [画像4] …: a line the parser reads as a figure."""
    return bool(FIGURE_RE.match(unicodedata.normalize("NFKC", text.strip())))


def _part_note(d: dict) -> str | None:
    number, total = d["part"]["number"], d["part"]["of"]
    title_part = TITLE_PART_RE.search(unicodedata.normalize("NFKC", d["title"]))
    if total == 2 and number in (1, 2):
        return ("※この記事は全2回の前半です。後半はこちら" if number == 1
                else "※この記事は全2回の後半です。前半はこちら")
    if total is not None:
        return f"※この記事は全{total}回の第{number}回です。" if number else f"※この記事は全{total}回です。"
    # A first part of unknown count needs no note: an import reads it as part 1 anyway.
    if number not in (None, 1) and not (title_part and title_part.group(1) and int(title_part.group(1)) == number):
        return f"※この記事は第{number}回です。"
    return None


def render_text(d: dict) -> str:
    """Render a transcript dict back to plain text in the sample's conventions."""
    chunks: list[str] = []
    if d.get("header_figure"):
        chunks.append(d["header_figure"])
    chunks.append(d["title"])
    for key in ("lead",):
        if d.get(key):
            chunks.append(d[key])
    note = _part_note(d)
    if note:
        chunks.append(note)
    if d.get("introduction"):
        chunks.append(d["introduction"])
    titled = [p for p in d["participants"] if p["title"]]  # the untitled come from inline labels
    if titled or d["honorifics_omitted"]:
        header = "参加者(敬称略)" if d["honorifics_omitted"] else "参加者"
        chunks.append("\n".join([header] + [f"{p['title']}:{p['name']}" for p in titled]))
    people = {p["label"]: p for p in d["participants"]}
    introduced: set[str] = set()
    for section in d["sections"]:
        if section["heading"]:
            chunks.append(section["heading"])
        if section["subheading"]:
            chunks.append(section["subheading"])
        for block in section["blocks"]:
            if block["type"] == "figure":
                chunks.append(block["ref"])
            elif block["speaker"] is None:
                chunks.append(block["text"])
            elif block["speaker"] in introduced or block["speaker"] not in people:
                chunks.append(f"{block['speaker']}\n{block['text']}")
            elif not people[block["speaker"]]["title"]:
                introduced.add(block["speaker"])
                chunks.append(f"{block['speaker']}:{block['text']}")
            else:
                p = people[block["speaker"]]
                introduced.add(p["label"])
                printed = p.get("label_title") or p["title"]
                surname = (p["name"].split() or [p["name"]])[0]
                # 深井(以下「深井」), but 宮坂 学(以下「宮坂副知事」) when the label is not the surname.
                shown = surname if p["label"] == surname else p["name"]
                chunks.append(f"{printed}:{shown}(以下「{p['label']}」)\n{block['text']}")
    if d.get("closing"):
        chunks.append(d["closing"])
    if d["credits"]:
        chunks.append("\n".join(
            f"{c['role']}:{c['name']}" + (f"({c['affiliation']})" if c["affiliation"] is not None else "")
            for c in d["credits"]))
    return "\n\n".join(chunks) + "\n"


def _md_escape(text: str) -> str:
    """Escape Markdown syntax characters so the text renders literally."""
    text = re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
    return re.sub(r"(?m)^(\s*)([#>+-]|\d+\.)", r"\1\\\2", text)


def render_markdown(d: dict) -> str:
    """Render a transcript dict as Markdown (## heading, ### sub-heading, **label** speech)."""
    out = [f"# {_md_escape(d['title'])}"]
    if d.get("header_figure"):
        out.append(f"![{d['header_figure']}]({d['header_figure']})")
    for text in (d.get("lead"), _part_note(d), d.get("introduction")):
        if text:
            out.append(_md_escape(text))
    if d["participants"]:
        header = "**参加者(敬称略)**" if d["honorifics_omitted"] else "**参加者**"
        out.append("\n".join([header, ""] + [f"- {_md_escape(p['title'])}:{_md_escape(p['name'])}"
                                              for p in d["participants"]]))
    for section in d["sections"]:
        if section["heading"]:
            out.append(f"## {_md_escape(section['heading'])}")
        if section["subheading"]:
            out.append(f"### {_md_escape(section['subheading'])}")
        for block in section["blocks"]:
            if block["type"] == "figure":
                out.append(f"![{block['ref']}]({block['ref']})")
            elif block["speaker"] is None:
                out.append(_md_escape(block["text"]))
            else:
                out.append(f"**{_md_escape(block['speaker'])}** {_md_escape(block['text'])}")
    if d.get("closing"):
        out.append(_md_escape(d["closing"]))
    for c in d["credits"]:
        aff = f"({c['affiliation']})" if c["affiliation"] is not None else ""
        out.append(_md_escape(f"{c['role']}:{c['name']}{aff}"))
    return "\n\n".join(out) + "\n"
