"""The engine workloads against PyWavelets, in float32 on the current machine.

====  ==========================================================
W1    ``wavedec2`` of 16 images 512 x 512, db4, level 3
W2    ``wavedec`` of 256 signals of 65536 samples, db8, level 5
W3    W1 with db16 and with haar
W4    ``waverec2`` of W1's coefficients
S1    ``swt`` of 64 signals of 65536 samples, db8, level 5
C1    ``cwt`` of 64 signals of 16384 samples, cmor1.5-1.0, 128
      scales (1 to 100 Hz log-spaced at 250 Hz), ``method="fft"``
      (`filterbank.bench.cwt`)
====  ==========================================================

For each workload both libraries run once to warm up (filterbank's first call
compiles the plan, traces and XLA-compiles: ``compile s``), then ``repeat``
times; the best time counts. filterbank is timed numpy in / numpy out (the
like-for-like comparison, ``speed-up`` uses it) and with a ``tf.Tensor``
already in TensorFlow. Each row's floor (`filterbank.bench.floor`) is measured
in the same run; ``fb / floor`` is filterbank's numpy time over it.

Peak memory is what one more call needs at its peak, its results included
(`filterbank.bench._timing`): the resident-set rise for PyWavelets, TensorFlow's
allocator statistics or the resident-set rise for filterbank.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from filterbank.bench import cwt
from filterbank.bench._timing import _allocator_peak, best, filterbank_peak, mib, process_peak, sync
from filterbank.bench.floor import Floor, analysis_macs, floor_cell, matmul_rates, measure_floor, ratio_cell, synthesis_macs
from filterbank.bench.workload import Result, Workload

__all__ = ["NAMES", "Result", "Workload", "format_table", "nbytes", "run", "work", "workloads"]

#: The names ``--only`` accepts for this table.
NAMES = ("W1", "W2", "W3", "W4", "S1", "C1")


def workloads(*, quick: bool = False) -> list[Workload]:
    """The issue's workloads; ``quick`` shrinks every size by 4 to 16x (for smoke runs).

    Examples
    --------
    >>> [w.name for w in workloads(quick=True)]
    ['W1', 'W2', 'W3 db16', 'W3 haar', 'W4', 'S1', 'C1']
    """
    img = (4, 256, 256) if quick else (16, 512, 512)
    sig = (32, 16384) if quick else (256, 65536)
    return [
        Workload("W1", "wavedec2", img, "db4", 3),
        Workload("W2", "wavedec", sig, "db8", 5),
        Workload("W3 db16", "wavedec2", img, "db16", 3),
        Workload("W3 haar", "wavedec2", img, "haar", 3),
        Workload("W4", "waverec2", img, "db4", 3),
        Workload("S1", "swt", (16, 16384) if quick else (64, 65536), "db8", 5),
        cwt.workload(quick=quick),
    ]


def nbytes(obj: Any) -> int:
    """Bytes of every array in a nested result (lists, tuples, dicts, arrays).

    Examples
    --------
    >>> nbytes([np.zeros(4, np.float32), (np.zeros(2), {"d": np.zeros(1, np.int8)})])
    33
    """
    if isinstance(obj, np.ndarray):
        return obj.nbytes
    if isinstance(obj, dict):
        return sum(nbytes(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return sum(nbytes(v) for v in obj)
    return 0


def work(w: Workload, filter_len: int) -> float:
    """Multiply-adds of a DWT workload (`filterbank.bench.floor`; C1's are `filterbank.bench.cwt.macs`).

    Examples
    --------
    >>> work(Workload("W", "wavedec", (3, 8), "haar", 2), 2)  # 3 signals x 24
    72.0
    """
    axes = (-2, -1) if w.kind in ("wavedec2", "waverec2") else (-1,)
    if w.kind == "waverec2":
        return float(synthesis_macs(w.shape, axes, filter_len, w.level))
    return float(analysis_macs(w.shape, axes, filter_len, w.level, stationary=w.kind == "swt"))


def _calls(w: Workload, x: np.ndarray) -> tuple[Callable[[], Any], Callable[[], Any], Callable[[], Any]]:
    import pywt

    import filterbank as fb
    from filterbank.backend._tf import tf

    xt = tf().constant(x)
    # steady state: compile="always", so the first (timed apart) call compiles
    if w.kind != "waverec2":  # a forward transform of the same name in both libraries
        ref, ours = getattr(pywt, w.kind), getattr(fb, w.kind)
        return (
            lambda: ref(x, w.wavelet, level=w.level),
            lambda: ours(x, w.wavelet, level=w.level, compile="always"),
            lambda: ours(xt, w.wavelet, level=w.level, compile="always"),
        )
    pc = pywt.wavedec2(x, w.wavelet, level=w.level)
    fc = fb.wavedec2(x, w.wavelet, level=w.level, compile="always")
    fct = fb.wavedec2(xt, w.wavelet, level=w.level, compile="always")
    return (
        lambda: pywt.waverec2(pc, w.wavelet),
        lambda: fb.waverec2(fc, w.wavelet, compile="always"),
        lambda: fb.waverec2(fct, w.wavelet, compile="always"),
    )


def run(
    *, quick: bool = False, repeat: int = 5, names: Sequence[str] | None = None, seed: int = 0,
    cases: Sequence[Workload] | None = None, flops: dict[str, float] | None = None,
) -> list[Result]:
    """Run the workloads (``cases``, default `workloads`; optionally only those named) and return their results.

    ``flops`` is the BLAS rate per dtype (`filterbank.bench.floor.matmul_rates`,
    measured here unless given): the floor of every row uses it.
    """
    rng = np.random.default_rng(seed)
    chosen = [w for w in (workloads(quick=quick) if cases is None else cases)
              if not names or w.name in names or w.name.split()[0] in names]
    if chosen and flops is None:
        flops = matmul_rates(quick=quick)
    results = []
    for w in chosen:
        x = rng.standard_normal(w.shape).astype(np.float32)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # level 3 is deeper than useful for db16 on small images
            results.append(_run_one(w, x, repeat, flops or {}))
    return results


def _run_one(w: Workload, x: np.ndarray, repeat: int, flops: dict[str, float]) -> Result:
    import pywt

    ref, ours_np, ours_tf = cwt.calls(w, x) if w.kind == "cwt" else _calls(w, x)
    ref_out = ref()
    t0 = time.perf_counter()
    sync(ours_np())
    compile_s = time.perf_counter() - t0
    sync(ours_tf())
    pywt_s = best(ref, repeat)
    fb_s = best(lambda: sync(ours_np()), repeat)
    fbt_s = best(lambda: sync(ours_tf()), repeat)
    pywt_peak = process_peak(ref)
    if w.kind == "cwt":  # numpy scratch (resident-set rise) plus a large output from TensorFlow's pool, if any
        rise = process_peak(ours_np)
        fb_peak: int | None = None if rise is None else rise + (_allocator_peak(ours_np) or 0)
        method = "rss"
        macs = cwt.macs(w)
        in_bytes = x.nbytes
    else:
        fb_peak, method = filterbank_peak(lambda: sync(ours_np()))
        macs = work(w, pywt.Wavelet(w.wavelet).dec_len)
        in_bytes = nbytes(pywt.wavedec2(x, w.wavelet, level=w.level)) if w.kind == "waverec2" else x.nbytes
    floor = measure_floor(in_bytes, nbytes(ref_out), macs, flops["float32"], min(repeat, 3)) if flops else None
    return Result(w, pywt_s, fb_s, fbt_s, compile_s, pywt_peak, fb_peak, method, floor)


def format_table(results: Sequence[Result]) -> str:
    """Render results as a plain-text table (milliseconds, MiB).

    Examples
    --------
    >>> w = Workload("W1", "wavedec2", (16, 512, 512), "db4", 3)
    >>> f = Floor(2**24, 2**24, 10**8, 0.003, 5e10)
    >>> print(format_table([Result(w, 0.08, 0.016, 0.012, 1.5, 2**25, 2**24, floor=f)]))  # doctest: +NORMALIZE_WHITESPACE
    workload  transform  shape           wavelet  level  pywt ms  fb ms  fb ms (tf in)  speed-up  floor ms  fb / floor  compile s  peak MiB pywt  peak MiB fb
    W1        wavedec2   16x512x512      db4      3      80.0     16.0   12.0           5.0x      4.0 A     4.0x        1.50       32             16
    """
    header = ("workload", "transform", "shape", "wavelet", "level", "pywt ms", "fb ms", "fb ms (tf in)",
              "speed-up", "floor ms", "fb / floor", "compile s", "peak MiB pywt", "peak MiB fb")
    rows = [header]
    for r in results:
        w = r.workload
        rows.append((
            w.name, w.kind, "x".join(map(str, w.shape)), w.wavelet, str(w.level),
            f"{r.pywt_s * 1e3:.1f}", f"{r.fb_numpy_s * 1e3:.1f}", f"{r.fb_tensor_s * 1e3:.1f}",
            f"{r.speedup:.1f}x", floor_cell(r.floor), ratio_cell(r.fb_numpy_s, r.floor),
            f"{r.compile_s:.2f}", mib(r.pywt_peak), mib(r.fb_peak),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    widths[2] = max(widths[2], 14)
    return "\n".join("  ".join(c.ljust(wd) for c, wd in zip(row, widths)).rstrip() for row in rows)

