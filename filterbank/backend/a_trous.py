"""One a trous step (`filterbank.plans.stationary.AtrousStep`) as sums of shifted copies.

The same code runs on numpy and on TensorFlow: it needs only a circular
shift and ``zeros_like``, given as `Ops`. Under XLA (the compiled tier on
CPU) the rolls and sums fuse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from filterbank.backend import numpy_executors
from filterbank.backend._tf import tf
from filterbank.plans.stationary import AtrousStep

__all__ = ["NUMPY_OPS", "Ops", "analysis_step", "synthesis_step", "tf_ops"]


class Ops(NamedTuple):
    """The two array operations an a trous step needs."""

    roll: Callable[[Any, int, int], Any]
    zeros_like: Callable[[Any], Any]


NUMPY_OPS = Ops(numpy_executors.roll, numpy_executors.zeros_like)


def tf_ops() -> Ops:
    """`Ops` on TensorFlow tensors (imports TensorFlow)."""
    TF = tf()

    def roll(x: Any, shift: int, axis: int) -> Any:
        shift %= int(x.shape[axis])
        return x if shift == 0 else TF.roll(x, shift=shift, axis=axis)

    return Ops(roll, TF.zeros_like)


def analysis_step(x: Any, axis: int, step: AtrousStep, ops: Ops) -> tuple[Any, Any]:
    """``(lo, hi)`` of one dilated step: ``lo[n] = sum_i dec_lo[i] x[(n + c - i t) mod N]``, ``c = F t // 2``."""
    taps, t = step.taps, step.t
    F = len(taps.dec_lo)
    c = (F * t) // 2
    lo = hi = None
    for i in range(F):
        a, b = taps.dec_lo[i], taps.dec_hi[i]
        if not (a or b):
            continue
        r = ops.roll(x, i * t - c, axis)  # r[n] = x[(n + c - i t) mod N]
        if a:
            lo = r * a if lo is None else lo + r * a
        if b:
            hi = r * b if hi is None else hi + r * b
    zero = ops.zeros_like(x)
    return (zero if lo is None else lo), (zero if hi is None else hi)


def synthesis_step(lo: Any, hi: Any, axis: int, step: AtrousStep, ops: Ops) -> Any:
    """The inverse of `analysis_step` for a perfect-reconstruction bank (either band may be ``None``)."""
    taps, t = step.taps, step.t
    F = len(taps.rec_lo)
    c = (F * t) // 2
    out = None
    for band, rec in ((lo, taps.rec_lo), (hi, taps.rec_hi)):
        if band is None:
            continue
        for k in range(F):
            if not rec[k]:
                continue
            term = ops.roll(band, c - (F - 1 - k) * t, axis) * rec[k]  # band[(m + (F-1-k) t - c) mod N]
            out = term if out is None else out + term
    if out is None:
        return ops.zeros_like(lo if lo is not None else hi)
    return out * 0.5
