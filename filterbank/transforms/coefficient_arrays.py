"""Multi-level coefficients as one array and back, and their shapes, as PyWavelets' utilities.

`coeffs_to_array` packs ``wavedec`` / ``wavedec2`` / ``wavedecn`` output into
one array, PyWavelets' mosaic (2-D, two levels)::

    +----+----+---------+
    | aa | ad |         |
    +----+----+   ad    |       each level's details to the right of
    | da | dd |         |       and below everything coarser
    +----+----+---------+
    |         |         |
    |   da    |   dd    |
    |         |         |
    +---------+---------+

`ravel_coeffs` concatenates them into one 1-D vector instead (keys in
sorted order per level); `array_to_coeffs` and `unravel_coeffs` invert
both. `wavedecn_shapes` and `wavedecn_size` give the layout without
computing anything. Coefficients may be numpy arrays or (eager) tensors;
the packed array is numpy.
"""

from __future__ import annotations

import itertools
from typing import Any, Literal

import numpy as np

from filterbank.backend.convert import is_tensor
from filterbank.errors import CoefficientsError, InputError
from filterbank.plans.lengths import check_level, dwt_coeff_len, dwt_max_level, per_axis
from filterbank.modes import check_mode
from filterbank.transforms._dispatch import bank_of

__all__ = [
    "array_to_coeffs",
    "coeffs_to_array",
    "dwtn_max_level",
    "ravel_coeffs",
    "unravel_coeffs",
    "wavedecn_shapes",
    "wavedecn_size",
]

OutputFormat = Literal["wavedec", "wavedec2", "wavedecn"]


def _array(x: Any, where: str) -> np.ndarray:
    if is_tensor(x):
        return np.asarray(x)
    if not isinstance(x, np.ndarray):
        raise CoefficientsError(f"{where} must be a numpy array or a tensor; got {type(x).__name__}")
    return x


def _as_nd(coeffs: Any, axes: Any) -> tuple[list[Any], tuple[int, ...] | None, int]:
    """Any multi-level layout as ``[cA, {key: array}, ...]`` (numpy), its axes and ndim."""
    if not isinstance(coeffs, list) or not coeffs:
        raise CoefficientsError(f"coeffs must be a non-empty list from wavedec, wavedec2 or wavedecn; got {coeffs!r:.60}")
    if coeffs[0] is None:
        raise CoefficientsError("coeffs[0] is None: missing coefficients are not supported here")
    approx = _array(coeffs[0], "coeffs[0]")
    out: list[Any] = [approx]
    for j, level in enumerate(coeffs[1:], start=1):
        if isinstance(level, dict):
            if any(v is None for v in level.values()):
                raise CoefficientsError(f"coeffs[{j}] has None entries: missing coefficients are not supported here")
            out.append({k: _array(v, f"coeffs[{j}][{k!r}]") for k, v in level.items()})
        elif isinstance(level, np.ndarray) or is_tensor(level):
            d = _array(level, f"coeffs[{j}]")
            if d.ndim != 1:
                raise CoefficientsError(f"coeffs[{j}]: a wavedec detail array must be 1-D; got shape {d.shape}")
            out.append({"d": d})
        elif isinstance(level, (tuple, list)):
            if len(level) != 3 or any(v is None for v in level):
                raise CoefficientsError(f"coeffs[{j}] must be a 3-tuple (cH, cV, cD) of arrays; got {len(level)} entries")
            da, ad, dd = (_array(v, f"coeffs[{j}]") for v in level)
            out.append({"ad": ad, "da": da, "dd": dd})
        else:
            raise CoefficientsError(f"coeffs[{j}] must be an array, a 3-tuple or a dict; got {type(level).__name__}")
    if len(out) == 1:
        return out, axes, approx.ndim
    letters = len(next(iter(out[1])))
    if axes is None:
        if letters < approx.ndim:
            raise CoefficientsError(
                f"coeffs were transformed over {letters} of {approx.ndim} axes: give axes (one per key letter)"
            )
        axes = tuple(range(approx.ndim))
    axes = tuple(axes)
    if len(axes) != letters:
        raise CoefficientsError(f"axes has {len(axes)} entries but the subband keys have {letters} letters")
    return out, axes, approx.ndim


def coeffs_to_array(coeffs: list[Any], padding: float | None = 0, axes: Any = None) -> tuple[np.ndarray, list[Any]]:
    """Pack multi-level coefficients into one array, as `pywt.coeffs_to_array`.

    Parameters
    ----------
    coeffs : list
        Output of `wavedec`, `wavedec2` or `wavedecn` (no None entries).
    padding : float or None, default 0
        Fill value of the gaps that odd lengths leave; None requires a tight packing.
    axes : sequence of int, optional
        The transformed axes (needed when only some axes were transformed).

    Returns
    -------
    coeff_arr : numpy.ndarray
        All coefficients.
    coeff_slices : list
        ``[slices of cA, {key: slices}, ...]``, for `array_to_coeffs`.

    Examples
    --------
    >>> import filterbank as fb
    >>> arr, slices = coeffs_to_array(fb.wavedec2(np.ones((4, 4)), "haar", level=1))
    >>> arr.shape, slices[1]["dd"]
    ((4, 4), (slice(2, 4, None), slice(2, 4, None)))
    """
    levels, ax, ndim = _as_nd(coeffs, axes)
    a = levels[0]
    if len(levels) == 1:
        return a, [tuple([slice(None)] * ndim)]
    assert ax is not None
    shape = np.array(a.shape)
    count = a.size
    for d in levels[1:]:
        ref = d.get("d" * len(ax))
        if ref is None:
            raise CoefficientsError(f"each level needs its {'d' * len(ax)!r} subband; got keys {sorted(d)}")
        shape[list(ax)] += np.asarray(ref.shape)[list(ax)]
        count += sum(v.size for v in d.values())
    arr_shape = tuple(int(s) for s in shape)
    if padding is None:
        if int(np.prod(arr_shape)) != count:
            raise CoefficientsError("coeffs cannot be packed tightly (odd lengths leave gaps): give a padding value")
        arr = np.empty(arr_shape, dtype=a.dtype)
    else:
        arr = np.full(arr_shape, padding, dtype=a.dtype)
    corner = [int(s) for s in a.shape]
    a_slices = tuple(slice(s) for s in a.shape)
    arr[a_slices] = a
    slices: list[Any] = [a_slices]
    for d in levels[1:]:
        level_slices = {}
        for key, v in d.items():
            sl: list[slice] = [slice(None)] * ndim
            for letter, axis in zip(key, ax):
                if letter == "a":
                    sl[axis] = slice(v.shape[axis])
                elif letter == "d":
                    sl[axis] = slice(corner[axis], corner[axis] + v.shape[axis])
                else:
                    raise CoefficientsError(f"subband key {key!r} may hold only the letters 'a' and 'd'")
            arr[tuple(sl)] = v
            level_slices[key] = tuple(sl)
        slices.append(level_slices)
        ref = d["d" * len(ax)]
        corner = [c + s for c, s in zip(corner, ref.shape)]
    return arr, slices


def _fmt(output_format: str, allowed: tuple[str, ...]) -> str:
    if output_format not in allowed:
        raise InputError(f"output_format must be one of {', '.join(map(repr, allowed))}; got {output_format!r}")
    return output_format


def _level_of(take: Any, entry: Any, fmt: str) -> Any:
    if fmt in ("wavedec", "swt"):
        return take(entry, "d")
    if fmt in ("wavedec2", "swt2"):
        return tuple(take(entry, k) for k in ("da", "ad", "dd"))
    return {k: take(entry, k) for k in entry}


def array_to_coeffs(arr: Any, coeff_slices: list[Any], output_format: OutputFormat | str = "wavedecn") -> list[Any]:
    """Unpack an array made by `coeffs_to_array`, as `pywt.array_to_coeffs`.

    Examples
    --------
    >>> import filterbank as fb
    >>> arr, slices = coeffs_to_array(fb.wavedec(np.arange(8.0), "haar", level=2))
    >>> [c.shape for c in array_to_coeffs(arr, slices, "wavedec")]
    [(2,), (2,), (4,)]
    """
    arr = np.asarray(arr)
    if not coeff_slices:
        raise CoefficientsError("coeff_slices is empty")
    fmt = _fmt(output_format, ("wavedec", "wavedec2", "wavedecn"))
    return [arr[coeff_slices[0]]] + [_level_of(lambda e, k: arr[e[k]], s, fmt) for s in coeff_slices[1:]]


def ravel_coeffs(coeffs: list[Any], axes: Any = None) -> tuple[np.ndarray, list[Any], list[Any]]:
    """Concatenate multi-level coefficients into one 1-D array, as `pywt.ravel_coeffs`.

    Returns
    -------
    coeff_arr : numpy.ndarray
        1-D: ``cA`` first, then each level's subbands with their keys sorted.
    coeff_slices, coeff_shapes : list
        Where each subband lies and its shape, for `unravel_coeffs`.

    Examples
    --------
    >>> import filterbank as fb
    >>> arr, slices, shapes = ravel_coeffs(fb.wavedec(np.arange(8.0), "haar", level=2))
    >>> arr.shape, slices[2], shapes[2]
    ((8,), {'d': slice(4, 8, None)}, {'d': (4,)})
    """
    levels, _, _ = _as_nd(coeffs, axes)
    a = levels[0]
    if len(levels) == 1:
        return a.ravel(), [slice(a.size)], [a.shape]
    total = a.size + sum(v.size for d in levels[1:] for v in d.values())
    out = np.empty((total,), dtype=np.result_type(*[a] + [v for d in levels[1:] for v in d.values()]))
    out[: a.size] = a.ravel()
    slices: list[Any] = [slice(a.size)]
    shapes: list[Any] = [a.shape]
    offset = a.size
    for d in levels[1:]:
        slices.append({})
        shapes.append({})
        for key in sorted(d):
            v = d[key]
            slices[-1][key] = slice(offset, offset + v.size)
            shapes[-1][key] = v.shape
            out[offset:offset + v.size] = v.ravel()
            offset += v.size
    return out, slices, shapes


def unravel_coeffs(
    arr: Any, coeff_slices: list[Any], coeff_shapes: list[Any], output_format: str = "wavedecn"
) -> list[Any]:
    """Invert `ravel_coeffs`, as `pywt.unravel_coeffs` (formats also ``"swt"``, ``"swt2"``, ``"swtn"``).

    Examples
    --------
    >>> import filterbank as fb
    >>> arr, slices, shapes = ravel_coeffs(fb.wavedecn(np.ones((4, 4)), "haar", level=1))
    >>> sorted(unravel_coeffs(arr, slices, shapes)[1])
    ['ad', 'da', 'dd']
    """
    arr = np.asarray(arr)
    if not coeff_slices:
        raise CoefficientsError("coeff_slices is empty")
    if not coeff_shapes:
        raise CoefficientsError("coeff_shapes is empty")
    if len(coeff_slices) != len(coeff_shapes):
        raise CoefficientsError(
            f"coeff_slices and coeff_shapes must have one entry per level; got {len(coeff_slices)} and {len(coeff_shapes)}"
        )
    fmt = _fmt(output_format, ("wavedec", "wavedec2", "wavedecn", "swt", "swt2", "swtn"))
    out = [arr[coeff_slices[0]].reshape(coeff_shapes[0])]
    for sl, sh in zip(coeff_slices[1:], coeff_shapes[1:]):
        out.append(_level_of(lambda e, k, sl=sl, sh=sh: arr[sl[k]].reshape(sh[k]), sl, fmt))
    return out


def _axes_of(shape: tuple[int, ...], axes: Any, func: str) -> tuple[int, ...]:
    if len(shape) < 1:
        raise InputError(f"{func}: shape must have at least one dimension; got {shape}")
    ax: tuple[int, ...] = tuple(range(len(shape))) if axes is None else tuple(int(a) for a in np.atleast_1d(axes))
    if len(set(ax)) != len(ax):
        raise InputError(f"axes must be unique; got {ax}")
    for a in ax:
        if not -len(shape) <= a < len(shape):
            raise InputError(f"axis {a} is out of range for shape {shape}")
    return ax


def wavedecn_shapes(shape: Any, wavelet: Any, mode: Any = "symmetric", level: int | None = None, axes: Any = None) -> list[Any]:
    """The shapes `wavedecn` would return for an input of ``shape``, as `pywt.wavedecn_shapes`.

    Examples
    --------
    >>> wavedecn_shapes((64, 32), "db2", level=2)[:2]
    [(18, 10), {'ad': (18, 10), 'da': (18, 10), 'dd': (18, 10)}]
    """
    shape = tuple(int(s) for s in shape)
    ax = _axes_of(shape, axes, "wavedecn_shapes")
    banks = [bank_of(w) for w in per_axis("wavelet", wavelet, len(ax))]
    modes = [check_mode(m) for m in per_axis("mode", mode, len(ax))]
    lens = [b.dec_len for b in banks]
    level = check_level([min(shape[a] for a in ax)], [max(lens)], level)
    keys = ["".join(k) for k in itertools.product("ad", repeat=len(ax))]
    out: list[Any] = []
    current = list(shape)
    for _ in range(level):
        for a, n_filter, m in zip(ax, lens, modes):
            current[a] = dwt_coeff_len(current[a], n_filter, m)
        out.append({k: tuple(current) for k in keys[1:]})
    out.append(tuple(current))
    return out[::-1]


def wavedecn_size(shapes: list[Any]) -> int:
    """Number of coefficients in a `wavedecn_shapes` list (or a coefficient list), as `pywt.wavedecn_size`.

    Examples
    --------
    >>> wavedecn_size(wavedecn_shapes((64, 32), "haar", level=2))
    2048
    """

    def size(x: Any) -> int:
        return int(np.asarray(x).size) if isinstance(x, np.ndarray) or is_tensor(x) else int(np.prod(x))

    total = size(shapes[0])
    for d in shapes[1:]:
        for v in d.values():
            if v is None:
                raise CoefficientsError("a coefficient shape is None: missing coefficients are not supported here")
            total += size(v)
    return total


def dwtn_max_level(shape: Any, wavelet: Any, axes: Any = None) -> int:
    """Deepest useful `wavedecn` level over ``axes``, as `pywt.dwtn_max_level`.

    Examples
    --------
    >>> dwtn_max_level((64, 32), "db2"), dwtn_max_level((64, 32), ("db2", "haar"), axes=(0, 1))
    (3, 4)
    """
    shape = tuple(int(s) for s in shape)
    ax = _axes_of(shape, axes, "dwtn_max_level")
    banks = [bank_of(w) for w in per_axis("wavelet", wavelet, len(ax))]
    return min(dwt_max_level(shape[a], b.dec_len) for a, b in zip(ax, banks))
