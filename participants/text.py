"""Normalising what editors type: full-width and half-width forms are both accepted."""

import re
import unicodedata

_KATAKANA_START, _KATAKANA_END = ord("ァ"), ord("ヶ")
_SPACES = re.compile(r"[\s\u3000]+")


def normalise_name(value):
    """Collapse runs of half- and full-width spaces to one half-width space, trim the ends.

    Names are stored as 高橋 晃 (the surname is what comes before that space); editors type
    高橋 晃, 高橋　晃 or 高橋  晃.
    """
    return _SPACES.sub("\u3000", (value or "").strip()).replace("\u3000", " ")


def normalise_reading(value):
    """A kana reading in hiragana, so that 五十音 order is plain string order.

    Accepts katakana, half-width katakana (NFKC) and hiragana; spaces are removed.
    """
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(chr(ord(ch) - 0x60) if _KATAKANA_START <= ord(ch) <= _KATAKANA_END else ch for ch in text)
    return _SPACES.sub("", text)


def is_kana(value):
    return all("\u3041" <= ch <= "\u309f" or ch == "ー" for ch in value)


def searchable(value):
    """The form titles are matched in (the search's role filter, the API's speakerPosition):
    NFKC and case-folded, so ＣＩＯ = CIO = cio and ｶﾀｶﾅ = カタカナ."""
    return unicodedata.normalize("NFKC", value or "").casefold()
