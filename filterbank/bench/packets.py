"""P1 and P2: wavelet packet trees against PyWavelets (float64, numpy in and out).

====  ==============================================================
P1    the full 1-D packet tree of 64 signals of 16384 samples, db4,
      ``get_level(4)`` (every node of level 4)
P2    a 2-D tree of 16 images 256 x 256, haar, ``get_level(3)``
====  ==============================================================

Both libraries build the tree from the same numpy array and collect every
node of the deepest level (`filterbank.WaveletPacket`,
`filterbank.WaveletPacket2D`; filterbank grows a level in one batched call).
filterbank is timed in its steady state, called as a user calls it: the
tree is built until its shape is hot and the background compile has
finished (the whole tree is then one compiled program), then timed.
``quick`` divides every size above 16 by 4. The floor counts every node's
split down to the deepest level (`filterbank.bench.floor`) at the float64
BLAS rate.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from filterbank.bench._timing import best
from filterbank.bench.floor import Floor, analysis_macs, dwt_len, floor_cell, matmul_rates, measure_floor, ratio_cell

__all__ = ["PACKET_WORKLOADS", "PacketResult", "format_packets", "macs", "run_packets"]

#: ``(name, shape, wavelet, level)``; a 2-D shape is 1-D signals, a 3-D one images.
PACKET_WORKLOADS = (("P1", (64, 16384), "db4", 4), ("P2", (16, 256, 256), "haar", 3))


class PacketResult(NamedTuple):
    """Times (seconds) of one packet workload in both libraries, and its floor."""

    name: str
    pywt_s: float
    fb_s: float
    floor: Floor | None = None


def macs(shape: Sequence[int], axes: Sequence[int], filter_len: int, level: int) -> float:
    """Multiply-adds of the full packet tree to ``level``: every node of each level split once.

    Examples
    --------
    8 samples, haar, 2 levels: the root's split (16), then two nodes of 4 (8 each).

    >>> macs((8,), (-1,), 2, 2)
    32.0
    """
    total, nodes, cur = 0, 1, list(shape)
    for _ in range(level):
        total += nodes * analysis_macs(cur, axes, filter_len, 1)
        for ax in axes:
            cur[ax] = dwt_len(cur[ax], filter_len)
        nodes *= 2 ** len(axes)
    return float(total)


def run_packets(
    *, quick: bool = False, repeat: int = 5, seed: int = 0, flops: dict[str, float] | None = None,
) -> list[PacketResult]:
    """Time P1 and P2 (sizes above) in both libraries on the same float64 arrays."""
    import pywt

    import filterbank as fb

    rng = np.random.default_rng(seed)
    rate = (flops or matmul_rates(quick=quick))["float64"]
    rows = []
    for name, full, wavelet, level in PACKET_WORKLOADS:
        shape: tuple[int, ...] = tuple(s // 4 if s > 16 else s for s in full) if quick else tuple(full)
        x = rng.standard_normal(shape)
        one_d = len(shape) == 2
        ref_tree, our_tree = (pywt.WaveletPacket, fb.WaveletPacket) if one_d else (pywt.WaveletPacket2D, fb.WaveletPacket2D)

        def ref(tree=ref_tree, level=level, wavelet=wavelet):  # type: ignore[no-untyped-def]
            return tree(x, wavelet, "symmetric", maxlevel=level).get_level(level)

        def ours(tree=our_tree, level=level, wavelet=wavelet):  # type: ignore[no-untyped-def]
            return tree(x, wavelet, "symmetric", maxlevel=level).get_level(level)

        out_bytes = sum(np.asarray(node.data).nbytes for node in ref())
        _warm(ours)
        axes = (-1,) if one_d else (-2, -1)
        work = macs(shape, axes, pywt.Wavelet(wavelet).dec_len, level)
        times = best(ref, repeat), best(ours, repeat)
        rows.append(PacketResult(name, *times, measure_floor(x.nbytes, out_bytes, work, rate, min(repeat, 3))))
    return rows


def _warm(call: Callable[[], object], seconds: float = 0.15) -> None:
    """Call until the shape is hot (at least 3 calls and ``seconds``), then let its background compile finish."""
    from filterbank.backend.tiers import wait_for_compiles

    end, calls = time.perf_counter() + seconds, 0
    while calls < 3 or time.perf_counter() < end:
        call()
        calls += 1
    wait_for_compiles()
    call()
    wait_for_compiles()


def format_packets(rows: Sequence[PacketResult]) -> str:
    """The packet table: both times in ms, PyWavelets over filterbank, the floor and filterbank over it.

    Examples
    --------
    >>> print(format_packets([PacketResult("P1", 0.068, 0.034, Floor(2**23, 2**23, 10**7, 0.004, 1e10))]))
    workload  pywt ms  fb ms  speed-up  floor ms  fb / floor
    P1           68.0   34.0     2.00x     4.0 M        8.5x
    """
    lines = ["workload  pywt ms  fb ms  speed-up  floor ms  fb / floor"]
    for r in rows:
        lines.append(f"{r.name:<8}  {r.pywt_s * 1e3:7.1f}  {r.fb_s * 1e3:5.1f}  {r.pywt_s / r.fb_s:7.2f}x  "
                     f"{floor_cell(r.floor):>8}  {ratio_cell(r.fb_s, r.floor):>10}")
    return "\n".join(lines)
