"""How the cost grows with the work (``filterbank bench --scaling``): time per sample at every size.

Two series, float32, ``wavedec`` db4 level 3, numpy in and out, each size
called the way a user calls it (``compile="auto"``: the tier filterbank picks
by size and by how often a shape comes back):

* **one signal** of 2^8 ... 2^24 samples (``quick``: 2^8 ... 2^20, every
  other power);
* **a batch** of 1 ... 4096 rows of 1024 samples (``quick``: 1 ... 1024
  in powers of 4).

Each size is warmed up first (calls for 0.15 s, enough to make a shape hot,
then any background compile is waited for), so the times are the steady state; each figure is the best of
``repeat`` samples, a sample looping the call long enough to be timed.
``ns/sample`` is the time of one call over the samples of its input;
``speed-up`` is PyWavelets' time over filterbank's, so the crossover, where
filterbank starts to win, is where it passes 1. ``peak / io`` is the peak
memory of one call (`filterbank.bench._timing`; the smaller of two calls, so
one-off growth such as a first cache entry is left out) over its input plus
output bytes; below about a megabyte it shows the allocator's and the page's
granularity rather than the transform.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from filterbank.bench._timing import best_per_call, filterbank_peak, process_peak, sync

__all__ = ["ScalingRow", "format_scaling", "run_scaling", "scaling_shapes"]

WAVELET, LEVEL = "db4", 3


@dataclass(frozen=True)
class ScalingRow:
    """One size: its series, shape, time per call (seconds) in both libraries, the tier and the peaks (bytes)."""

    series: str  # "one signal" or "batch x 1024"
    shape: tuple[int, ...]
    pywt_s: float
    fb_s: float
    tier: str
    io_bytes: int
    pywt_peak: int | None
    fb_peak: int | None

    @property
    def samples(self) -> int:
        """Samples in the input."""
        return int(np.prod(self.shape))

    @property
    def speedup(self) -> float:
        """PyWavelets' time over filterbank's."""
        return self.pywt_s / self.fb_s


def scaling_shapes(*, quick: bool = False) -> list[tuple[str, tuple[int, ...]]]:
    """``(series, shape)`` of every row.

    Examples
    --------
    >>> [s for _, s in scaling_shapes(quick=True)][:3]
    [(256,), (1024,), (4096,)]
    >>> len(scaling_shapes()), scaling_shapes()[-1]
    (30, ('batch x 1024', (4096, 1024)))
    """
    powers = range(8, 21, 2) if quick else range(8, 25)
    rows = range(0, 11, 2) if quick else range(0, 13)
    return [("one signal", (2**p,)) for p in powers] + [("batch x 1024", (2**r, 1024)) for r in rows]


def _tier(call: Callable[[], object], size: int) -> str:
    """The tier one more call runs in: compiled when it finds its function in the compiled cache."""
    import filterbank as fb
    from filterbank.backend.tiers import execution_options

    before = fb.cache_info()["compiled"].hits
    call()
    if fb.cache_info()["compiled"].hits > before:
        return "compiled"
    return "numpy" if size <= execution_options().numpy_below else "eager"


def _warm(call: Callable[[], object], wait: Callable[[], None], seconds: float = 0.15) -> None:
    """Call until the shape is hot (at least 3 calls and ``seconds``), then let its background compile finish."""
    end, calls = time.perf_counter() + seconds, 0
    while calls < 3 or time.perf_counter() < end:
        call()
        calls += 1
    wait()
    call()
    wait()


def run_scaling(*, quick: bool = False, repeat: int = 5, seed: int = 0) -> list[ScalingRow]:
    """Time every `scaling_shapes` size in both libraries (steady state, see above)."""
    import pywt

    import filterbank as fb
    from filterbank.backend.tiers import wait_for_compiles

    rng = np.random.default_rng(seed)
    rows = []
    for series, shape in scaling_shapes(quick=quick):
        x = rng.standard_normal(shape).astype(np.float32)

        def ref(x: np.ndarray = x) -> list[np.ndarray]:
            return pywt.wavedec(x, WAVELET, level=LEVEL)

        def ours(x: np.ndarray = x) -> object:
            return sync(fb.wavedec(x, WAVELET, level=LEVEL))

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = ref()
            _warm(ours, wait_for_compiles)
            tier = _tier(ours, x.size)
            pywt_s = best_per_call(ref, repeat)
            fb_s = best_per_call(ours, repeat)
            io = x.nbytes + sum(c.nbytes for c in out)
            peaks = [(process_peak(ref), filterbank_peak(ours)[0]) for _ in range(2)]  # the smaller: one-off growth aside
            pywt_peak, fb_peak = (None if None in p else min(p) for p in zip(*peaks))
            rows.append(ScalingRow(series, shape, pywt_s, fb_s, tier, io, pywt_peak, fb_peak))
    return rows


def _ratio(peak: int | None, io: int) -> str:
    return "-" if peak is None else f"{peak / io:.1f}"


def format_scaling(rows: Sequence[ScalingRow]) -> str:
    """The scaling table: ns per sample in both libraries, the speed-up, filterbank's tier, peak over (input + output).

    Examples
    --------
    >>> print(format_scaling([ScalingRow("one signal", (1024,), 3e-5, 3e-4, "numpy", 8292, 0, 16384)]))
    series        shape        samples  pywt ns/sample  fb ns/sample  speed-up  fb tier   peak / io pywt  peak / io fb
    one signal    1024           1024            29.3         293.0     0.10x  numpy                0.0           2.0
    """
    lines = ["series        shape        samples  pywt ns/sample  fb ns/sample  speed-up  fb tier   peak / io pywt  peak / io fb"]
    for r in rows:
        lines.append(
            f"{r.series:<12}  {'x'.join(map(str, r.shape)):<10}  {r.samples:>8}  {r.pywt_s / r.samples * 1e9:>14.1f}  "
            f"{r.fb_s / r.samples * 1e9:>12.1f}  {r.speedup:>7.2f}x  {r.tier:<8}  {_ratio(r.pywt_peak, r.io_bytes):>14}  "
            f"{_ratio(r.fb_peak, r.io_bytes):>12}"
        )
    return "\n".join(lines)
