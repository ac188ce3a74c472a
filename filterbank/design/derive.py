"""Derivation rules: complete a two-channel bank from some of its filters.

The two-channel bank, as PyWavelets and filterbank run it (``*`` is true
convolution, ``v2`` keeps every second sample, ``^2`` puts a zero between
samples)::

              analysis                        synthesis
        +--> dec_lo * --> v2 --> a --> ^2 --> rec_lo * --+
    x --+                                                (+) --> x delayed by L - 1
        +--> dec_hi * --> v2 --> d --> ^2 --> rec_hi * --+

All rules use PyWavelets' convention: the analysis filters ``dec_lo`` (h0) and
``dec_hi`` (h1) are applied by true convolution followed by keeping every
second sample; the synthesis filters ``rec_lo`` (f0) and ``rec_hi`` (f1) are
applied after up-sampling. With ``m(h)[k] = (-1)**k * h[k]`` (modulation, which
maps ``H(z)`` to ``H(-z)``) and ``r(h)[k] = h[L-1-k]`` (time reversal)::

    alternating_flip   (orthogonal, from h0)     f0 = r(h0)     f1 = m(h0)     h1 = r(f1)
    time_reversal      (orthogonal, from h0, h1) f0 = r(h0)     f1 = r(h1)
    biorthogonal       (from h0 and f0)          f1 = m(h0)     h1 = -m(f0)
    synthesis          (biorthogonal, h0, h1)    f0 = -m(h1)    f1 = m(h0)
    analysis           (biorthogonal, f0, f1)    h0 = m(f1)     h1 = -m(f0)
    qmf                (Croisier-Esteban-Galand) h1 = -m(h0)    f0 = h0        f1 = m(h0)

Every one of them cancels aliasing exactly: the alias term
``F0(z) H0(-z) + F1(z) H1(-z)`` vanishes identically. What remains is the
distortion ``T(z) = (F0(z) H0(z) + F1(z) H1(z)) / 2``, which equals the pure
delay ``z**-(L-1)`` exactly when the bank reconstructs perfectly. The rules
reproduce PyWavelets' own filters (``pywt.Wavelet(name).filter_bank``) for every
orthogonal and biorthogonal family.

Examples
--------
>>> import numpy as np
>>> h0 = np.array([1.0, 1.0]) / np.sqrt(2)
>>> [t.round(4).tolist() for t in alternating_flip(h0)]
[[0.7071, 0.7071], [-0.7071, 0.7071], [0.7071, 0.7071], [0.7071, -0.7071]]
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from filterbank.errors import SpecError

__all__ = [
    "Derivation",
    "align",
    "alternating_flip",
    "analysis_from_synthesis",
    "biorthogonal",
    "convolve",
    "distortion",
    "modulate",
    "qmf",
    "synthesis_from_analysis",
    "time_reversal",
]

Derivation = Literal["auto", "alternating_flip", "time_reversal", "biorthogonal", "synthesis", "analysis", "qmf"]


Bank4 = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def modulate(h: np.ndarray) -> np.ndarray:
    """Return ``(-1)**k * h[k]``: the filter whose response is ``H(-z)``.

    Examples
    --------
    >>> modulate(np.array([1.0, 2.0, 3.0])).tolist()
    [1.0, -2.0, 3.0]
    """
    h = np.asarray(h, dtype=np.float64)
    out = h.copy()
    out[1::2] *= -1.0
    return out


def _even(h: np.ndarray, what: str, path: str) -> None:
    if h.size % 2:
        raise SpecError(
            f"{path}: the {what} rule needs an even number of taps; got {h.size} "
            "(pad with one zero tap or choose an even numtaps)"
        )


def alternating_flip(dec_lo: np.ndarray, path: str = "derive") -> Bank4:
    """Orthogonal bank from its analysis low-pass (the alternating-flip rule).

    ``rec_lo = dec_lo[::-1]``, ``rec_hi[k] = (-1)**k dec_lo[k]``,
    ``dec_hi = rec_hi[::-1]``. The bank is perfect-reconstruction exactly when
    ``dec_lo`` is orthonormal to its own even shifts.

    Returns
    -------
    tuple of numpy.ndarray
        ``(dec_lo, dec_hi, rec_lo, rec_hi)``.

    Raises
    ------
    SpecError
        If ``dec_lo`` has an odd number of taps.

    Examples
    --------
    >>> import pywt
    >>> w = pywt.Wavelet("db3")
    >>> bank = alternating_flip(np.array(w.dec_lo))
    >>> all(np.allclose(a, b, rtol=0, atol=0) for a, b in zip(bank, w.filter_bank))
    True
    """
    h0 = np.asarray(dec_lo, dtype=np.float64)
    _even(h0, "alternating_flip", path)
    f1 = modulate(h0)
    return h0, f1[::-1].copy(), h0[::-1].copy(), f1


def time_reversal(dec_lo: np.ndarray, dec_hi: np.ndarray) -> Bank4:
    """Orthogonal synthesis filters as the time-reversed analysis filters.

    ``rec_lo = dec_lo[::-1]`` and ``rec_hi = dec_hi[::-1]``.

    Examples
    --------
    >>> [t.tolist() for t in time_reversal(np.array([1.0, 2.0]), np.array([2.0, -1.0]))]
    [[1.0, 2.0], [2.0, -1.0], [2.0, 1.0], [-1.0, 2.0]]
    """
    h0 = np.asarray(dec_lo, dtype=np.float64)
    h1 = np.asarray(dec_hi, dtype=np.float64)
    return h0, h1, h0[::-1].copy(), h1[::-1].copy()


def _pad_pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = max(a.size, b.size)
    return np.pad(a, (0, n - a.size)), np.pad(b, (0, n - b.size))


def biorthogonal(dec_lo: np.ndarray, rec_lo: np.ndarray) -> Bank4:
    """Biorthogonal bank from its two low-pass filters (cross modulation).

    ``rec_hi[k] = (-1)**k dec_lo[k]`` and ``dec_hi[k] = (-1)**(k+1) rec_lo[k]``;
    the shorter low-pass is zero-padded at the end to the common length first.

    Examples
    --------
    >>> import pywt
    >>> w = pywt.Wavelet("bior2.2")
    >>> bank = biorthogonal(np.array(w.dec_lo), np.array(w.rec_lo))
    >>> all(np.array_equal(a, b) for a, b in zip(bank, w.filter_bank))
    True
    """
    h0, f0 = _pad_pair(np.asarray(dec_lo, dtype=np.float64), np.asarray(rec_lo, dtype=np.float64))
    return h0, -modulate(f0), f0, modulate(h0)


def synthesis_from_analysis(dec_lo: np.ndarray, dec_hi: np.ndarray) -> Bank4:
    """Synthesis filters of a biorthogonal bank from its analysis pair.

    ``rec_lo[k] = (-1)**(k+1) dec_hi[k]`` and ``rec_hi[k] = (-1)**k dec_lo[k]``.

    Examples
    --------
    >>> import pywt
    >>> w = pywt.Wavelet("bior3.5")
    >>> bank = synthesis_from_analysis(np.array(w.dec_lo), np.array(w.dec_hi))
    >>> all(np.array_equal(a, b) for a, b in zip(bank, w.filter_bank))
    True
    """
    h0, h1 = _pad_pair(np.asarray(dec_lo, dtype=np.float64), np.asarray(dec_hi, dtype=np.float64))
    return h0, h1, -modulate(h1), modulate(h0)


def analysis_from_synthesis(rec_lo: np.ndarray, rec_hi: np.ndarray) -> Bank4:
    """Analysis filters of a biorthogonal bank from its synthesis pair.

    ``dec_lo[k] = (-1)**k rec_hi[k]`` and ``dec_hi[k] = (-1)**(k+1) rec_lo[k]``.

    Examples
    --------
    >>> import pywt
    >>> w = pywt.Wavelet("rbio1.5")
    >>> bank = analysis_from_synthesis(np.array(w.rec_lo), np.array(w.rec_hi))
    >>> all(np.array_equal(a, b) for a, b in zip(bank, w.filter_bank))
    True
    """
    f0, f1 = _pad_pair(np.asarray(rec_lo, dtype=np.float64), np.asarray(rec_hi, dtype=np.float64))
    return modulate(f1), -modulate(f0), f0, f1


def qmf(dec_lo: np.ndarray, path: str = "derive") -> Bank4:
    """Classical quadrature-mirror bank (Croisier, Esteban and Galand, 1976).

    ``dec_hi[k] = (-1)**(k+1) dec_lo[k]`` (so ``H1(z) = -H0(-z)``),
    ``rec_lo = dec_lo`` and ``rec_hi[k] = (-1)**k dec_lo[k]``. Aliasing cancels
    exactly; the distortion is ``T(z) = (H0(z)**2 - H0(-z)**2) / 2``, which is a
    pure delay only for the Haar filter. A linear-phase, even-length ``dec_lo``
    (a windowed or Johnston design scaled to ``sum(dec_lo) == sqrt(2)``) makes
    ``T`` a near-delay with small amplitude ripple: near-perfect reconstruction.

    Examples
    --------
    >>> import pywt
    >>> bank = qmf(np.array(pywt.Wavelet("haar").dec_lo))
    >>> all(np.allclose(a, b, rtol=0, atol=1e-15) for a, b in zip(bank, pywt.Wavelet("haar").filter_bank))
    True
    """
    h0 = np.asarray(dec_lo, dtype=np.float64)
    _even(h0, "qmf", path)
    return h0, -modulate(h0), h0.copy(), modulate(h0)


def convolve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Full linear convolution: direct for short inputs, by FFT for long ones.

    Examples
    --------
    >>> convolve(np.array([1.0, 2.0]), np.array([1.0, -1.0])).tolist()
    [1.0, 1.0, -2.0]
    >>> x = np.random.default_rng(0).standard_normal(3000)
    >>> bool(np.allclose(convolve(x, x), np.convolve(x, x), rtol=0, atol=1e-10))
    True
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.size * b.size <= 1 << 20:
        return np.convolve(a, b)
    n = a.size + b.size - 1
    size = 1 << (n - 1).bit_length()
    return np.fft.irfft(np.fft.rfft(a, size) * np.fft.rfft(b, size), size)[:n]


def distortion(bank: Bank4) -> tuple[np.ndarray, np.ndarray]:
    """Distortion and alias transfer functions of a two-channel bank.

    Returns the coefficient arrays of ``T(z) = (F0 H0 + F1 H1) / 2`` and
    ``A(z) = (F0(z) H0(-z) + F1(z) H1(-z)) / 2``.

    Examples
    --------
    >>> import pywt
    >>> t, a = distortion(tuple(np.array(f) for f in pywt.Wavelet("haar").filter_bank))
    >>> t.round(12).tolist(), a.round(12).tolist()
    ([0.0, 1.0, 0.0], [0.0, 0.0, 0.0])
    """
    h0, h1, f0, f1 = (np.asarray(f, dtype=np.float64) for f in bank)
    t = _add(convolve(f0, h0), convolve(f1, h1)) / 2
    a = _add(convolve(f0, modulate(h0)), convolve(f1, modulate(h1))) / 2
    return t, a


def _add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a, b = _pad_pair(a, b)
    return a + b


def _trim_pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    nz = np.flatnonzero((a != 0) | (b != 0))
    if nz.size == 0:
        return a[:1], b[:1]
    return a[nz[0] : nz[-1] + 1], b[nz[0] : nz[-1] + 1]


def align(bank: Bank4) -> Bank4:
    """Zero-pad the four filters to one length ``L`` with reconstruction delay ``L - 1``.

    PyWavelets' transforms (and ours) assume four filters of equal length ``L``
    whose distortion ``T(z)`` peaks at ``z**-(L-1)``. Any bank whose
    reconstruction delay is ``d`` can be brought to that form by prepending
    ``p_a`` zeros to both analysis filters and ``p_s`` zeros to both synthesis
    filters (and appending zeros to equalise lengths), with
    ``L = max(La, Ls, d + 1, La + Ls - 1 - d)``, ``p_a = max(0, Ls - 1 - d)`` and
    ``p_s = L - 1 - d - p_a``. Zero taps that lead or trail both filters of a
    pair are removed first, so the result is the shortest such layout. Aliasing cancellation is unaffected. The delay
    ``d`` is taken where ``|T|`` peaks.

    Examples
    --------
    Haar analysis filters delayed by three samples:

    >>> bank = (np.array([0, 0, 0, 1.0, 1.0]), np.array([0, 0, 0, -1.0, 1.0]),
    ...         np.array([0.5, 0.5]), np.array([0.5, -0.5]))
    >>> [f.tolist() for f in align(bank)]
    [[1.0, 1.0], [-1.0, 1.0], [0.5, 0.5], [0.5, -0.5]]
    """
    h0, h1, f0, f1 = (np.asarray(f, dtype=np.float64) for f in bank)
    h0, h1 = _trim_pair(*_pad_pair(h0, h1))
    f0, f1 = _trim_pair(*_pad_pair(f0, f1))
    la, ls = h0.size, f0.size
    t, _ = distortion((h0, h1, f0, f1))
    d = int(np.argmax(np.abs(t)))
    n = max(la, ls, d + 1, la + ls - 1 - d)
    pa = max(0, ls - 1 - d)
    ps = n - 1 - d - pa
    pad_a = (pa, n - la - pa)
    pad_s = (ps, n - ls - ps)
    return np.pad(h0, pad_a), np.pad(h1, pad_a), np.pad(f0, pad_s), np.pad(f1, pad_s)
