"""gunicorn settings for production: `gunicorn -c forum/gunicorn.conf.py forum.wsgi` (make serve).

Sync workers: the pages are CPU-bound Python and come mostly from the cache; two per core
keeps the cores busy while one waits on the database or Redis. All from the environment
(GUNICORN_WORKER_CLASS, GUNICORN_THREADS and GUNICORN_KEEPALIVE too). Measured on the 2-core
bench machine (bench/production_stack.py's stack, wrk -c32): gthread with 4 threads and
keep-alive cost ~30 % more CPU per request than sync for the trivial view and the cached page
alike (the threads contend for the GIL), so sync stays the default.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "2"))
# Load the app once in the master: workers share its memory pages and start at once.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle a worker now and then, so that a slow leak can never grow without bound. Not too
# often: a worker's restart leaves the others alone for up to a second (the master notices once
# a second), and a new worker starts with no page in its memory (forum.page_cache.LOCAL_PAGES).
# At 5,000 a cached page served at ~1,000 requests/s recycled each worker every ~10 s and the
# gaps made most of the p99 (1.8 s against 0.1 s between them). Memory does not need it: a
# worker's page copies are bounded by PAGE_CACHE_LOCAL_MB.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("ACCESS_LOG", "-") or None  # ACCESS_LOG= (empty) turns it off
errorlog = "-"
# Behind a proxy on the same machine: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


# The garbage collector's full passes walk every object the process holds, and most are the
# app's own (modules, classes, URL patterns, compiled templates: about 95,000 objects once a
# search page has been served): each pass took 45-70 ms on the 2-core bench machine, landing
# on whichever request happened to be running (the p95 of bench/search.py: 81 ms for a search
# whose p50 is 24). gc.freeze() leaves the objects alive at that moment out of every later
# pass (they live as long as the process anyway): once in the master after the app is loaded
# (the workers inherit it, and their copy-on-write pages stay shared), and once in each worker
# after its first request, which loads what Django loads lazily (templates, translations).
def when_ready(server):
    gc.collect()
    gc.freeze()


_first_request_done = False


def post_request(worker, req, environ, resp):
    global _first_request_done
    if not _first_request_done:
        _first_request_done = True
        gc.collect()
        gc.freeze()
