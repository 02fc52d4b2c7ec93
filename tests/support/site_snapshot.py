"""Every public page, feed and media file of a site, as bytes (for the backup tests).

The SQLite ↔ PostgreSQL test runs print_digests() inside `manage.py shell` of each database.
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.test import Client

from forum.page_cache import forget_local_pages

FEED_HEADERS = ("ETag", "Last-Modified", "Content-Type")


def public_urls():
    from articles.models import Article
    from articles.visibility import public_forums, public_people, public_roundtables

    urls = ["/", "/sitemap.xml", "/robots.txt", "/feeds/rss/", "/feeds/atom/"]
    for forum in public_forums().order_by("pk"):
        urls += [forum.get_absolute_url(), f"/feeds/{forum.slug}/rss/", f"/feeds/{forum.slug}/atom/"]
    urls += [
        roundtable.get_absolute_url() for roundtable in public_roundtables().select_related("forum").order_by("pk")
    ]
    urls += [article.get_absolute_url() for article in Article.objects.published().order_by("pk")]
    urls += [person.get_absolute_url() for person in public_people().order_by("pk")]
    return urls


def snapshot():
    """{url: (status, headers, body)} and {media path: bytes}, pages first (they make renditions)."""
    cache.clear()
    forget_local_pages()  # this process's own copies too: the pages are made from the database
    client = Client()
    pages = {}
    for url in public_urls():
        response = client.get(url)
        headers = tuple((name, response.get(name)) for name in FEED_HEADERS)
        pages[url] = (response.status_code, headers, response.content)
    root = Path(settings.MEDIA_ROOT)
    media = (
        {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}
        if root.exists()
        else {}
    )
    return pages, media


def snapshot_digests():
    pages, media = snapshot()
    return {
        "pages": {
            url: [status, list(headers), hashlib.sha256(body).hexdigest()]
            for url, (status, headers, body) in pages.items()
        },
        "media": {name: hashlib.sha256(data).hexdigest() for name, data in media.items()},
    }


def print_digests():
    print(json.dumps(snapshot_digests(), ensure_ascii=False, sort_keys=True))
