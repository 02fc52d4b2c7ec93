"""The cast: who takes part, gathered from every place a text names them.

A participants block in any of its printed forms (``title:name``, ``role:post name``,
``title name`` with spaces, ``name(affiliation)``, comma lists of ``surname+title``, three
lines per person, profile blocks, ``A × B``), headed or not; the lead sentence
(「…の白鳥副知事に話を聞きました」); the first question (「――川端さんは…」).
"""

from __future__ import annotations

import re
import unicodedata

from .lines import _Line, _norm
from .structure import Participant
from .titles import make_participant
from .words import (
    BLOCK_WORDS,
    EXCLUDED_GROUP_WORDS,
    GROUP_WORDS,
    META_WORDS,
    ROLE_LABELS,
    TITLE_END_RE,
    TITLE_SUFFIXES,
)

CJK = r"\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
KATAKANA = r"\u30a1-\u30fa\u30fc"
#: One name token: kanji (with 々, 﨑 …), or katakana; a given name may be kana.
SURNAME_RE = re.compile(rf"^[{CJK}]{{1,4}}$|^[{KATAKANA}]{{2,10}}$")
GIVEN_RE = re.compile(rf"^[{CJK}\u3040-\u309f{KATAKANA}]{{1,6}}$")
SOLID_NAME_RE = re.compile(rf"^[{CJK}]{{2,6}}$|^[{CJK}]{{1,3}}[{KATAKANA}]{{1,4}}$")
BULLET_RE = re.compile(r"^(?:[○◯⚪︎⚪●•・\-−*＊■◆◇□▪▶►]\ufe0e?\ufe0f?\s*)+")
NUMBERING_RE = re.compile(r"^(?:[0-9]+\s*[.．、)]?\s*|[(][0-9]+[)]\s*|[①-⑳]\s*)")
COUNT_RE = re.compile(r"^[(]?[0-9]+\s*(?:人|名)[)]?$")
PHOTO_NOTE_RE = re.compile(r"^[(](?:写真|画像)?[左右中上下央前後列から0-9一二三、・ ]*[)]$")
READING_RE = re.compile(r"^[\u3040-\u309f\s・]+$")
HEADER_RE = re.compile(
    r"^[【\[<〈《(]?\s*(?P<word>"
    + "|".join(sorted(BLOCK_WORDS + GROUP_WORDS + EXCLUDED_GROUP_WORDS, key=len, reverse=True))
    + r")(?=$|[\s:】\]>〉》)(]|一覧|紹介)\s*(?:一覧|紹介)?\s*[】\]>〉》)]?\s*(?P<honorific>[(]\s*敬称略\s*[)])?\s*[】\]]?\s*:?\s*(?P<rest>.*)$"
)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def strip_marks(text: str) -> str:
    """The line without bullets, list numbering and table bars."""
    text = BULLET_RE.sub("", nfkc(text))
    return text.strip(" |")


def is_person_name(text: str) -> bool:
    """山田 太郎, 山田太郎, 真柴エリ, 汐見 七海: a name, not a title or an organisation."""
    text = text.strip()
    parts = text.split()
    if len(parts) == 2:
        return bool(SURNAME_RE.match(parts[0]) and GIVEN_RE.match(parts[1])) and not _titled(parts[1])
    if len(parts) == 1:
        return bool(SOLID_NAME_RE.match(text)) and not _titled(text)
    return False


def _titled(text: str) -> bool:
    """Ends like a title or an office (課長, 企画課, 推進グループ); 中村 and 木村 are names."""
    return bool(TITLE_END_RE.search(text)) or text.endswith(
        (
            "課",
            "部",
            "局",
            "室",
            "係",
            "班",
            "所",
            "会",
            "省",
            "庁",
            "グループ",
            "チーム",
            "センター",
            "本部",
            "職",
            "学",
            "院",
            "社",
            "団",
            "協会",
            "機構",
            "法人",
            "大学",
            "事務所",
        )
    )


def _org_like(text: str) -> bool:
    """あおば町, 北浜市: an organisation token before a name and a title."""
    return _titled(text) or (len(text) >= 2 and text.endswith(("市", "町", "村", "区", "県", "都", "府")))


def split_surname_title(text: str) -> tuple[str, str] | None:
    """樋渡区長 → (樋渡, 区長); 神保副参事(行革・特命担当) → (神保, 副参事(行革・特命担当)).

    The title is what ends in a known title word; the surname is what comes before the
    post (two characters when the rest runs on, as in 南雲政策経営部長)."""
    text = text.strip()
    if re.search(r"\s", text):
        return None
    core = re.sub(r"[(][^()]*[)]$", "", text)
    suffix = TITLE_END_RE.search(core)
    run = re.match(rf"^[{CJK}]+", text)
    if not suffix or not run:
        return None
    if run.end() >= suffix.start():  # kanji up to the title word
        rest = core[: suffix.start()]
        if not rest:
            return None
        surname = rest if len(rest) <= 3 else rest[:2]
    else:  # 萩原シティプロモーション課長: the surname is the kanji before the katakana
        surname = run.group() if len(run.group()) <= 3 else run.group()[:2]
    if surname == text or (len(surname) == 1 and suffix.group() in ("委員", "担当")):
        return None
    return surname, text[len(surname) :]


def _title_name_spaced(text: str) -> tuple[str, str] | None:
    """委員長 樫村 修 / A町 山田太郎 町長 / 水城野市長 高階正人: title and name split by spaces."""
    tokens = text.split()
    if len(tokens) < 2:
        return None
    for cut in (1, 2):  # title tokens first, then a name of one or two tokens
        title, name = " ".join(tokens[:cut]), " ".join(tokens[cut:])
        if (
            (_titled(tokens[cut - 1]) or (cut == 1 and _org_like(tokens[0])))
            and is_person_name(name)
            and len(tokens) - cut <= 2
        ):
            return name, title
    if len(tokens) in (3, 4) and _titled(tokens[-1]) and _org_like(tokens[0]):  # A町 山田太郎 町長
        name = " ".join(tokens[1:-1])
        if is_person_name(name):
            return name, f"{tokens[0]} {tokens[-1]}"
    return None


def _trailing_name(text: str) -> tuple[str, str] | None:
    """フリーアナウンサー 汐見 七海: whatever title, then a name of one or two tokens."""
    tokens = text.split()
    for size in (2, 1):
        if len(tokens) > size and is_person_name(" ".join(tokens[-size:])):
            return " ".join(tokens[-size:]), " ".join(tokens[:-size])
    return None


def _council_name(text: str) -> tuple[str, str] | None:
    """委員長山田 太郎君: the title runs into the name, which ends with 君."""
    match = re.match(r"^(?P<body>.+?)君$", text)
    if not match:
        return None
    body = match["body"]
    for suffix in sorted(TITLE_SUFFIXES, key=len, reverse=True):
        if body.startswith(suffix) and is_person_name(body[len(suffix) :]):
            return body[len(suffix) :], suffix
    paren = re.match(r"^(?P<title>[^()]+)[(](?P<name>[^()]+)$", body)
    if paren and is_person_name(paren["name"]):
        return paren["name"], paren["title"]
    return None


def _name_paren(text: str) -> tuple[str, str, bool] | None:
    """大槻誠(法律事務所代表弁護士)【主査】※代理出席, 岩佐 拓海(いわさ たくみ)さん, 野々村(座長) 大学教授.

    Returns (name, title, reading): reading is True when the brackets held the reading."""
    match = re.match(r"^(?P<name>[^()【】\[\]]+?)\s?[(](?P<inner>[^()]+)[)](?P<san>さん|氏)?\s*(?P<rest>.*)$", text)
    if not match or not is_person_name(match["name"]):
        return None
    inner, rest = match["inner"].strip(), match["rest"].strip()
    if READING_RE.match(inner):
        return match["name"], rest, True
    if rest and not re.match(r"^(?:【[^】]*】|※\S*|\s)*$", rest):
        return match["name"], f"{inner} {rest}" if inner in ROLE_LABELS or TITLE_END_RE.search(inner) else None, False
    title = inner + "".join(f" {r}" if r.startswith("※") else r for r in re.findall(r"【[^】]*】|※\S*", rest))
    return match["name"], title, False


def parse_entry(text: str, group: str = "") -> list[tuple[str, str]] | None:
    """Read one line of a participants block into (name, title) pairs, or None."""
    text = strip_marks(text)
    text = re.sub(r"\s*[(][0-9]+\s*(?:人|名)[)]$", "", text)
    if not text:
        return None
    if "×" in text:
        sides = [
            _title_name_spaced(s.strip()) or _title_colon(s.strip()) or _trailing_name(s.strip())
            for s in text.split("×")
        ]
        return [p for p in sides if p] if all(sides) else None
    groups = re.split(r"\s+(?=[^\s:、]{1,8}:)", text)  # 委員:… 事務局:… in one cell
    if len(groups) > 1 and all(re.match(r"^[^\s:、]{1,8}:", g) for g in groups[1:]):
        found = []
        for chunk in groups:
            head, _sep, body = chunk.partition(":") if ":" in chunk else (group, "", chunk)
            entries = _comma_list(body, head) if "、" in body or "," in body else parse_entry(body, head)
            if not entries:
                return None
            found += entries
        return found
    colon = _title_colon(text)
    if colon:
        return [colon]
    if "、" in text or "," in text:
        return _comma_list(text, group)
    for reader in (_council_name, _title_name_spaced):
        found = reader(text)
        if found:
            return [found]
    paren = _name_paren(text)
    if paren and paren[1] is not None and not paren[2]:
        return [(paren[0], paren[1])]
    split = split_surname_title(text)
    if split:
        return [split]
    tokens = text.split()
    if group and is_person_name(text):
        return [(text, group)]
    if group and len(tokens) >= 2:
        names = []
        for tok in tokens:
            if tok in EXCLUDED_GROUP_WORDS or tok in META_WORDS:
                break
            if not is_person_name(tok):
                return None
            names.append((tok, group))
        return names if len(names) >= 2 else None
    if len(tokens) >= 3 and tokens[0] in GROUP_WORDS:  # 委員 南勉 柏木千尋 … 傍聴者 1名
        names = []
        for tok in tokens[1:]:
            if tok in EXCLUDED_GROUP_WORDS or tok in META_WORDS:
                break
            if not is_person_name(tok):
                return None
            names.append((tok, tokens[0]))
        return names if len(names) >= 2 else None
    return None


def _title_colon(text: str) -> tuple[str, str] | None:
    """title:name, and role:post name (X市CIO:X市副市長 山田 花子: both kept, the name after the last title)."""
    parts = [p.strip() for p in text.split(":")]
    if len(parts) < 2 or not all(parts) or len(parts) > 3:
        return None
    title, name = ":".join(parts[:-1]), parts[-1]
    if re.search(r"[()「」。、]", name):
        return None
    if is_person_name(name) and len(name) <= 12:
        return name, title
    tokens = name.split()
    for cut in range(1, len(tokens)):
        rest = " ".join(tokens[cut:])
        if _titled(tokens[cut - 1]) and is_person_name(rest):
            return rest, f"{title}:{' '.join(tokens[:cut])}"
    if (
        len(name) <= 12
        and not re.search(r"[\u3040-\u309f]", name)
        and len(parts) == 2
        and re.search(r"\s", name)
        and not any(w == title for w in META_WORDS)
    ):
        return name, title
    return None


def _comma_list(text: str, group: str) -> list[tuple[str, str]] | None:
    """山田会長、佐藤委員、… and …知事、…メンバーのうち3名(A、B、C)."""
    text = text.strip()
    inner = re.search(r"のうち[0-9一二三四五六七八九十]+名[(](?P<names>[^()]+)[)]", text)
    found: list[tuple[str, str]] = []
    if inner:
        head = text[: inner.start()]
        found += [
            (n.strip(), group or head.split("、")[-1])
            for n in re.split(r"[、,]", inner["names"])
            if is_person_name(n.strip())
        ]
        text = "、".join(head.split("、")[:-1])
    for item in (i.strip() for i in re.split(r"[、,]", text)):
        if not item:
            continue
        split = split_surname_title(item) or _title_name_spaced(item)
        if split:
            found.append(split)
        elif is_person_name(item):
            found.append((item, group))
        else:
            return None
    return found or None


def header_match(text: str):
    """The block or group header a line is (参加者, 【参加者(敬称略)】, ■委員, 3.出席者 …), or None."""
    normal = NUMBERING_RE.sub("", strip_marks(text)).strip(" |")
    match = HEADER_RE.match(normal)
    if not match:
        return None
    return match


def is_meta_header(text: str) -> bool:
    normal = NUMBERING_RE.sub("", strip_marks(text)).strip(" |")
    normal = re.sub(r"\s*[:].*$", "", normal)
    return normal in META_WORDS


class BlockReader:
    """Read a participants block from ``lines[start]`` (its header, if it has one)."""

    def __init__(self, lines: list[_Line], known: tuple[str, ...] = ()):
        self.lines = lines
        self.known = known
        self.people: list[Participant] = []
        self.unused: list[_Line] = []  # bios and notes inside the block: kept as introduction
        self.honorifics = False
        self.style: str | None = None
        self.end = 0

    def add(self, name: str, title: str, group: str = "") -> None:
        title = (title or group or "").strip()
        key = _norm(name)
        for p in self.people:
            if _norm(p.name) == key:
                if not p.title and title:
                    self.people[self.people.index(p)] = make_participant(title, p.name, known=self.known)
                return
        self.people.append(make_participant(title, name, known=self.known))

    def read(self, start: int, headed: bool) -> int:
        """Return the index of the first line after the block."""
        lines, i, group, excluded = self.lines, start, "", False
        pending: list[str] = []
        bio_open = False
        if headed:
            match = header_match(lines[start].text)
            self.honorifics = bool(match["honorific"]) or "敬称略" in lines[start].text
            word = match["word"]
            excluded = word in EXCLUDED_GROUP_WORDS
            group = word if word in GROUP_WORDS else ""
            rest = match["rest"].strip()
            if rest and not excluded:
                entries = parse_entry(rest, group)
                for name, title in entries or ():
                    self.add(name, title, group)
            i += 1
        while i < len(lines):
            ln = lines[i]
            text = strip_marks(ln.text)
            plain = nfkc(ln.text)
            if not text:
                i += 1
                continue
            if self.style == "colon" and ln.gap:  # title:name blocks end at a blank line
                break
            if COUNT_RE.match(text) or PHOTO_NOTE_RE.match(text) or plain.startswith("※") or text in ("無し", "なし"):
                if plain.startswith("※") and self.style == "colon":
                    self.unused.append(ln)
                i += 1
                continue
            match = header_match(ln.text)
            if (
                match
                and match["rest"]
                and match["word"] in GROUP_WORDS
                and self.style != "colon"
                and _title_name_spaced(text)
            ):
                match = None  # 委員 三好 仁: a member, not the header of a group
            if (
                match
                and (match["rest"] == "" or match["word"] in GROUP_WORDS + EXCLUDED_GROUP_WORDS + BLOCK_WORDS)
                and self.style != "colon"
            ):
                word = match["word"]
                excluded = word in EXCLUDED_GROUP_WORDS
                group = word if word in GROUP_WORDS else ("" if word in BLOCK_WORDS else group)
                self.honorifics = self.honorifics or bool(match["honorific"])
                bio_open = False
                rest = match["rest"].strip()
                if rest:
                    entries = parse_entry(rest, group)
                    if entries is None and not excluded:
                        break
                    if not excluded:
                        for name, title in entries:
                            self.add(name, title, group)
                i += 1
                continue
            if is_meta_header(ln.text):
                break
            if (
                bio_open
                and not ln.gap
                and (
                    plain.endswith("。")
                    or len(plain) > 40
                    or re.match(r"^[^:]{1,12}:", plain)
                    or re.search(r"入庁|入社|入省|年生まれ|出身|[0-9]+歳|卒業|修了", plain)
                )
            ):
                self.unused.append(ln)
                i += 1
                continue
            entries = parse_entry(ln.text, group)
            if entries and (self.style in (None, "colon") or ":" not in text or self.style == "mixed"):
                style = "colon" if ":" in text and len(entries) == 1 and "、" not in text else "mixed"
                if self.style == "colon" and style != "colon":
                    break
                self.style = self.style or style
                if not excluded:
                    for name, title in entries:
                        self.add(name, (" ".join(pending) + " " + title).strip() if pending else title, group)
                pending, bio_open = [], self.style == "mixed"
                i += 1
                continue
            if self.style == "colon":
                break
            name = self._name_line(text)
            if name is not None:
                title = " ".join(pending + ([name[1]] if name[1] else []))
                if not excluded:
                    self.add(name[0], title, group)
                pending, bio_open = [], True
                self.style = "mixed"
                i += 1
                continue
            if self.people and re.match(r"^\[[^\]]+\]$", text):  # [職種・年齢]
                last = self.people[-1]
                self.people[-1] = make_participant(f"{last.title} {text}".strip(), last.name, known=self.known)
                i += 1
                continue
            if self._title_line(i):
                pending.append(text)
                i += 1
                continue
            break
        return i

    def _name_line(self, text: str) -> tuple[str, str] | None:
        """A line that is only a name (三輪 遥香), or a name with reading or affiliation (三雲(CivicLab東海原))."""
        bare = re.sub(r"(さん|氏)$", "", text)
        if len(bare.split()) == 2 and is_person_name(bare):
            return bare, ""
        paren = _name_paren(text)
        if paren:
            return paren[0], paren[1] or ""
        return None

    def _title_line(self, i: int) -> bool:
        """A short line of title words with a name line within the next two lines."""
        text = strip_marks(self.lines[i].text)
        if len(text) > 45 or re.search(r"[。?!:]", text) or text.endswith(("?", "?")):
            return False
        for ahead in self.lines[i + 1 : i + 3]:
            if self._name_line(strip_marks(ahead.text)) is not None:
                return True
            if not self._title_like(strip_marks(ahead.text)):
                return False
        return False

    @staticmethod
    def _title_like(text: str) -> bool:
        return len(text) <= 45 and not re.search(r"[。?!:]", text)


def find_block_header(lines: list[_Line]) -> int | None:
    """The first line that heads a participants block (参加者, 【出席者】, ■委員, 今回のメンバー …)."""
    for i, ln in enumerate(lines):
        match = header_match(ln.text)
        if not match:
            continue
        word = match["word"]
        if word in BLOCK_WORDS:
            return i
        if (
            word in GROUP_WORDS
            and i + 1 < len(lines)
            and (parse_entry(lines[i + 1].text, word) or header_match(lines[i + 1].text))
        ):
            if re.match(r"^[【\[]", nfkc(ln.text)) and not parse_entry(lines[i + 1].text, word):
                continue
            return i
    return None


MAX_NAMES_LINE = 80


def find_headerless_block(lines: list[_Line], stop: int, known: tuple[str, ...]) -> tuple[int, int] | None:
    """Participants printed without a header before the body: the first line that reads as
    people (``A × B``, ``name(affiliation)`` and a bio, org / title / name lines, ``…さん …さん``)."""
    for i in range(min(stop, len(lines))):
        text = strip_marks(lines[i].text)
        nxt = nfkc(lines[i + 1].text) if i + 1 < len(lines) else ""
        starts = False
        if "×" in text and parse_entry(text):
            starts = True
        # A line of names is short; on a long answer line with さん in it, this pattern backtracks
        # for minutes (a 300-character answer after the first turn stalled the import).
        elif (
            len(text) <= MAX_NAMES_LINE
            and re.fullmatch(r"(?:\S+\s?\S+(?:さん|氏)\s*){2,}", text)
            and all(is_person_name(n) for n in re.findall(r"(\S+?\s?\S+?)(?:さん|氏)", text))
        ):
            starts = True
        else:
            paren = _name_paren(text)
            if paren and (nxt.endswith("。") or len(nxt) > 40):
                starts = True
            elif lines[i].gap and BlockReader(lines, known)._title_line(i) and _three_line_person(lines, i):
                starts = True
        if starts:
            return i, stop
    return None


def _three_line_person(lines: list[_Line], i: int) -> bool:
    """org / title / name (or title / name) as one paragraph of its own."""
    group = [lines[i]]
    for ln in lines[i + 1 : i + 3]:
        if ln.gap:
            break
        group.append(ln)
    last = strip_marks(group[-1].text)
    after_gap = i + len(group) >= len(lines) or lines[i + len(group)].gap
    return len(group) >= 2 and len(last.split()) == 2 and is_person_name(last) and after_gap


def read_headerless(lines: list[_Line], start: int, known: tuple[str, ...]) -> BlockReader:
    """Read ``さん`` lists, ``A × B`` lines, profile headers with bios and org / title / name groups."""
    reader = BlockReader(lines, known)
    i = start
    while i < len(lines):
        text = strip_marks(lines[i].text)
        names = re.findall(r"(\S+?\s?\S+?)(?:さん|氏)(?=\s|$)", text)
        if re.fullmatch(r"(?:\S+\s?\S+(?:さん|氏)\s*){2,}", text) and names and all(is_person_name(n) for n in names):
            for name in names:
                reader.add(name, "")
            i += 1
            reader.end = i
            continue
        end = reader.read(i, headed=False)
        if end == i:
            break
        reader.end = i = end
    return reader


LEAD_PERSON_RE = re.compile(
    rf"(?P<name>[{CJK}]{{1,4}}(?:[ \u3000]?[{CJK}\u3040-\u309f]{{1,4}})??)(?P<title>(?:{'|'.join(TITLE_SUFFIXES)})"
    r"|さん|氏)?(?:に|へ)、?(?:直接)?(?:お)?(?:話を|お話を)?(?:聞|伺|うかが|たずね|尋ね|インタビュー)"
)
QUESTION_NAME_RE = re.compile(rf"^[―ー\-−—─]+\s*(?P<name>[{CJK}]{{1,4}})(?:さん|氏)(?:は|に|、|の|が)")


def interviewee_from_text(lead: str, questions: list[str]) -> tuple[str, str] | None:
    """The one person the piece puts the questions to: 「…白鳥副知事に直接たずねて」, 「――川端さんは…」."""
    for match in LEAD_PERSON_RE.finditer(lead.replace("\n", "")):
        name = match["name"]
        if not match["title"]:
            continue
        title = match["title"] if match["title"] not in ("さん", "氏") else ""
        # 「チームを率いる白鳥副知事」: the name is the last run of kanji before the title.
        name = re.findall(rf"[{CJK}]+", name)[-1] if re.findall(rf"[{CJK}]+", name) else name
        if title and len(name) > 3:
            name = name[-2:]
        return name, title
    for text in questions[:1]:
        match = QUESTION_NAME_RE.match(nfkc(text))
        if match:
            return match["name"], ""
    return None


ALIAS_RE = re.compile(
    rf"(?P<name>[{CJK}]{{1,4}}[ \u3000]?[{CJK}\u3040-\u309f{KATAKANA}]{{0,4}}?)"
    rf"(?P<title>{'|'.join(sorted(TITLE_SUFFIXES, key=len, reverse=True))}|さん|氏)?\s*"
    r"[(（]以下\s*[、,]?\s*[「『](?P<label>[^」』]{1,12})[」』]\s*[)）]"
)
LEAD_LIST_RE = re.compile(
    r"(?P<people>[^。]*?)(?:の[両二三各]?(?:氏|名|人))?(?:に|へ)、?(?:お)?(?:話を|お話を)?(?:聞|伺|うかが|インタビュー)"
)


def lead_cast(lead: str) -> list[tuple[str, str, str | None]]:
    """People the lead names: 「山田太郎市長(以下「市長」)」 aliases and 「…の山田一郎、…の佐藤花子に話を聞きました」.

    Returns (name, title, label or None)."""
    text = nfkc(lead).replace("\n", "")
    found: list[tuple[str, str, str | None]] = []
    for match in ALIAS_RE.finditer(text):
        name = match["name"]
        title = match["title"] if match["title"] not in (None, "さん", "氏") else ""
        runs = re.findall(rf"[{CJK}]+", name)
        if title and runs and len(runs[-1]) > 3 and " " not in name:
            name = runs[-1][-2:]
        found.append((name.strip(), title, match["label"]))
    if found:
        return found
    for match in LEAD_LIST_RE.finditer(text):
        sentence = re.split(r"[。!?]", match["people"])[-1]
        for item in re.split(r"[、と]", sentence):
            item = item.strip()
            tail = re.split(r"の|で働く|を務める|を率いる|する", item)[-1].strip()
            tail = re.sub(r"(?:さん|氏)$", "", tail)
            person = is_person_name(tail)
            if person:
                found.append((tail, "", None))
                continue
            split = split_surname_title(tail)
            if split and len(split[0]) >= 2:
                found.append((split[0], split[1], None))
        if found:
            return found
    return found
