"""C1: the continuous wavelet transform against ``pywt.cwt``, a row of the engine table (`filterbank.bench.engine`).

====  ==========================================================
C1    ``cwt`` of 64 signals of 16384 samples, cmor1.5-1.0, 128
      scales (1 to 100 Hz log-spaced at 250 Hz), ``method="fft"``
      (``quick``: 16 x 4096, 32 scales)
====  ==========================================================

Both libraries use one FFT per signal and one inverse FFT per signal and
scale (PyWavelets' ``method="fft"``). The row's ``level`` column is its
number of scales; its peak memory is the resident-set rise for both
libraries (numpy in, numpy out runs on numpy). Its floor counts the FFTs
at the signal's length (any FFT length used is at least that), so it is
the lower bound `filterbank.bench.floor` describes; the output (complex,
one row per scale) usually makes it memory-bound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from filterbank.bench.floor import fft_macs
from filterbank.bench.workload import Workload

__all__ = ["calls", "macs", "workload"]


def workload(*, quick: bool = False) -> Workload:
    """C1 (sizes above).

    Examples
    --------
    >>> workload(quick=True)
    Workload(name='C1', kind='cwt', shape=(16, 4096), wavelet='cmor1.5-1.0', level=32)
    """
    return Workload("C1", "cwt", (16, 4096) if quick else (64, 16384), "cmor1.5-1.0", 32 if quick else 128)


def macs(w: Workload) -> float:
    """Multiply-adds: per signal one real FFT, then per scale a complex product and an inverse complex FFT.

    Examples
    --------
    >>> macs(Workload("C1", "cwt", (1, 1024), "cmor1.5-1.0", 2))  # 12800 + 2 x (4 x 1024 + 25600)
    72192.0
    """
    batch, n = int(np.prod(w.shape[:-1])), w.shape[-1]
    return batch * (fft_macs(n, real=True) + w.level * (4 * n + fft_macs(n)))


def calls(w: Workload, x: np.ndarray) -> tuple[Callable[[], Any], Callable[[], Any], Callable[[], Any]]:
    """PyWavelets, filterbank numpy in / numpy out, and filterbank on a tensor, for C1."""
    import pywt

    import filterbank as fb
    from filterbank.backend._tf import tf

    xt = tf().constant(x)
    scales = fb.cwt_scales(w.wavelet, 1.0, 100.0, w.level, fs=250.0)
    return (
        lambda: pywt.cwt(x, scales, w.wavelet, method="fft"),
        lambda: fb.cwt(x, scales, w.wavelet, method="fft"),
        lambda: fb.cwt(xt, scales, w.wavelet, method="fft").coefs,
    )
