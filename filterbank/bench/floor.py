"""The roofline floor: the least time any implementation could take for a workload on this machine.

A workload's floor is the larger of two times measured in the same run:

* **memory**: numpy copying the input's bytes into a newly allocated array of
  the output's size (it reads the whole input and writes the whole output,
  wrapping around the shorter one), which every transform returning new
  arrays has to do at least;
* **arithmetic**: the transform's multiply-adds, two floating-point
  operations each, at the matrix-multiply rate numpy's BLAS reaches here
  (`matmul_rate`: one large ``np.dot`` per dtype and run).

The multiply-adds are counted for the efficient form of each filter bank
(no work on samples that are thrown away), from the filter length, the
output sizes and the levels::

    analysis, one level, axes a1..ak    after the pass over axis ai there are 2^i arrays;
                                        the pass costs  2^i * prod(shape after the pass) * L
    synthesis (the same level inverted) 2^(i-1) arrays after the pass over ai, same rule
    stationary (swt)                    no decimation: 2 * prod(shape) * L per level and axis
    FFT of n points (cwt, match)        2.5 n log2 n complex, 1.25 n log2 n real (the radix-2 count)

So a floor is a lower bound, not a target: FFT and shift-and-add codes
reach less than the matrix-multiply rate, and fresh pages cost page faults.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from filterbank.bench._timing import best

__all__ = [
    "Floor",
    "analysis_macs",
    "copy_seconds",
    "dwt_len",
    "fft_macs",
    "floor_cell",
    "matmul_rate",
    "matmul_rates",
    "measure_floor",
    "ratio_cell",
    "synthesis_macs",
]


def dwt_len(n: int, filter_len: int, mode: str = "symmetric") -> int:
    """Coefficients per band of one decimated level of ``n`` samples (PyWavelets' ``dwt_coeff_len``).

    Examples
    --------
    >>> dwt_len(8, 2), dwt_len(16, 8), dwt_len(15, 8, "periodization")
    (4, 11, 8)
    """
    if mode == "periodization":
        return (n + 1) // 2
    return (n + filter_len - 1) // 2


def _level_shapes(shape: Sequence[int], axes: Sequence[int], filter_len: int, level: int, mode: str) -> list[list[int]]:
    """The input shape of every analysis level, deepest last, then the deepest approximation's."""
    shapes = [list(shape)]
    for _ in range(level):
        cur = list(shapes[-1])
        for ax in axes:
            cur[ax] = dwt_len(cur[ax], filter_len, mode)
        shapes.append(cur)
    return shapes


def analysis_macs(
    shape: Sequence[int], axes: Sequence[int], filter_len: int, level: int, mode: str = "symmetric",
    *, stationary: bool = False,
) -> int:
    """Multiply-adds of a ``level``-deep separable analysis (``wavedec``, ``wavedec2``, ``swt``).

    Examples
    --------
    8 samples, haar, 2 levels: 2 bands x 4 x 2 taps, then 2 x 2 x 2.

    >>> analysis_macs((8,), (-1,), 2, 2)
    24
    >>> analysis_macs((16,), (-1,), 2, 2, stationary=True)  # 2 levels x 2 bands x 16 x 2
    128
    """
    total = 0
    cur = list(shape)
    for _ in range(level):
        arrays = 1
        for ax in axes:
            arrays *= 2
            if not stationary:
                cur[ax] = dwt_len(cur[ax], filter_len, mode)
            total += arrays * math.prod(cur) * filter_len
    return total


def synthesis_macs(shape: Sequence[int], axes: Sequence[int], filter_len: int, level: int, mode: str = "symmetric") -> int:
    """Multiply-adds of reconstructing an array of ``shape`` from its ``level``-deep decomposition (``waverec2``).

    Each output sample of a pass takes ``L / 2`` taps from each of its two
    inputs, ``L`` in all; the output of a level is the analysis input of that level.

    Examples
    --------
    >>> synthesis_macs((8,), (-1,), 2, 2)  # 4 samples x 2 taps, then 8 x 2
    24
    """
    shapes = _level_shapes(shape, axes, filter_len, level, mode)
    total = 0
    for j in range(level, 0, -1):
        cur, arrays = list(shapes[j]), 2 ** len(axes)
        for ax in reversed(axes):
            arrays //= 2
            cur[ax] = shapes[j - 1][ax]
            total += arrays * math.prod(cur) * filter_len
    return total


def fft_macs(n: int, *, real: bool = False) -> float:
    """Multiply-adds of one FFT of ``n`` points by the radix-2 count (``5 n log2 n`` flops complex, half real).

    Examples
    --------
    >>> fft_macs(1024), fft_macs(1024, real=True)
    (25600.0, 12800.0)
    """
    if n < 2:
        return 0.0
    return (1.25 if real else 2.5) * n * math.log2(n)


def matmul_rate(dtype: str = "float32", n: int = 2048, repeat: int = 3) -> float:
    """Floating-point operations per second of numpy's BLAS on an ``n x n`` matrix product (``2 n^3`` per product)."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(dtype)
    b = rng.standard_normal((n, n)).astype(dtype)
    out = np.empty((n, n), dtype)
    np.dot(a, b, out=out)
    return 2.0 * n**3 / best(lambda: np.dot(a, b, out=out), repeat)


def matmul_rates(*, quick: bool = False) -> dict[str, float]:
    """`matmul_rate` for float32 and float64 (``n`` = 1024 with ``quick``, else 2048): measured once per run."""
    n = 1024 if quick else 2048
    return {dtype: matmul_rate(dtype, n) for dtype in ("float32", "float64")}


def copy_seconds(in_bytes: int, out_bytes: int, repeat: int = 3) -> float:
    """Best time of numpy copying ``in_bytes`` into a new array of ``out_bytes``, wrapping around the shorter."""
    src = np.ones(max(in_bytes, 1), np.uint8)
    n_in, n_out = src.size, max(out_bytes, 1)

    def once() -> np.ndarray:
        out = np.empty(n_out, np.uint8)
        if n_out >= n_in:
            for off in range(0, n_out, n_in):
                k = min(n_in, n_out - off)
                out[off:off + k] = src[:k]
        else:
            for off in range(0, n_in, n_out):
                k = min(n_out, n_in - off)
                out[:k] = src[off:off + k]
        return out

    once()
    return best(once, repeat)


@dataclass(frozen=True)
class Floor:
    """A workload's floor: its bytes in and out, its multiply-adds, the copy time and the BLAS rate measured.

    Examples
    --------
    1e9 multiply-adds at 50 GFLOP/s take 40 ms, more than a 10 ms copy:

    >>> f = Floor(in_bytes=2**20, out_bytes=2**20, macs=10**9, copy_s=0.010, flops=50e9)
    >>> round(f.arithmetic_s * 1e3, 3), round(f.seconds * 1e3, 3), f.bound
    (40.0, 40.0, 'arithmetic')
    """

    in_bytes: int
    out_bytes: int
    macs: float
    copy_s: float
    flops: float  # the BLAS rate, floating-point operations per second

    @property
    def arithmetic_s(self) -> float:
        """The multiply-adds' time at the BLAS rate."""
        return 2.0 * self.macs / self.flops

    @property
    def seconds(self) -> float:
        """The floor: the larger of the copy and the arithmetic."""
        return max(self.copy_s, self.arithmetic_s)

    @property
    def bound(self) -> str:
        """``"memory"`` or ``"arithmetic"``: which of the two sets the floor."""
        return "memory" if self.copy_s >= self.arithmetic_s else "arithmetic"


def measure_floor(in_bytes: int, out_bytes: int, macs: float, flops: float, repeat: int = 3) -> Floor:
    """Time the copy for these sizes now and return the `Floor` (``flops`` from `matmul_rate`, once per run)."""
    return Floor(int(in_bytes), int(out_bytes), float(macs), copy_seconds(int(in_bytes), int(out_bytes), repeat), flops)


def floor_cell(floor: Floor | None) -> str:
    """A floor in ms for a table, marked ``M`` (memory: the copy) or ``A`` (arithmetic: the multiply-adds).

    Examples
    --------
    >>> floor_cell(Floor(8, 8, 0, 0.0021, 1e9)), floor_cell(None)
    ('2.1 M', '-')
    """
    if floor is None:
        return "-"
    return f"{floor.seconds * 1e3:.1f} {'M' if floor.bound == 'memory' else 'A'}"


def ratio_cell(seconds: float, floor: Floor | None) -> str:
    """``seconds`` over the floor for a table (``-`` without one).

    Examples
    --------
    >>> ratio_cell(0.0084, Floor(8, 8, 0, 0.0021, 1e9))
    '4.0x'
    """
    return "-" if floor is None else f"{seconds / floor.seconds:.1f}x"
