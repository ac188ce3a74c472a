"""Side-by-side timing of filterbank and PyWavelets on the same arrays (one process).

The workloads of the engine issue, in float32 on the current machine:

====  ==========================================================
W1    ``wavedec2`` of 16 images 512 x 512, db4, level 3
W2    ``wavedec`` of 256 signals of 65536 samples, db8, level 5
W3    W1 with db16 and with haar
W4    ``waverec2`` of W1's coefficients
S1    ``swt`` of 64 signals of 65536 samples, db8, level 5
C1    ``cwt`` of 64 signals of 16384 samples, cmor1.5-1.0, 128
      scales (1 to 100 Hz log-spaced at 250 Hz), ``method="fft"``
====  ==========================================================

C1's ``level`` column is its number of scales; its peak memory is the
resident-set measure for both libraries (numpy in, numpy out runs on numpy).

For each workload both libraries run once to warm up (filterbank's first call
compiles the plan, traces and XLA-compiles; its time is reported apart), then
``repeat`` times; the best time counts. filterbank is timed twice: numpy in /
numpy out (the like-for-like comparison, ``speed-up`` uses it) and with a
``tf.Tensor`` already in TensorFlow.

Peak memory is what one more call needs at its peak, its results included.
For PyWavelets it is the rise of the process's peak resident set (``VmHWM``,
reset through ``/proc/self/clear_refs`` after freed heap memory is returned
with ``malloc_trim``). For filterbank it is the peak bytes in use of
TensorFlow's CPU allocator (``tf.config.experimental.get_memory_info``, which
counts whole chunks) where that allocator keeps statistics (the BFC allocator,
on by default on some builds, or with ``TF_CPU_ALLOCATOR_USE_BFC=true``), and
otherwise the same resident-set measure as PyWavelets'; the table's footnote
says which. Only where neither works (not Linux) does a column show ``-``.

Two more tables (``--first-calls``):

* first calls: the first call on a new 1-D length, 2-D shape, SWT length and
  wavelet, after TensorFlow is loaded, for both libraries (the tier filterbank
  used is shown: numpy or eager, see `filterbank.tiers`);
* memory: the resident-set growth over ``N`` distinct shapes in one process.

Run ``filterbank bench`` (``--quick`` for small sizes) or
``python benchmarks/bench_dwt.py``. Timings are never asserted in tests.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from filterbank.backend.tiers import Compile

__all__ = [
    "FirstCall",
    "MemoryGrowth",
    "Result",
    "Workload",
    "filterbank_peak",
    "first_call_cases",
    "first_calls",
    "format_packets",
    "format_first_calls",
    "format_table",
    "machine_line",
    "memory_growth",
    "run",
    "run_packets",
    "workloads",
]


@dataclass(frozen=True)
class Workload:
    """One benchmark case: a name, a shape, a wavelet, a level and the transform."""

    name: str
    kind: str  # "wavedec", "wavedec2", "waverec2", "swt" or "cwt"
    shape: tuple[int, ...]
    wavelet: str
    level: int  # number of scales for "cwt"


@dataclass(frozen=True)
class Result:
    """Timings (seconds) and peak memory (bytes) of one workload."""

    workload: Workload
    pywt_s: float
    fb_numpy_s: float
    fb_tensor_s: float
    compile_s: float
    pywt_peak: int | None
    fb_peak: int | None
    fb_peak_method: str = "allocator"

    @property
    def speedup(self) -> float:
        """PyWavelets time over filterbank time (numpy in, numpy out)."""
        return self.pywt_s / self.fb_numpy_s


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
        Workload("C1", "cwt", (16, 4096) if quick else (64, 16384), "cmor1.5-1.0", 32 if quick else 128),
    ]


def _best(fn: Callable[[], Any], repeat: int) -> float:
    """Best wall time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _status_bytes(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise OSError(f"{key} not in /proc/self/status")


def _process_peak(fn: Callable[[], Any]) -> int | None:
    """Rise of the peak resident set during one call of ``fn`` (Linux), or None."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset VmHWM to the current resident set
        base = _status_bytes("VmRSS")
        out = fn()
        peak = _status_bytes("VmHWM")
    except OSError:
        return None
    del out
    return max(0, peak - base)


def _tensorflow_peak(fn: Callable[[], Any]) -> int | None:
    """Peak bytes in use of TensorFlow's CPU allocator during one call of ``fn``, or None without statistics."""
    from filterbank.backend._tf import tf

    experimental = tf().config.experimental
    try:
        experimental.reset_memory_stats("CPU:0")
        base = experimental.get_memory_info("CPU:0")["current"]
    except (ValueError, RuntimeError):  # an allocator without statistics (TensorFlow's default on some CPUs)
        return None
    out = fn()
    peak = experimental.get_memory_info("CPU:0")["peak"]
    del out
    return max(0, peak - base)


def filterbank_peak(fn: Callable[[], Any]) -> tuple[int | None, str]:
    """Peak memory of one call of ``fn`` and how it was measured (``"allocator"`` or ``"rss"``)."""
    peak = _tensorflow_peak(fn)
    if peak is not None:
        return peak, "allocator"
    return _process_peak(fn), "rss"


def _calls(w: Workload, x: np.ndarray) -> tuple[Callable[[], Any], Callable[[], Any], Callable[[], Any]]:
    import pywt

    import filterbank as fb
    from filterbank.backend._tf import tf

    xt = tf().constant(x)
    if w.kind == "cwt":  # both with one FFT per scale's worth of work: pywt's method="fft"
        scales = fb.cwt_scales(w.wavelet, 1.0, 100.0, w.level, fs=250.0)
        return (
            lambda: pywt.cwt(x, scales, w.wavelet, method="fft"),
            lambda: fb.cwt(x, scales, w.wavelet, method="fft"),
            lambda: fb.cwt(xt, scales, w.wavelet, method="fft").coefs,
        )
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


def _sync(out: Any) -> Any:
    """Wait until TensorFlow has finished every result, without copying them out."""
    from filterbank.backend._tf import tf

    TF = tf()
    sync = getattr(TF.test.experimental, "sync_devices", None)
    if sync is not None:
        sync()
        return out
    for t in TF.nest.flatten(out):  # older TensorFlow: one element waits for the whole tensor
        if TF.is_tensor(t):
            TF.reshape(t, [-1])[:1].numpy()
    return out


def run(*, quick: bool = False, repeat: int = 5, names: Sequence[str] | None = None, seed: int = 0) -> list[Result]:
    """Run the workloads (optionally only those named) and return their results."""
    rng = np.random.default_rng(seed)
    results = []
    for w in workloads(quick=quick):
        if names and w.name not in names and w.name.split()[0] not in names:
            continue
        x = rng.standard_normal(w.shape).astype(np.float32)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # level 3 is deeper than useful for db16 on small images
            result = _run_one(w, x, repeat)
        results.append(result)
    return results


def _run_one(w: Workload, x: np.ndarray, repeat: int) -> Result:
    ref, ours_np, ours_tf = _calls(w, x)
    ref()
    t0 = time.perf_counter()
    _sync(ours_np())
    compile_s = time.perf_counter() - t0
    _sync(ours_tf())
    pywt_s = _best(ref, repeat)
    fb_s = _best(lambda: _sync(ours_np()), repeat)
    fbt_s = _best(lambda: _sync(ours_tf()), repeat)
    pywt_peak = _process_peak(ref)
    if w.kind == "cwt":  # numpy in, numpy out runs on numpy: TensorFlow's allocator would not see it
        fb_peak, method = _process_peak(ours_np), "rss"
    else:
        fb_peak, method = filterbank_peak(lambda: _sync(ours_np()))
    return Result(w, pywt_s, fb_s, fbt_s, compile_s, pywt_peak, fb_peak, method)


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
            _sync(getattr(fb, kind)(x, wavelet, level=level))
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
    """RSS growth over ``shapes`` distinct 1-D lengths (eager tier, each called twice), then over
    ``compiled`` more compiled with ``compile="always"``; caches are bounded, so growth levels off."""
    import gc

    import filterbank as fb

    rng = np.random.default_rng(seed)
    rows = []
    runs: tuple[tuple[str, int, Compile, int], ...] = (
        ("eager, 2 calls each", shapes, "auto", 40_000),
        ("compiled", compiled, "always", 60_000),
    )
    for label, n, mode, start in runs:
        gc.collect()
        before = _rss()
        for i in range(n):
            x = rng.standard_normal(start + 7 * i).astype(np.float32)
            for _ in range(2):
                _sync(fb.wavedec(x, "db4", level=4, compile=mode))
        gc.collect()
        after = _rss()
        rows.append(MemoryGrowth(label, n, None if before is None or after is None else after - before, fb.cache_info()["compiled"].entries))
    return rows


def _rss() -> int | None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
        return _status_bytes("VmRSS")
    except OSError:
        return None


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
            f"memory: RSS grew {_mib(g.growth)} MiB over {g.shapes} new shapes ({g.label}); "
            f"{g.compiled} compiled functions cached"
        )
    return "\n".join(lines)


def format_table(results: Sequence[Result]) -> str:
    """Render results as a plain-text table (milliseconds, MiB).

    Examples
    --------
    >>> w = Workload("W1", "wavedec2", (16, 512, 512), "db4", 3)
    >>> print(format_table([Result(w, 0.08, 0.016, 0.012, 1.5, 2**25, 2**24)]))  # doctest: +NORMALIZE_WHITESPACE
    workload  transform  shape           wavelet  level  pywt ms  fb ms  fb ms (tf in)  speed-up  compile s  peak MiB pywt  peak MiB fb
    W1        wavedec2   16x512x512      db4      3      80.0     16.0   12.0           5.0x      1.50       32             16
    """
    header = ("workload", "transform", "shape", "wavelet", "level", "pywt ms", "fb ms", "fb ms (tf in)",
              "speed-up", "compile s", "peak MiB pywt", "peak MiB fb")
    rows = [header]
    for r in results:
        w = r.workload
        rows.append((
            w.name, w.kind, "x".join(map(str, w.shape)), w.wavelet, str(w.level),
            f"{r.pywt_s * 1e3:.1f}", f"{r.fb_numpy_s * 1e3:.1f}", f"{r.fb_tensor_s * 1e3:.1f}",
            f"{r.speedup:.1f}x", f"{r.compile_s:.2f}", _mib(r.pywt_peak), _mib(r.fb_peak),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    widths[2] = max(widths[2], 14)
    return "\n".join("  ".join(c.ljust(wd) for c, wd in zip(row, widths)).rstrip() for row in rows)


def _mib(n: int | None) -> str:
    return "-" if n is None else f"{n / 2**20:.0f}"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry shared by ``filterbank bench`` and ``benchmarks/bench_dwt.py``."""
    import argparse

    parser = argparse.ArgumentParser(prog="bench_dwt", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))


def add_arguments(parser: Any) -> None:
    """Add the benchmark options to an ``argparse`` parser."""
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run, seconds)")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per workload (best counts; default 5)")
    parser.add_argument("--only", nargs="*", metavar="W", help="run only these workloads (W1 W2 W3 W4 S1 M1 C1; none with --first-calls: only the first-call tables)")
    parser.add_argument(
        "--first-calls", action="store_true",
        help="also time first calls on new shapes and wavelets, and the memory growth over new shapes",
    )
    parser.add_argument("--shapes", type=int, default=1000, help="distinct shapes for the memory row (default 1000)")


def machine_line() -> str:
    """The CPU model and the TensorFlow settings that change CPU timings (one line).

    Examples
    --------
    >>> machine_line().startswith("cpu: ")
    True
    """
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
    except OSError:
        pass
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default")
    bfc = os.environ.get("TF_CPU_ALLOCATOR_USE_BFC", "default")
    return f"cpu: {model}; oneDNN opts: {onednn}; BFC CPU allocator: {bfc}; XLA: compiled tier (shift executor)"


def run_from_args(args: Any) -> int:
    """Run with parsed arguments and print the table; return the exit code."""
    from filterbank.errors import InputError

    if args.repeat < 1:
        raise InputError(f"--repeat must be >= 1; got {args.repeat}")
    import platform
    from importlib import metadata

    from filterbank.backend._tf import tf

    TF = tf()
    print(f"filterbank vs PyWavelets {metadata.version('PyWavelets')}, TensorFlow {TF.__version__}, float32, "
          f"{os.cpu_count()} CPU core(s), {platform.machine()}; best of {args.repeat}")
    print(machine_line())
    if args.only != []:
        results = run(quick=args.quick, repeat=args.repeat, names=args.only)
        if results or args.only is None:
            print(format_table(results))
        methods = {r.fb_peak_method for r in results}
        if "rss" in methods:
            print("peak MiB fb: rise of the peak resident set (this TensorFlow's CPU allocator keeps no statistics)")
        elif methods:
            print("peak MiB fb: peak bytes in use of TensorFlow's CPU allocator (whole chunks)")
    if args.only is None or "M1" in args.only:  # template matching against skimage: filterbank.bench_match
        from filterbank.bench_match import format_match, run_match

        print()
        print(format_match(run_match(quick=args.quick, repeat=args.repeat)))
    if args.first_calls:
        if args.shapes < 1:
            raise InputError(f"--shapes must be >= 1; got {args.shapes}")
        print()
        print(format_first_calls(first_calls(quick=args.quick), memory_growth(args.shapes if not args.quick else 100)))
    return 0


# --------------------------------------------------------------------------- wavelet packets (issue 14)
#: P1: the full 1-D packet tree, ``get_level(4)`` of every node; P2: a 2-D tree to level 3 (float64, numpy).
PACKET_WORKLOADS = (("P1", (64, 16384), "db4", 4), ("P2", (16, 256, 256), "haar", 3))


def run_packets(*, quick: bool = False, repeat: int = 5, seed: int = 0) -> list[tuple[str, float, float]]:
    """``(name, pywt seconds, filterbank seconds)`` of the packet workloads: ``get_level`` of the whole tree.

    Both libraries build the tree from the same numpy array and collect every
    node of the deepest level (`filterbank.WaveletPacket`,
    `filterbank.WaveletPacket2D`; filterbank grows a level in one batched call).
    """
    import pywt

    import filterbank as fb

    rng = np.random.default_rng(seed)
    rows = []
    for name, full, wavelet, level in PACKET_WORKLOADS:
        shape: tuple[int, ...] = tuple(s // 4 if s > 16 else s for s in full) if quick else tuple(full)
        x = rng.standard_normal(shape)
        if len(shape) == 2:
            ref = lambda: pywt.WaveletPacket(x, wavelet, "symmetric", maxlevel=level).get_level(level)  # noqa: E731
            ours = lambda: fb.WaveletPacket(x, wavelet, "symmetric", maxlevel=level).get_level(level)  # noqa: E731
        else:
            ref = lambda: pywt.WaveletPacket2D(x, wavelet, "symmetric", maxlevel=level).get_level(level)  # noqa: E731
            ours = lambda: fb.WaveletPacket2D(x, wavelet, "symmetric", maxlevel=level).get_level(level)  # noqa: E731
        ref(), ours()
        rows.append((name, _best(ref, repeat), _best(ours, repeat)))
    return rows


def format_packets(rows: Sequence[tuple[str, float, float]]) -> str:
    """The packet table: both times in ms and PyWavelets over filterbank."""
    lines = ["workload  pywt ms  fb ms  speed-up", *(f"{n:<8}  {p * 1e3:7.1f}  {f * 1e3:5.1f}  {p / f:7.2f}x" for n, p, f in rows)]
    return "\n".join(lines)
