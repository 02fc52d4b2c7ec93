"""Rendering a transcript dict back out: plain text in the sample's conventions, Markdown."""

from __future__ import annotations

import re
import unicodedata

from forum.conventions import first_label, link_text, part_note_text

from .patterns import FIGURE_RE, TITLE_PART_RE


DOCUMENTED_KEYS = (
    "title",
    "roundtable",
    "part",
    "honorifics_omitted",
    "participants",
    "sections",
    "credits",
    "warnings",
    "kind",
    "speakers",
    "uncertain",
)
DOCUMENTED_PARTICIPANT_KEYS = ("name", "title", "organisation", "posts", "roles", "label")


def documented_shape(d: dict) -> dict:
    """Only the documented keys of a transcript dict (no lead, closing, label_title …)."""
    shaped = {key: d.get(key) for key in DOCUMENTED_KEYS}
    shaped["uncertain"] = d.get("uncertain") or []
    for group in ("participants", "speakers"):
        shaped[group] = [{key: p[key] for key in DOCUMENTED_PARTICIPANT_KEYS} for p in d.get(group, [])]
    return shaped


def is_figure_reference(text: str) -> bool:
    """画像1, 図2, 写真3, [画像4] …: a line the parser reads as a figure."""
    return bool(FIGURE_RE.match(unicodedata.normalize("NFKC", text.strip())))


def _part_note(d: dict) -> str | None:
    number, total = d["part"]["number"], d["part"]["of"]
    title_part = TITLE_PART_RE.search(unicodedata.normalize("NFKC", d["title"]))
    if total == 2 and number in (1, 2):  # as printed, with the link to the other half
        return part_note_text(number, 2) + link_text(3 - number, 2)
    if total is not None:
        return part_note_text(number, total)
    # A first part of unknown count needs no note: an import reads it as part 1 anyway.
    if number not in (None, 1) and not (title_part and title_part.group(1) and int(title_part.group(1)) == number):
        return part_note_text(number, None)
    return None


def render_text(d: dict) -> str:
    """Render a transcript dict back to plain text in the sample's conventions."""
    chunks: list[str] = []
    if d.get("header_figure"):
        chunks.append(d["header_figure"])
    chunks.append(d["title"])
    for key in ("lead",):
        if d.get(key):
            chunks.append(d[key])
    note = _part_note(d)
    if note:
        chunks.append(note)
    if d.get("introduction"):
        chunks.append(d["introduction"])
    titled = [p for p in d["participants"] if p["title"]]  # the untitled come from inline labels
    if titled or d["honorifics_omitted"]:
        header = "参加者(敬称略)" if d["honorifics_omitted"] else "参加者"
        chunks.append("\n".join([header] + [f"{p['title']}:{p['name']}" for p in titled]))
    people = {p["label"]: p for p in d["participants"]}
    introduced: set[str] = set()
    for section in d["sections"]:
        if section["heading"]:
            chunks.append(section["heading"])
        if section["subheading"]:
            chunks.append(section["subheading"])
        for block in section["blocks"]:
            if block["type"] == "figure":
                chunks.append(block["ref"])
            elif block["speaker"] is None:
                chunks.append(block["text"])
            elif block["speaker"] in introduced or block["speaker"] not in people:
                chunks.append(f"{block['speaker']}\n{block['text']}")
            elif not people[block["speaker"]]["title"]:
                introduced.add(block["speaker"])
                chunks.append(f"{block['speaker']}:{block['text']}")
            else:
                p = people[block["speaker"]]
                introduced.add(p["label"])
                printed = p.get("label_title") or p["title"]
                surname = (p["name"].split() or [p["name"]])[0]
                # 深井(以下「深井」), but 宮坂 学(以下「宮坂副知事」) when the label is not the surname.
                shown = surname if p["label"] == surname else p["name"]
                chunks.append(f"{first_label(printed, shown, p['label'])}\n{block['text']}")
    if d.get("closing"):
        chunks.append(d["closing"])
    if d["credits"]:
        chunks.append(
            "\n".join(
                f"{c['role']}:{c['name']}" + (f"({c['affiliation']})" if c["affiliation"] is not None else "")
                for c in d["credits"]
            )
        )
    return "\n\n".join(chunks) + "\n"


def _md_escape(text: str) -> str:
    """Escape Markdown syntax characters so the text renders literally."""
    text = re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
    return re.sub(r"(?m)^(\s*)([#>+-]|\d+\.)", r"\1\\\2", text)


#: A body starting like this is a Markdown block (heading, list, quote, code, table):
#: the speaker's label then goes on a line of its own so the block stays a block.
_BLOCK_START_RE = re.compile(r"^\s*(?:#{1,6}(?:\s|$)|[*+-]\s|\d+[.)]\s|[>|]|```|~~~)")


def _speech(label: str, body: str) -> str:
    separator = "\n\n" if _BLOCK_START_RE.match(body) else " "
    return f"**{_md_escape(label)}**{separator}{body}"


def _md_figure(ref: str, image: dict | None) -> str:
    """A figure as Markdown: the image with its alt text (and caption) when the block says
    where it is (``image``: url, alt, caption); else the reference as text, ``[画像1]``."""
    image = image or {}
    caption = f"\n\n{_md_escape(image['caption'])}" if image.get("caption") else ""
    if image.get("url"):
        url = image["url"].replace("(", "%28").replace(")", "%29").replace(" ", "%20")
        return f"![{_md_escape(image.get('alt') or ref)}]({url}){caption}"
    return f"\\[{_md_escape(ref)}\\]{caption}"


def render_markdown_export(d: dict) -> str:
    """Render a transcript dict as Markdown (## heading, ### sub-heading, **label** speech).

    Lead, introduction, closing and turn bodies are stored as Markdown already and pass
    through as they are; only the plain-text fields this renderer turns into structure
    (title, headings, participants, labels, credits) are escaped. Figures are images where
    the dict gives their URLs (``header_image``, a figure block's ``image``), else their
    reference as text."""
    out = [f"# {_md_escape(d['title'])}"]
    if d.get("header_figure"):
        out.append(_md_figure(d["header_figure"], d.get("header_image")))
    for text in (d.get("lead"), _md_escape(_part_note(d) or ""), d.get("introduction")):
        if text:
            out.append(text)
    if d["participants"]:
        header = "**参加者(敬称略)**" if d["honorifics_omitted"] else "**参加者**"
        out.append(
            "\n".join([header, ""] + [f"- {_md_escape(p['title'])}:{_md_escape(p['name'])}" for p in d["participants"]])
        )
    for section in d["sections"]:
        if section["heading"]:
            out.append(f"## {_md_escape(section['heading'])}")
        if section["subheading"]:
            out.append(f"### {_md_escape(section['subheading'])}")
        for block in section["blocks"]:
            if block["type"] == "figure":
                out.append(_md_figure(block["ref"], block.get("image")))
            elif block["speaker"] is None:
                out.append(block["text"])
            else:
                out.append(_speech(block["speaker"], block["text"]))
    if d.get("closing"):
        out.append(d["closing"])
    for c in d["credits"]:
        aff = f"({c['affiliation']})" if c["affiliation"] is not None else ""
        out.append(_md_escape(f"{c['role']}:{c['name']}{aff}"))
    return "\n\n".join(out) + "\n"
