"""Code the tests share: builders of test data, page readers and the quality tools.

Nothing here is collected as a test. This file imports no Django, so that the
Django-free parser tests (tests/importing/test_parser.py) can use it too. See tests/README.md.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Sample transcripts, one per shape the parser and the importer must handle.
TRANSCRIPTS = Path(__file__).resolve().parent / "transcripts"
#: The sample article's transcript as it ships with the project (articles/demo).
SAMPLE = REPO_ROOT / "articles" / "demo" / "machida-cio-roundtable-part2.txt"
