"""Single-level n-D transforms along repeated axes, and the single-level inverse's shape rule.

PyWavelets' ``dwtn`` / ``idwtn`` (and so ``dwt2`` / ``idwt2``) accept an
axis more than once: ``axes=(1, 1)`` transforms axis 1, then the outputs
along axis 1 again, one 1-D step per entry, in order (the inverse undoes
them in reverse order)::

    axes = (1, 1)     x --dwt axis 1--> a, d --dwt axis 1--> aa, ad, da, dd

The multi-level transforms refuse repeated axes, as PyWavelets does. These
steps are the 1-D transform of `filterbank.transforms._dispatch`, one call
per subband, so values equal PyWavelets' nested ``dwt`` calls.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from filterbank.backend.convert import inspect
from filterbank.errors import CoefficientsError
from filterbank.plans.lengths import per_axis
from filterbank.transforms._dispatch import decompose, reconstruct

__all__ = ["check_same_shapes", "is_repeated", "repeated_dwtn", "repeated_idwtn"]


def is_repeated(axes: Any, ndim: int) -> bool:
    """Whether ``axes`` (integers, in range) name some axis twice; False when they cannot be read."""
    try:
        values = [int(a) % ndim for a in ((axes,) if isinstance(axes, (int, np.integer)) else axes)]
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return len(set(values)) != len(values) and all(-ndim <= int(a) < ndim for a in np.atleast_1d(axes))


def repeated_dwtn(data: Any, wavelet: Any, mode: Any, axes: tuple[int, ...], executor: Any, compile: Any) -> dict[str, Any]:
    """``dwtn`` along ``axes`` with repeats: one 1-D step per entry, subband keys one letter per entry.

    Examples
    --------
    >>> import numpy as np
    >>> c = repeated_dwtn(np.arange(8.0), "haar", "symmetric", (0, 0), None, None)
    >>> sorted(c), c["aa"].round(4).tolist()
    (['aa', 'ad', 'da', 'dd'], [3.0, 11.0])
    """
    wavelets = per_axis("wavelet", wavelet, len(axes))
    modes = per_axis("mode", mode, len(axes))
    bands: list[tuple[str, Any]] = [("", data)]
    for axis, w, m in zip(axes, wavelets, modes):
        out = []
        for key, x in bands:
            a, details, _, _ = decompose(x, w, m, 1, (axis,), executor, False, compile)
            out += [(key + "a", a), (key + "d", details[0]["d"])]
        bands = out
    return dict(bands)


def repeated_idwtn(coeffs: dict[str, Any], wavelet: Any, mode: Any, axes: tuple[int, ...], executor: Any,
                   compile: Any) -> Any:
    """The inverse of `repeated_dwtn` (missing or None subbands count as zeros).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(8.0)
    >>> bool(np.allclose(repeated_idwtn(repeated_dwtn(x, "db1", "zero", (0, 0), None, None), "db1", "zero", (0, 0),
    ...                                 None, None), x))
    True
    """
    wavelets = per_axis("wavelet", wavelet, len(axes))
    modes = per_axis("mode", mode, len(axes))
    check_same_shapes("idwtn", list(coeffs.values()))
    bands = dict(coeffs)
    for depth in range(len(axes) - 1, -1, -1):
        merged: dict[str, Any] = {}
        for letters in itertools.product("ad", repeat=depth):
            key = "".join(letters)
            lo, hi = bands.get(key + "a"), bands.get(key + "d")
            if lo is None and hi is None:
                merged[key] = None
                continue
            merged[key] = reconstruct(lo, [{"d": hi}], wavelets[depth], modes[depth], (axes[depth],), executor, None,
                                      compile)
        bands = merged
    if bands[""] is None:
        raise CoefficientsError("idwtn: every coefficient array is None; at least one must be given")
    return bands[""]


def check_same_shapes(func: str, arrays: list[Any]) -> None:
    """A single-level inverse takes subbands of one shape (PyWavelets' rule); refuse others.

    Examples
    --------
    >>> check_same_shapes("idwt2", [np.zeros((6, 6)), np.zeros((5, 5))])
    Traceback (most recent call last):
    ...
    filterbank.errors.CoefficientsError: idwt2: the coefficient arrays of one level must share one shape; got (6, 6), (5, 5)
    """
    shapes = []
    for x in arrays:
        if x is not None:
            shape = tuple(inspect(x, "coefficients").shape)
            if shape not in shapes:
                shapes.append(shape)
    if len(shapes) > 1:
        listed = ", ".join(str(s) for s in shapes)
        raise CoefficientsError(f"{func}: the coefficient arrays of one level must share one shape; got {listed}")

