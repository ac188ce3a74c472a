"""Executors of M-channel plans: numpy for numpy inputs, one strided convolution for tensors.

Both run an `MChannelPlan` through the one tree driver
(`filterbank.plans.tree`); only the step differs.

numpy
    Analysis: the correlation of the zero-extended signal with the plan's
    reversed kernels at every ``D``-th position (a window view times the
    ``(L, M)`` kernel matrix for small inputs, scipy's polyphase ``upfirdn``
    loop for large ones). Synthesis: ``sum_k upfirdn(g_k, c_k, up=D)``, cropped
    (an overlap-add of the blocks ``c[i] @ synthesis.T`` at offsets ``i D`` for
    small inputs, scipy's loop for large ones). Small inputs never import
    ``scipy.signal`` (seconds on a first call).
TensorFlow
    The blocked polyphase form of `filterbank.plans.mchannel`: the axis moved
    last, the signal viewed as ``(rows, 1, blocks, P)``; analysis is one
    stride-1 ``tf.nn.conv2d`` from the ``P`` phases of a block to ``s``
    samples of each of the ``M`` channels (the sums of a stride-``D``
    convolution with the ``M`` reversed filters, without computing the
    outputs it would discard, and with tens of channels where the CPU
    kernels are fast); synthesis one stride-1 ``conv2d`` from the channels'
    blocks back to the signal's (the transposed convolution, without its
    zero insertion). The zeros around the signal are the convolutions'
    explicit padding, not a copy. Plain TensorFlow ops: they run eagerly,
    inside a caller's ``tf.function`` (XLA too), batch sizes may be
    unknown, and gradients flow.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from filterbank.plans import tree
from filterbank.plans.mchannel import MChannelPlan, MChannelStep

__all__ = ["analysis", "numpy_analysis_step", "numpy_synthesis_step", "synthesis", "tf_analysis_step",
           "tf_synthesis_step"]

Path = tuple[str, ...]

#: Above this many window samples (batch x n_coef x L: 16 MiB of float64) numpy runs scipy's upfirdn loop.
_LARGE = 1 << 21


def _last(x: np.ndarray, axis: int) -> np.ndarray:
    return np.moveaxis(x, axis, -1)


def numpy_analysis_step(x: np.ndarray, axis: int, step: MChannelStep, first: bool) -> list[np.ndarray]:
    """The ``M`` channels of one step along ``axis``, on numpy."""
    v = _last(np.asarray(x), axis)
    d, m, L = step.decimation, step.n_coef, step.filter_length
    if v.size // max(v.shape[-1], 1) * m * L > _LARGE:
        from scipy.signal import upfirdn

        out = [upfirdn(h[::-1], v, 1, d, axis=-1)[..., :m] for h in step.analysis.T]
    else:
        pads = [(0, 0)] * (v.ndim - 1) + [(step.left, step.right)]
        e = np.pad(v, pads)[..., : step.n_extended]
        y = sliding_window_view(e, L, axis=-1)[..., ::d, :][..., :m, :] @ step.analysis
        out = [y[..., k] for k in range(y.shape[-1])]
    return [np.moveaxis(np.asarray(c, dtype=v.dtype), -1, axis) for c in out]


def numpy_synthesis_step(*args: Any) -> np.ndarray:
    """One synthesis step from its ``M`` channels (``None`` for absent ones), then ``axis`` and the step."""
    *bands, axis, step = args
    present = next(b for b in bands if b is not None)
    d, L = step.decimation, step.filter_length
    lead = _last(np.asarray(present), axis).shape[:-1]
    if int(np.prod(lead)) * step.n_coef * L > _LARGE:
        from scipy.signal import upfirdn

        y: Any = None
        for c, g in zip(bands, step.synthesis.T):
            if c is not None:
                part = upfirdn(g, _last(np.asarray(c), axis), d, 1, axis=-1)
                y = part if y is None else y + part
    else:  # overlap-add: block i, the channels' samples i times the kernels, lands at i D
        c = np.stack([np.zeros(lead + (step.n_coef,)) if b is None else _last(np.asarray(b), axis) for b in bands], -1)
        p = -(-L // d)
        blocks = np.pad(c @ step.synthesis.T, [(0, 0)] * len(lead) + [(0, 0), (0, p * d - L)])
        blocks = blocks.reshape(lead + (step.n_coef, p, d))
        y = np.zeros(lead + (step.n_coef + p - 1, d), dtype=blocks.dtype)
        for q in range(p):
            y[..., q : q + step.n_coef, :] += blocks[..., q, :]
        y = y.reshape(lead + (-1,))
    y = y[..., step.crop : step.crop + step.n_signal]
    if y.shape[-1] < step.n_signal:
        y = np.pad(y, [(0, 0)] * (y.ndim - 1) + [(0, step.n_signal - y.shape[-1])])
    return np.ascontiguousarray(np.moveaxis(y.astype(present.dtype, copy=False), -1, axis))


def _rows(x: Any, axis: int) -> tuple[Any, list[Any]]:
    """``x`` with ``axis`` moved last, as ``(rows, n)``; and the moved sizes (for `_unrows`)."""
    from filterbank.backend._tf import tf
    from filterbank.backend.tf_executors import _dims

    TF = tf()
    rank = len(x.shape)
    if axis != rank - 1:
        x = TF.transpose(x, [i for i in range(rank) if i != axis] + [axis])
    dims = _dims(x)
    return TF.reshape(x, [-1, dims[-1]]), dims


def _unrows(y: Any, dims: list[Any], axis: int, n: int) -> Any:
    """The inverse of `_rows` for ``(rows, n)`` samples: the original layout with ``n`` along ``axis``."""
    from filterbank.backend._tf import tf
    from filterbank.backend.tf_executors import _reshape

    TF = tf()
    y = _reshape(y, dims[:-1] + [n])
    rank = len(dims)
    if axis != rank - 1:
        y = TF.transpose(y, list(range(axis)) + [rank - 1] + list(range(axis, rank - 1)))
    return y


def tf_analysis_step(x: Any, axis: int, step: MChannelStep, first: bool) -> list[Any]:
    """The ``M`` channels of one step along ``axis``: one stride-1 convolution of the signal's blocks."""
    from filterbank.backend._tf import tf

    TF = tf()
    b = step.blocks
    v, dims = _rows(x, axis)
    nb, t, q = step.n_blocks, step.n_coef_blocks, b.taps
    if nb * b.size != step.n_signal:
        v = TF.pad(v, [[0, 0], [0, nb * b.size - step.n_signal]])
    right = t + q - 1 - nb - b.left
    kernel = TF.constant(b.analysis[None], dtype=x.dtype)  # (1, Q, P, M s)
    pads = [[0, 0], [0, 0], [b.left, max(right, 0)], [0, 0]]
    y = TF.nn.conv2d(TF.reshape(v, [-1, 1, nb, b.size]), kernel, strides=1, padding=pads)  # (rows, 1, >= t, M s)
    if right < 0:
        y = y[:, :, :t]
    channels = TF.unstack(TF.reshape(y, [-1, t, len(step.channels), b.factor]), axis=2)
    return [_unrows(TF.reshape(c, [-1, t * b.factor])[:, : step.n_coef], dims, axis, step.n_coef) for c in channels]


def tf_synthesis_step(*args: Any) -> Any:
    """One synthesis step: the channels' blocks through one stride-1 convolution to the signal's blocks."""
    *bands, axis, step = args
    from filterbank.backend._tf import tf

    TF = tf()
    b = step.blocks
    present = next(c for c in bands if c is not None)
    zero = TF.zeros_like(present)
    t, q, m = step.n_coef_blocks, b.taps, step.n_coef
    blocks, dims = [], None
    for c in bands:
        v, dims = _rows(c if c is not None else zero, axis)
        if t * b.factor != m:
            v = TF.pad(v, [[0, 0], [0, t * b.factor - m]])
        blocks.append(TF.reshape(v, [-1, 1, t, b.factor]))
    kernel = TF.constant(b.synthesis[None], dtype=present.dtype)  # (1, Q, M s, P)
    pads = [[0, 0], [0, 0], [q - 1, q - 1], [0, 0]]
    y = TF.nn.conv2d(TF.concat(blocks, axis=-1), kernel, strides=1, padding=pads)  # (rows, 1, t + Q - 1, P)
    total = (t + q - 1) * b.size
    y = TF.reshape(y, [-1, total])[:, step.crop : step.crop + step.n_signal]
    short = step.n_signal - max(0, min(total - step.crop, step.n_signal))
    if short:
        y = TF.pad(y, [[0, 0], [0, short]])
    assert dims is not None
    return _unrows(y, dims, axis, step.n_signal)


#: numpy inputs larger than this (samples) run on TensorFlow's blocked convolution and come back as numpy:
#: on 32 x 262144 float32 samples (M1) that is 7x scipy's upfirdn against 1.1x for the numpy steps (2-core AMD EPYC).
TENSORFLOW_ABOVE = 1 << 18


def analysis(plan: MChannelPlan, x: Any, tensor: bool) -> list[Any]:
    """The plan's output bands (`MChannelPlan.leaves` order) on numpy or TensorFlow."""
    if not tensor and x.size > TENSORFLOW_ABOVE and x.dtype.kind == "f":
        from filterbank.backend._tf import tf

        return [b.numpy() for b in analysis(plan, tf().constant(x), True)]
    nodes = tree.analysis(plan, x, tf_analysis_step if tensor else numpy_analysis_step)
    return [nodes[p] for p in plan.leaves()]


def synthesis(plan: MChannelPlan, bands: list[Any], tensor: bool) -> Any:
    """The signal rebuilt from the plan's output bands (``None`` entries are zero bands)."""
    present = [b for b in bands if b is not None]
    if not tensor and sum(b.size for b in present) > TENSORFLOW_ABOVE and all(b.dtype.kind == "f" for b in present):
        from filterbank.backend._tf import tf

        dtype = present[0].dtype
        return synthesis(plan, [None if b is None else tf().constant(b.astype(dtype, copy=False)) for b in bands], True).numpy()
    if tensor:
        from filterbank.backend._tf import tf

        dtype = next(b.dtype for b in bands if b is not None and tf().is_tensor(b))
        bands = [None if b is None else tf().convert_to_tensor(b, dtype=dtype) for b in bands]
    nodes: dict[Path, Any] = {p: b for p, b in zip(plan.leaves(), bands) if b is not None}
    return tree.synthesis(plan, nodes, tf_synthesis_step if tensor else numpy_synthesis_step)
