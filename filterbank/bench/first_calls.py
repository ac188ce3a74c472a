"""First calls on new shapes and wavelets, and the memory a process keeps over many shapes (``--first-calls``).

* first calls: the first call on a new 1-D length, 2-D shape, SWT length and
  wavelet, after TensorFlow is loaded, for both libraries (the tier filterbank
  used is shown: numpy or eager, see `filterbank.tiers`);
* memory: the resident-set growth over ``N`` distinct shapes in one process.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from filterbank.backend.tiers import Compile
from filterbank.bench._timing import mib, rss, sync

__all__ = ["FirstCall", "MemoryGrowth", "first_call_cases", "first_calls", "format_first_calls", "memory_growth"]


@dataclass(frozen=True)
class FirstCall:
    """Wall time (seconds) of the first call on a new shape or wavelet, in both libraries."""

    case: str
    shape: tuple[int, ...]
    wavelet: str
    fb_s: float
    pywt_s: float
    tier: str


def first_call_cases(*, quick: bool = False) -> list[tuple[str, str, tuple[int, ...], str, int | None]]:
    """``(case, transform, shape, wavelet, level)`` of the first-call table.

    Examples
    --------
    >>> [c[0] for c in first_call_cases(quick=True)][:3]
    ['1-D, new length', '1-D, new length', '1-D, new wavelet']
    """
    big = 4099 if quick else 100_003
    image = (128, 128) if quick else (512, 512)
    return [
        ("1-D, new length", "wavedec", (1001,), "db4", None),
        ("1-D, new length", "wavedec", (big,), "db4", None),
        ("1-D, new wavelet", "wavedec", (4096,), "sym7", None),
        ("2-D, new shape", "wavedec2", (67, 45), "db4", None),
        ("2-D, new shape", "wavedec2", image, "db4", 3),
        ("SWT, new length", "swt", (16384,), "db4", 4),
        ("SWT, new batch", "swt", (8, 8192), "db2", 3),
    ]


def first_calls(quick: bool = False, seed: int = 0) -> list[FirstCall]:
    """Time the first call of each `first_call_cases` entry (TensorFlow loaded and warm beforehand)."""
    import pywt

    import filterbank as fb
    from filterbank.backend.tiers import execution_options

    rng = np.random.default_rng(seed)
    fb.wavedec(np.ones((2, 40000), np.float32), "db2", level=1, executor="conv")  # load and warm TensorFlow
    out = []
    for case, kind, shape, wavelet, level in first_call_cases(quick=quick):
        x = rng.standard_normal(shape).astype(np.float32)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            sync(getattr(fb, kind)(x, wavelet, level=level))
            fb_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            getattr(pywt, kind)(x, wavelet, level=level)
            pywt_s = time.perf_counter() - t0
        tier = "numpy" if x.size <= execution_options().numpy_below else "eager TF"
        out.append(FirstCall(case, shape, wavelet, fb_s, pywt_s, tier))
    return out


@dataclass(frozen=True)
class MemoryGrowth:
    """Resident-set growth (bytes) of one process over ``shapes`` distinct shapes."""

    label: str
    shapes: int
    growth: int | None
    compiled: int


def memory_growth(shapes: int = 1000, compiled: int = 20, seed: int = 0) -> list[MemoryGrowth]:
    """RSS growth over ``shapes`` distinct 1-D lengths (numpy or eager tier, each called twice), then over
    ``compiled`` more compiled with ``compile="always"``; caches are bounded, so growth levels off."""
    import gc

    import filterbank as fb

    rng = np.random.default_rng(seed)
    rows = []
    runs: tuple[tuple[str, int, Compile, int], ...] = (
        ("uncompiled tiers, 2 calls each", shapes, "auto", 40_000),
        ("compiled", compiled, "always", 60_000),
    )
    for label, n, mode, start in runs:
        gc.collect()
        before = rss()
        for i in range(n):
            x = rng.standard_normal(start + 7 * i).astype(np.float32)
            for _ in range(2):
                sync(fb.wavedec(x, "db4", level=4, compile=mode))
        gc.collect()
        after = rss()
        rows.append(MemoryGrowth(label, n, None if before is None or after is None else after - before, fb.cache_info()["compiled"].entries))
    return rows


def format_first_calls(rows: Sequence[FirstCall], growth: Sequence[MemoryGrowth] = ()) -> str:
    """Render the first-call table and the memory rows.

    Examples
    --------
    >>> print(format_first_calls([FirstCall("1-D, new length", (1001,), "db4", 0.0004, 0.0001, "numpy")]))
    first call         shape   wavelet  fb ms  pywt ms  tier
    1-D, new length    1001    db4      0.4    0.1      numpy
    """
    table = [("first call", "shape", "wavelet", "fb ms", "pywt ms", "tier")]
    for r in rows:
        table.append((r.case, "x".join(map(str, r.shape)), r.wavelet, f"{r.fb_s * 1e3:.1f}", f"{r.pywt_s * 1e3:.1f}", r.tier))
    widths = [max(len(row[i]) for row in table) + 2 for i in range(len(table[0]))]
    widths[0] = max(widths[0], 19)
    lines = ["".join(c.ljust(wd) for c, wd in zip(row, widths)).rstrip() for row in table]
    for g in growth:
        lines.append(
            f"memory: RSS grew {mib(g.growth)} MiB over {g.shapes} new shapes ({g.label}); "
            f"{g.compiled} compiled functions cached"
        )
    return "\n".join(lines)


