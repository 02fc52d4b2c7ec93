"""What a parsed transcript is made of: the dataclasses and the one exception."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from .i18n import _


class TranscriptError(ValueError):
    """The input cannot be read as a transcript at all."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        self.message = message
        super().__init__(
            _("%(line)d行目: %(message)s") % {"line": line, "message": message} if line is not None else message
        )


@dataclass
class Participant:
    name: str
    title: str
    organisation: str | None
    posts: list[str]
    roles: list[str]
    label: str
    label_title: str | None = None


@dataclass
class Turn:
    speaker: str | None
    text: str
    line: int | None = field(default=None, compare=False)  # where it starts, for previews

    def to_dict(self) -> dict:
        return {"type": "turn", "speaker": self.speaker, "text": self.text}


@dataclass
class Figure:
    ref: str
    line: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict:
        return {"type": "figure", "ref": self.ref}


@dataclass
class Section:
    heading: str | None = None
    subheading: str | None = None
    blocks: list = field(default_factory=list)


@dataclass
class Credit:
    role: str
    name: str
    affiliation: str | None


@dataclass
class ParseWarning:
    line: int
    message: str


@dataclass
class Roundtable:
    number: int | None = None
    held_on: datetime.date | None = None
    title: str | None = None


@dataclass
class Part:
    number: int | None = None
    of: int | None = None


@dataclass
class Transcript:
    title: str = ""
    roundtable: Roundtable = field(default_factory=Roundtable)
    part: Part = field(default_factory=Part)
    honorifics_omitted: bool = False
    participants: list[Participant] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    lead: str = ""
    introduction: str = ""
    closing: str = ""
    header_figure: str | None = None
    kind: str | None = None  # 座談会, 対談, 議事録 …: the word the text calls itself by
    speakers: list[Participant] = field(default_factory=list)  # anonymous role labels (委員, 事務局)
    unmatched: list[dict] = field(default_factory=list)  # lines whose speaker the parser is unsure of

    def to_dict(self) -> dict:
        """Return the JSON-ready dictionary shape used by the importer."""
        held = self.roundtable.held_on
        return {
            "title": self.title,
            "roundtable": {
                "number": self.roundtable.number,
                "held_on": held.isoformat() if held else None,
                "title": self.roundtable.title,
            },
            "part": {"number": self.part.number, "of": self.part.of},
            "honorifics_omitted": self.honorifics_omitted,
            "participants": [asdict(p) for p in self.participants],
            "sections": [
                {"heading": s.heading, "subheading": s.subheading, "blocks": [b.to_dict() for b in s.blocks]}
                for s in self.sections
            ],
            "credits": [asdict(c) for c in self.credits],
            "warnings": [asdict(w) for w in self.warnings],
            "kind": self.kind,
            "speakers": [asdict(p) for p in self.speakers],
            "uncertain": list(self.unmatched),
            "lead": self.lead,
            "introduction": self.introduction,
            "closing": self.closing,
            "header_figure": self.header_figure,
        }
