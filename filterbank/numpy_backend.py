"""The numpy executor: one level of a :class:`~filterbank.plan.Plan` computed with numpy.

It runs the *same plan* as the TensorFlow executors (edge maps, kernels,
lengths and crops), so its results equal theirs to rounding; it serves small
numpy inputs, where TensorFlow's fixed cost per call (about a millisecond)
would dominate, and every first call that should not wait for TensorFlow at
all. No TensorFlow here.

Analysis along an axis is the strided correlation of the extended signal
``e = concat([head(x), x, tail(x)])`` with the plan's reversed filters::

    lo[k] = sum_j analysis_lo[j] * e[2k + j]        (the same for hi)

Synthesis is the transposed correlation, computed as two polyphase
correlations (``y[2p + r] = sum_t g[2t + r] c[p - t]``) and interleaved.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from filterbank.modes import Edges, Extension
from filterbank.plan import AxisStep

__all__ = ["analysis_level", "roll", "synthesis_level", "zeros_like"]


def _gather(x: np.ndarray, ext: Extension) -> np.ndarray | None:
    """``sum_k weights[k] * x[..., indices[k]]`` (``x``'s last axis), or None for no samples."""
    if ext.indices.shape[1] == 0:
        return None
    out = None
    for idx, w in zip(ext.indices, ext.weights):
        if not np.any(w):
            continue
        term = x[..., idx]
        if not np.all(w == 1.0):
            term = term * w.astype(x.real.dtype)
        out = term if out is None else out + term
    return np.zeros(x.shape[:-1] + (ext.indices.shape[1],), x.dtype) if out is None else out


def _extend_last(x: np.ndarray, edges: Edges) -> np.ndarray:
    parts = [p for p in (_gather(x, edges.head), x, _gather(x, edges.tail)) if p is not None]
    return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=-1)


def _filters(dtype: np.dtype, *taps: np.ndarray) -> np.ndarray:
    return np.stack(taps, axis=-1).astype(np.empty(0, dtype).real.dtype)


def analysis_level(x: np.ndarray, axis: int, step: AxisStep) -> tuple[np.ndarray, np.ndarray]:
    """One analysis level of ``step`` along ``axis``: ``(lo, hi)``."""
    assert step.edges is not None
    k, m = step.kernels, step.n_coef
    L = k.filter_length
    e = _extend_last(np.moveaxis(x, axis, -1), step.edges)
    if e.ndim == 1 or e.size == e.shape[-1]:
        flat = e.reshape(-1)
        outs = [
            np.correlate(flat, f.astype(flat.real.dtype), "valid")[: 2 * m - 1 : 2].reshape(e.shape[:-1] + (m,))
            for f in (k.analysis_lo, k.analysis_hi)
        ]
        lo, hi = outs
    else:
        windows = sliding_window_view(e, L, axis=-1)[..., : 2 * m - 1 : 2, :]
        y = windows @ _filters(e.dtype, k.analysis_lo, k.analysis_hi)
        lo, hi = y[..., 0], y[..., 1]
    return np.moveaxis(lo, -1, axis), np.moveaxis(hi, -1, axis)


def synthesis_level(lo: np.ndarray | None, hi: np.ndarray | None, axis: int, step: AxisStep) -> np.ndarray:
    """One synthesis level of ``step`` along ``axis`` from ``(lo, hi)`` (either may be None)."""
    k = step.kernels
    half = k.filter_length // 2
    bands = [(np.moveaxis(c, axis, -1), g) for c, g in ((lo, k.synthesis_lo), (hi, k.synthesis_hi)) if c is not None]
    if step.coef_edges is not None:
        bands = [(_extend_last(c, step.coef_edges), g) for c, g in bands]
    n_c = bands[0][0].shape[-1]
    n_phase = n_c + half - 1
    windows, columns = [], []
    for c, g in bands:
        pad = [(0, 0)] * (c.ndim - 1) + [(half - 1, half - 1)]
        cp = np.pad(c, pad) if half > 1 else c
        windows.append(sliding_window_view(cp, half, axis=-1))  # w[p, u] = c[p + u - (half - 1)]
        # phase r: y[2p + r] = sum_t g[2t + r] c[p - t], and t = half - 1 - u
        columns.append(np.stack([g[2 * (half - 1 - np.arange(half)) + r] for r in (0, 1)], axis=-1))
    w = windows[0] if len(windows) == 1 else np.concatenate(windows, axis=-1)
    phases = w @ _filters(w.dtype, *np.concatenate(columns, axis=0).T)
    y = phases.reshape(phases.shape[:-2] + (2 * n_phase,))
    return np.moveaxis(y[..., step.crop : step.crop + step.n_signal], -1, axis)


def roll(x: np.ndarray, shift: int, axis: int) -> np.ndarray:
    """``x`` rolled by ``shift`` along ``axis`` (``x`` itself for a whole period)."""
    shift %= x.shape[axis]
    return x if shift == 0 else np.roll(x, shift, axis=axis)


def zeros_like(x: np.ndarray) -> np.ndarray:
    """Zeros of ``x``'s shape and dtype."""
    return np.zeros_like(x)


def as_array(x: Any) -> np.ndarray:
    """``x`` as a numpy array (used by the drivers for results)."""
    return np.asarray(x)
