"""Participants and credits: 町田市総務部長兼…(CIO補佐、CDO) split into organisation,
posts and roles; the participants block; the credit lines at the end."""

from __future__ import annotations

import re
from collections import Counter

from .i18n import _
from .lines import _Line, _norm
from .patterns import (
    CREDIT_RE,
    FULL_LABEL_RE,
    NARRATION_RE,
    NOT_ORG_PREFIXES,
    ORG_NAME_CHAR_RE,
    ORG_SHORT_FORMS,
    ORG_SUFFIX_RANK,
    PARTICIPANT_LINE_RE,
    PARTICIPANTS_HEADER_RE,
    ROLE_SPLIT_RE,
)
from .structure import Credit, ParseWarning, Participant, Transcript


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
        if all(ORG_NAME_CHAR_RE.match(char) for char in title[: end - 1]):
            candidates.append((ORG_SUFFIX_RANK[suffix], end))
    if candidates:
        return title[: min(candidates)[1]]
    return title[0] if title[:1] in ORG_SHORT_FORMS and len(title) > 1 else None


def split_title(title: str, known: tuple[str, ...] = ()) -> tuple[str | None, list[str], list[str]]:
    """Split 町田市総務部長兼情報システム担当部長(CIO補佐、CDO) into org, posts, roles."""
    rest, roles = title.strip(), []
    match = re.search(r"[(（](?P<roles>[^()（）]*)[)）]$", rest)
    if match:
        roles = [r.strip() for r in ROLE_SPLIT_RE.split(match["roles"]) if r.strip()]
        rest = rest[: match.start()].strip()
    organisation = find_organisation_prefix(rest, known)
    if organisation:
        after = rest[len(organisation) :]
        # 渋谷区長 / 町田市長: the suffix belongs to the post as well (but 都知事 stays).
        rest = (organisation[-1] if after.startswith("長") and len(organisation) > 1 else "") + after
    posts = [p.strip() for p in rest.split("兼") if p.strip()]
    return organisation, posts, roles


def make_participant(title: str, name: str, label: str | None = None, known: tuple[str, ...] = ()) -> Participant:
    organisation, posts, roles = split_title(title, known)
    name = name.strip()
    return Participant(
        name=name,
        title=title.strip(),
        organisation=organisation,
        posts=posts,
        roles=roles,
        label=label or (name.split() or [name])[0],
    )


def _parse_credit(text: str) -> Credit | None:
    match = CREDIT_RE.match(text)
    if not match:
        return None
    aff = match["aff"].strip() if match["aff"] is not None else None
    return Credit(role=match["role"], name=match["name"].strip(), affiliation=aff)


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
    if any(
        PARTICIPANTS_HEADER_RE.match(ln.text) or FULL_LABEL_RE.match(ln.text) or NARRATION_RE.match(ln.text)
        for ln in tail
    ):
        return kept  # the credits were not at the end of the article
    t.warnings += [
        ParseWarning(
            ln.number,
            _("クレジットの後の「%(text)s」は本文ではないとみなして読み飛ばしました。") % {"text": ln.text[:20]},
        )
        for ln in tail
    ]
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
