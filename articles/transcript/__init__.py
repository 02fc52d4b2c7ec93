"""Pure parser for Japanese roundtable / interview transcripts, and its renderers.

The input is the plain text a reader copies off an article page (see
``shared/samples/machida-cio-roundtable-part2.txt``): a title, a lead, a part
note, the event line, a participants block, headed sections of speaker turns
with figure placeholders, a closing line, credits and page furniture.

Only the standard library (and the Django-free ``forum.conventions``) is used, so the package
imports and runs without Django. ``parse_transcript`` never raises for odd content:
problems become warnings carrying 1-based line numbers. ``TranscriptError`` is raised
only for unreadable input (empty text, binary data, undecodable bytes).

Modules: ``structure`` (dataclasses), ``patterns``, ``lines`` (decoding, line splitting),
``titles`` (participants, titles, organisations, credits), ``dates``, ``front`` (front
matter), ``body`` (sections and turns), ``parse`` (entry point), ``render`` (text, Markdown),
``i18n`` (message marking without importing Django).
"""

from .dates import find_date
from .lines import decode_transcript_bytes, parse_number
from .parse import parse_transcript
from .patterns import CREDIT_ROLES
from .render import (
    DOCUMENTED_KEYS,
    documented_shape,
    is_figure_reference,
    render_markdown_export,
    render_text,
)
from .structure import (
    Credit,
    Figure,
    Part,
    Participant,
    ParseWarning,
    Roundtable,
    Section,
    Transcript,
    TranscriptError,
    Turn,
)
from .titles import find_organisation_prefix, make_participant, split_title

__all__ = [
    "TranscriptError",
    "Transcript",
    "Participant",
    "Section",
    "Turn",
    "Figure",
    "Credit",
    "ParseWarning",
    "Roundtable",
    "Part",
    "parse_transcript",
    "decode_transcript_bytes",
    "render_text",
    "render_markdown_export",
    "documented_shape",
    "DOCUMENTED_KEYS",
    "is_figure_reference",
    "CREDIT_ROLES",
    "find_date",
    "parse_number",
    "split_title",
    "find_organisation_prefix",
    "make_participant",
]
