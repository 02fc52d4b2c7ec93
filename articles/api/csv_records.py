"""Speech records as CSV: one row per turn, nested fields flattened, UTF-8 with a BOM so that
Excel opens the Japanese text as it is. The API (?format=csv) and the bulk file share it."""

import csv
import io

BOM = "\ufeff"
ROLE_JOINER = "、"

COLUMNS = [
    ("speechID", lambda r: r["speechID"]),
    ("speechOrder", lambda r: r["speechOrder"]),
    ("speaker", lambda r: r["speaker"]),
    ("speakerYomi", lambda r: r["speakerYomi"]),
    ("speakerLabel", lambda r: r["speakerLabel"]),
    ("speakerPosition", lambda r: r["speakerPosition"]),
    ("speakerOrganisation", lambda r: r["speakerOrganisation"]),
    ("speakerRoles", lambda r: ROLE_JOINER.join(r["speakerRoles"])),
    ("personID", lambda r: r["personID"]),
    ("speech", lambda r: r["speech"]),
    ("speechURL", lambda r: r["speechURL"]),
    ("section", lambda r: r["section"]),
    ("subsection", lambda r: r["subsection"]),
    ("partID", lambda r: r["part"]["partID"]),
    ("partNumber", lambda r: r["part"]["number"]),
    ("partTitle", lambda r: r["part"]["title"]),
    ("partURL", lambda r: r["part"]["url"]),
    ("published", lambda r: r["part"]["published"].isoformat()),
    ("roundtableID", lambda r: r["roundtable"]["roundtableID"]),
    ("roundtableNumber", lambda r: r["roundtable"]["number"]),
    ("roundtableTitle", lambda r: r["roundtable"]["title"]),
    ("roundtableFormat", lambda r: r["roundtable"]["format"]),
    ("roundtableURL", lambda r: r["roundtable"]["url"]),
    ("forum", lambda r: r["forum"]["slug"]),
    ("forumName", lambda r: r["forum"]["name"]),
    ("date", lambda r: r["date"].isoformat() if r["date"] else None),
]
HEADER = [name for name, _ in COLUMNS]


def rows(records):
    for record in records:
        yield ["" if (value := get(record)) is None else value for _, get in COLUMNS]


def writer(stream):
    return csv.writer(stream, lineterminator="\r\n")


def speeches_csv(records):
    """The whole CSV text of these records, header first, BOM in front."""
    buffer = io.StringIO()
    buffer.write(BOM)
    out = writer(buffer)
    out.writerow(HEADER)
    out.writerows(rows(records))
    return buffer.getvalue()
