"""Read PyWavelets' coefficient layouts, refusing malformed ones before anything is converted.

The inverse transforms take nested lists, tuples and dicts (see
`filterbank.coeffs` for the layouts). The readers here walk that
structure once, check every array (`filterbank.backend.convert.inspect`, which
needs no TensorFlow for numpy input) and return the levels in one form: the
approximation and, coarsest first, one dict of detail arrays per level, keyed
by subband (``'d'``; ``'da'``, ``'ad'``, ``'dd'``; ``'aad'``, ...)::

    [cA, cD_2, cD_1]                    ->  cA, [{'d': cD_2}, {'d': cD_1}]
    [cA, (cH, cV, cD), ...]             ->  cA, [{'da': cH, 'ad': cV, 'dd': cD}, ...]
    [(cA_2, cD_2), (cA_1, cD_1)]  (SWT) ->  cA_2, [{'d': cD_2}, {'d': cD_1}]

Errors name the function, the position, the rule and what was received::

    waverec2: coeffs[1] must be a (cH, cV, cD) tuple; got a tuple of 2 item(s)
    waverecn: coeffs[1]: subband keys are strings of 'a' and 'd', one letter per axis; got 'xx'

Wrong nesting and unknown keys raise `CoefficientsError`; a leaf that is
no array at all raises `FilterBankTypeError`.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

import numpy as np

from filterbank.backend.convert import is_tensor
from filterbank.backend.convert import inspect
from filterbank.errors import CoefficientsError, FilterBankTypeError

__all__ = ["NAMES_2D", "Levels", "describe", "leaf", "read_dwt", "read_subbands", "read_swt"]

#: Subband keys of a 2-D detail tuple ``(cH, cV, cD)``.
NAMES_2D = ("da", "ad", "dd")

Kind = Literal["1d", "2d", "nd"]
Shapes = dict[str, tuple[Any, ...]]

_DETAIL = {"1d": "an array (cD)", "2d": "a (cH, cV, cD) tuple", "nd": "a dict of detail subbands"}
_SWT_PAIR = {"1d": "a (cA, cD) pair", "2d": "a (cA, (cH, cV, cD)) pair", "nd": "a dict of subbands"}


class Levels(NamedTuple):
    """A coefficient list read into one form.

    ``details`` holds one dict per level, coarsest first (values may be None);
    ``ndim`` is the number of dimensions the arrays share; ``letters`` the
    length of the subband keys (None when no dict names one).
    """

    approx: Any
    details: list[dict[str, Any]]
    ndim: int
    letters: int | None


def describe(x: Any) -> str:
    """A short account of a received value for an error message.

    Examples
    --------
    >>> describe((1, 2)), describe(None), describe("abc"), describe(np.ones((2, 3)))
    ('a tuple of 2 item(s)', 'None', "str 'abc'", 'an array of shape (2, 3)')
    """
    if x is None or isinstance(x, (bool, numbers.Number)):
        return repr(x)
    if isinstance(x, (str, bytes)):
        return f"{type(x).__name__} {x!r:.40}"
    if isinstance(x, Mapping):
        keys = ", ".join(repr(k) for k in list(x)[:8])
        return f"a dict with keys [{keys}{', ...' if len(x) > 8 else ''}]" if x else "an empty dict"
    if isinstance(x, (tuple, list)):
        return f"a {type(x).__name__} of {len(x)} item(s)" if x else f"an empty {type(x).__name__}"
    if hasattr(x, "shape") and hasattr(x, "dtype"):
        return f"an array of shape {tuple(x.shape)}"
    return type(x).__name__


def _holds_arrays(x: Any) -> bool:
    """True for a tuple or list that is structure (it holds arrays, dicts, tuples or None), not data."""
    return isinstance(x, (tuple, list)) and any(
        i is None or isinstance(i, (np.ndarray, Mapping, tuple)) or is_tensor(i) for i in x
    )


def _array_like(x: Any) -> bool:
    return (
        isinstance(x, (np.ndarray, np.generic, list, tuple, numbers.Number))
        or hasattr(x, "__array__")
        or hasattr(x, "__array_interface__")
        or is_tensor(x)
    )


def leaf(x: Any, func: str, path: str, shapes: Shapes | None = None, *, none: bool = True) -> tuple[Any, ...] | None:
    """Check the array at ``path`` (``None`` allowed if ``none``); return its shape, also recorded in ``shapes``.

    Examples
    --------
    >>> leaf([1.0, 2.0], "idwt", "cA")
    (2,)
    >>> leaf("ab", "idwt", "cA")
    Traceback (most recent call last):
    ...
    filterbank.errors.FilterBankTypeError: idwt: cA must be an array; got str 'ab'
    """
    where = f"{func}: {path}"
    if x is None:
        if none:
            return None
        raise CoefficientsError(f"{where} must be an array; got None")
    if isinstance(x, Mapping) or _holds_arrays(x):
        raise CoefficientsError(f"{where} must be an array; got {describe(x)} (one level of nesting too many?)")
    if isinstance(x, (str, bytes)) or not _array_like(x):
        raise FilterBankTypeError(f"{where} must be an array; got {describe(x)}")
    shape = inspect(x, where).shape
    if shapes is not None:
        shapes[path] = shape
    return shape


def _subbands(d: Mapping[Any, Any], where: str, *, approx: bool) -> int | None:
    """Check the keys of a dict of subbands; return their length (None when the dict is empty)."""
    for k in d:
        if not isinstance(k, str) or not k or set(k) - {"a", "d"}:
            raise CoefficientsError(f"{where}: subband keys are strings of 'a' and 'd', one letter per axis; got {k!r:.40}")
    lengths = sorted({len(k) for k in d})
    if len(lengths) > 1:
        raise CoefficientsError(
            f"{where}: subband keys must all have one length (one letter per axis); got {sorted(d)}"
        )
    if not approx and any(set(k) == {"a"} for k in d):
        raise CoefficientsError(
            f"{where} holds the approximation {'a' * lengths[0]!r}; a detail dict holds only detail "
            "subbands (the approximation is coeffs[0])"
        )
    return lengths[0] if lengths else None


def _sequence(coeffs: Any, func: str, layout: str) -> list[Any]:
    if isinstance(coeffs, (str, bytes, Mapping)) or not isinstance(coeffs, Sequence):
        raise CoefficientsError(f"{func}: coeffs must be a list {layout}; got {describe(coeffs)}")
    if not coeffs:
        raise CoefficientsError(f"{func}: coeffs must be a non-empty list {layout}; got an empty {type(coeffs).__name__}")
    return list(coeffs)


def _detail(d: Any, func: str, path: str, kind: Kind, shapes: Shapes) -> dict[str, Any]:
    """One level's details as a dict; ``None`` (all zeros) gives ``{'d': None}`` or ``{}``."""
    where = f"{func}: {path}"
    if kind == "1d":
        if isinstance(d, (tuple, list, Mapping)):
            raise CoefficientsError(f"{where} must be {_DETAIL[kind]}; got {describe(d)}")
        leaf(d, func, path, shapes)
        return {"d": d}
    if d is None:
        return {}
    if kind == "2d":
        if not (isinstance(d, (tuple, list)) and len(d) == 3):
            raise CoefficientsError(f"{where} must be {_DETAIL[kind]}; got {describe(d)}")
        for i, x in enumerate(d):
            leaf(x, func, f"{path}[{i}]", shapes)
        return dict(zip(NAMES_2D, d))
    if not isinstance(d, Mapping):
        raise CoefficientsError(f"{where} must be {_DETAIL[kind]}; got {describe(d)}")
    _subbands(d, where, approx=False)
    for k, x in d.items():
        leaf(x, func, f"{path}[{k!r}]", shapes)
    return dict(d)


def _finish(func: str, approx: Any, details: list[dict[str, Any]], shapes: Shapes, *, same_shape: bool) -> Levels:
    """Refuse lists without arrays, or with arrays of different ranks (shapes for the SWT); gather the result."""
    if not shapes:
        raise CoefficientsError(f"{func}: at least one coefficient must be an array; all are None")
    (first, ref), *rest = shapes.items()
    for path, shape in rest:
        if same_shape and shape != ref:
            raise CoefficientsError(
                f"{func}: every coefficient array must have the input's shape, {ref} (that of {first}); "
                f"{path} has {shape}"
            )
        if len(shape) != len(ref):
            raise CoefficientsError(
                f"{func}: every coefficient array must have the same number of dimensions; "
                f"{first} has {len(ref)}, {path} has {len(shape)}"
            )
    letters = sorted({len(k) for d in details for k in d})
    if len(letters) > 1:
        raise CoefficientsError(
            f"{func}: subband keys must have one length at every level (one letter per axis); got lengths {letters}"
        )
    return Levels(approx, details, len(ref), letters[0] if letters else None)


def read_dwt(coeffs: Any, func: str, kind: Kind) -> Levels:
    """Read a ``wavedec`` / ``wavedec2`` / ``wavedecn`` list ``[cA_n, details_n, ..., details_1]``.

    ``cA_n`` may be None when details are given; so may a whole level (zeros).

    Examples
    --------
    >>> read_dwt([[1.0, 2.0], [3.0, 4.0]], "waverec", "1d").details
    Traceback (most recent call last):
    ...
    filterbank.errors.CoefficientsError: waverec: coeffs[1] must be an array (cD); got a list of 2 item(s)
    >>> read_dwt([np.ones((2, 2)), (np.ones((2, 2)),) * 2], "waverec2", "2d")
    Traceback (most recent call last):
    ...
    filterbank.errors.CoefficientsError: waverec2: coeffs[1] must be a (cH, cV, cD) tuple; got a tuple of 2 item(s)
    """
    items = _sequence(coeffs, func, "[cA_n, details_n, ..., details_1]")
    shapes: Shapes = {}
    leaf(items[0], func, "coeffs[0]", shapes, none=len(items) > 1)
    details = [_detail(d, func, f"coeffs[{j}]", kind, shapes) for j, d in enumerate(items[1:], start=1)]
    return _finish(func, items[0], details, shapes, same_shape=False)


def read_subbands(coeffs: Any, func: str) -> Levels:
    """Read a single-level ``dwtn`` dict (missing or None subbands are zeros)."""
    if not isinstance(coeffs, Mapping) or not coeffs:
        raise CoefficientsError(
            f"{func}: coeffs must be a non-empty dict of subbands ('aa', 'ad', ...); got {describe(coeffs)}"
        )
    n = _subbands(coeffs, f"{func}: coeffs", approx=True)
    approx, details, shapes = _split(coeffs, func, "coeffs", n)
    return _finish(func, approx, [details], shapes, same_shape=False)._replace(letters=n)


def _split(d: Mapping[str, Any], func: str, path: str, n: int | None) -> tuple[Any, dict[str, Any], Shapes]:
    """Check the arrays of a dict of subbands; return its approximation, its details and their shapes."""
    shapes: Shapes = {}
    for k, x in d.items():
        leaf(x, func, f"{path}[{k!r}]", shapes)
    approx = "a" * (n or 0)
    return d.get(approx), {k: v for k, v in d.items() if k != approx}, shapes


def read_swt(coeffs: Any, func: str, kind: Kind) -> Levels:
    """Read an ``swt`` / ``swt2`` / ``swtn`` list in either layout (``trim_approx`` or not).

    Without ``trim_approx`` every level is a pair (a dict for ``swtn``) whose
    approximation is used only at the coarsest level. All arrays must share
    the input's shape.

    Examples
    --------
    >>> x = np.ones(4)
    >>> read_swt([(x, x, x)], "iswt", "1d")
    Traceback (most recent call last):
    ...
    filterbank.errors.CoefficientsError: iswt: coeffs[0] must be a (cA, cD) pair; got a tuple of 3 item(s)
    """
    items = _sequence(coeffs, func, "made by the forward transform")
    first = items[0]
    if not (isinstance(first, Mapping) if kind == "nd" else _holds_arrays(first)):  # trim_approx=True
        shapes: Shapes = {}
        leaf(first, func, "coeffs[0]", shapes, none=False)
        details = [_detail(d, func, f"coeffs[{j}]", kind, shapes) for j, d in enumerate(items[1:], start=1)]
        return _finish(func, first, details, shapes, same_shape=True)
    shapes, details, approx = {}, [], None
    for j, item in enumerate(items):
        path = f"coeffs[{j}]"
        if kind == "nd":
            if not isinstance(item, Mapping):
                raise CoefficientsError(f"{func}: {path} must be {_SWT_PAIR[kind]} like coeffs[0]; got {describe(item)}")
            n = _subbands(item, f"{func}: {path}", approx=True)
            a, d, level_shapes = _split(item, func, path, n)
            shapes.update(level_shapes)
        else:
            if not (isinstance(item, (tuple, list)) and len(item) == 2):
                raise CoefficientsError(f"{func}: {path} must be {_SWT_PAIR[kind]}; got {describe(item)}")
            a = item[0]
            leaf(a, func, f"{path}[0]", shapes)
            d = _detail(item[1], func, f"{path}[1]", kind, shapes)
        if j == 0:
            if a is None:
                raise CoefficientsError(
                    f"{func}: coeffs[0] must hold the approximation array; got {describe(item)} whose "
                    "approximation is None or missing"
                )
            approx = a
        details.append(d)
    return _finish(func, approx, details, shapes, same_shape=True)
