"""The API's records and parameters as pydantic models: django-ninja validates the
parameters with them and writes the OpenAPI description from them, and the human
documentation page (templates/articles/api_docs.html) lists their fields and descriptions,
so the three never disagree. Names follow the National Diet minutes API where the meaning is
the same (speechID, speechOrder, speakerYomi, speakerPosition, startRecord …).
"""

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

MAX_RECORDS = 100
DEFAULT_RECORDS = 30
# Past this the offset is no page anyone can ask for, and OFFSET would overflow a database integer.
MAX_START_RECORD = 1_000_000_000
MAX_TEXT = 200


# --- parameters ------------------------------------------------------------------------------


def _text(description, max_length=MAX_TEXT):
    return Field(None, description=description, max_length=max_length)


class Paging(Schema):
    model_config = ConfigDict(populate_by_name=True)

    maximumRecords: int = Field(
        DEFAULT_RECORDS,
        ge=1,
        le=MAX_RECORDS,
        description=f"1回に返す件数(1〜{MAX_RECORDS}、既定 {DEFAULT_RECORDS})。",
    )
    startRecord: int = Field(
        1,
        ge=1,
        le=MAX_START_RECORD,
        description="何件目から返すか(1から数える)。前の応答の nextRecordPosition を渡すと次のページ。",
    )


class HeldBetween(Schema):
    from_: datetime.date | None = Field(None, alias="from", description="開催日がこの日以降(YYYY-MM-DD)。")
    until: datetime.date | None = Field(None, description="開催日がこの日以前(YYYY-MM-DD)。")


class SpeechFilters(Paging, HeldBetween):
    any: str | None = _text(
        '本文の検索語(サイトの検索と同じ)。空白で区切った語("…" で囲むと語句)がすべて同じ発言に含まれるものを返します。全角・半角は区別しません。'
    )
    speaker: str | None = _text(
        "発言者の氏名またはよみがなの一部(空白は無視。例: 高橋、たかはし)、または発言者ラベル。"
    )
    speakerPosition: str | None = _text("発言当時の肩書きの一部(例: 情報システム担当部長、CIO補佐)。")
    speakerRole: str | None = _text(
        "発言当時のロール(例: CIO、CDO、CISO補佐)。完全一致、大文字小文字は区別しません。", 50
    )
    forum: str | None = _text("フォーラムのURL名(例: tokyo-cio-forum)。", 100)
    roundtable: int | None = Field(
        None, ge=1, le=MAX_START_RECORD, description="座談会の回(第4回なら 4)。forum と合わせると1つの座談会。"
    )
    format: Literal["json", "csv"] = Field(
        "json", description="json(既定)または csv(UTF-8、BOM付き。Excel でそのまま開けます)。"
    )


class RoundtableFilters(Paging, HeldBetween):
    forum: str | None = _text("フォーラムのURL名(例: tokyo-cio-forum)。", 100)
    roundtable: int | None = Field(None, ge=1, le=MAX_START_RECORD, description="座談会の回(第4回なら 4)。")


class PersonFilters(Paging):
    name: str | None = _text("氏名またはよみがなの一部(空白は無視)。")
    forum: str | None = _text("このフォーラムの座談会に参加した人(URL名)。", 100)


# --- records ---------------------------------------------------------------------------------


class License(Schema):
    name: str = Field(description="データの利用条件(ライセンス)。既定は CC BY 4.0。")
    url: str = Field(description="ライセンスの本文のURL。")
    attribution: str = Field(description="出典の表示(クレジット)。")


class ForumRef(Schema):
    slug: str = Field(description="フォーラムのURL名。")
    name: str = Field(description="フォーラムの名称。")
    url: str = Field(description="フォーラムのページのURL。")


class RoundtableRef(Schema):
    roundtableID: int = Field(description="座談会のID。")
    number: int = Field(description="シリーズでの回(第4回なら 4)。URLと絞り込みに使う番号です。")
    numberShown: bool = Field(
        description="サイトで「第N回」と表示するか。false なら、インタビュー・対談で回数を表示しない座談会です。"
    )
    title: str = Field(description="座談会のタイトル。")
    heldOn: datetime.date | None = Field(description="開催日。")
    format: str = Field(description="形式(座談会・対談・鼎談・インタビュー)。")
    url: str = Field(description="座談会のページのURL。")


class PartRef(Schema):
    partID: int = Field(description="パート(記事)のID。")
    number: int = Field(description="パート番号(前編なら 1、後編なら 2)。")
    title: str = Field(description="パートのタイトル。")
    url: str = Field(description="パートのページのURL。")
    published: datetime.datetime = Field(description="公開日時(日本時間)。")


class SpeechRecord(Schema):
    speechID: int = Field(description="発言のID。")
    speechOrder: int = Field(description="パートの中での発言の順番(1から)。")
    speaker: str | None = Field(description="発言者の氏名。ナレーション(地の文)は null。")
    speakerYomi: str | None = Field(description="発言者のよみがな(ひらがな)。")
    speakerLabel: str | None = Field(description="本文での発言者ラベル(例: 高橋)。")
    speakerPosition: str | None = Field(description="発言当時の肩書き。記事の参加者欄に印刷されたとおり。")
    speakerOrganisation: str | None = Field(description="発言当時の所属団体の名称。")
    speakerRoles: list[str] = Field(description="発言当時のロール(CIO など)。")
    personID: int | None = Field(description="人物のID(/api/v1/people の personID)。")
    speech: str = Field(description="発言の本文(プレーンテキスト、段落は改行)。")
    speechHTML: str = Field(description="発言の本文(サイトと同じ無害化済みHTML)。")
    speechURL: str = Field(description="発言のURL(その発言の位置を開きます)。")
    section: str | None = Field(description="発言のある見出し。")
    subsection: str | None = Field(description="小見出し。")
    part: PartRef = Field(description="発言のあるパート(partID, number, title, url, published)。")
    roundtable: RoundtableRef = Field(
        description="座談会(roundtableID, number, numberShown, title, heldOn, format, url)。"
    )
    forum: ForumRef = Field(description="フォーラム(slug, name, url)。")
    date: datetime.date | None = Field(description="発言の日付(座談会の開催日)。")


class ParticipantRecord(Schema):
    personID: int = Field(description="人物のID。")
    name: str = Field(description="氏名。")
    yomi: str = Field(description="よみがな(ひらがな)。")
    label: str = Field(description="本文での発言者ラベル。")
    position: str = Field(description="その座談会での肩書き(印刷されたとおり)。")
    organisation: str | None = Field(description="所属団体の名称。")
    roles: list[str] = Field(description="ロール(CIO など)。")
    personURL: str = Field(description="人物のページのURL。")


class RoundtableRecord(RoundtableRef):
    forum: ForumRef = Field(description="フォーラム(slug, name, url)。")
    parts: list[PartRef] = Field(description="公開中のパート(パート番号順)。")
    participants: list[ParticipantRecord] = Field(description="参加者(参加者欄の順)。")


class AppearanceRecord(Schema):
    roundtable: RoundtableRef = Field(description="座談会。")
    forum: ForumRef = Field(description="フォーラム。")
    label: str = Field(description="本文での発言者ラベル。")
    position: str = Field(description="その座談会での肩書き(印刷されたとおり)。")
    organisation: str | None = Field(description="所属団体の名称。")
    roles: list[str] = Field(description="ロール(CIO など)。")


class PersonRecord(Schema):
    personID: int = Field(description="人物のID。")
    name: str = Field(description="氏名。")
    yomi: str = Field(description="よみがな(ひらがな)。")
    url: str = Field(description="人物のページのURL。")
    appearances: list[AppearanceRecord] = Field(description="座談会への参加(開催日の順)と、その時の肩書き。")


class Page(Schema):
    numberOfRecords: int = Field(description="条件に合う全件数。")
    numberOfReturn: int = Field(description="この応答に含む件数。")
    startRecord: int = Field(description="この応答の最初の記録が何件目か。")
    nextRecordPosition: int | None = Field(description="次のページの startRecord。最後のページなら null。")
    license: License


class SpeechList(Page):
    speechRecord: list[SpeechRecord]


class RoundtableList(Page):
    roundtableRecord: list[RoundtableRecord]


class PersonList(Page):
    personRecord: list[PersonRecord]


class ErrorDetail(Schema):
    parameter: str | None = Field(description="問題のあるパラメータ。")
    message: str = Field(description="日本語の説明。")
    messageEnglish: str = Field(description="英語の説明。")


class ErrorBody(Schema):
    message: str = Field(description="日本語の説明。")
    messageEnglish: str = Field(description="英語の説明。")
    details: list[ErrorDetail]
    license: License
