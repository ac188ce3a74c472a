"""The CWT's plan: one filter per scale (PyWavelets' recipe as a single linear filter), FFT sizes, chunks.

How a scale becomes a kernel::

    int_psi = cumsum(psi) * dx             psi sampled on 2**precision points, [lb, ub]
    k_s[m]  = int_psi[floor(m / (s dx))]   m = 0 .. floor(s (ub - lb)), then reversed
    h_s     = -sqrt(s) * diff([0, k_s, 0]) the derivative of the integral, length K + 1
    coefs_s = (data * h_s)[c : c + N]      true convolution, c = K // 2 ("same", centred)

The CWT has no tree (`filterbank.plans.tree`): it is one filter per scale.
Kernels are cached (bounded) by wavelet, scales, precision and the data's
precision; their spectra too, by the same and the FFT size. (The spectra
are not band-limited: the kernel steps through the sampled integral, whose
spectrum leaks at about ``1e-5`` of its peak far from the wavelet's band, so
no bin may be skipped without losing parity with PyWavelets.)
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from filterbank.cache import named_cache
from filterbank.design.scales import integrate_wavelet
from filterbank.errors import InputError

__all__ = ["Kernels", "cached_spectra", "chunk_size", "fft_length", "for_length", "kernels", "spectra"]

_KERNELS = named_cache("cwt kernels", max_entries=256, max_bytes=256 << 20)
_SPECTRA = named_cache("cwt spectra", max_entries=64, max_bytes=512 << 20)
_CHUNK_MIN = 32 << 20


class Kernels(NamedTuple):
    """Per-scale filters ``h_s`` (complex128 or float64) and their centres ``c_s``."""

    filters: tuple[np.ndarray, ...]
    centres: tuple[int, ...]
    complex: bool
    key: tuple[Any, ...] = ()
    """What the kernels were made from (wavelet, scales, precision, data precision, cut length)."""


def kernels(w: Any, scales: np.ndarray, precision: int, real: np.dtype) -> Kernels:
    """The filters ``h_s`` of every scale (cached by wavelet, scales, precision and precision of the data)."""
    key = (tuple(sorted(w.to_dict().items())), scales.dtype.str, scales.tobytes(), precision, real.str)
    made = _KERNELS.get_or_create(key, lambda: _make_kernels(w, scales, precision, real),
                                  nbytes=lambda k: sum(f.nbytes for f in k.filters))
    return made._replace(key=key)


def _make_kernels(w: Any, scales: np.ndarray, precision: int, real: np.dtype) -> Kernels:
    int_psi, x = integrate_wavelet(w, precision=precision)
    if w.complex_cwt:
        int_psi = np.conj(int_psi)
    # the sampling grid in the data's precision, as PyWavelets indexes it
    xr = x.astype(real)
    step, width = xr[1] - xr[0], xr[-1] - xr[0]
    filters, centres = [], []
    for s in scales:
        j = (np.arange(s * width + 1) / (s * step)).astype(int)
        j = j[j < int_psi.size]
        k = int_psi[j][::-1]
        if k.size < 2:
            raise InputError(f"scales: scale {float(s):g} is too small for {w.name!r} at precision {precision} "
                             f"(its kernel would be 1 sample; use scales >= {1 / float(width):.3g})")
        h = np.zeros(k.size + 1, dtype=k.dtype)
        h[:-1] = k
        h[1:] -= k
        filters.append(-np.sqrt(s) * h)
        centres.append(k.size // 2)
    for f in filters:
        f.flags.writeable = False
    return Kernels(tuple(filters), tuple(centres), bool(w.complex_cwt))


def for_length(kern: Kernels, n: int) -> Kernels:
    """The kernels cut to the taps that reach the ``n`` kept samples (``h[c - n + 1 : c + n]``)."""
    filters, centres = [], []
    for f, c in zip(kern.filters, kern.centres):
        a, b = max(0, c - n + 1), min(len(f), c + n)
        filters.append(f[a:b])
        centres.append(c - a)
    return Kernels(tuple(filters), tuple(centres), kern.complex, (*kern.key, n))


def fft_length(n: int, kern: Kernels, hop: int) -> int:
    """The FFT size: a fast size, a multiple of ``hop``, with no wrap-around into the kept samples.

    ``kern`` is cut by `for_length` first, so every filter is shorter than the size.
    """
    import scipy.fft

    need = n + max(len(f) - c for f, c in zip(kern.filters, kern.centres))
    return hop * scipy.fft.next_fast_len(-(-need // hop))


def spectra(kern: Kernels, length: int, index: np.ndarray) -> np.ndarray:
    """Spectra of the filters ``index``, rotated so that sample ``c_s`` of the convolution lands at 0."""
    out = np.zeros((len(index), length), dtype=np.complex128)
    for row, i in enumerate(index):
        f, c = kern.filters[i], kern.centres[i]
        out[row, :len(f)] = f
        out[row] = np.roll(out[row], -c)
    return np.fft.fft(out, axis=-1)


def cached_spectra(kern: Kernels, length: int, dtype: np.dtype, half: bool) -> np.ndarray:
    """`spectra` of every scale in ``dtype`` (the first ``length // 2 + 1`` bins when ``half``), cached.

    ``half`` is for real filters on real data, whose products are Hermitian
    (the inverse is an ``irfft``).
    """
    def make() -> np.ndarray:
        full = spectra(kern, length, np.arange(len(kern.filters)))
        out = np.ascontiguousarray(full[:, : length // 2 + 1] if half else full, dtype=dtype)
        out.flags.writeable = False
        return out

    key = (kern.key, length, np.dtype(dtype).str, half) if kern.key else None
    if key is None:
        return make()
    return _SPECTRA.get_or_create(key, make, nbytes=lambda v: v.nbytes)


def chunk_size(n_scales: int, rows: int, length: int, itemsize: int, out_bytes: int) -> int:
    """Scales per chunk: the chunk's spectra products stay under a quarter of the output (>= 32 MiB)."""
    budget = max(_CHUNK_MIN, out_bytes // 4)
    return max(1, min(n_scales, budget // max(1, 2 * rows * length * itemsize)))
