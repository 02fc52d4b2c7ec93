"""The regular expressions and word lists that recognise the parts of a transcript."""

import re

COLON = r"\s*[:：]\s*"
CREDIT_ROLES = ("執筆者", "編集", "撮影", "文", "構成", "取材", "写真")
_ROLE_ALT = "|".join(CREDIT_ROLES)
CREDIT_RE = re.compile(
    rf"^(?P<role>(?:{_ROLE_ALT})(?:[・/／](?:{_ROLE_ALT}))*)(?:{COLON}|\s*[/／]\s*)"
    r"(?P<name>[^:：()（）。]{1,30}?)\s*(?:[(（](?P<aff>[^()（）]*)[)）])?$"
)
PARTICIPANTS_HEADER_RE = re.compile(r"^[【\[［]?(?:参加者|出席者)[】\]］]?\s*(?:[(（][^)）]*[)）])?\s*[:：]?$")
PARTICIPANT_LINE_RE = re.compile(rf"^(?P<title>[^:：※]+?){COLON}(?P<name>[^:：()（）「」。]{{1,30}})$")
FULL_LABEL_RE = re.compile(
    rf"^(?P<title>[^:：]+?){COLON}(?P<name>[^:：()（）「」]+?)\s*"
    r"[(（]以下\s*[「『](?P<label>[^」』]+)[」』]\s*[)）]$"
)
INLINE_COLON_RE = re.compile(rf"^(?P<label>[^:：\s「」()（）※]{{1,12}}){COLON}(?P<text>\S.*)$")
INLINE_QUOTE_RE = re.compile(r"^(?P<label>[^:：\s「」()（）※]{1,12})「(?P<text>.*)」$")
NARRATION_RE = re.compile(r"^(?:[―—─ー]{1,3}\s?\S|[-−]\s?(?=\S)|Q\s*[.．:：]\s*\S|Q\s+(?=[^記\s]))")
FIGURE_RE = re.compile(r"^[\[［【]?\s*(?P<kind>画像|図|写真)\s*(?P<num>[0-9０-９]+)\s*[\]］】]?$")
HEADER_FIGURE = "見出し画像"
PART_NOTE_RE = re.compile(r"^※?\s*この(?:記事|連載)は.*(?:全\s*\S+?回|前半|後半|前編|後編|第\s*\S+?回)")
TITLE_PART_RE = re.compile(r"(?:part|パート)\s*([0-9０-９]+)\s*$|[(（]?(前|後)(?:編|半)[)）]?$", re.IGNORECASE)
AGENDA_ITEM_RE = re.compile(r"^(?:[0-9０-９]+[.．、)）]?\s|[0-9０-９]+[.．、)）]|[①-⑳])")
TERMINAL_CHARS = "。．.!！?？)）」』…〜~♪ｗ笑"
CLOSING_RE = re.compile(r"(次回|お楽しみに|^[(（](?:了|終|おわり)[)）]$|^おわり$)")
# The end mark alone, (了) / (終) / おわり: the closing, never an answer to the question before it.
END_MARK_RE = re.compile(r"^[(（](?:了|終|おわり)[)）]$|^おわり$")
FURNITURE_RE = re.compile(
    r"^(?:この記事が気に入ったら.*|\d*\s*スキ\s*\d*|スキ[!！]?|\d+|"
    r"(?:Facebook|Twitter|X|LINE|はてな)?\s*で?\s*シェア(?:する)?|ツイート|"
    r"フォロー(?:する|中)?|いいね[!！]?|記事をシェア.*|.{0,10}をフォロー(?:する)?)$"
)
# Organisation names: up to 5 characters and a suffix; 都/道 alone are short forms.  The
# suffix ranks break ties between candidates of one title: 武蔵村山市 (市) beats 武蔵村 (村).
ORG_SUFFIX_RANK = {"都": 0, "道": 0, "府": 0, "県": 0, "市": 1, "区": 2, "町": 3, "村": 4}
ORG_NAME_CHAR_RE = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff\u3041-\u3093ヶ々の]")  # みどり町 too
ORG_SHORT_FORMS = ("都", "道")
NOT_ORG_PREFIXES = ("都市", "道路", "副")  # 都市整備局長, 道路課長, 副市長
ROLE_SPLIT_RE = re.compile(r"[、・/／,，]")
KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

#: 午後1時30分 開議, (午後2時30分 開会), 午後3時 休憩: the clock of minutes, not speech.
TIME_LINE_RE = re.compile(
    r"^[(（]?\s*(?:午前|午後)?\s*[0-9０-９]{1,2}\s*時\s*(?:[0-9０-９]{1,2}\s*分)?\s*"
    r"(?:開会|開議|休憩|再開|散会|閉会|延会|開始|終了)\s*[)）]?$"
)
#: (「異議なし」と呼ぶ者あり), (拍手): what the record notes about the room.
STAGE_RE = re.compile(
    r"^[(（][「『]?[^()（）]{0,30}[」』]?\s*(?:と呼ぶ者あり|との声あり|と言う者あり|拍手|笑い|傍聴)[^()（）]*[)）]$"
)
PAGE_COUNTER_RE = re.compile(r"^[0-9]{1,3}\s*/\s*[0-9]{1,3}$")
BREADCRUMB_RE = re.compile(
    r"(?:^ホーム\s*(?:>|の中の|›|»))|(?:\s>\s.*\s>\s)|(?:\s+の中の\s+)|^現在地|^メニューをスキップ|^スタイルシート"
)
#: Strong heading marks: ■ ◆, 1. 2., (1), ①, 議事1, ~…~, 「…」 alone.
HEADING_MARK_RE = re.compile(
    r"^(?:[■◆●□◇]\s*\S|[0-9]{1,2}[.．]\s?\S|[(（][0-9]{1,2}[)）]\s?\S|[①-⑳]\s?\S|"
    r"(?:議事|議題)\s?[0-9]{1,2}\s|[~〜～].{1,30}[~〜～]$|「[^「」]{2,40}」$|"
    r"[(（][^()（）]{2,40}について[)）]$)"
)
#: 事務局より資料2-1の説明: what happened in the room, written by the minute-taker.
MINUTES_NARRATION_RE = re.compile(
    r"^(?:事務局|担当課?|所管課|会長|委員長|座長|議長|司会|市側|各委員)(?:から|より)"
    r"[^。]{0,60}(?:説明|報告|紹介|挨拶|あいさつ)(?:があった|があり|を行った|した)?。?$"
)
#: (1) / ② / |03 / 3回目 at the end of a title: the part (or the series number) of the piece.
SERIES_TITLE_RE = re.compile(r"(?:[(]([0-9]{1,2})[)]|([①-⑳])|[|]\s*0*([0-9]{1,3})|第?([0-9]{1,2})回目)\s*$")
