"""Continuous wavelets and frequency: the integral, the centre frequency, scales to and from Hz.

Each function equals PyWavelets' function of the same name
(``pywt.integrate_wavelet``, ``pywt.central_frequency``,
``pywt.scale2frequency``, ``pywt.frequency2scale``); `cwt_scales` builds
log-spaced scales from a frequency range, which PyWavelets leaves to the user.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from filterbank.design.continuous import ContinuousWavelet, as_continuous_wavelet
from filterbank.errors import InputError

__all__ = ["central_frequency", "cwt_scales", "frequency2scale", "integrate_wavelet", "scale2frequency"]


def _check_precision(precision: Any) -> int:
    if isinstance(precision, bool) or not isinstance(precision, (int, np.integer)) or not 1 <= precision <= 24:
        raise InputError(f"precision must be an integer from 1 to 24 (2**precision samples); got {precision!r}")
    return int(precision)


def integrate_wavelet(wavelet: Any, *, precision: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """The running integral of the wavelet from its lower bound, by rectangles (``pywt.integrate_wavelet``).

    Parameters
    ----------
    wavelet : str or ContinuousWavelet
        A continuous wavelet.
    precision : int, optional
        ``2**precision`` samples from `ContinuousWavelet.wavefun` (default 8).

    Returns
    -------
    int_psi : numpy.ndarray
        ``cumsum(psi) * (x[1] - x[0])``, in the wavelet's dtype.
    x : numpy.ndarray
        The sample points.

    Examples
    --------
    >>> int_psi, x = integrate_wavelet("mexh", precision=10)
    >>> len(x), float(abs(int_psi[-1])) < 1e-9     # a wavelet has zero mean
    (1024, True)
    """
    w = as_continuous_wavelet(wavelet)
    psi, x = w.wavefun(_check_precision(precision))
    return np.cumsum(psi) * (x[1] - x[0]), x


def central_frequency(wavelet: Any, *, precision: int = 8) -> float:
    """The wavelet's frequency at scale 1 in cycles per unit of ``x`` (``pywt.central_frequency``).

    The strongest bin of the sampled wavelet's spectrum, skipping the mean and
    folded onto the positive half, divided by the sampled support.

    Examples
    --------
    >>> central_frequency("morl"), central_frequency("cmor1.5-1.0", precision=12)
    (0.8125, 1.0)
    """
    psi, x = as_continuous_wavelet(wavelet).wavefun(_check_precision(precision))
    support = float(x[-1] - x[0])
    if not support > 0:
        raise InputError(f"wavelet: upper_bound must exceed lower_bound; got [{x[0]}, {x[-1]}]")
    n = len(psi)
    peak = int(np.argmax(np.abs(np.fft.fft(psi)[1:]))) + 1      # bin number, 1 ... n-1
    if peak + 1 > n / 2:                                        # a negative frequency: fold it
        peak = n - peak
    return 1.0 / (support / peak)   # (this rounding: the same float as PyWavelets)


def scale2frequency(wavelet: Any, scale: Any, *, precision: int = 8) -> Any:
    """Normalised frequency (cycles per sample) of each scale: ``central_frequency / scale``.

    Examples
    --------
    >>> scale2frequency("morl", np.array([1.0, 2.0]))
    array([0.8125 , 0.40625])
    """
    return central_frequency(wavelet, precision=precision) / _positive("scale", scale)


def frequency2scale(wavelet: Any, freq: Any, *, precision: int = 8) -> Any:
    """The scale of each normalised frequency (cycles per sample): ``central_frequency / freq``.

    Examples
    --------
    >>> frequency2scale("morl", 0.40625)
    2.0
    """
    return central_frequency(wavelet, precision=precision) / _positive("freq", freq)


def _positive(name: str, value: Any) -> Any:
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf" or arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise InputError(f"{name} must be finite positive numbers; got {value!r}")
    return value if arr.ndim == 0 and not isinstance(value, np.ndarray) else arr


def cwt_scales(wavelet: Any, fmin: float, fmax: float, num: int, *, fs: float = 1.0,
               precision: int = 12) -> np.ndarray:
    """Scales whose CWT frequencies are ``num`` log-spaced values from ``fmin`` to ``fmax`` Hz.

    Parameters
    ----------
    wavelet : str or ContinuousWavelet
        The wavelet the scales are for.
    fmin, fmax : float
        Lowest and highest frequency, in Hz when ``fs`` is in Hz;
        ``0 < fmin <= fmax <= fs / 2``.
    num : int
        Number of scales, >= 1 (``fmin`` alone when 1).
    fs : float, optional
        Sampling rate (default 1: frequencies in cycles per sample).
    precision : int, optional
        The ``precision`` you will give `filterbank.cwt` (default 12), so that
        the frequencies it returns are exactly the ones asked for.

    Returns
    -------
    numpy.ndarray
        Scales, decreasing (frequencies increasing), ``float64``.

    Examples
    --------
    >>> s = cwt_scales("cmor1.5-1.0", 1.0, 100.0, 3, fs=250.0)
    >>> s
    array([250. ,  25. ,   2.5])
    >>> scale2frequency("cmor1.5-1.0", s, precision=12) * 250.0
    array([  1.,  10., 100.])
    """
    for name, v in (("fs", fs), ("fmin", fmin), ("fmax", fmax)):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
                or not math.isfinite(v) or not v > 0:
            raise InputError(f"{name} must be a finite number > 0; got {v!r}")
    if not fmin <= fmax <= fs / 2:
        raise InputError(f"frequencies must satisfy 0 < fmin <= fmax <= fs/2 = {fs / 2:g}; "
                         f"got fmin={fmin!r}, fmax={fmax!r}")
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or num < 1:
        raise InputError(f"num must be an integer >= 1; got {num!r}")
    freqs = np.geomspace(fmin, fmax, int(num)) / fs
    return central_frequency(wavelet, precision=precision) / freqs
