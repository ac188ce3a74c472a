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
from functools import lru_cache
from typing import Any

import numpy as np

from filterbank.backend import tiers
from filterbank.cache import named_cache
from filterbank.design.bank import FilterBank, discrete_wavelets
from filterbank.spec.files import bundled_specs

__all__ = ["arrays_of", "find", "signature", "store"]

_CALLS = named_cache("calls", max_entries=512, max_bytes=1 << 20)
_FLOATS = frozenset("fdFD")


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(discrete_wavelets()) | frozenset(bundled_specs())


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


def _leaf(x: Any) -> Any:
    if x is None:
        return None
    if type(x) is np.ndarray and x.ndim and x.dtype.char in _FLOATS and x.dtype.isnative:
        return x.shape, x.dtype.char
    raise TypeError


def arrays_of(structure: Any) -> list[Any]:
    """The arrays (and None) of a coefficient structure, depth first."""
    if isinstance(structure, (list, tuple)):
        return [a for item in structure for a in arrays_of(item)]
    if isinstance(structure, dict):
        return [a for item in structure.values() for a in arrays_of(item)]
    return [structure]


def _layout(structure: Any) -> Any:
    if isinstance(structure, (list, tuple)):
        return (type(structure).__name__, tuple(_layout(item) for item in structure))
    if isinstance(structure, dict):
        return ("dict", tuple((k, _layout(v)) for k, v in structure.items()))
    return _leaf(structure)


def signature(kind: str, data: Any, wavelet: Any, options: tuple[Any, ...]) -> Hashable | None:
    """The signature of a call, or None when it cannot have one (then the call takes the full path).

    ``data`` is the input array or a coefficient structure of arrays (lists,
    tuples, dicts, None); ``options`` are the call's other arguments.
    """
    if isinstance(wavelet, list):
        wavelet = tuple(wavelet)
    flags = tuple(v for v in options if type(v) is bool)  # True is not 1 here: bool options stay apart
    if not _by_value(wavelet) or not _plain(tuple(v for v in options if type(v) is not bool)):
        return None
    try:
        layout = _leaf(data) if type(data) is np.ndarray else _layout(data)
    except (TypeError, AttributeError):
        return None
    shape = getattr(data, "input_shape", None)
    if not _plain(shape):
        return None
    return (kind, wavelet, options, flags, layout, shape)


def find(key: Hashable | None) -> Callable[..., Any] | None:
    """The runner stored under ``key``, if it is valid for this call."""
    if key is None:
        return None
    entry = _CALLS.get(key)
    if entry is None or entry[0] is not tiers.execution_options() or tiers.in_graph():
        return None
    return entry[1]  # type: ignore[no-any-return]


def store(key: Hashable | None, runner: Callable[..., Any]) -> None:
    """Keep ``runner`` for calls of signature ``key`` under the current policy."""
    if key is not None:
        _CALLS.put(key, (tiers.execution_options(), runner), 64)
