"""What RSS 2.0 and Atom 1.0 (RFC 4287) require, checked on the XML itself.

feedparser is lenient (a feed without a channel description or an entry without an id
still parses with bozo == 0), so the feed tests also run these checks. Each returns a
list of problems, empty when the feed is conforming.
"""

import email.utils
import re
import xml.dom.minidom
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def parse_xml(body):
    """The root element; raises if the document is not well-formed XML (two parsers agree)."""
    xml.dom.minidom.parseString(body)
    return ET.fromstring(body)


def _text(element, path, namespaces=None):
    found = element.find(path, namespaces)
    return (found.text or "").strip() if found is not None else None


def _is_absolute(iri):
    return bool(iri) and bool(urlsplit(iri).scheme)


def rss_problems(root, self_url):
    problems = []
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f'root is <{root.tag} version={root.get("version")!r}>, not <rss version="2.0">']
    channels = root.findall("channel")
    if len(channels) != 1:
        return [f"{len(channels)} <channel> elements"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if not _text(channel, name):
            problems.append(f"channel <{name}> missing or empty")
    if not _is_absolute(_text(channel, "link")):
        problems.append("channel <link> is not an absolute URL")
    if _text(channel, "language") != "ja":
        problems.append("channel <language> is not ja")
    selves = [link.get("href") for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if selves != [self_url]:
        problems.append(f"atom:link rel=self is {selves}, expected [{self_url}]")
    for index, item in enumerate(channel.findall("item")):
        where = f"item {index}"
        if not (_text(item, "title") or _text(item, "description")):
            problems.append(f"{where}: neither <title> nor <description>")
        if not _is_absolute(_text(item, "link")):
            problems.append(f"{where}: <link> is not an absolute URL")
        if not _text(item, "guid"):
            problems.append(f"{where}: no <guid>")
        pubdate = _text(item, "pubDate")
        if not pubdate or email.utils.parsedate_to_datetime(pubdate) is None:
            problems.append(f"{where}: <pubDate> {pubdate!r} is not an RFC 822 date")
        for enclosure in item.findall("enclosure"):
            if not (
                _is_absolute(enclosure.get("url"))
                and (enclosure.get("length") or "").isdigit()
                and enclosure.get("type")
            ):
                problems.append(f"{where}: <enclosure> lacks an absolute url, a length or a type")
    return problems


def atom_problems(root, self_url):
    problems = []
    if root.tag != f"{ATOM}feed":
        return [f"root is <{root.tag}>, not atom:feed"]
    problems += _atom_common(root, "feed")
    if root.get("{http://www.w3.org/XML/1998/namespace}lang") != "ja":
        problems.append("feed xml:lang is not ja")
    selves = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if selves != [self_url]:
        problems.append(f"link rel=self is {selves}, expected [{self_url}]")
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    for index, entry in enumerate(root.findall(f"{ATOM}entry")):
        where = f"entry {index}"
        problems += _atom_common(entry, where)
        if not feed_has_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"{where}: no atom:author, and the feed has none")
        alternates = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        if len(alternates) != 1 or not _is_absolute(alternates[0].get("href")):
            problems.append(f"{where}: needs exactly one absolute link rel=alternate, has {len(alternates)}")
        published = _text(entry, f"{ATOM}published")
        if published is not None and not RFC3339.match(published):
            problems.append(f"{where}: published {published!r} is not RFC 3339")
        for link in entry.findall(f"{ATOM}link"):
            if link.get("rel") == "enclosure" and not (link.get("length") or "").isdigit():
                problems.append(f"{where}: enclosure link without a length")
    return problems


def _atom_common(element, where):
    """atom:id, atom:title and atom:updated: exactly one each, id an IRI, updated RFC 3339."""
    problems = []
    for name in ("id", "title", "updated"):
        found = element.findall(f"{ATOM}{name}")
        if len(found) != 1 or not (found[0].text or "").strip():
            problems.append(f"{where}: needs exactly one non-empty atom:{name}, has {len(found)}")
    if not _is_absolute(_text(element, f"{ATOM}id")):
        problems.append(f"{where}: atom:id is not an absolute IRI")
    updated = _text(element, f"{ATOM}updated")
    if updated and not RFC3339.match(updated):
        problems.append(f"{where}: updated {updated!r} is not RFC 3339")
    return problems
