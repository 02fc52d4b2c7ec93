"""A part's text as an editor reads it, and a readable difference between two states.

The text follows the printed article: title, lead, headings (■), turns as 「label:body」,
figures in brackets, closing and credits. Lines are compared with difflib; a changed line
is shown twice, with the removed and added characters marked (Japanese has no spaces, so
the comparison inside a line is by character).
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.models import Credit, Figure, Section, SpeakerTurn
from forum.conventions import reading_order
from participants.models import Participant

CONTEXT_LINES = 2
SHORT_MATCH = 1  # common characters this short between two changes are shown as changed
SIMILAR_ENOUGH = 0.5  # below this share of common characters, a changed line is marked whole


def _ordered(rows):
    return sorted(rows, key=lambda row: (row["position"], row["id"]))


def _labels(turns):
    ids = {turn["speaker_id"] for turn in turns if turn["speaker_id"]}
    found = {p.pk: p.short_label for p in Participant.objects.filter(pk__in=ids).select_related("person")}
    return {pk: found.get(pk, _("(削除された参加者)")) for pk in ids}


def part_lines(state):
    """The part in `state` (articles.versioning.PartState) as a list of text lines."""
    article, children = state.article, state.children
    labels = _labels(children[SpeakerTurn])
    lines = [_("タイトル:%(title)s") % {"title": article["title"]}]
    for key, heading in (("lead", _("【リード文】")), ("introduction", _("【導入文】"))):
        if article.get(key):
            lines += [heading, *article[key].splitlines()]
    if article.get("header_image"):
        lines.append(_("[見出し画像:%(alt)s]") % {"alt": article.get("header_image_alt", "")})
    for section in _ordered(children[Section]):
        heading = " / ".join(text for text in (section["heading"], section["subheading"]) if text)
        lines.append("■ " + (heading or _("(見出しなし)")))
        turns = [turn for turn in children[SpeakerTurn] if turn["section_id"] == section["id"]]
        figures = [figure for figure in children[Figure] if figure["section_id"] == section["id"]]
        for is_figure, row in reading_order(turns, figures, key=lambda row: (row["position"], row["id"])):
            if is_figure:
                caption = f"({row['caption']})" if row["caption"] else ""
                lines.append(
                    _("[画像 %(reference)s:%(alt)s%(caption)s]")
                    % {"reference": row["reference"], "alt": row["alt_text"], "caption": caption}
                )
                continue
            body = row["body"].splitlines() or [""]
            prefix = labels[row["speaker_id"]] + ":" if row["speaker_id"] else ""
            lines += [prefix + body[0], *body[1:]]
    if article.get("closing"):
        lines += [_("【結びの文】"), *article["closing"].splitlines()]
    for credit in _ordered(children[Credit]):
        affiliation = f"({credit['affiliation']})" if credit["affiliation"] else ""
        lines.append(
            _("【クレジット】%(role)s:%(name)s%(affiliation)s")
            % {"role": credit["role"], "name": credit["name"], "affiliation": affiliation}
        )
    return lines


@dataclass
class DiffLine:
    kind: str  # "same", "removed", "added" or "skipped"
    html: str
    old_number: int | None = None
    new_number: int | None = None


def _marked(a, b):
    """Both lines as HTML with the characters only in `a` in <del> and only in `b` in <ins>.

    Lines that have little in common are marked whole: scattered marks are hard to read.
    """
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < SIMILAR_ENOUGH:
        return mark_safe(f"<del>{escape(a)}</del>"), mark_safe(f"<ins>{escape(b)}</ins>")
    old, new = [], []
    for same, removed, added in _segments(matcher.get_opcodes(), a, b):
        if same:
            old.append(escape(removed))
            new.append(escape(added))
            continue
        if removed:
            old.append(f"<del>{escape(removed)}</del>")
        if added:
            new.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(old)), mark_safe("".join(new))


def _segments(opcodes, a, b):
    """[(same, old text, new text)], a lone common character between changes absorbed
    into them (「C<del>I</del>O<del>補佐</del>」 reads better as 「<del>CIO補佐</del>」)."""
    segments = [[tag == "equal", a[i1:i2], b[j1:j2]] for tag, i1, i2, j1, j2 in opcodes]
    for index in range(1, len(segments) - 1):
        if segments[index][0] and len(segments[index][1]) <= SHORT_MATCH:
            if not segments[index - 1][0] and not segments[index + 1][0]:
                segments[index][0] = False
    merged = []
    for segment in segments:
        if merged and not merged[-1][0] and not segment[0]:
            merged[-1][1] += segment[1]
            merged[-1][2] += segment[2]
        else:
            merged.append(segment)
    return merged


def diff_lines(old, new, context=CONTEXT_LINES):
    """[DiffLine] from `old` to `new` (lists of str), unchanged stretches shortened."""
    result = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            count = i2 - i1
            shown = (
                list(range(count))
                if count <= 2 * context + 1
                else [*range(context), None, *range(count - context, count)]
            )
            for k in shown:
                if k is None:
                    skipped = count - 2 * context
                    result.append(DiffLine("skipped", _("(変更のない%(count)d行)") % {"count": skipped}))
                else:
                    result.append(DiffLine("same", escape(old[i1 + k]), i1 + k + 1, j1 + k + 1))
            continue
        removed, added = old[i1:i2], new[j1:j2]
        paired = min(len(removed), len(added)) if tag == "replace" else 0
        marked = [_marked(removed[k], added[k]) for k in range(paired)]
        for k, line in enumerate(removed):
            html = marked[k][0] if k < paired else mark_safe(f"<del>{escape(line)}</del>")
            result.append(DiffLine("removed", html, old_number=i1 + k + 1))
        for k, line in enumerate(added):
            html = marked[k][1] if k < paired else mark_safe(f"<ins>{escape(line)}</ins>")
            result.append(DiffLine("added", html, new_number=j1 + k + 1))
    return result


def has_changes(lines):
    return any(line.kind in {"removed", "added"} for line in lines)
