"""Bounded caches: every cache filterbank keeps is one of these, listed in one registry.

A `BoundedCache` is a thread-safe least-recently-used map bounded both
by its number of entries and by the bytes its entries hold (each entry's size
is given when it is stored). Plans, banks, kernels and traced or compiled
TensorFlow functions each live in one named cache, so memory stays bounded
however many shapes, wavelets and modes a process sees::

    >>> import filterbank as fb
    >>> {"compiled", "kernels", "plans"} <= set(fb.cache_info())
    True
    >>> fb.clear_caches()  # drop everything (compiled functions included)

Limits can be changed with `set_cache_limits`. No TensorFlow here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple, TypeVar

from filterbank.errors import InputError

__all__ = ["BoundedCache", "CacheInfo", "cache_info", "clear_caches", "named_cache", "set_cache_limits"]

_V = TypeVar("_V")


class CacheInfo(NamedTuple):
    """Occupancy and limits of one cache."""

    entries: int
    bytes: int
    max_entries: int
    max_bytes: int
    hits: int
    misses: int
    evictions: int


class BoundedCache:
    """A least-recently-used map bounded by entry count and by total bytes.

    Parameters
    ----------
    name : str
        Name in the registry (`cache_info`).
    max_entries : int
        At most this many entries are kept.
    max_bytes : int
        The sizes of the kept entries add up to at most this (an entry larger
        than the whole budget is returned but not kept).

    Examples
    --------
    >>> c = BoundedCache("example", max_entries=2, max_bytes=100)
    >>> c.get_or_create("a", lambda: 1, nbytes=10), c.get_or_create("b", lambda: 2, nbytes=10)
    (1, 2)
    >>> _ = c.get_or_create("c", lambda: 3, nbytes=10)  # evicts "a", the least recently used
    >>> sorted(c.keys()), c.info().evictions
    (['b', 'c'], 1)
    """

    def __init__(self, name: str, max_entries: int, max_bytes: int):
        self.name = name
        self._data: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.RLock()
        self._bytes = self._hits = self._misses = self._evictions = 0
        self.max_entries, self.max_bytes = _limit("max_entries", max_entries), _limit("max_bytes", max_bytes)

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value stored under ``key`` (marked most recently used), or ``default``."""
        with self._lock:
            item = self._data.get(key)
            if item is None:
                self._misses += 1
                return default
            self._hits += 1
            self._data.move_to_end(key)
            return item[0]

    def peek(self, key: Hashable) -> Any:
        """The value under ``key`` (None when missing), without the lock and without refreshing its recency.

        For hot paths: about 0.3 us less than `get`. Entries read only
        through ``peek`` are evicted in the order they were stored, which
        suits a cache whose entries are cheap to make again (the call memo).
        Safe under the GIL: the map's own get is atomic.

        Examples
        --------
        >>> c = BoundedCache("peek example", max_entries=2, max_bytes=100)
        >>> c.put("a", 1), c.peek("a"), c.peek("b")
        (1, 1, None)
        """
        item = self._data.get(key)
        if item is None:
            self._misses += 1
            return None
        self._hits += 1
        return item[0]

    def put(self, key: Hashable, value: Any, nbytes: int = 0) -> Any:
        """Store ``value`` (of size ``nbytes``) under ``key``, evicting as needed; return ``value``."""
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if nbytes <= self.max_bytes and self.max_entries > 0:
                self._data[key] = (value, int(nbytes))
                self._bytes += int(nbytes)
            self._shrink()
            return value

    def get_or_create(self, key: Hashable, factory: Callable[[], _V], nbytes: int | Callable[[_V], int] = 0) -> _V:
        """The value under ``key``, made by ``factory()`` and stored when missing.

        ``nbytes`` is the entry's size, or a function of the new value giving it.
        """
        with self._lock:
            item = self._data.get(key)
            if item is not None:
                self._hits += 1
                self._data.move_to_end(key)
                return item[0]  # type: ignore[no-any-return]
            self._misses += 1
        value = factory()  # outside the lock: factories may be slow or use other caches
        size = nbytes(value) if callable(nbytes) else nbytes
        with self._lock:
            item = self._data.get(key)  # another thread may have made it meanwhile
            if item is not None:
                return item[0]  # type: ignore[no-any-return]
            self.put(key, value, size)
        return value

    def discard(self, key: Hashable) -> None:
        """Forget ``key`` if present."""
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= old[1]

    def keys(self) -> list[Hashable]:
        """The keys, least recently used first."""
        with self._lock:
            return list(self._data)

    def clear(self) -> None:
        """Drop every entry (statistics are kept)."""
        with self._lock:
            self._data.clear()
            self._bytes = 0

    def set_limits(self, max_entries: int | None = None, max_bytes: int | None = None) -> None:
        """Change the limits (evicting at once if the cache is now over them)."""
        with self._lock:
            if max_entries is not None:
                self.max_entries = _limit("max_entries", max_entries)
            if max_bytes is not None:
                self.max_bytes = _limit("max_bytes", max_bytes)
            self._shrink()

    def info(self) -> CacheInfo:
        """Current occupancy, limits and hit statistics."""
        with self._lock:
            return CacheInfo(
                len(self._data), self._bytes, self.max_entries, self.max_bytes, self._hits, self._misses, self._evictions
            )

    def _shrink(self) -> None:
        while self._data and (len(self._data) > self.max_entries or self._bytes > self.max_bytes):
            _, (_, size) = self._data.popitem(last=False)
            self._bytes -= size
            self._evictions += 1


def _limit(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{name} must be a non-negative integer; got {value!r}")
    return value


_REGISTRY: dict[str, BoundedCache] = {}
_REGISTRY_LOCK = threading.Lock()


def named_cache(name: str, max_entries: int, max_bytes: int) -> BoundedCache:
    """The registered cache called ``name``, created with these limits the first time."""
    with _REGISTRY_LOCK:
        cache = _REGISTRY.get(name)
        if cache is None:
            cache = _REGISTRY[name] = BoundedCache(name, max_entries, max_bytes)
        return cache


def cache_info() -> dict[str, CacheInfo]:
    """Occupancy and limits of every filterbank cache, by name.

    Examples
    --------
    >>> info = cache_info()
    >>> info["plans"].max_entries >= 1
    True
    """
    with _REGISTRY_LOCK:
        caches = dict(_REGISTRY)
    return {name: c.info() for name, c in sorted(caches.items())}


def clear_caches() -> None:
    """Empty every filterbank cache: plans, banks, kernels and compiled functions.

    Memory held by TensorFlow for the dropped functions is released when
    Python frees them. Call counts that decide when a shape is compiled
    start again from zero.
    """
    with _REGISTRY_LOCK:
        caches = list(_REGISTRY.values())
    for c in caches:
        c.clear()


def set_cache_limits(name: str, *, max_entries: int | None = None, max_bytes: int | None = None) -> None:
    """Change the limits of the cache ``name`` (one of `cache_info`'s keys).

    Examples
    --------
    >>> set_cache_limits("plans", max_entries=1024)
    >>> cache_info()["plans"].max_entries
    1024
    """
    with _REGISTRY_LOCK:
        cache = _REGISTRY.get(name)
        names = sorted(_REGISTRY)
    if cache is None:
        from filterbank.errors import check_option

        check_option("name", name, names)
    assert cache is not None
    cache.set_limits(max_entries, max_bytes)
