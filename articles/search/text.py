"""Search text: normalising, bigram tokens, query terms and snippets. No Django here.

Text and queries are both NFKC-normalised and lower-cased, so ＯＪＴ = OJT = ojt, ５Ｇ = 5G
and ｶﾀｶﾅ = カタカナ. A *run* is a maximal stretch of letters and digits (kanji, kana,
Latin, digits, ー and 々 included); anything else (spaces, punctuation) separates runs.

Tokens: a run of n characters gives n tokens at n consecutive positions — its n-1
overlapping bigrams and then its last character alone, which marks the end of the run:

    人材育成、OJT  →  人材 材育 育成 成 | oj jt t

So a query of two characters or more is the phrase of its bigrams (exact substring match
within a run, found through the index), and a query of one character is a prefix search
(人 matches every token starting with 人, the bigrams and the end-of-run 人). A quoted
phrase of several runs ("OJT、研修") puts each inner run's end token between them, so the
runs must follow each other with only separators in between.
"""

import re
import unicodedata
from dataclasses import dataclass
from html import escape

RUN = re.compile(r"[^\W_]+")
# Control, format, surrogate and private-use characters never count in a query.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co"}
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_QUERY_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')

MAX_TERMS = 10


def normalise(text):
    """NFKC and lower case: the form both the index and the queries are in."""
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(normalised_text):
    return RUN.findall(normalised_text)


def run_tokens(run):
    """The tokens of one run: its bigrams, then its last character (see the module doc)."""
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_tokens(text):
    """All tokens of a text, in order; their position is their index in the list."""
    tokens = []
    for run in runs(normalise(text)):
        tokens.extend(run_tokens(run))
    return tokens


@dataclass(frozen=True)
class Token:
    text: str
    prefix: bool = False  # a one-character query at the end of a term: any token starting with it


@dataclass(frozen=True)
class Term:
    """One query term (a word, or a quoted phrase): its runs, all to be found in one row."""

    runs: tuple

    @property
    def tokens(self):
        """Tokens at consecutive positions: the phrase the index must contain."""
        tokens = []
        for index, run in enumerate(self.runs):
            last = index == len(self.runs) - 1
            if len(run) == 1:
                tokens.append(Token(run, prefix=last))
            else:
                bigrams = [Token(run[i : i + 2]) for i in range(len(run) - 1)]
                tokens.extend(bigrams if last else [*bigrams, Token(run[-1])])
        return tokens

    @property
    def display(self):
        return " ".join(self.runs)


def clean_query(text):
    """The query as the search uses it: NFKC, lower case, invisible characters removed."""
    text = unicodedata.normalize("NFKC", (text or "").translate(_QUOTES))
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE or ch in "\t\n\r").lower()


def parse_query(text):
    """Terms of a query: words separated by spaces, or "quoted phrases" (an unclosed quote runs
    to the end). Characters that are neither letters nor digits only separate runs, so SQL or
    FTS syntax (* % _ \\ NEAR) can never reach the database as syntax. At most MAX_TERMS terms."""
    terms = []
    for match in _QUERY_PART.finditer(clean_query(text)):
        phrase, word = match.groups()
        term_runs = tuple(runs(phrase if phrase is not None else word))
        if term_runs and Term(term_runs) not in terms:
            terms.append(Term(term_runs))
    return terms[:MAX_TERMS]


def normalise_with_map(text):
    """(normalised text, origin) where origin[i] is the index in `text` of the character that
    normalised character i came from; half-width ｶﾞ composes into ガ as NFKC does."""
    whole = normalise(text)
    if len(whole) == len(text):  # one character for one (（→(, Ａ→a): positions are unchanged
        return whole, list(range(len(text)))
    out, origin = [], []
    for index, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch).lower()
        if piece and out and unicodedata.combining(piece[0]):
            composed = unicodedata.normalize("NFC", out[-1] + piece[0])
            if len(composed) == 1:
                out[-1] = composed
                piece = piece[1:]
        for char in piece:
            out.append(char)
            origin.append(index)
    return "".join(out), origin


def match_spans(text, terms):
    """[(start, end)] in `text` of every occurrence of every run of the terms, merged, in order."""
    normalised, origin = normalise_with_map(text)
    spans = []
    for term in terms:
        for run in term.runs:
            start = normalised.find(run)
            while start != -1:
                end = start + len(run)
                spans.append((origin[start], origin[end] if end < len(origin) else len(text)))
                start = normalised.find(run, start + 1)
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet_html(text, terms, width=120, before=30):
    """Escaped HTML: up to `width` characters of `text` around its first match, every match
    in <mark>, with … where the text was cut."""
    text = " ".join((text or "").split())
    spans = match_spans(text, terms)
    start = max(0, spans[0][0] - before) if spans else 0
    end = min(len(text), start + width)
    if end - start < width:
        start = max(0, end - width)
    parts, cursor = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    return ("…" if start > 0 else "") + "".join(parts) + ("…" if end < len(text) else "")
