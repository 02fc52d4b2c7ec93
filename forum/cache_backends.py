"""Django's Redis cache, failing open: a Redis outage is a cache miss, never an error page.

The cache only ever holds copies (rendered pages, the content version read from the
database, see forum/page_cache.py), so losing it costs speed, not correctness. When a call
fails, it is logged once, and Redis is left alone for RETRY_AFTER_SECONDS so that each
request does not wait for a connection timeout again.
"""

import logging
import os
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis (with its table of ~170 response callbacks) for
    every cache call, which cost a cached page about as much as the rest of its request; one
    per connection pool is enough (redis.Redis is thread-safe; the pool holds the
    connections, and redis-py makes a new pool's connections after a fork)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    RETRY_AFTER_SECONDS = 5.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0
        self._own = threading.local()  # this thread's connection for get(), see _connection()

    @property
    def available(self):
        """False while Redis is being left alone after a failure."""
        return time.monotonic() >= self._down_until

    def _call(self, name, default, *args, **kwargs):
        if not self.available:
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except (RedisError, OSError) as error:
            self._failed(error)
            return default

    def _failed(self, error):
        if self.available:
            logger.warning(
                "Redis cache unavailable (%s: %s); serving without it for %.0f s",
                type(error).__name__,
                error,
                self.RETRY_AFTER_SECONDS,
            )
        self._down_until = time.monotonic() + self.RETRY_AFTER_SECONDS

    def _connection(self):
        """This thread's own connection, made with the pool's settings (address, database,
        password, TLS, timeouts), new after a fork. get() is on every cached page's path
        (forum/page_cache.py reads the content version each request): redis.Redis.get through
        the pool costs ~50 µs and Django's layer as much again (retries, pool bookkeeping and
        observability hooks, response callbacks); one GET on a kept connection costs ~25 µs."""
        own = self._own
        if getattr(own, "pid", None) != os.getpid():
            pool = self._cache._get_connection_pool(False)
            own.connection = pool.connection_class(**pool.connection_kwargs)
            own.pid = os.getpid()
            own.commands = {}
        return own

    # Reads answer a miss; writes answer False (Django's set() returns None) so a caller
    # that must know whether a write reached Redis can tell.
    def get(self, key, default=None, version=None):
        if not self.available:
            return default
        own = self._connection()
        connection = own.connection
        command = own.commands.get((key, version))
        if command is None:
            if len(own.commands) > 256:  # page keys are many; keep the packed commands bounded
                own.commands.clear()
            made = self.make_and_validate_key(key, version=version)
            command = own.commands[key, version] = connection.pack_command("GET", made)
        try:
            connection.send_packed_command(command)  # connects (again) when needed
            value = connection.read_response(disable_decoding=True)
        except (RedisError, OSError) as error:
            connection.disconnect()
            self._failed(error)
            return default
        except BaseException:  # interrupted mid-answer: never read the rest as the next answer
            connection.disconnect()
            raise
        return default if value is None else self._cache._serializer.loads(value)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", False, key, value, timeout, version) is not False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        # Django raises ValueError for a missing key; that stays. Redis errors fail open.
        return self._call("incr", None, key, delta, version)

    def clear(self):
        """Delete this site's keys only (Django's clear() would flush the whole Redis
        database, other sites' and test runs' keys included)."""
        if not self.available:
            return False
        try:
            client = self._cache.get_client(write=True)
            pattern = self.make_key("*").replace(":1:*", ":*")
            for keys in _batched(client.scan_iter(match=pattern, count=500), 500):
                client.delete(*keys)
            return True
        except (RedisError, OSError):
            self._down_until = time.monotonic() + self.RETRY_AFTER_SECONDS
            return False


def _batched(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
