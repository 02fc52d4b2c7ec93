"""How a part is named within its roundtable (前半/後半, 第k回) and the note that says so.

No Django here, so the Django-free transcript renderer can use it. The public page
(articles.series) words its note the same way, translated through gettext;
tests/test_part_names.py keeps the two in step.
"""


def part_name(number: int, total: int) -> str:
    """前半/後半 in a two-part roundtable, 第k回 otherwise."""
    if total == 2:
        return "前半" if number == 1 else "後半"
    return f"第{number}回"


def part_note_text(number: int, total: int) -> str:
    """※この記事は全2回の後半です。 / ※この記事は全3回の第1回です。"""
    return f"※この記事は全{total}回の{part_name(number, total)}です。"


def link_text(number: int, total: int) -> str:
    """The words of a link to another part: 前半はこちら."""
    return f"{part_name(number, total)}はこちら"
