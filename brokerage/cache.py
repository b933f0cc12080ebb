"""Django's Redis cache, made a cache: when Redis is unreachable a read is a miss and a write
is skipped (logged once per outage, `brokerage.outages`), instead of an error that would turn
every request into a 500."""

import functools

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from brokerage.outages import CACHE

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


class ForgivingRedisCache(RedisCache):
    """`incr`/`decr` still raise: a counter that silently stays put would be wrong, and
    nothing here uses them."""

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
