"""Japanese era (和暦) dates: 令和3年10月15日 beside 2021年10月15日."""
import datetime

# (first day of the era, name), newest first.
ERAS = (
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
    (datetime.date(1912, 7, 30), "大正"),
    (datetime.date(1868, 10, 23), "明治"),
)


def japanese_era(date):
    """Return (era name, year in the era) for a date, or None before 明治."""
    for start, name in ERAS:
        if date >= start:
            return name, date.year - start.year + 1
    return None


def format_japanese_date(date):
    """令和3年10月15日; the first year of an era is written 元年 (令和元年5月1日)."""
    era = japanese_era(date)
    if era is None:
        return format_western_date(date)
    name, year = era
    year_text = "元" if year == 1 else str(year)
    return f"{name}{year_text}年{date.month}月{date.day}日"


def format_western_date(date):
    return f"{date.year}年{date.month}月{date.day}日"
