"""C1, the CWT workload, timed side by side with PyWavelets and against the memory floor (one process).

``cwt`` of 64 signals of 16384 samples (float32), ``cmor1.5-1.0``, 128
scales (1 to 100 Hz log-spaced at 250 Hz), ``method="fft"`` in both
libraries; ``quick``: 16 x 4096, 32 scales. Each side runs once to warm up,
then ``repeat`` times, interleaved (PyWavelets, filterbank on numpy,
filterbank on a ``tf.Tensor``, the floor), so that a busy machine slows all
of them alike; the best of each counts. Wall time and CPU time (user + system
of the process, all its threads) are both kept: on a shared machine the CPU
time is the steadier measure of the work done.

The *floor* is what any CWT must at least do: allocate the output and write
every coefficient once (``numpy.empty`` then ``fill``). ``fb/floor`` says how
far filterbank is from it.

Examples
--------
>>> rows = run_cwt(quick=True, repeat=1)                         # doctest: +SKIP
>>> print(format_cwt(rows))                                      # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

__all__ = ["CWTRow", "format_cwt", "run_cwt"]


class CWTRow(NamedTuple):
    """Best wall and CPU seconds of each side of one CWT workload."""

    name: str
    shape: tuple[int, ...]
    wavelet: str
    scales: int
    output_mib: float
    pywt_s: float
    pywt_cpu_s: float
    fb_s: float
    fb_cpu_s: float
    fbt_s: float
    floor_s: float
    floor_cpu_s: float

    @property
    def speedup(self) -> float:
        """PyWavelets' wall time over filterbank's (numpy in, numpy out)."""
        return self.pywt_s / self.fb_s

    @property
    def speedup_cpu(self) -> float:
        """The same with CPU times."""
        return self.pywt_cpu_s / self.fb_cpu_s


def _best(fn: Callable[[], Any], times: list[tuple[float, float]]) -> None:
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    times.append((time.perf_counter() - t, time.process_time() - c))
    del out


def run_cwt(*, quick: bool = False, repeat: int = 5, seed: int = 0) -> list[CWTRow]:
    """Time C1 (see the module notes); return one row.

    Parameters
    ----------
    quick : bool, optional
        The small variant (16 x 4096, 32 scales).
    repeat : int, optional
        Timed runs of each side, interleaved (>= 1).
    seed : int, optional
        Seed of the random signals.
    """
    import pywt

    import filterbank as fb
    from filterbank.backend._tf import tf

    if isinstance(repeat, bool) or not isinstance(repeat, int) or repeat < 1:
        raise fb.InputError(f"repeat must be an integer >= 1; got {repeat!r}")
    shape, count, wavelet = ((16, 4096), 32, "cmor1.5-1.0") if quick else ((64, 16384), 128, "cmor1.5-1.0")
    x = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    xt = tf().constant(x)
    scales = fb.cwt_scales(wavelet, 1.0, 100.0, count, fs=250.0)
    out_shape = (count, *shape)

    def floor() -> np.ndarray:
        out = np.empty(out_shape, np.complex64)
        out.fill(1)
        return out

    sides: dict[str, Callable[[], Any]] = {
        "pywt": lambda: pywt.cwt(x, scales, wavelet, method="fft"),
        "fb": lambda: fb.cwt(x, scales, wavelet, method="fft"),
        "fbt": lambda: fb.cwt(xt, scales, wavelet, method="fft").coefs.numpy(),
        "floor": floor,
    }
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in sides}
    ref, _ = sides["pywt"]()
    got, _ = sides["fb"]()
    if np.abs(got - ref).max() > 1e-4 * np.abs(ref).max():  # float32: the documented bound
        raise AssertionError("C1: filterbank's coefficients differ from PyWavelets'")
    del ref, got
    sides["fbt"]()
    for _ in range(repeat):
        for k, fn in sides.items():
            _best(fn, times[k])
    wall = {k: min(t for t, _ in v) for k, v in times.items()}
    cpu = {k: min(c for _, c in v) for k, v in times.items()}
    mib = np.prod(out_shape) * 8 / 2**20
    return [CWTRow("C1", shape, wavelet, count, float(mib), wall["pywt"], cpu["pywt"], wall["fb"], cpu["fb"],
                   wall["fbt"], wall["floor"], cpu["floor"])]


def format_cwt(rows: Sequence[CWTRow]) -> str:
    """The rows as a text table: seconds, and the ratios PyWavelets / filterbank and filterbank / floor.

    Examples
    --------
    >>> row = CWTRow("C1", (64, 16384), "cmor1.5-1.0", 128, 1024.0, 8.0, 4.0, 2.0, 1.0, 4.0, 0.4, 0.2)
    >>> print(format_cwt([row]))
    work  shape     scales  out MiB  pywt s (cpu)  fb s (cpu)  fb tensor s  floor s (cpu)  pywt/fb (cpu)  fb/floor (cpu)
    C1    64x16384  128        1024   8.00 (4.00)  2.00 (1.00)         4.00    0.40 (0.20)     4.0x (4.0x)     5.0x (5.0x)
    """
    head = ("work", "shape", "scales", "out MiB", "pywt s (cpu)", "fb s (cpu)", "fb tensor s", "floor s (cpu)",
            "pywt/fb (cpu)", "fb/floor (cpu)")
    body = []
    for r in rows:
        body.append((
            r.name, "x".join(map(str, r.shape)), str(r.scales), f"{r.output_mib:.0f}",
            f"{r.pywt_s:.2f} ({r.pywt_cpu_s:.2f})", f"{r.fb_s:.2f} ({r.fb_cpu_s:.2f})", f"{r.fbt_s:.2f}",
            f"{r.floor_s:.2f} ({r.floor_cpu_s:.2f})", f"{r.speedup:.1f}x ({r.speedup_cpu:.1f}x)",
            f"{r.fb_s / r.floor_s:.1f}x ({r.fb_cpu_s / r.floor_cpu_s:.1f}x)",
        ))
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    left = {0, 1}

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(head).rstrip(), *(line(b).rstrip() for b in body)])
