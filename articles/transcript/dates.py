"""The event date: 令和3年10月15日, 2021年10月15日 or 2021/10/15, checked against the era table."""

from __future__ import annotations

import datetime
import re

from forum.conventions import ERAS  # the project's era table; forum.conventions imports no Django

from .i18n import _
from .lines import parse_number

NUMBER = r"[0-9０-９〇零一二三四五六七八九十]+"
_ERA_NAMES = "|".join(name for _start, name in ERAS)
ERA_DATE_RE = re.compile(
    rf"(?P<era>{_ERA_NAMES})\s*(?P<y>元|{NUMBER})\s*年\s*(?P<m>{NUMBER})\s*月\s*(?P<d>{NUMBER})\s*日"
)
WESTERN_DATE_RE = re.compile(rf"(?P<y>[0-9０-９]{{4}})\s*年\s*(?P<m>{NUMBER})\s*月\s*(?P<d>{NUMBER})\s*日")
SLASH_DATE_RE = re.compile(r"(?<![0-9])(?P<y>[0-9]{4})[/／.](?P<m>[0-9]{1,2})[/／.](?P<d>[0-9]{1,2})(?![0-9])")


def era_span(name: str) -> tuple[datetime.date, datetime.date | None]:
    """The first day of era ``name`` and the first day of the next era (None for the current one)."""
    for index, (start, era_name) in enumerate(ERAS):  # newest first
        if era_name == name:
            return start, ERAS[index - 1][0] if index else None
    raise KeyError(name)


def _era_date(match: re.Match, year: int, month: int, day: int) -> tuple[datetime.date | None, str | None]:
    era = match["era"]
    start, next_start = era_span(era)
    try:
        date = datetime.date(start.year + year - 1, month, day)
    except ValueError:
        date = None
    if date is None or date < start:
        return None, _("日付「%(date)s」は存在しない日付です。") % {"date": match.group()}
    if next_start is not None and date >= next_start:
        last_day = next_start - datetime.timedelta(days=1)
        return None, (
            _("日付「%(date)s」は存在しない日付です(%(era)sは%(last)d年%(month)d月%(day)d日まで)。")
            % {"date": match.group(), "era": era, "last": last_day.year, "month": last_day.month, "day": last_day.day}
        )
    return date, None


def find_date(text: str) -> tuple[datetime.date | None, str | None]:
    """Find the first event date; return (date, problem) where problem names a bad date."""
    candidates = [m for regex in (ERA_DATE_RE, WESTERN_DATE_RE, SLASH_DATE_RE) for m in regex.finditer(text)]
    if not candidates:
        return None, None
    match = min(candidates, key=lambda m: m.start())
    y, mo, d = (parse_number(match[k]) for k in ("y", "m", "d"))
    if None in (y, mo, d):
        return None, _("日付「%(date)s」を読み取れません。") % {"date": match.group()}
    if match.groupdict().get("era"):
        return _era_date(match, y, mo, d)
    try:
        return datetime.date(y, mo, d), None
    except ValueError:
        return None, _("日付「%(date)s」は存在しない日付です。") % {"date": match.group()}
