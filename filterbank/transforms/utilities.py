"""PyWavelets' small functions: lengths, single-branch transforms, padding, names.

``dwt_coeff_len``, ``downcoef``, ``upcoef``, ``pad``, ``wavelist`` and
``families`` take PyWavelets' arguments and give its results. ``downcoef``
and ``upcoef`` also take batches (every axis but ``axis`` is a batch axis),
where PyWavelets takes 1-D data only.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from filterbank.backend.convert import is_tensor
from filterbank.design.wavelet_info import upcoef_taps
from filterbank.errors import InputError, check_count, check_option
from filterbank.modes import Mode, check_mode, extend
from filterbank.plans.lengths import dwt_coeff_len as _dwt_coeff_len
from filterbank.transforms._dispatch import bank_of
from filterbank.transforms.decimated import dwt

__all__ = ["downcoef", "dwt_coeff_len", "families", "pad", "upcoef", "wavelist"]

Part = Literal["a", "d"]


def _part(part: Any) -> str:
    return str(check_option("part", part, ("a", "d")))


def _level(level: Any) -> int:
    value = int(check_count("level", level) or 0)
    if value < 1:
        raise InputError(f"level must be >= 1; got {level!r}")
    return value


def dwt_coeff_len(data_len: int, filter_len: Any, mode: Mode | int) -> int:
    """Coefficients per DWT level, as `pywt.dwt_coeff_len`.

    ``filter_len`` is a length or a wavelet; ``floor((n + L - 1) / 2)``, or
    ``ceil(n / 2)`` for ``periodization``.

    Examples
    --------
    >>> dwt_coeff_len(9, "db4", "symmetric"), dwt_coeff_len(9, 8, "periodization")
    (8, 5)
    """
    if isinstance(filter_len, (int, np.integer)) and not isinstance(filter_len, bool):
        length = int(filter_len)
    else:
        length = bank_of(filter_len).dec_len
    if length < 1:
        raise InputError(f"filter_len must be >= 1; got {filter_len!r}")
    n = int(check_count("data_len", data_len) or 0)
    if n < 1:
        raise InputError(f"data_len must be >= 1; got {data_len!r}")
    return _dwt_coeff_len(n, length, check_mode(mode))


def downcoef(
    part: Part | str, data: Any, wavelet: Any, mode: Mode | int = "symmetric", level: int = 1, *, axis: int = -1
) -> Any:
    """One branch of a multi-level DWT, as `pywt.downcoef`.

    ``level - 1`` approximation steps, then the ``part`` (``"a"`` or ``"d"``)
    of the last one: ``wavedec(data, wavelet, mode, level)[0 or 1]``
    without the rest.

    Examples
    --------
    >>> downcoef("a", np.arange(8.0), "haar", level=2).round(4).tolist()
    [3.0, 11.0]
    """
    part, level = _part(part), _level(level)
    m = check_mode(mode)
    x = data
    for _ in range(level - 1):
        x = dwt(x, wavelet, m, axis=axis)[0]
    return dwt(x, wavelet, m, axis=axis)[0 if part == "a" else 1]


def upcoef(part: Part | str, coeffs: Any, wavelet: Any, level: int = 1, take: int = 0, *, axis: int = -1) -> Any:
    """Direct reconstruction from one branch, as `pywt.upcoef`.

    ``level`` steps of upsampling by two and full convolution, the first
    with ``rec_lo`` (``part="a"``) or ``rec_hi`` (``"d"``), the others with
    ``rec_lo``: ``n`` coefficients give ``2 n + L - 2`` samples per step.
    ``take > 0`` keeps the central ``take`` samples.

    Examples
    --------
    >>> upcoef("a", [1.0, 2.0], "haar").round(4).tolist()
    [0.7071, 0.7071, 1.4142, 1.4142]
    """
    part, level = _part(part), _level(level)
    take = int(check_count("take", take) or 0)
    bank = bank_of(wavelet)
    tensor = is_tensor(coeffs)
    c = np.moveaxis(np.asarray(coeffs), axis, -1) if np.ndim(coeffs) else np.asarray(coeffs).reshape(1)
    if c.dtype.kind not in "fc":
        c = c.astype(np.float64)
    out = upcoef_taps(c, bank.rec_lo if part == "a" else bank.rec_hi, bank.rec_lo, level, take)
    out = np.moveaxis(out, -1, axis) if np.ndim(coeffs) else out
    if tensor:
        from filterbank.backend.convert import inspect, to_tensor

        return to_tensor(inspect(out)).tensor
    return out


def pad(x: Any, pad_widths: Any, mode: Mode | int) -> np.ndarray:
    """Extend ``x`` along every axis as PyWavelets' DWT does, as `pywt.pad`.

    Parameters
    ----------
    x : array_like
        The data.
    pad_widths : int or sequence
        As for `numpy.pad`: ``((before, after), ...)`` per axis, or one pair,
        or one number.
    mode : str or int
        One of `filterbank.MODES` (see `filterbank.modes` for the drawings).

    Examples
    --------
    >>> pad(np.array([1.0, 2.0, 3.0, 4.0]), 2, "smooth").tolist()
    [-1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    """
    arr = np.asanyarray(x)
    m = check_mode(mode)
    widths = np.round(np.array(pad_widths)).astype(np.intp)
    if widths.size and widths.min() < 0:
        raise InputError(f"pad_widths must be >= 0; got {pad_widths!r}")
    try:
        per_axis = np.broadcast_to(widths, (arr.ndim, 2)).tolist()
    except ValueError:
        raise InputError(f"pad_widths must broadcast to ({arr.ndim}, 2) as numpy.pad's do; got {pad_widths!r}") from None
    out = arr
    for axis, (left, right) in enumerate(per_axis):
        axis_mode = m
        if m == "periodization":  # PyWavelets first repeats the last sample of an odd axis
            if out.shape[axis] % 2:
                out = extend(out, 0, 1, "constant", axis=axis)
            axis_mode = "periodic"
        if left or right:
            out = extend(out, int(left), int(right), axis_mode, axis=axis)
    return np.asarray(out, dtype=arr.dtype) if out is not arr else arr.copy()


def wavelist(family: str | None = None, kind: Literal["all", "continuous", "discrete"] = "all") -> list[str]:
    """PyWavelets' wavelet names, as `pywt.wavelist` (discrete ones work in every transform here).

    Examples
    --------
    >>> wavelist("coif")[:3], wavelist(kind="discrete")[:2]
    (['coif1', 'coif2', 'coif3'], ['bior1.1', 'bior1.3'])
    """
    import pywt

    kind = check_option("kind", kind, ("all", "continuous", "discrete"))
    if family is not None:
        check_option("family", family, tuple(pywt.families()))
    return list(pywt.wavelist(family, kind))


def families(short: bool = True) -> list[str]:
    """PyWavelets' wavelet families, as `pywt.families`.

    Examples
    --------
    >>> families()[:4], families(short=False)[:2]
    (['haar', 'db', 'sym', 'coif'], ['Haar', 'Daubechies'])
    """
    import pywt

    return list(pywt.families(short))
