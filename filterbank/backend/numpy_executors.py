"""The numpy executor: one level of a `Plan` computed with numpy.

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

from filterbank.cache import named_cache
from filterbank.modes import Edges, Term
from filterbank.plans.decimated import AxisStep, Kernels

__all__ = ["analysis_level", "roll", "synthesis_level", "zeros_like"]


def _gather(x: np.ndarray, terms: tuple[Term, ...], width: int) -> np.ndarray | None:
    """``sum_k weights[k] * x[..., indices[k]]`` along ``x``'s last axis (None for no samples)."""
    if width == 0:
        return None
    out = None
    for idx, w in terms:
        term = x[..., idx] if w is None else x[..., idx] * w.astype(x.real.dtype)
        out = term if out is None else out + term
    return np.zeros(x.shape[:-1] + (width,), x.dtype) if out is None else out


def _extend_last(x: np.ndarray, edges: Edges) -> np.ndarray:
    head = _gather(x, edges.head_terms, edges.left)
    tail = _gather(x, edges.tail_terms, edges.right)
    parts = [p for p in (head, x, tail) if p is not None]
    return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=-1)


def _last(x: np.ndarray, axis: int) -> np.ndarray:
    return x if axis in (-1, x.ndim - 1) else np.moveaxis(x, axis, -1)


def _back(x: np.ndarray, axis: int, ndim: int) -> np.ndarray:
    return x if axis in (-1, ndim - 1) else np.moveaxis(x, -1, axis)


#: Above this many elements a level runs in scipy's polyphase loop (``upfirdn``), which
#: computes only the outputs kept; below it numpy's own loops have less overhead.
_LARGE = 1 << 16

_FILTERS = named_cache("numpy filters", max_entries=4096, max_bytes=64 << 20)


def _filters(k: Kernels, dtype: np.dtype, which: str) -> np.ndarray:
    """The kernels of ``k`` as the columns of one matrix in ``dtype``'s real type (cached per bank)."""
    real = np.empty(0, dtype).real.dtype
    return _FILTERS.get_or_create((k, real.str, which), lambda: _filter_matrix(k, real, which), _nbytes)


def _nbytes(m: np.ndarray) -> int:
    return int(m.nbytes)


def _filter_matrix(k: Kernels, real: np.dtype, which: str) -> np.ndarray:
    if which == "analysis":
        m = np.stack([k.analysis_lo, k.analysis_hi], axis=-1)
    elif which == "decimate":  # dec_lo, dec_hi after one zero tap (for upfirdn's convolution)
        m = np.stack([np.concatenate([[0.0], f[::-1]]) for f in (k.analysis_lo, k.analysis_hi)], axis=-1)
    elif which == "rec":
        m = np.stack([k.synthesis_lo, k.synthesis_hi], axis=-1)
    else:  # polyphase columns: phase r of band b is g_b[2 (half - 1 - u) + r], u the window index
        half = k.filter_length // 2
        u = np.arange(half)
        m = np.concatenate(
            [np.stack([g[2 * (half - 1 - u) + r] for r in (0, 1)], axis=-1) for g in (k.synthesis_lo, k.synthesis_hi)]
        )
    m = np.ascontiguousarray(m, dtype=real)
    m.setflags(write=False)
    return m


def upfirdn(h: np.ndarray, x: np.ndarray, up: int, down: int, axis: int) -> np.ndarray:
    """``scipy.signal.upfirdn`` (imported on first use: scipy.signal takes a second to import)."""
    from scipy.signal import upfirdn as scipy_upfirdn

    return np.asarray(scipy_upfirdn(h, x, up, down, axis=axis))


def analysis_level(x: np.ndarray, axis: int, step: AxisStep) -> tuple[np.ndarray, np.ndarray]:
    """One analysis level of ``step`` along ``axis``: ``(lo, hi)``."""
    assert step.edges is not None
    k, m = step.kernels, step.n_coef
    e = _extend_last(_last(x, axis), step.edges)
    dtype = e.dtype
    if e.size <= _LARGE:
        e = _wide(e)
    f = _filters(k, e.dtype, "analysis")
    # One signal takes the batched path too: a row gives the same bits alone or in a batch (np.correlate
    # sums in another order), as PyWavelets' tests compare dwtn with row-by-row dwt exactly.
    if e.size > _LARGE:  # polyphase decimation in scipy's C loop (only the kept outputs are computed)
        # lo[k] = sum_j f[j] e[2k + j] = (dec * e)[2k + L - 1] with dec = f reversed; L is even, so with
        # one leading zero tap (h = [0, dec]) that is (h * e)[2k + L]: upfirdn's output k + L / 2.
        start = k.filter_length // 2
        lo, hi = (upfirdn(h, e, 1, 2, axis=-1)[..., start : start + m] for h in _filters(k, e.dtype, "decimate").T)
    else:
        y = sliding_window_view(e, k.filter_length, axis=-1)[..., : 2 * m - 1 : 2, :] @ f
        lo, hi = y[..., 0], y[..., 1]
    return _back(lo.astype(dtype, copy=False), axis, x.ndim), _back(hi.astype(dtype, copy=False), axis, x.ndim)


def _wide(x: np.ndarray) -> np.ndarray:
    """Small float32 work is done in float64 (then rounded once): cheap, and never less exact than float32."""
    if x.dtype == np.float32:
        return x.astype(np.float64)
    if x.dtype == np.complex64:
        return x.astype(np.complex128)
    return x


def synthesis_level(lo: np.ndarray | None, hi: np.ndarray | None, axis: int, step: AxisStep) -> np.ndarray:
    """One synthesis level of ``step`` along ``axis`` from ``(lo, hi)`` (either may be None)."""
    k = step.kernels
    half = k.filter_length // 2
    present = lo if lo is not None else hi
    assert present is not None
    ndim = present.ndim
    bands = [_last(c if c is not None else np.zeros_like(present), axis) for c in (lo, hi)]
    if step.coef_edges is not None:
        bands = [_extend_last(c, step.coef_edges) for c in bands]
    dtype = bands[0].dtype
    if bands[0].size <= _LARGE:
        bands = [_wide(c) for c in bands]
    return _back(_synthesis_last(bands, step, half).astype(dtype, copy=False), axis, ndim)


def _synthesis_last(bands: list[np.ndarray], step: AxisStep, half: int) -> np.ndarray:
    """Synthesis along the last axis of the (extended) bands ``[lo, hi]``."""
    k = step.kernels
    if bands[0].size > _LARGE:  # y = sum over bands of (upsampled c) * g, in scipy's polyphase C loop
        g = _filters(k, bands[0].dtype, "rec")
        y = upfirdn(g[:, 0], bands[0], 2, 1, axis=-1) + upfirdn(g[:, 1], bands[1], 2, 1, axis=-1)
        return y[..., step.crop : step.crop + step.n_signal]
    if bands[0].size == bands[0].shape[-1]:  # one signal: numpy's convolution of the upsampled bands
        g = _filters(k, bands[0].dtype, "rec")
        up = np.zeros((2, 2 * bands[0].shape[-1] - 1), bands[0].dtype)
        up[0, ::2], up[1, ::2] = bands[0].reshape(-1), bands[1].reshape(-1)
        y = np.convolve(up[0], g[:, 0]) + np.convolve(up[1], g[:, 1])
        return y[step.crop : step.crop + step.n_signal].reshape(bands[0].shape[:-1] + (-1,))
    n_phase = bands[0].shape[-1] + half - 1
    windows = []
    for c in bands:
        cp = np.pad(c, [(0, 0)] * (c.ndim - 1) + [(half - 1, half - 1)]) if half > 1 else c
        windows.append(sliding_window_view(cp, half, axis=-1))  # w[p, u] = c[p + u - (half - 1)]
    phases = np.concatenate(windows, axis=-1) @ _filters(k, windows[0].dtype, "synthesis")
    y = phases.reshape(phases.shape[:-2] + (2 * n_phase,))
    return y[..., step.crop : step.crop + step.n_signal]


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
