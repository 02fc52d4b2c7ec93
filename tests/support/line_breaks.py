"""Pages without the line-break marks the readings app stores (<wbr>, <span class="nobr">).

They add no character (the text a reader copies or a search finds is the same), but they
split the text into several nodes: a test that looks for a sentence in the HTML, or joins
text nodes with spaces (BeautifulSoup's get_text(" ")), reads the page through this.
No Django.
"""

import re

_WBR = re.compile(r"<wbr\s*/?>")
# Names and dates are wrapped alone: a nobr span holds no other span.
_NOBR = re.compile(r'<span class="nobr">((?:(?!<span[\s>]).)*?)</span>', re.DOTALL)


def without_line_breaks(html):
    """`html` with every <wbr> dropped and every <span class="nobr"> unwrapped."""
    return _NOBR.sub(r"\1", _WBR.sub("", html))
