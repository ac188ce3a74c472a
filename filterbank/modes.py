"""Signal-extension modes, as integer index maps that work for any pad width.

PyWavelets names nine ways to extend a finite signal ``x1 ... xn`` past its
edges before filtering. Drawn for a signal ``1 2 3 4`` (``|`` marks the edges)::

    zero            0  0  0 | 1  2  3  4 | 0  0  0
    constant        1  1  1 | 1  2  3  4 | 4  4  4
    symmetric       3  2  1 | 1  2  3  4 | 4  3  2      (half-sample mirror)
    reflect         4  3  2 | 1  2  3  4 | 3  2  1      (whole-sample mirror)
    periodic        2  3  4 | 1  2  3  4 | 1  2  3
    smooth         -2 -1  0 | 1  2  3  4 | 5  6  7      (linear extrapolation)
    antisymmetric  -3 -2 -1 | 1  2  3  4 | -4 -3 -2     (half-sample, negated)
    antireflect    -2 -1  0 | 1  2  3  4 | 5  6  7      (whole-sample, negated about the edge)
    periodization   like periodic, but the transform keeps ceil(n / 2) coefficients

scipy's ``convolve2d`` boundaries are the same rules under other names:
``fill`` is ``zero`` (with a ``fillvalue``), ``wrap`` is ``periodic`` and
``symm`` is ``symmetric``.

The purely index-based modes are expressed here as an integer map: the
extended signal is ``x[index_map(...)]``, with ``-1`` marking positions that
take a fill value. Because the map is computed with modular arithmetic, pads
may be wider than the signal itself (multi-level transforms of short inputs),
which ``tf.pad`` cannot do.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from filterbank.errors import InputError, check_option

__all__ = ["MODES", "INDEX_MODES", "Mode", "check_mode", "index_map"]

Mode = Literal[
    "zero",
    "constant",
    "symmetric",
    "periodic",
    "smooth",
    "periodization",
    "reflect",
    "antisymmetric",
    "antireflect",
]

#: Every PyWavelets extension mode, in PyWavelets' order.
MODES: tuple[str, ...] = (
    "zero",
    "constant",
    "symmetric",
    "periodic",
    "smooth",
    "periodization",
    "reflect",
    "antisymmetric",
    "antireflect",
)

#: Modes whose extension is a pure gather (plus zero fill).
INDEX_MODES: tuple[str, ...] = ("zero", "constant", "symmetric", "periodic", "periodization", "reflect")


def check_mode(mode: object, name: str = "mode") -> str:
    """Validate an extension-mode name and return it.

    Examples
    --------
    >>> check_mode("symmetric")
    'symmetric'
    >>> check_mode("symetric")
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: mode must be one of 'zero', ..., 'antireflect'; got 'symetric' (did you mean 'symmetric'?)
    """
    return check_option(name, mode, MODES)


def index_map(n: int, left: int, right: int, mode: str) -> np.ndarray:
    """Integer indices that extend a length-``n`` axis by ``left`` and ``right`` samples.

    Parameters
    ----------
    n : int
        Length of the signal axis, ``n >= 1``.
    left, right : int
        Number of samples to add before and after, ``>= 0``, any size.
    mode : str
        One of :data:`INDEX_MODES`.

    Returns
    -------
    numpy.ndarray of int64, shape (left + n + right,)
        ``x_ext = x[idx]`` where ``idx >= 0``; positions holding ``-1`` take the
        fill value (only for ``mode="zero"``).

    Examples
    --------
    >>> index_map(4, 3, 3, "symmetric")
    array([2, 1, 0, 0, 1, 2, 3, 3, 2, 1])
    >>> index_map(4, 3, 3, "reflect")
    array([3, 2, 1, 0, 1, 2, 3, 2, 1, 0])
    >>> index_map(2, 5, 0, "periodic")
    array([1, 0, 1, 0, 1, 0, 1])
    >>> index_map(3, 2, 2, "zero")
    array([-1, -1,  0,  1,  2, -1, -1])
    """
    if n < 1:
        raise InputError(f"signal length must be >= 1; got {n}")
    if left < 0 or right < 0:
        raise InputError(f"pad widths must be >= 0; got left={left}, right={right}")
    i = np.arange(-left, n + right, dtype=np.int64)
    if mode == "zero":
        return np.where((i >= 0) & (i < n), i, -1)
    if mode == "constant":
        return np.clip(i, 0, n - 1)
    if mode in ("periodic", "periodization"):
        return np.mod(i, n)
    if mode == "symmetric":
        j = np.mod(i, 2 * n)
        return np.where(j < n, j, 2 * n - 1 - j)
    if mode == "reflect":
        if n == 1:
            return np.zeros_like(i)
        j = np.mod(i, 2 * n - 2)
        return np.where(j < n, j, 2 * n - 2 - j)
    raise InputError(
        f"mode must be one of {', '.join(repr(m) for m in INDEX_MODES)} for an index map; got {mode!r}"
    )
