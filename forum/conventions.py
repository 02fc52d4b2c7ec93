"""The conventions of a printed Japanese roundtable article, each written once.

Used alike by the public page and its templates, the feeds, the exports, the admin and the
Django-free transcript renderer, so this module imports no Django (and no project module).
The text is the article's own Japanese, not interface wording, so it is not translated:
an exported transcript must read back the same whatever language the admin speaks.

- the site's name (SITE_NAME);
- dates: 令和3年10月15日 (format_japanese_date, 元年 for an era's first year) beside
  2021年10月15日 (format_western_date), together as dual_date;
- a roundtable's title: 第4回座談会「町田市×都CIO座談会」 and its shorter forms (roundtable_title);
- where a part stands: 前半/後半 or 第k回 (part_name), ※この記事は全2回の後半です。 (part_note_text),
  前半はこちら (link_text), 前半はまだ掲載されていません。 (not_online_text);
- a participant's printed title: organisation + posts joined by 兼 + (roles joined by 、)
  (compose_title);
- a speaker's first label in a part: title:name(以下「label」) (first_label, hereafter);
- the reading order of a section: turns and figures share one sequence of positions, and on
  a tie the turn comes first (reading_order).
"""

import datetime

SITE_NAME = "座談会アーカイブ"

# (first day of the era, name), newest first.
ERAS = (
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
    (datetime.date(1912, 7, 30), "大正"),
    (datetime.date(1868, 10, 23), "明治"),
)

POST_JOINER = "兼"
ROLE_SEPARATOR = "、"
LABEL_SEPARATOR = ":"


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


def dual_date(date, mark=str):
    """令和3年10月15日(2021年10月15日). `mark` wraps the era date (the page puts it in <time>)."""
    return f"{mark(format_japanese_date(date))}({format_western_date(date)})"


def roundtable_title(number, title="", format_name="", quoted=True):
    """第4回座談会「町田市×都CIO座談会」; without the format 第4回「…」; quoted=False gives
    第4回 町田市×都CIO座談会; without a title 第4回座談会 or 第4回.

    number None: a roundtable whose number is not printed (an interview or 対談 may leave
    it out): インタビュー「…」, 「…」 without the format, the bare title with quoted=False,
    インタビュー or "" without a title. No 第N回 anywhere."""
    numbered = f"第{number}回{format_name}" if number is not None else format_name
    if not title:
        return numbered
    if not numbered:
        return f"「{title}」" if quoted else title
    return f"{numbered}「{title}」" if quoted else f"{numbered} {title}"


def part_name(number, total):
    """前半/後半 in a two-part roundtable, 第k回 otherwise."""
    if total == 2:
        return "前半" if number == 1 else "後半"
    return f"第{number}回"


def part_note_text(number, total):
    """※この記事は全2回の後半です。 / 全3回の第1回 …; with only the total 全3回です,
    with only the number 第2回です."""
    if total is None:
        return f"※この記事は第{number}回です。"
    if not number:
        return f"※この記事は全{total}回です。"
    return f"※この記事は全{total}回の{part_name(number, total)}です。"


def link_text(number, total):
    """The words of a link to another part: 前半はこちら."""
    return f"{part_name(number, total)}はこちら"


def not_online_text(numbers, total):
    """What a part note says of the parts not (yet) on the site: 前半はまだ掲載されていません。
    / 第1回・第3回はまだ掲載されていません。 (empty when every part is online)."""
    if not numbers:
        return ""
    return "・".join(part_name(number, total) for number in numbers) + "はまだ掲載されていません。"


def compose_title(organisation, posts, roles):
    """A printed title: organisation + posts joined by 兼 + (roles joined by 、), e.g.
    町田市総務部長兼情報システム担当部長(CIO補佐、CDO、CISO補佐). The pieces are joined as
    given, so a caller may pass them already escaped for HTML."""
    title = (organisation or "") + POST_JOINER.join(posts or [])
    if roles:
        title += "(" + ROLE_SEPARATOR.join(roles) + ")"
    return title


def hereafter(label):
    """(以下「label」): how a first label introduces the short label used after it."""
    return f"(以下「{label}」)"


def first_label(title, name, label):
    """A speaker's first label in a part: 東京都デジタルサービス局戦略部長:深井(以下「深井」);
    without a title, 深井(以下「深井」)."""
    return f"{title}{LABEL_SEPARATOR}{name}{hereafter(label)}" if title else f"{name}{hereafter(label)}"


def reading_order(turns, figures, key=lambda item: (item.position, item.pk)):
    """A section's turns and figures as printed: [(is_figure, item)], by position, a turn
    before a figure at the same position, then by id. `key` gives (position, id) of an item."""

    def order(pair):
        is_figure, item = pair
        position, identity = key(item)
        return position, is_figure, identity

    return sorted([(False, turn) for turn in turns] + [(True, figure) for figure in figures], key=order)
