"""Django's Redis cache, made a cache: when Redis is unreachable a read is a miss and a write
is skipped (logged once per outage, `brokerage.infra.outages`), instead of an error that would turn
every request into a 500."""

import functools

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

from brokerage.infra.outages import CACHE

# What each operation answers while Redis is unreachable: a miss, or nothing written.
_WHEN_DOWN = {
    "add": False,
    "get": None,  # replaced by the caller's default
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "set_many": [],
    "delete_many": None,
    "clear": False,
}


def _forgiving(name: str):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            result = method(self, *args, **kwargs)
        except RedisError as error:
            CACHE.failed(error)
            if name == "get":
                return kwargs.get("default", args[1] if len(args) > 1 else None)
            return _WHEN_DOWN[name]
        CACHE.succeeded()
        return result

    return call


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new `redis.Redis` around the same connection pool on every cache call
    (0.1–0.2 ms each, two calls a cached read); one per pool does the same work. A client is
    safe to share between threads: each command takes a connection from the pool."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write: bool = False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    """`incr`/`decr` still raise: a counter that silently stays put would be wrong, and
    nothing here uses them."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    add = _forgiving("add")
    get = _forgiving("get")
    set = _forgiving("set")
    touch = _forgiving("touch")
    delete = _forgiving("delete")
    get_many = _forgiving("get_many")
    has_key = _forgiving("has_key")
    set_many = _forgiving("set_many")
    delete_many = _forgiving("delete_many")
    clear = _forgiving("clear")
