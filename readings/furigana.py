"""ふりがな: readings as <ruby> over the kanji of a text, worked out when the text is saved.

Readings come, in this order, from a lexicon the caller passes (the editors' reading
dictionary and the speakers' Person.reading: readings.lexicon) and from SudachiPy with
the core dictionary (SudachiDict-core, a maintained dictionary, updated with each release).
Kana after a kanji stays outside the ruby (話<rt>はな</rt>し), a date's day takes its own
reading (20日 → はつか), and only words with a kanji get a reading.

Each <rt> is aria-hidden: a screen reader reads the base text once, not the word and then
its reading. The result is also phrased (readings.phrasing): <wbr> between phrases.

Django-free.
"""

import html
import re
import threading

from readings.phrasing import NOBR_CLOSE, NOBR_OPEN, WBR, break_points, rewrite_text_nodes

KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
_KANJI_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]+)")
_NUMBER = re.compile(r"^[0-9０-９]+$")
# The days of a month and the people counted that are not read number + にち / にん.
COUNTER_READINGS = {
    "日": {1: "ついたち", 2: "ふつか", 3: "みっか", 4: "よっか", 5: "いつか", 6: "むいか", 7: "なのか",
           8: "ようか", 9: "ここのか", 10: "とおか", 14: "じゅうよっか", 20: "はつか", 24: "にじゅうよっか"},
    "人": {1: "ひとり", 2: "ふたり"},
}  # fmt: skip

_local = threading.local()


def _tokenizer():
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import Dictionary

        tokenizer = _local.tokenizer = Dictionary(dict="core").tokenizer()
    return tokenizer


def hiragana(text):
    """Katakana → hiragana (ー and other characters unchanged)."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def has_kanji(text):
    return bool(KANJI.search(text))


def ruby(base, reading):
    return (
        f'<ruby>{html.escape(base, quote=False)}<rt aria-hidden="true">{html.escape(reading, quote=False)}</rt></ruby>'
    )


def annotate_word(surface, reading):
    """One word and its reading → HTML, the kana of the word outside the ruby:
    話し/はなし → <ruby>話<rt>はな</rt></ruby>し, 取り組み/とりくみ → 取(と)り組(く)み."""
    reading = hiragana(reading)
    if not has_kanji(surface) or not reading:
        return html.escape(surface, quote=False)
    parts = [part for part in _KANJI_RUN.split(surface) if part]
    if len(parts) > 1:
        pattern = "".join("(.+?)" if has_kanji(part) else f"({re.escape(hiragana(part))})" for part in parts)
        match = re.fullmatch(pattern, reading)
        if match:
            return "".join(
                ruby(part, value) if has_kanji(part) else html.escape(part, quote=False)
                for part, value in zip(parts, match.groups())
            )
    if hiragana(surface) == reading:
        return html.escape(surface, quote=False)
    return ruby(surface, reading)


def annotate_name(name, reading):
    """高橋 晃 / たかはし あきら → each part its own ruby (the space kept)."""
    names, readings = name.split(), reading.split()
    if len(names) > 1 and len(names) == len(readings):
        pieces = [annotate_word(part, value) for part, value in zip(names, readings)]
        spaces = re.findall(r"\s+", name)
        return "".join(piece + (spaces[index] if index < len(spaces) else "") for index, piece in enumerate(pieces))
    return (
        ruby(name, hiragana(reading.replace(" ", "").replace("\u3000", ""))) if has_kanji(name) else html.escape(name)
    )


def analysed_words(text):
    """[(surface, reading)] of `text` by SudachiPy (mode C: the longest units, 町田市 not 町田+市)."""
    from sudachipy import SplitMode

    words = [(m.surface(), m.reading_form()) for m in _tokenizer().tokenize(text, SplitMode.C)]
    merged = []
    for surface, reading in words:
        counters = COUNTER_READINGS.get(surface)
        if counters and merged and _NUMBER.match(merged[-1][0]):
            number = int(merged[-1][0].translate(str.maketrans("０１２３４５６７８９", "0123456789")))
            if number in counters:
                merged[-1] = (merged[-1][0] + surface, counters[number])
                continue
        merged.append((surface, reading))
    return merged


def _lexicon_pattern(lexicon):
    words = sorted((word for word in lexicon if word), key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in words)) if words else None


def reading_units(text, lexicon):
    """[(surface, reading or None, from_lexicon)]: lexicon words first, the analyser for the rest."""
    units = []
    pattern = _lexicon_pattern(lexicon)
    position = 0
    for match in pattern.finditer(text) if pattern else ():
        if match.start() > position:
            units.extend((s, r, False) for s, r in analysed_words(text[position : match.start()]))
        units.append((match.group(), lexicon[match.group()], True))
        position = match.end()
    if position < len(text):
        units.extend((s, r, False) for s, r in analysed_words(text[position:]))
    return units


def ruby_text(text, lexicon=None, names=()):
    """Plain text → HTML with ruby over the kanji, <wbr> between phrases, names and dates whole."""
    if not text:
        return ""
    lexicon = lexicon or {}
    points, kept = break_points(text, names)
    points, starts = set(points), {start: end for start, end in kept}
    ends = {end for _, end in kept}
    out, offset, open_until = [], 0, None
    for surface, reading, from_lexicon in reading_units(text, lexicon):
        end = offset + len(surface)
        if open_until is not None and offset >= open_until:
            out.append(NOBR_CLOSE)
            open_until = None
        if offset in points:
            out.append(WBR)
        if open_until is None and offset in starts and starts[offset] >= end:
            out.append(NOBR_OPEN)
            open_until = starts[offset]
        if reading and has_kanji(surface):
            out.append(annotate_name(surface, reading) if from_lexicon else annotate_word(surface, reading))
        else:
            out.append(html.escape(surface, quote=False))
        offset = end
        # A break point inside a word (rare: BudouX and Sudachi disagree) falls to its end.
        if open_until is not None and offset in ends and offset >= open_until:
            out.append(NOBR_CLOSE)
            open_until = None
    if open_until is not None:
        out.append(NOBR_CLOSE)
    return "".join(out)


def ruby_html(markup, lexicon=None, names=()):
    """Sanitised HTML → the same HTML with ruby over the kanji of its text (not in code, pre …)."""
    return rewrite_text_nodes(markup, lambda text: ruby_text(text, lexicon, names))
