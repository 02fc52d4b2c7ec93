"""Reading a transcript file (.txt or .docx) an editor uploads or a command is given.

Untrusted input: the size read is limited, and a .docx (a zip archive) is refused when
its members would expand past a limit, before anything is decompressed, so a zip bomb
costs nothing. Python's zipfile never inflates a member past its declared size (the
CRC check fails first), so checking the declared sizes bounds what is read.
"""

import io
import zipfile
from pathlib import PurePath

from django.utils.translation import gettext as _

from articles.transcript import TranscriptError, decode_transcript_bytes

MAX_FILE_BYTES = 2 * 1024 * 1024  # a long part is about 50 KB of text
MAX_DOCX_EXPANDED_BYTES = 20 * 1024 * 1024  # all members of the archive, decompressed
MAX_DOCX_MEMBERS = 1000
EXTENSIONS = (".txt", ".docx")


def read_transcript_file(name, stream):
    """The text of a .txt (UTF-8, UTF-16, Shift_JIS) or .docx file; TranscriptError if unreadable."""
    extension = PurePath(name or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise TranscriptError(
            _("「%(name)s」は読み込めない形式です。.txt か .docx のファイルを選んでください。") % {"name": name}
        )
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise TranscriptError(
            _("ファイルが大きすぎます(上限 %(limit)d MB)。") % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if extension == ".docx":
        return docx_text(data)
    return decode_transcript_bytes(data)


def docx_text(data):
    """One line per Word paragraph; an empty paragraph is a blank line, as in the text form."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise TranscriptError(_("Word文書(.docx)として開けません。ファイルが壊れていないか確かめてください。"))
    if len(members) > MAX_DOCX_MEMBERS or sum(m.file_size for m in members) > MAX_DOCX_EXPANDED_BYTES:
        raise TranscriptError(
            _("Word文書を展開すると大きすぎます(上限 %(limit)d MB)。本文だけをテキストで貼り付けてください。")
            % {"limit": MAX_DOCX_EXPANDED_BYTES // (1024 * 1024)}
        )
    import docx  # python-docx: imported here, so the rest of the app does not need lxml loaded
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    # A damaged package: not a Word document, a missing part, XML that does not parse.
    except (PackageNotFoundError, KeyError, ValueError, SyntaxError, zipfile.BadZipFile) as exc:
        raise TranscriptError(
            _("Word文書(.docx)として読めません(%(problem)s)。") % {"problem": exc.__class__.__name__}
        ) from exc
    return "\n".join(paragraph.text for paragraph in document.paragraphs)
