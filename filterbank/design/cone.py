"""The cone of influence: where a CWT feels the ends of the signal.

`filterbank.cwt` pads with zeros, so near each end the wavelet overhangs
the data and the coefficients are biased low. Torrence & Compo (1998,
section 3g) draw the edge of that region at the *e-folding time* of each
scale: the distance from an edge at which the wavelet power of a
discontinuity there has dropped by ``e**-2``. That power is the squared
envelope of the wavelet, so the e-folding time at scale ``s`` is ``tau * s``
(in samples), with ``tau`` where the envelope ``|g(x)| / |g(0)|`` falls to
``1/e``::

        |g(x)|
      1 +        ___
        |      /     \\
    1/e + ....+.......+....       |g(tau)| = |g(0)| / e
        |   / .       . \\
      0 +--'--+---+---+--'---  x
             -tau  0   tau

For the Gaussian envelopes ``tau`` is exact:

========================  =======================  ==============
wavelet                   envelope ``g(x)``        ``tau``
========================  =======================  ==============
``morl``, ``mexh``        ``exp(-x**2 / 2)``       ``sqrt(2)``
``gausN``, ``cgauN``      ``exp(-x**2)``           ``1``
``cmorB-C``               ``exp(-x**2 / B)``       ``sqrt(B)``
``shanB-C``               ``sinc(B x)``            ``u1 / B``
``fbspM-B-C``             ``sinc(B x / M)**M``     ``M uM / B``
========================  =======================  ==============

The polynomial factors of ``mexh`` and the Gaussian derivatives are left
out, as Torrence & Compo do for their DOG wavelets (``sqrt(2) s`` for every
order). ``sinc(t) = sin(pi t) / (pi t)``; ``uM`` solves ``sinc(u)**M =
1/e`` on the main lobe, found numerically (``u1 = 0.70000...``).
Coefficient ``n`` lies inside the cone at scale ``s`` when its distance to
the nearer end, ``min(n, N - 1 - n) + 1/2`` samples (an edge lies half a
sample outside the data), is less than ``tau * s``.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from filterbank.design.continuous import as_continuous_wavelet
from filterbank.errors import InputError

__all__ = ["ConeOfInfluence", "cone_of_influence", "efolding_time"]


@lru_cache(maxsize=64)
def _sinc_root(m: int) -> float:
    """``u`` in (0, 1) with ``sinc(u)**m = 1/e``."""
    from scipy.optimize import brentq

    return float(brentq(lambda u: m * math.log(np.sinc(u)) + 1.0, 1e-9, 1.0 - 1e-12, xtol=1e-15, rtol=1e-15))


def efolding_time(wavelet: Any) -> float:
    """``tau``: the e-folding time of the wavelet at scale 1, in units of its ``x`` (samples per unit scale).

    Parameters
    ----------
    wavelet : str, ContinuousWavelet or spec
        A continuous wavelet.

    Returns
    -------
    float
        ``tau`` such that the cone's edge at scale ``s`` lies ``tau * s``
        samples from each end (see the module notes for the table).

    Examples
    --------
    >>> efolding_time("morl") == math.sqrt(2), efolding_time("gaus3"), efolding_time("cmor1.5-1.0")
    (True, 1.0, 1.224744871391589)
    >>> round(efolding_time("shan1.0-1.5"), 10)
    0.7000026145
    """
    w = as_continuous_wavelet(wavelet)
    family = w.short_family_name
    if family in ("morl", "mexh"):
        return math.sqrt(2.0)
    if family in ("gaus", "cgau"):
        return 1.0
    b = float(w.bandwidth_frequency)  # type: ignore[arg-type]
    if family == "cmor":
        return math.sqrt(b)
    m = 1 if family == "shan" else int(w.fbsp_order)  # type: ignore[arg-type]
    return m * _sinc_root(m) / b


class ConeOfInfluence(NamedTuple):
    """What `cone_of_influence` returns."""

    efolding: np.ndarray
    """``(n_scales,)``: ``tau * scale * sampling_period``, the cone's half-width at each scale."""
    distance: np.ndarray
    """``(n,)``: ``(min(i, n - 1 - i) + 1/2) * sampling_period``, each sample's distance to the nearer edge."""
    mask: np.ndarray
    """``(n_scales, n)`` bool: True inside the cone (``distance < efolding``), where the edges bias the coefficients."""


def cone_of_influence(n: int, scales: Any, wavelet: Any, *, sampling_period: float = 1.0) -> ConeOfInfluence:
    """The cone of influence of a CWT of ``n`` samples (Torrence & Compo 1998).

    Parameters
    ----------
    n : int
        Number of samples of the signal, >= 1.
    scales : float or array_like
        The scales given to `filterbank.cwt` (> 0).
    wavelet : str, ContinuousWavelet or spec
        The wavelet given to `filterbank.cwt`.
    sampling_period : float, optional
        Seconds per sample (default 1: times in samples).

    Returns
    -------
    ConeOfInfluence
        ``efolding`` per scale, ``distance`` per sample, both in units of
        ``sampling_period``, and the ``mask`` of the coefficients inside the
        cone (same shape as one signal's coefficients).

    Examples
    --------
    >>> cone = cone_of_influence(8, [1.0, 2.0], "morl")
    >>> cone.efolding.round(4), cone.distance
    (array([1.4142, 2.8284]), array([0.5, 1.5, 2.5, 3.5, 3.5, 2.5, 1.5, 0.5]))
    >>> cone.mask.astype(int)
    array([[1, 0, 0, 0, 0, 0, 0, 1],
           [1, 1, 1, 0, 0, 1, 1, 1]])
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError(f"n must be an integer >= 1 (the number of samples); got {n!r}")
    s = np.atleast_1d(np.asarray(scales))
    if s.ndim != 1 or s.dtype.kind not in "iuf" or s.size == 0 or not np.all(np.isfinite(s)) or np.any(s <= 0):
        raise InputError(f"scales must be a positive number or a 1-D sequence of them; got {scales!r}")
    if isinstance(sampling_period, bool) or not isinstance(sampling_period, (int, float, np.integer, np.floating)) \
            or not math.isfinite(sampling_period) or not sampling_period > 0:
        raise InputError(f"sampling_period must be a finite number > 0; got {sampling_period!r}")
    dt = float(sampling_period)
    efolding = efolding_time(wavelet) * s.astype(np.float64) * dt
    i = np.arange(int(n))
    distance = (np.minimum(i, n - 1 - i) + 0.5) * dt
    return ConeOfInfluence(efolding, distance, distance[None, :] < efolding[:, None])
