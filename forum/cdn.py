"""Purge the CDN in front of the site when the public content changes.

The public pages carry `s-maxage=CDN_MAX_AGE` (forum/page_cache.py), so without a purge an edit
can take that long to reach readers behind a CDN. With CDN_PURGE_URL set, every new content
version (forum.page_cache._new_version: a save, a publish or takedown, a scheduled time come)
sends one purge request, after the change is committed, from a thread of its own: a save never
waits for the CDN and never fails because of it; what happened is logged (forum.cdn).

Purge everything, not page by page: the site has one content version, and a change to one part
changes the lists, feeds, sitemap and person pages that show it as well, so every ETag changes
at once; a purge of everything is what the origin already says. Fastly's purge_all and
Cloudflare's purge_everything are one request each (their soft purges keep the old copy for
stale-while-revalidate while the CDN asks again).

Changes close together make one purge: the first waits GATHER_SECONDS for others, and while
a purge is waiting or being sent, new versions only ask for one more after it (a batch of saves, or one request saving many rows, is one
version already, forum.page_cache.batch). A failure is retried (RETRY_DELAYS), then logged
as a warning; the next change purges again.

Settings (from the environment, forum/settings.py): CDN_PURGE_URL, CDN_PURGE_METHOD (POST),
CDN_PURGE_HEADERS (a JSON object; "{token}" in a value is replaced by CDN_PURGE_TOKEN, so the
secret can live in its own variable), CDN_PURGE_BODY, CDN_PURGE_TIMEOUT (seconds).
"""

import atexit
import logging
import os
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

RETRY_DELAYS = (1.0, 5.0)  # seconds before the second and the third attempt
# How long the first ask waits for others: one save outside a request (a command, the shell)
# makes a version per row it writes, microseconds apart; they make one purge.
GATHER_SECONDS = 0.2


def configured():
    return bool(getattr(settings, "CDN_PURGE_URL", ""))


def _request():
    token = settings.CDN_PURGE_TOKEN
    headers = {name: str(value).replace("{token}", token) for name, value in settings.CDN_PURGE_HEADERS.items()}
    body = settings.CDN_PURGE_BODY.encode() if settings.CDN_PURGE_BODY else None
    return urllib.request.Request(
        settings.CDN_PURGE_URL, data=body, headers=headers, method=settings.CDN_PURGE_METHOD.upper()
    )


def purge():
    """Send the purge now, retrying; True when the CDN accepted it (2xx). Never raises."""
    url, method = settings.CDN_PURGE_URL, settings.CDN_PURGE_METHOD.upper()
    for attempt in range(len(RETRY_DELAYS) + 1):
        if attempt:
            time.sleep(RETRY_DELAYS[attempt - 1])
        started = time.monotonic()
        try:
            with urllib.request.urlopen(_request(), timeout=settings.CDN_PURGE_TIMEOUT) as response:
                status = response.status
                response.read(4096)
        except urllib.error.HTTPError as error:
            status, problem = error.code, error.read(300).decode("utf-8", "replace")
        except (OSError, ValueError) as error:  # refused, timed out, DNS, a malformed URL
            status, problem = None, f"{type(error).__name__}: {error}"
        except Exception as error:  # noqa: BLE001 - the CDN must never break the site
            status, problem = None, f"{type(error).__name__}: {error}"
        else:
            problem = ""
        if status is not None and 200 <= status < 300:
            logger.info(
                "CDN purge sent: %s %s -> %s in %.0f ms", method, url, status, (time.monotonic() - started) * 1000
            )
            return True
        if status is not None and 400 <= status < 500 and status not in (408, 429):
            break  # refused (a wrong token, URL or body): asking again will not help
        logger.info(
            "CDN purge attempt %d failed: %s %s -> %s %s",
            attempt + 1,
            method,
            url,
            status if status is not None else "no answer",
            problem,
        )
    logger.warning(
        "CDN purge failed: %s %s -> %s %s; readers behind the CDN may see the old pages for up to CDN_MAX_AGE (%s s)",
        method,
        url,
        status if status is not None else "no answer",
        problem,
        settings.CDN_MAX_AGE,
    )
    return False


class _Purger:
    """One thread per process that sends the purges asked for, one at a time, several asks
    waiting together making one purge."""

    def __init__(self):
        self._lock = threading.Lock()
        self._wanted = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = None
        self._pid = None

    def ask(self):
        with self._lock:
            self._idle.clear()
            self._wanted.set()
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()  # a new process (gunicorn forks): a thread of its own
                self._thread = threading.Thread(target=self._run, name="cdn-purge", daemon=True)
                self._thread.start()

    def _run(self):
        while True:
            self._wanted.wait()
            time.sleep(GATHER_SECONDS)
            with self._lock:
                self._wanted.clear()
            try:
                purge()
            finally:
                with self._lock:
                    if not self._wanted.is_set():
                        self._idle.set()

    def wait(self, timeout=None):
        """Until every purge asked for is sent (True) or `timeout` passed (False)."""
        return self._idle.wait(timeout)


_purger = _Purger()


def content_changed():
    """The public content has a new version (committed): purge the CDN, off this thread."""
    if configured():
        _purger.ask()


def wait(timeout=None):
    return _purger.wait(timeout)


@atexit.register
def _send_before_exit():
    """A management command (an import, load_demo) ends right after its change: send the purge
    it asked for before the process goes, within a bound."""
    if not _purger._idle.is_set():
        bound = settings.CDN_PURGE_TIMEOUT * (len(RETRY_DELAYS) + 1) + sum(RETRY_DELAYS)
        if not _purger.wait(bound):
            logger.warning("CDN purge still pending at exit after %.0f s; given up", bound)
