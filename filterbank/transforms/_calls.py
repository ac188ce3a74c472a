"""Calls that come back: the validated answer of a numpy-tier call, kept per argument signature.

A call's checks (wavelet resolution, mode, level, axes, lengths, the plan and
the tier) depend only on its *signature*: the hashable arguments and the
shape and dtype of each numpy array. The first call of a signature runs the
full path; when it ends on the numpy tier it stores the one thing a repeat
needs, a *runner* (the plan's numpy program plus the crop and layout of the
arrays), under that signature in the bounded ``"calls"`` cache. A repeat
with the same signature skips straight to the runner::

    fb.wavedec(x, "db4", level=3)   signature ("wavedec", "db4", ..., (1024,), "d")
        first call:  inspect, resolve, check, plan, tier  ->  runner stored
        repeats:     one dict lookup                      ->  runner(x)

A signature is only formed for exact ``numpy.ndarray`` inputs of a native
float or complex dtype and arguments that name a bank by value (a
PyWavelets or bundled name, or a `FilterBank`), so no repeat can differ from
its first call in anything the checks read. An entry is valid for the
process-wide policy it was made under (`filterbank.set_execution` makes a
new one) and never used inside a ``tf.function``; calls that warn (a level
past the useful depth) are never stored, so every such call warns.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

from filterbank.backend import tiers
from filterbank.cache import named_cache
from filterbank.design.bank import FilterBank, discrete_wavelets
from filterbank.spec.files import bundled_specs

__all__ = ["arrays_of", "find", "lookup", "positions", "signature", "store"]

_CALLS = named_cache("calls", max_entries=512, max_bytes=32 << 20)
_FLOATS = frozenset("fdFD")
_ATOMS = frozenset((str, int, bool, type(None)))  # option types that need no closer look


_NAMES: list[frozenset[str]] = []  # the names, once known (read inline on the quick path)


def _names() -> frozenset[str]:
    if not _NAMES:
        _NAMES.append(frozenset(discrete_wavelets()) | frozenset(bundled_specs()))
    return _NAMES[0]


def _by_value(wavelet: Any) -> bool:
    """Whether ``wavelet`` names one bank whatever the file system holds."""
    if isinstance(wavelet, tuple):
        return all(_by_value(w) for w in wavelet)
    return type(wavelet) is FilterBank or (type(wavelet) is str and wavelet in _names())


def _plain(value: Any) -> bool:
    """Option values that are hashable and compare by value (str, int, None, tuples of them)."""
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return value is None or type(value) in (str, int)


class _NoSignature(Exception):
    pass


def _layout(structure: Any) -> Any:
    """Shapes and dtypes of a structure of arrays, with its container types (dtypes are checked in `store`)."""
    kind = type(structure)
    if kind is np.ndarray:
        return structure.shape, structure.dtype
    if kind is list or kind is tuple or isinstance(structure, (list, tuple)):
        return kind, tuple(map(_layout, structure))
    if isinstance(structure, dict):
        return kind, tuple((k, _layout(v)) for k, v in structure.items())
    if structure is None:
        return None
    raise _NoSignature


def arrays_of(structure: Any) -> list[Any]:
    """The arrays (and None) of a coefficient structure, depth first."""
    if type(structure) is np.ndarray or structure is None:
        return [structure]
    if isinstance(structure, dict):
        structure = structure.values()
    out: list[Any] = []
    for item in structure:
        if type(item) is np.ndarray or item is None:
            out.append(item)
        else:
            out.extend(arrays_of(item))
    return out


def positions(raw: Any, present: list[Any]) -> list[int] | None:
    """Where each array of ``present`` sits among ``raw``'s arrays (`arrays_of` order).

    None when no positional runner can replay the call: one array in two
    places, arrays of mixed dtypes, or an array that is not in ``raw``.
    """
    if any(type(x) is not np.ndarray for x in present):
        return None
    flat = arrays_of(raw)
    ids = [id(x) for x in flat if x is not None]
    if len(set(ids)) != len(ids) or any(x.dtype != present[0].dtype for x in present):
        return None
    where = {id(x): i for i, x in enumerate(flat) if x is not None}
    try:
        return [where[id(x)] for x in present]
    except KeyError:
        return None


def _valid(layout: Any) -> bool:
    """Every array of a layout is a non-empty, n-d array of a native float or complex dtype."""
    if layout is None:
        return True
    first, rest = layout
    if isinstance(first, tuple):  # (shape, dtype)
        return bool(first) and all(first) and rest.char in _FLOATS and rest.isnative
    return all(_valid(v[1] if isinstance(first, type) and issubclass(first, dict) else v) for v in rest)


def _quick(kind: Hashable, data: Any, wavelet: str, options: tuple[Any, ...]) -> Hashable | None:
    """`signature` of the most common call, or None for the general path (about 0.5 us, where that takes 1.4).

    The common call: one numpy array (or idwt's pair of arrays), a wavelet
    named by a str, and options that are str, int, None, bool or tuples of
    ints. Values of those exact types compare equal only within one type,
    but for bool and int (``True == 1``): the options' types join the key
    only when a bool is among them, as in the general key.
    """
    layout = _flat_layout(data)
    if layout is None or wavelet not in (_NAMES[0] if _NAMES else _names()):
        return None
    types = None
    for v in options:
        t = type(v)
        if t is str or t is int or v is None:
            continue
        if t is bool:
            types = True
        elif t is not tuple or not all(type(i) is int for i in v):
            return None
    return (kind, wavelet, options, None if types is None else tuple(map(type, options)), layout, None)


def _flat_layout(data: Any) -> Any:
    """`_layout` of one numpy array or of idwt's pair of them, without recursion (None for anything else)."""
    kind_of = type(data)
    if kind_of is np.ndarray:
        return data.shape, data.dtype
    if kind_of is tuple and len(data) == 2:
        a, d = data
        if type(a) is np.ndarray and type(d) is np.ndarray:
            return tuple, ((a.shape, a.dtype), (d.shape, d.dtype))
    return None


def signature(kind: Hashable, data: Any, wavelet: Any, options: tuple[Any, ...]) -> Hashable | None:
    """The signature of a call, or None when it cannot have one (then the call takes the full path).

    ``data`` is the input array or a coefficient structure of arrays (lists,
    tuples, dicts, None); ``options`` are the call's other arguments. The key
    holds the options' types next to their values, so ``True`` and ``1`` stay
    apart (they are equal and hash alike).
    """
    if type(wavelet) is str:
        key = _quick(kind, data, wavelet, options)
        if key is not None:
            return key
        if wavelet not in _names():
            return None
    else:
        if isinstance(wavelet, list):
            wavelet = tuple(wavelet)
        if not _by_value(wavelet):
            return None
    types = tuple(map(type, options))
    if not _ATOMS.issuperset(types) and not all(
        _plain(v) for v, t in zip(options, types) if t not in _ATOMS
    ):
        return None
    flat = _flat_layout(data)
    if flat is not None:
        return (kind, wavelet, options, types, flat, None)
    try:
        layout = _layout(data)
    except _NoSignature:
        return None
    shape = getattr(data, "input_shape", None)
    if not _plain(shape):
        return None
    return (kind, wavelet, options, types, layout, shape)


def find(key: Hashable | None) -> Callable[..., Any] | None:
    """The runner stored under ``key``, if it is valid for this call."""
    if key is None:
        return None
    entry = _CALLS.peek(key)
    if entry is None or entry[0] is not tiers.execution_options() or tiers.in_graph():
        return None
    return entry[1]  # type: ignore[no-any-return]


def lookup(kind: Hashable, data: Any, wavelet: Any, options: tuple[Any, ...]) -> tuple[Hashable | None, Any]:
    """`signature` and `find` in one call: ``(key, runner or None)``; the key is for `store`."""
    key = signature(kind, data, wavelet, options)
    return key, find(key)


def store(key: Hashable | None, runner: Callable[..., Any], nbytes: int = 0) -> None:
    """Keep ``runner`` (holding ``nbytes`` of index arrays) for calls of signature ``key`` under the current policy."""
    if key is not None and _valid(key[4]):  # type: ignore[index]
        _CALLS.put(key, (tiers.execution_options(), runner), 64 + nbytes)
