"""Plain-text helpers shared by the apps."""


def normalise_line_endings(text):
    """CRLF and lone CR become LF, the one line ending stored (browsers post a textarea's lines as CRLF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if text and "\r" in text else text
