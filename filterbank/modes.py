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

Every mode, the arithmetic ones included, is also expressed as a weighted
gather (`extension`): ``K`` index rows and ``K`` weight rows with::

    x_ext[i] = sum_k weights[k, i] * x[indices[k, i]]

``smooth`` needs two terms (the edge sample and its neighbour), ``antireflect``
three (the mirrored sample plus a drift of ``2 * (x[n-1] - x[0])`` per period
when the pad is wider than the signal), the other modes one. These reproduce
``pywt.pad`` and, more importantly, the extension PyWavelets' DWT applies, for
any pad width.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast, Literal, NamedTuple

import numpy as np

from filterbank.errors import FilterBankTypeError, InputError, check_option

__all__ = ["INDEX_MODES", "MODES", "MODE_CODES", "Edges", "Extension", "Mode", "Term", "check_mode", "edges", "extend", "extension", "index_map"]

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


#: PyWavelets' integer mode codes (``pywt.Modes.symmetric == 1``...), accepted wherever a mode is.
MODE_CODES: dict[int, str] = {
    0: "zero",
    1: "symmetric",
    2: "constant",
    3: "smooth",
    4: "periodic",
    5: "periodization",
    6: "reflect",
    7: "antisymmetric",
    8: "antireflect",
}


def check_mode(mode: object, name: str = "mode") -> Mode:
    """Validate an extension-mode name (or PyWavelets' integer code) and return its name.

    Examples
    --------
    >>> check_mode("symmetric")
    'symmetric'
    >>> check_mode(5)  # pywt.Modes.periodization
    'periodization'
    >>> check_mode("symetric")
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: mode must be one of 'zero', ..., 'antireflect'; got 'symetric' (did you mean 'symmetric'?)
    """
    if isinstance(mode, (int, np.integer)) and not isinstance(mode, bool):
        if int(mode) not in MODE_CODES:
            raise InputError(f"{name} must be a mode name or one of PyWavelets' codes 0 ... 8; got {mode!r}")
        return cast(Mode, MODE_CODES[int(mode)])
    if not isinstance(mode, str):
        raise FilterBankTypeError(f"{name} must be a mode name or PyWavelets' integer code; got {type(mode).__name__}")
    return cast(Mode, str(check_option(name, mode, MODES)))


def index_map(n: int, left: int, right: int, mode: str) -> np.ndarray:
    """Integer indices that extend a length-``n`` axis by ``left`` and ``right`` samples.

    Parameters
    ----------
    n : int
        Length of the signal axis, ``n >= 1``.
    left, right : int
        Number of samples to add before and after, ``>= 0``, any size.
    mode : str
        One of `INDEX_MODES`.

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
    return _index_at(np.arange(-left, n + right, dtype=np.int64), n, mode)


def _index_at(i: np.ndarray, n: int, mode: str) -> np.ndarray:
    """`index_map` at the positions ``i`` (relative to the first sample)."""
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


class Extension(NamedTuple):
    """A signal extension as a weighted gather: ``x_ext = sum_k weights[k] * x[indices[k]]``.

    Attributes
    ----------
    indices : numpy.ndarray of int64, shape (K, left + n + right)
        Source positions, always valid indices into the signal.
    weights : numpy.ndarray of float64, shape (K, left + n + right)
        Per-sample weights; zero weights carry index 0.
    """

    indices: np.ndarray
    weights: np.ndarray

    @property
    def terms(self) -> int:
        """Number of gather terms ``K``."""
        return int(self.indices.shape[0])

    def matrix(self, n: int) -> np.ndarray:
        """The extension as a dense ``(len, n)`` float64 matrix (for checks and tests).

        Examples
        --------
        >>> extension(2, 1, 1, "smooth").matrix(2)
        array([[ 2., -1.],
               [ 1.,  0.],
               [ 0.,  1.],
               [-1.,  2.]])
        """
        out = np.zeros((self.indices.shape[1], n))
        rows = np.arange(self.indices.shape[1])
        for idx, w in zip(self.indices, self.weights):
            np.add.at(out, (rows, idx), w)
        return out


def _periodization_at(i: np.ndarray, n: int) -> np.ndarray:
    # PyWavelets makes an odd-length signal even by repeating the last sample,
    # then extends periodically with period n + (n % 2).
    return np.minimum(np.mod(i, n + n % 2), n - 1)


def extension(n: int, left: int, right: int, mode: str) -> Extension:
    """Weighted-gather form of every PyWavelets extension mode, for any pad width.

    Parameters
    ----------
    n : int
        Signal length, ``n >= 1`` (``n >= 2`` for ``reflect`` and ``antireflect``,
        as in PyWavelets' DWT).
    left, right : int
        Samples to add before and after, ``>= 0``; may exceed ``n``.
    mode : str
        One of `MODES`. For ``periodization`` an odd-length signal is
        first made even by repeating its last sample, as PyWavelets does.

    Returns
    -------
    Extension
        ``indices`` and ``weights`` arrays of shape ``(K, left + n + right)``.

    Raises
    ------
    InputError
        For an unknown mode, negative pads, ``n < 1``, or ``n == 1`` with a
        whole-sample mirror mode (PyWavelets refuses those too).

    Notes
    -----
    With ``i`` the position relative to the first sample and ``s(i)`` the
    half-sample mirror index (``symmetric``)::

        smooth         x[0] + (-i) * (x[0] - x[1])            for i < 0
        antisymmetric  (-1) ** floor(i / n) * x[s(i)]
        antireflect    2 * x[0] - x[-i]  (repeated about each new edge)

    Examples
    --------
    >>> ext = extension(3, 2, 2, "antisymmetric")
    >>> ext.matrix(3) @ np.array([1.0, 2.0, 3.0])
    array([-2., -1.,  1.,  2.,  3., -3., -2.])
    >>> extension(3, 4, 0, "antireflect").matrix(3) @ np.array([1.0, 2.0, 4.0])
    array([-5., -4., -2.,  0.,  1.,  2.,  4.])
    """
    mode = _check_extension(n, left, right, mode)
    return _extension_at(np.arange(-left, n + right, dtype=np.int64), n, mode)


def _check_extension(n: int, left: int, right: int, mode: str) -> str:
    """Validate the arguments of `extension` / `edges`; return the mode."""
    mode = check_mode(mode)
    if n < 1:
        raise InputError(f"signal length must be >= 1; got {n}")
    if left < 0 or right < 0:
        raise InputError(f"pad widths must be >= 0; got left={left}, right={right}")
    if mode in ("reflect", "antireflect") and n == 1 and (left or right):
        raise InputError(
            f"mode {mode!r} needs a signal of length >= 2 along the transformed axis; got length 1"
        )
    return mode


Term = tuple[np.ndarray, "np.ndarray | None"]


@dataclass(frozen=True, eq=False)
class Edges:
    """The two edge blocks of an extension: ``x_ext = concat([head(x), x, tail(x)])``.

    A plan keeps only these (``O(pad)`` memory, whatever the signal length).
    ``head_terms`` / ``tail_terms`` list the non-zero gather terms once, as
    ``(indices, weights)`` with ``weights`` None where every weight is one.
    """

    head: Extension
    tail: Extension
    head_terms: tuple[Term, ...] = field(init=False, repr=False)
    tail_terms: tuple[Term, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "head_terms", _terms(self.head))
        object.__setattr__(self, "tail_terms", _terms(self.tail))

    @property
    def left(self) -> int:
        """Samples added before the signal."""
        return int(self.head.indices.shape[1])

    @property
    def right(self) -> int:
        """Samples added after the signal."""
        return int(self.tail.indices.shape[1])

    @property
    def nbytes(self) -> int:
        """Bytes of the index and weight arrays."""
        return sum(a.nbytes for part in (self.head, self.tail) for a in part)


def _terms(ext: Extension) -> tuple[Term, ...]:
    return tuple(
        (idx, None if np.all(w == 1.0) else w) for idx, w in zip(ext.indices, ext.weights) if np.any(w)
    )


def edges(n: int, left: int, right: int, mode: str) -> Edges:
    """The ``left`` and ``right`` edge blocks of `extension` (the middle is the signal itself).

    Examples
    --------
    >>> e = edges(4, 2, 3, "symmetric")
    >>> e.head.indices.tolist(), e.tail.indices.tolist()
    ([[1, 0]], [[3, 2, 1]])
    """
    mode = _check_extension(n, left, right, mode)
    head = _extension_at(np.arange(-left, 0, dtype=np.int64), n, mode)
    tail = _extension_at(np.arange(n, n + right, dtype=np.int64), n, mode)
    return Edges(head, tail)


def _extension_at(i: np.ndarray, n: int, mode: str) -> Extension:
    """`extension` at the positions ``i`` (relative to the first sample)."""
    ones = np.ones((1, i.size))
    if n == 1 and mode in ("reflect", "antireflect"):
        return Extension(np.zeros((1, i.size), np.int64), ones)
    if mode == "zero":
        idx = _index_at(i, n, "zero")
        return Extension(np.maximum(idx, 0)[None], (idx >= 0).astype(np.float64)[None])
    if mode == "periodization":
        return Extension(_periodization_at(i, n)[None], ones)
    if mode in INDEX_MODES:
        return Extension(_index_at(i, n, mode)[None], ones)
    if mode == "antisymmetric":
        idx = _index_at(i, n, "symmetric")
        sign = np.where(np.floor_divide(i, n) % 2 == 0, 1.0, -1.0)
        return Extension(idx[None], sign[None])
    if mode == "smooth":
        if n == 1:
            return Extension(np.zeros((1, i.size), np.int64), ones)
        inside = (i >= 0) & (i < n)
        # Left of the signal: (1 + k) x[0] - k x[1] with k = -i; right: mirrored.
        k_left = np.maximum(-i, 0).astype(np.float64)
        k_right = np.maximum(i - (n - 1), 0).astype(np.float64)
        edge = np.where(i < 0, 0, n - 1)
        neighbour = np.where(i < 0, 1, n - 2)
        k = k_left + k_right
        idx0 = np.where(inside, i, edge)
        w0 = np.where(inside, 1.0, 1.0 + k)
        idx1 = np.where(inside, 0, neighbour)
        w1 = np.where(inside, 0.0, -k)
        return Extension(np.stack([idx0, idx1]), np.stack([w0, w1]))
    # antireflect: point reflection about each edge; with period T = 2 (n - 1)
    # x_ext[i + T] = x_ext[i] + 2 (x[n-1] - x[0]).
    period = 2 * (n - 1)
    q, r = np.divmod(i, period)
    mirrored = r > n - 1
    idx0 = np.where(mirrored, period - r, r)
    w0 = np.where(mirrored, -1.0, 1.0)
    w_last = np.where(mirrored, 2.0, 0.0) + 2.0 * q
    w_first = -2.0 * q
    index = np.stack([idx0, np.full_like(i, n - 1), np.zeros_like(i)])
    return Extension(index, np.stack([w0, w_last, w_first]))


def extend(x: np.ndarray, left: int, right: int, mode: str, axis: int = -1) -> np.ndarray:
    """Extend a numpy array along ``axis`` the way PyWavelets' DWT does (reference helper).

    Examples
    --------
    >>> extend(np.array([1.0, 2.0, 3.0, 4.0]), 3, 3, "smooth")
    array([-2., -1.,  0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.])
    """
    x = np.asarray(x)
    x = np.moveaxis(x, axis, -1)
    ext = extension(x.shape[-1], left, right, mode)
    out = sum(w * x[..., idx] for idx, w in zip(ext.indices, ext.weights))
    return np.moveaxis(np.asarray(out), -1, axis)
