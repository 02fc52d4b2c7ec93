"""Hypothesis building blocks for transcripts: text the parser must keep word for word."""

import datetime

from hypothesis import strategies as st

KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわん"
KANJI = "情報行政区民地域未来会議発展改革推進計画窓口職員組織戦略技術課題共有育成"
SURNAMES = ["高橋", "宮坂", "深井", "小澤", "佐藤", "鈴木", "猪ノ口"]
GIVEN = ["晃", "学", "稔", "洋之", "花子"]
ORGS = [None, "都", "東京都", "町田市", "渋谷区", "大阪府"]
POSTS = ["総務部長", "情報システム担当部長", "副知事", "デジタルサービス局長", "戦略課長", "教育長"]
ROLES = ["CIO", "CDO", "CISO", "CIO補佐"]

sentence = st.builds(
    lambda a, b: a + b + "。", st.text(KANJI, min_size=1, max_size=6), st.text(KANA, min_size=1, max_size=12)
)
paragraphs = st.lists(sentence, min_size=1, max_size=3).map("\n\n".join)
heading = st.text(KANJI, min_size=2, max_size=12)


def era_text(date: datetime.date) -> str:
    for era, start in (
        ("令和", datetime.date(2019, 5, 1)),
        ("平成", datetime.date(1989, 1, 8)),
        ("昭和", datetime.date(1926, 12, 25)),
    ):
        if date >= start:
            year = date.year - start.year + 1
            return f"{era}{'元' if year == 1 else year}年{date.month}月{date.day}日"
    raise AssertionError(date)
