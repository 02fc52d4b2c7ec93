"""Word lists the evidence rules lean on: titles, roles, meta headers, page chrome.

Kept apart from ``patterns`` (the regular expressions) so that the README can point at
one place that says which words the importer knows."""

import re

#: Endings of a post or title: a word ending so is a title (樫村委員長, 堀参事官, 島田総務部長).
TITLE_SUFFIXES = (
    "副委員長", "委員長", "副会長", "会長", "副議長", "議長", "副座長", "座長", "副区長", "区長", "副市長", "市長",
    "副町長", "町長", "副村長", "村長", "副知事", "知事", "副大臣", "大臣", "政務官", "参事官", "統括官", "審議官",
    "副参事", "参事", "理事長", "理事", "主事", "書記", "主査", "主任", "専門官", "専門員", "専門職", "調整官",
    "企画官", "管理官", "指導官", "補佐", "次長", "部長", "課長", "室長", "局長", "係長", "所長", "センター長",
    "社長", "教授", "准教授", "講師", "弁護士", "議員", "委員", "構成員", "館長", "園長", "校長", "長官",
    "事務局長", "担当", "代表", "監", "官",
)
_TITLE_ALT = "|".join(sorted(TITLE_SUFFIXES, key=len, reverse=True))
TITLE_END_RE = re.compile(rf"(?:{_TITLE_ALT})$")

#: Role words used as labels for whoever holds the role: 【委員】 is any member.
ANONYMOUS_ROLES = ("委員", "事務局", "担当", "記者", "質問者", "構成員", "オブザーバー", "幹事社", "所管課",
                   "市側", "理事者", "説明員", "会場", "参加者", "一同", "全員", "Q", "A")
#: Role words a label may be on its own (one person holds the role in a piece).
ROLE_LABELS = ANONYMOUS_ROLES + ("司会", "司会者", "進行", "聞き手", "インタビュアー", "編集部", "大臣", "会長",
                                 "座長", "議長", "委員長", "知事", "市長", "町長", "村長", "区長")

#: Group headers inside a participants block (■委員, ■オブザーバー); 欠席 lists are not participants.
GROUP_WORDS = ("委員", "構成員", "オブザーバー", "事務局", "幹事", "出席説明員", "説明員", "議会局職員",
               "事務局職員", "出席委員", "専門委員", "有識者", "ゲスト", "聞き手", "話し手", "出演者")
EXCLUDED_GROUP_WORDS = ("欠席者", "欠席委員", "欠席", "傍聴者", "傍聴人", "傍聴")
#: Headers of a participants block.
BLOCK_WORDS = ("今回のメンバー", "今回の参加者", "参加者", "出席者", "出演者", "出席委員", "登壇者", "メンバー",
               "プロフィール", "出席説明員", "議会局職員")

#: Meta lines of minutes (日時:, 場所 …): never labels, and they end a participants block.
META_WORDS = ("日時", "開催日時", "開会日時", "日程", "場所", "開催場所", "開会場所", "会場", "議題", "議事",
              "議事次第", "次第", "資料", "配布資料", "配付資料", "会議の概要", "議事内容", "会議の結果", "議事の概要",
              "更新日", "公開日", "最新更新日", "掲載日", "問い合わせ", "お問い合わせ", "所属",
              "内容", "概要", "備考", "傍聴者", "傍聴", "欠席者", "キーワード", "テーマ", "主催", "日付", "時間")

#: Whole lines that are page chrome of government sites (tabs, skip links, tools).
CHROME_LINES = frozenset((
    "本文へ移動", "本文へ", "本文へスキップ", "概要", "資料", "関連資料", "参考資料", "関連政策", "会議動画", "動画",
    "議事録", "議事概要", "議事要旨", "会議録", "ページの先頭です", "ページの先頭へ", "ページの先頭へ戻る",
    "ページトップへ", "ここから本文です", "本文ここから", "本文ここまで", "ここからメインメニューです",
    "ここからサブメニューです", "メインメニュー", "印刷", "印刷する", "印刷用ページ", "PDFで読む", "PDF版",
    "English", "文字サイズ", "文字の大きさ", "拡大", "縮小", "標準", "背景色", "サイトの案内", "リンク一覧",
    "無償", "自治体の皆さまへ",
))
NAV_WORDS = ("ホーム", "メニュー", "サイト", "リンク", "一覧", "English")

#: Kinds of piece, most specific first: the word, and the Roundtable format it is stored as.
KINDS = (("鼎談", "teidan"), ("対談", "taidan"), ("座談会", "zadankai"), ("インタビュー", "interview"),
         ("議事概要", "summary"), ("議事要旨", "summary"), ("議事録", "minutes"), ("会議録", "minutes"),
         ("委員会記録", "minutes"), ("記者会見", "press"), ("会見録", "press"), ("会見", "press"))
