"""Public pages and feeds from the cache, never stale, and HTTP caching for browsers and CDNs.

One version for everything the public sees (forum.models.ContentVersion, one row): a new
random token whenever anything a public page shows is saved, published, unpublished or
deleted (model signals of the forum, articles and participants apps, connected in
forum.apps), and when the next scheduled publish time or takedown time (公開終了日時) has
come (the row keeps that time, articles.visibility.next_change; the first request after it
makes a new token, no background job).

`public_page` wraps a public view:
- the ETag is the release and the token, Last-Modified the time of the last change; a
  matching conditional GET gets 304 before the view runs, so a 304 costs no rendering;
- a 200 is kept in the cache with the token it was made with, and answered from there
  while the token is unchanged (PAGE_CACHE);
- Cache-Control lets a CDN keep the page briefly (s-maxage, stale-while-revalidate) and
  makes browsers revalidate every time (max-age=0).

Where the token is read: from the database (one query) when the cache is this process's
memory, since another process may have changed it; from the shared cache (Redis) when
there is one, in the same round trip as the page, with the database as the source of truth
whenever Redis has no copy (after VERSION_SECONDS, an eviction or an outage).

LocalPageMiddleware answers a page this process already served for the current token from
the process's own memory (LOCAL_PAGES, at most PAGE_CACHE_LOCAL_BYTES), with the same bytes
and headers, before most of the middleware: one read of the small version key per request
(Redis, else the database), and the page's bytes move only when this process lacks them.

With CDN_PURGE_URL set, each new version also purges the CDN in front, after the commit and
off the request path (forum/cdn.py).

Changes made without model signals (bulk_create, bulk_update, QuerySet.update) must call
`content_changed()`. During a request (ContentChangeMiddleware) and inside `batch()`,
many changes make one new token at the end, so saving a part of 500 turns costs one
update, not 500.
"""

import contextlib
import datetime
import hashlib
import logging
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.db.models.functions import Greatest
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from forum import cdn
from forum.fixed_queries import FixedQuery

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
# How long the shared cache keeps its copy of the version before reading the database again:
# the longest a change could go unseen if Redis was unreachable at the moment of the change.
VERSION_SECONDS = 30
# Query parameters a public page reads (forum.pagination's page, the sitemap's p); other
# parameters do not change the page and do not make another cache entry.
PAGE_PARAMETERS = ("page", "p")
CONTENT_APPS = frozenset({"forum", "articles", "participants"})
# Rows of those apps no public page shows: the version itself, and pending change requests
# (articles.ChangeRequest: the record is only changed, and the version with it, when one is applied).
PRIVATE_MODELS = frozenset({"contentversion", "changerequest"})

_state = threading.local()
_unsynced = threading.Event()  # the shared cache missed the last new version (Redis was down)


@dataclass(frozen=True)
class Version:
    token: str
    changed_at: datetime.datetime
    next_publish_at: datetime.datetime | None

    @property
    def last_modified(self):
        return int(self.changed_at.timestamp())


def _release():
    """A fingerprint of the code and templates that make the pages: a deploy that changes
    them changes every ETag and cache key, so nobody gets a page made by the old code."""
    if getattr(settings, "RELEASE", ""):
        return settings.RELEASE
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / name for name in ("forum", "articles", "participants", "templates", "locale")]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".xml", ".mo"} and "migrations" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = _release()


def _shared_cache():
    """Whether the cache is one every app process sees (Redis), not this process's own."""
    return not isinstance(caches["default"], (LocMemCache, DummyCache))


# --- reading the version -------------------------------------------------------------------


def _version_row():
    from forum.models import ContentVersion

    return ContentVersion.objects.filter(pk=1).values_list("token", "changed_at", "next_publish_at").order_by()[:1]


# Read on every request while the cache is this process's memory: its SQL built once.
_VERSION_ROW = FixedQuery(_version_row, name="content version")


def _version_from_database():
    from forum.models import ContentVersion

    row = _VERSION_ROW.first()
    if row is None:
        _new_version(create=True)
        row = _VERSION_ROW.first()
        if row is None:
            raise ContentVersion.DoesNotExist("the content version row could not be made")
    return Version(*row)


def _next_change(now):
    from articles.visibility import next_change

    return next_change(now)


def _next_change_at(now):
    from articles.visibility import next_change_at

    return next_change_at(now)


def _new_version(create=False, only_if_due=False):
    """Give the public content a new token (one UPDATE), in the current transaction if any."""
    from forum.models import ContentVersion

    now = timezone.now()
    rows = ContentVersion.objects.filter(pk=1)
    if only_if_due:
        # Several processes may see the same scheduled time pass: the first one moves on.
        rows = rows.filter(next_publish_at__lte=now)
    updated = rows.update(
        token=secrets.token_hex(16),
        # Whole seconds strictly increase, so that Last-Modified (1 s resolution) changes too.
        changed_at=Greatest(
            Value(now, output_field=DateTimeField()),
            ExpressionWrapper(F("changed_at") + datetime.timedelta(seconds=1), output_field=DateTimeField()),
        ),
        next_publish_at=_next_change(now),
    )
    if not updated and (create or not only_if_due):
        _, updated = ContentVersion.objects.get_or_create(
            pk=1,
            defaults={
                "token": secrets.token_hex(16),
                "changed_at": now,
                "next_publish_at": _next_change_at(now),
            },
        )
    if _shared_cache():
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(_publish_version, robust=True)
        else:
            _publish_version()
    if updated and cdn.configured():
        # After the commit (at once outside a transaction), from the purger's own thread.
        transaction.on_commit(cdn.content_changed, robust=True)


def _publish_version():
    """Put the database's version into the shared cache (set, so a reader's older copy loses)."""
    version = _version_from_database()
    if cache.set(VERSION_KEY, version, VERSION_SECONDS) is False:
        _unsynced.set()
    else:
        _unsynced.clear()
    return version


def _current(page_key=None):
    """(version, cached page entry or None) for this request."""
    entry = None
    if _shared_cache():
        if _unsynced.is_set():
            _publish_version()
        if page_key:
            values = cache.get_many([VERSION_KEY, page_key])
            version, entry = values.get(VERSION_KEY), values.get(page_key)
        else:
            version = cache.get(VERSION_KEY)
        if version is None:
            version = _version_from_database()
            cache.add(VERSION_KEY, version, VERSION_SECONDS)
    else:
        version = _version_from_database()
        if page_key:
            entry = cache.get(page_key)
    if version.next_publish_at and version.next_publish_at <= timezone.now():
        _new_version(only_if_due=True)
        version, entry = _version_from_database(), None
    return version, entry


def current_version():
    return _current()[0]


# --- recording changes ---------------------------------------------------------------------


def content_changed(**kwargs):
    """Something the public pages show changed: a new version now, or at the end of the batch."""
    if getattr(_state, "batch_depth", 0):
        _state.dirty = True
    else:
        _new_version()


@contextlib.contextmanager
def batch():
    """Make one new version for all the changes inside (on leaving, even after an error)."""
    _state.batch_depth = getattr(_state, "batch_depth", 0) + 1
    try:
        yield
    finally:
        _state.batch_depth -= 1
        if not _state.batch_depth and getattr(_state, "dirty", False):
            _state.dirty = False
            _new_version()


class ContentChangeMiddleware:
    """One new version per request that changed public content, before the response leaves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with batch():
            return self.get_response(request)


def _model_changed(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS and sender._meta.model_name not in PRIVATE_MODELS:
        content_changed()


def _m2m_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        _model_changed(sender)


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_model_changed, dispatch_uid="page_cache_save")
    post_delete.connect(_model_changed, dispatch_uid="page_cache_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="page_cache_m2m")


# --- serving -------------------------------------------------------------------------------


def _page_key(request):
    query = "&".join(f"{name}={request.GET.get(name)}" for name in PAGE_PARAMETERS if name in request.GET)
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()[:32]
    return f"page:{RELEASE}:{digest}"


def _etag(version):
    return quote_etag(f"{RELEASE}-{version.token}")


def _add_headers(response, version):
    response["ETag"] = _etag(version)
    response["Last-Modified"] = http_date(version.last_modified)
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.CDN_MAX_AGE,
        stale_while_revalidate=settings.CDN_STALE_WHILE_REVALIDATE,
    )
    return response


def public_page(view):
    """Serve a public view (GET/HEAD) through the content version: 304s without rendering,
    200s from the cache while nothing changed, CDN-friendly Cache-Control."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = _page_key(request) if settings.PAGE_CACHE else None
        # A request with validators is most often answered 304: ask for the version alone
        # (not the page's bytes, up to megabytes for a feed), and for the page only if it is not.
        validators = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
        # LocalPageMiddleware may have read the version in this request already.
        version, entry = request.__dict__.pop("_content_version", None), None
        fetched = False
        if version is None:
            version, entry = _current(None if validators else key)
            fetched = not validators
        etag = _etag(version)
        conditional = get_conditional_response(request, etag=etag, last_modified=version.last_modified)
        if conditional is not None:
            return _add_headers(conditional, version)
        if key and not fetched:
            entry = cache.get(key)
        if entry is not None and entry[0] == version.token:
            _, status, headers, content = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return _keepable(response, key, version)
        with serving(version):
            response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render"):
            response.render()
        _add_headers(response, version)
        if key and not response.cookies and not response.has_header("Vary"):
            cache.set(key, (version.token, response.status_code, list(response.items()), response.content))
            _keepable(response, key, version)
        return response

    wrapper.uncached = view  # the view itself, for benchmarks
    return wrapper


# --- what many pages print alike, made once per version ------------------------------------


class SharedParts:
    """Values many public pages print alike (the footer's settings, a forum's back numbers, a
    roundtable's public parts), each made once per content token in this process: a page made
    for the current token takes them from here, and a new token empties the store, so they are
    exactly as fresh as the cached pages (never stale across processes: the token is read on
    every request). At most `max_items`; past that the store starts again. The values are
    shared between requests and threads: what is kept here must only ever be read."""

    def __init__(self, max_items):
        self.max_items = max_items
        self._lock = threading.Lock()
        self._values = {}
        self._token = None

    def get(self, key, token, make):
        with self._lock:
            if token != self._token:
                self._values, self._token = {}, token
            if key in self._values:
                return self._values[key]
        value = make()  # outside the lock: it reads the database
        with self._lock:
            if token == self._token:
                if len(self._values) >= self.max_items:
                    self._values = {}
                self._values[key] = value
        return value

    def clear(self):
        with self._lock:
            self._values, self._token = {}, None


SHARED_PARTS = SharedParts(1000)  # a few per forum and roundtable: small model lists and sets
_serving = threading.local()


@contextlib.contextmanager
def serving(version):
    """Make a public page for `version` (public_page does it around the view)."""
    previous = getattr(_serving, "version", None)
    _serving.version = version
    try:
        yield
    finally:
        _serving.version = previous


def shared_part(key, make):
    """make(), or what it gave for another page made for the same content version in this
    process. Outside a public page (a preview, the admin, an error page, a command) there is
    no version to go by, and make() runs every time. `key` names what is made and for what
    (("back-numbers", forum.pk)); make() must read what it needs from the database itself."""
    version = getattr(_serving, "version", None)
    if version is None:
        return make()
    return SHARED_PARTS.get(key, version.token, make)


# --- this process's own copies of finished pages --------------------------------------------


_OWN_HEADERS = frozenset({"etag", "last-modified", "cache-control"})  # _add_headers'


def _keepable(response, key, version):
    """Mark a public page's 200 for LocalPageMiddleware (which decides once the inner
    middleware has added its headers), with the names of the headers the view itself set:
    a 304 made before the view has none of them."""
    view_headers = frozenset(name.lower() for name in response.headers) - _OWN_HEADERS
    response._page_cache = (key, version, view_headers)
    return response


class LocalPage:
    __slots__ = ("content", "etag", "headers", "not_modified_headers", "size", "status", "store")

    def __init__(self, response, etag, view_headers):
        self.status = response.status_code
        self.headers = dict(response.items())
        # The headers as Django holds them (checked and encoded once, when the page was made):
        # copying them is ~1 µs, setting each one again through HttpResponse ~25 µs.
        self.store = dict(response.headers._store)
        self.content = response.content
        self.etag = etag
        self.size = len(self.content) + sum(len(name) + len(value) for name, value in self.headers.items())
        # The 304 of this page as the long way makes it: get_conditional_response answers
        # before the view (none of the view's headers, Content-Type included), _add_headers
        # gives the validators and Cache-Control, the middleware the rest (Content-Length 0).
        self.not_modified_headers = {
            name: value
            for name, value in self.headers.items()
            if name.lower() not in view_headers and name.lower() != "content-length"
        }
        self.not_modified_headers["Content-Length"] = "0"

    def response(self):
        response = HttpResponse(self.content, status=self.status)
        response.headers._store = self.store.copy()
        return response

    def not_modified(self):
        return HttpResponseNotModified(headers=self.not_modified_headers)


class LocalPages:
    """Finished pages (body and every header the middleware inside LocalPageMiddleware added),
    for one content token: a new token empties it. Least recently used go first once the
    bodies and headers pass `max_bytes`; a page larger than a quarter of it is not kept."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._pages = OrderedDict()
        self._token = None
        self.size = 0

    def __contains__(self, key):
        return key in self._pages

    def __len__(self):
        return len(self._pages)

    def get(self, key, token):
        with self._lock:
            if token != self._token:
                self._empty(token)
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key, token, page):
        if page.size > self.max_bytes // 4:
            return
        with self._lock:
            if token != self._token:
                self._empty(token)
            old = self._pages.pop(key, None)
            if old is not None:
                self.size -= old.size
            self._pages[key] = page
            self.size += page.size
            while self.size > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self.size -= evicted.size

    def clear(self):
        with self._lock:
            self._empty(None)

    def _empty(self, token):
        self._pages.clear()
        self._token = token
        self.size = 0


_CONDITIONAL_HEADERS = frozenset(
    {"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE"}
)
LOCAL_PAGES = LocalPages(getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024))


class LocalPageMiddleware:
    """A public page this process has already served for the current content version is
    answered here, with the same bytes and headers, before the rest of the middleware and the
    view: one read of the content version (the small token, from Redis when it is shared, else
    the database) and no other work. Not stale across processes: the token is read on every
    request, and a page is only ever answered for the token it was made with.

    It sits after the middleware that must see every request (SecurityMiddleware's HTTPS
    redirect and headers, CORS, RequestGuardMiddleware) and before the rest (CSP, sessions,
    locale, CSRF, auth, messages, X-Frame-Options, axes), whose headers it keeps with the page:
    a page is kept only when they made it the same for every reader (no cookie set, no
    Vary: Cookie, no CSP nonce). ALLOWED_HOSTS is checked as CommonMiddleware would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = None
        if request.method in ("GET", "HEAD") and settings.PAGE_CACHE:
            key = _page_key(request)
            if key in LOCAL_PAGES and not settings.DISALLOWED_USER_AGENTS:
                response = self._answer(request, key)
                if response is not None:
                    return response
        response = self.get_response(request)
        kept = getattr(response, "_page_cache", None)
        if kept is not None and kept[0] == key and self._same_for_everyone(request, response):
            _, version, view_headers = kept
            LOCAL_PAGES.put(key, version.token, LocalPage(response, _etag(version), view_headers))
        return response

    @staticmethod
    def _answer(request, key):
        request.get_host()  # DisallowedHost (400) for a Host not in ALLOWED_HOSTS
        version, _ = _current()
        page = LOCAL_PAGES.get(key, version.token)
        if page is None:
            request._content_version = version  # the view's wrapper needs not read it again
            return None
        if not _CONDITIONAL_HEADERS.intersection(request.META):
            return page.response()
        conditional = get_conditional_response(request, etag=page.etag, last_modified=version.last_modified)
        if conditional is None:
            return page.response()
        if conditional.status_code == 304:
            return page.not_modified()
        return None  # 412 (If-Match, If-Unmodified-Since): the long way

    @staticmethod
    def _same_for_everyone(request, response):
        vary = response.get("Vary", "").lower()
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "cookie" not in vary
            and not isinstance(getattr(request, "_csp_nonce", None), str)
        )


def forget_local_pages():
    """Empty this process's copies (tests, and anything that empties the shared cache)."""
    LOCAL_PAGES.clear()
    SHARED_PARTS.clear()
