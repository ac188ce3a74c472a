"""The fully separable wavelet transform, as PyWavelets' ``fswavedecn`` / ``fswaverecn``.

All levels along the first axis, then all levels along the next, and so on
(the tensor-product or hyperbolic wavelet transform). Each axis may have
its own number of levels, wavelet and mode. The coefficients stay in one
array; along each transformed axis they are laid out as ``wavedec`` lays
them out (2-D, levels ``(1, 2)``)::

          axis 1:  a2 | d2 | d1
        +--------+----+-----------+
  axis  | (0, 0) |(0,1)|  (0, 2)  |     key (i, j): detail level i along
   0 a1 +--------+----+-----------+     axis 0 and j along axis 1, 0 for
     d1 | (1, 0) |(1,1)|  (1, 2)  |     the approximation
        +--------+----+-----------+

numpy in gives numpy out, a tensor gives tensors (setting a subband needs
numpy coefficients). `fswaverecn` returns exactly the input's shape.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from filterbank.backend.convert import inspect, is_tensor
from filterbank.backend.elementwise import namespace
from filterbank.design.bank import FilterBank
from filterbank.errors import CoefficientsError, FilterBankTypeError, FilterBankWarning, InputError, normalize_axes
from filterbank.modes import check_mode
from filterbank.plans.lengths import per_axis
from filterbank.transforms._dispatch import bank_of
from filterbank.transforms.coefficients import Coefficients
from filterbank.transforms.decimated import wavedec, waverec

__all__ = ["FswavedecnResult", "fswavedecn", "fswaverecn"]


class FswavedecnResult:
    """Coefficients of `fswavedecn`: one array, with the slices of every subband.

    Index it with one level per transformed axis (``result[(1, 2)]``; 0 is the
    approximation along that axis), or use `approx`. The attributes are those
    of ``pywt.FswavedecnResult``.

    Examples
    --------
    >>> import numpy as np
    >>> r = fswavedecn(np.ones((32, 32)), "sym2", levels=(1, 3))
    >>> r.detail_keys()[:3], r.levels, r[(1, 2)].shape
    ([(0, 1), (0, 2), (0, 3)], [1, 3], (17, 10))
    """

    def __init__(
        self, coeffs: Any, coeff_slices: list[list[slice]], wavelets: Sequence[FilterBank], modes: Sequence[str],
        axes: Sequence[int], *, input_shape: Sequence[int] | None = None,
    ) -> None:
        if not all(isinstance(w, FilterBank) for w in wavelets):
            raise FilterBankTypeError("wavelets must be FilterBank objects (use filterbank.as_filterbank)")
        self._coeffs = coeffs
        self._coeff_slices = list(coeff_slices)
        self._wavelets = list(wavelets)
        self._modes: list[str] = [check_mode(m) for m in modes]
        self._axes = tuple(int(a) for a in axes)
        self._input_shape = None if input_shape is None else tuple(int(s) for s in input_shape)

    @property
    def coeffs(self) -> Any:
        """All coefficients in one array (the input's number of dimensions)."""
        return self._coeffs

    @coeffs.setter
    def coeffs(self, c: Any) -> None:
        if tuple(c.shape) != tuple(self._coeffs.shape):
            raise CoefficientsError(f"coeffs must keep the shape {tuple(self._coeffs.shape)}; got {tuple(c.shape)}")
        self._coeffs = c

    @property
    def coeff_slices(self) -> list[list[slice]]:
        """Per transformed axis, the slice of each level along it (approximation first)."""
        return self._coeff_slices

    @property
    def ndim(self) -> int:
        """Number of dimensions of the data."""
        return len(self._coeffs.shape)

    @property
    def ndim_transform(self) -> int:
        """Number of transformed axes."""
        return len(self._axes)

    @property
    def axes(self) -> tuple[int, ...]:
        """The transformed axes, in the order they were transformed."""
        return self._axes

    @property
    def levels(self) -> list[int]:
        """Decomposition levels per transformed axis."""
        return [len(s) - 1 for s in self._coeff_slices]

    @property
    def wavelets(self) -> list[FilterBank]:
        """The bank of each transformed axis."""
        return self._wavelets

    @property
    def wavelet_names(self) -> list[str]:
        """The name of each axis's bank."""
        return [w.name for w in self._wavelets]

    @property
    def modes(self) -> list[str]:
        """The extension mode of each transformed axis."""
        return self._modes

    @property
    def input_shape(self) -> tuple[int, ...] | None:
        """Shape of the transformed data (`fswaverecn` returns exactly it)."""
        return self._input_shape

    def _slices(self, levels: Sequence[int]) -> tuple[slice, ...]:
        sl = [slice(None)] * self.ndim
        for n, (ax, lev) in enumerate(zip(self._axes, levels)):
            sl[ax] = self._coeff_slices[n][lev]
        return tuple(sl)

    def _check(self, levels: Any) -> tuple[int, ...]:
        levels = tuple(levels)
        if len(levels) != len(self._axes):
            raise CoefficientsError(f"a subband key needs one level per transformed axis ({len(self._axes)}); got {levels}")
        if any(isinstance(v, bool) or not float(v).is_integer() or v < 0 for v in levels):
            raise CoefficientsError(f"a subband key holds non-negative integers; got {levels}")
        ints = tuple(int(v) for v in levels)
        if any(v > m for v, m in zip(ints, self.levels)):
            raise CoefficientsError(f"subband key {ints} exceeds the levels of the transform {tuple(self.levels)}")
        return ints

    @property
    def approx(self) -> Any:
        """The approximation coefficients (key ``(0, ..., 0)``)."""
        return self._coeffs[self._slices((0,) * self.ndim_transform)]

    @approx.setter
    def approx(self, a: Any) -> None:
        self[(0,) * self.ndim_transform] = a

    def __getitem__(self, levels: Any) -> Any:
        return self._coeffs[self._slices(self._check(levels))]

    def __setitem__(self, levels: Any, x: Any) -> None:
        sl = self._slices(self._check(levels))
        if is_tensor(self._coeffs):
            raise FilterBankTypeError("tensor coefficients are immutable: set subbands on numpy coefficients")
        current = self._coeffs[sl]
        x = np.asarray(x)
        if current.shape != x.shape:
            raise CoefficientsError(f"subband {tuple(levels)} has shape {current.shape}; got {x.shape}")
        if x.dtype != current.dtype:
            warnings.warn(f"dtype mismatch: converting the given {x.dtype} array to {current.dtype}", FilterBankWarning, stacklevel=2)
        self._coeffs[sl] = x

    def detail_keys(self) -> list[tuple[int, ...]]:
        """Every subband key but the approximation's, sorted."""
        keys = list(itertools.product(*(range(n + 1) for n in self.levels)))
        keys.remove((0,) * self.ndim_transform)
        return sorted(keys)


def _axes(ndim: int, axes: Any) -> tuple[int, ...]:
    ax: tuple[int, ...] = tuple(range(ndim)) if axes is None else tuple(int(a) for a in np.atleast_1d(axes))
    if len(set(ax)) != len(ax):
        raise InputError(f"axes must be unique; got {ax}")
    normalize_axes(ax, ndim)  # range check
    return ax


def fswavedecn(
    data: Any, wavelet: Any, mode: Any = "symmetric", *, levels: int | Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
) -> FswavedecnResult:
    """Fully separable multi-level transform, as `pywt.fswavedecn`.

    Parameters
    ----------
    data : array_like or tf.Tensor
        Input.
    wavelet : wavelet or sequence of wavelets
        One bank, or one per axis of ``axes``.
    mode : str or sequence, default "symmetric"
        One mode, or one per axis.
    levels : int or sequence of int, optional
        Keyword only. Levels per axis (default: `dwt_max_level` of each axis).
    axes : sequence of int, optional
        Keyword only. Axes to transform, in order (default: all).

    Returns
    -------
    FswavedecnResult

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(96.0).reshape(8, 12)
    >>> r = fswavedecn(x, "haar", levels=(2, 1))
    >>> r.coeffs.shape, r.approx.shape, bool(np.allclose(fswaverecn(r), x))
    ((8, 12), (2, 6), True)
    """
    ins = inspect(data)
    value = ins.value if is_tensor(data) else np.asarray(data)
    ax = _axes(len(ins.shape), axes)
    lev: list[Any] = [levels] * len(ax) if levels is None or np.isscalar(levels) else list(levels)  # type: ignore[arg-type]
    if len(lev) != len(ax):
        raise InputError(f"levels must give one level per transformed axis ({len(ax)}); got {levels!r}")
    modes = [check_mode(m) for m in per_axis("mode", mode, len(ax))]
    banks = [bank_of(w) for w in per_axis("wavelet", wavelet, len(ax))]
    xp = namespace(value)
    slices: list[list[slice]] = []
    arr = value
    for axis, n, bank, m in zip(ax, lev, banks, modes):
        coeffs = wavedec(arr, bank, m, n, axis=axis)
        offsets = np.cumsum([0] + [int(c.shape[axis]) for c in coeffs])
        slices.append([slice(int(offsets[i]), int(offsets[i + 1])) for i in range(len(coeffs))])
        arr = xp.concatenate(list(coeffs), axis=axis)
    return FswavedecnResult(arr, slices, banks, modes, ax, input_shape=ins.shape)  # type: ignore[arg-type]


def fswaverecn(fswavedecn_result: FswavedecnResult) -> Any:
    """Inverse of `fswavedecn`, as `pywt.fswaverecn`.

    Returns exactly the transformed data's shape (a result built by hand
    without ``input_shape`` follows PyWavelets' length rule).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(63.0).reshape(7, 9)
    >>> fswaverecn(fswavedecn(x, "db2")).shape
    (7, 9)
    """
    r = fswavedecn_result
    if not isinstance(r, FswavedecnResult):
        raise FilterBankTypeError(f"fswaverecn takes a FswavedecnResult; got {type(r).__name__}")
    arr = r.coeffs
    ndim = len(arr.shape)
    ax = _axes(ndim, r.axes)
    if len(ax) != len(r.coeff_slices):
        raise CoefficientsError(f"the result has {len(ax)} axes but slices for {len(r.coeff_slices)}")
    for axis, level_slices, bank, m in zip(ax, r.coeff_slices, r.wavelets, r.modes):
        sl: list[slice] = [slice(None)] * ndim
        parts = []
        for s in level_slices:
            sl[axis] = s
            parts.append(arr[tuple(sl)])
        if r.input_shape is not None:
            shape = list(arr.shape)
            shape[axis] = r.input_shape[axis]
            parts = Coefficients(parts, input_shape=tuple(shape), axes=(axis % ndim,), mode=m)
        arr = waverec(parts, bank, check_mode(m), axis=axis)
    return arr
