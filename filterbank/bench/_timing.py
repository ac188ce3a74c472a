"""Timing and memory probes shared by every benchmark table (the one copy of each).

* `best`: the best wall time of ``repeat`` calls; `best_per_call` does the
  same for calls too short for one timer reading (it loops each sample).
* `sync`: wait until TensorFlow has finished a result without copying it out.
* `process_peak`: the rise of the process's peak resident set during one call
  (Linux ``VmHWM``, reset through ``/proc/self/clear_refs``, after freed heap
  memory is returned with ``malloc_trim``).
* `filterbank_peak`: TensorFlow's CPU allocator statistics where it keeps
  them (the BFC allocator), else `process_peak`; it says which it used.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["best", "best_per_call", "filterbank_peak", "mib", "process_peak", "rss", "sync"]


def best(fn: Callable[[], Any], repeat: int) -> float:
    """Best wall time (seconds) of ``repeat`` calls of ``fn``.

    Examples
    --------
    >>> best(lambda: None, 3) < 0.1
    True
    """
    gc.collect()  # what an earlier run left in reference cycles (PyWavelets' trees) is freed now, not mid-run
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def best_per_call(fn: Callable[[], Any], repeat: int, min_sample: float = 2e-3) -> float:
    """Best time per call (seconds): each of ``repeat`` samples loops ``fn`` long enough to last ``min_sample``.

    Examples
    --------
    >>> best_per_call(lambda: None, 3, min_sample=1e-4) < 1e-3
    True
    """
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-7)
    loops = max(1, min(100_000, int(min_sample / once)))

    def sample() -> None:
        for _ in range(loops):
            fn()

    return best(sample, repeat) / loops


def sync(out: Any) -> Any:
    """Wait until TensorFlow has finished every result, without copying them out; return ``out``."""
    import sys

    if "tensorflow" not in sys.modules or _all_numpy(out):
        return out  # nothing of TensorFlow's can be pending (a numpy view of a tensor waited for it; tf.nest costs 30 us)
    from filterbank.backend._tf import tf

    TF = tf()
    wait = getattr(TF.test.experimental, "sync_devices", None)
    if wait is not None:
        wait()
        return out
    for t in TF.nest.flatten(out):  # older TensorFlow: one element waits for the whole tensor
        if TF.is_tensor(t):
            TF.reshape(t, [-1])[:1].numpy()
    return out


def _all_numpy(out: Any) -> bool:
    """Whether every leaf of a structure of lists, tuples and dicts is a numpy array, a number or None."""
    stack = [out]
    while stack:
        item = stack.pop()
        if type(item) is np.ndarray or item is None:
            continue
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif not isinstance(item, (np.ndarray, np.generic, int, float, complex)):
            return False
    return True


def _status_bytes(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise OSError(f"{key} not in /proc/self/status")


def rss() -> int | None:
    """The resident set (bytes) after freed heap memory is returned, or None off Linux."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
        return _status_bytes("VmRSS")
    except OSError:
        return None


def process_peak(fn: Callable[[], Any]) -> int | None:
    """Rise of the peak resident set (bytes) during one call of ``fn`` (Linux), or None."""
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


def _allocator_peak(fn: Callable[[], Any]) -> int | None:
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
    peak = _allocator_peak(fn)
    if peak is not None:
        return peak, "allocator"
    return process_peak(fn), "rss"


def mib(n: int | None) -> str:
    """Bytes as whole MiB, ``-`` for unmeasured.

    Examples
    --------
    >>> mib(3 * 2**20), mib(None)
    ('3', '-')
    """
    return "-" if n is None else f"{n / 2**20:.0f}"
