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
    Analysis is one ``tf.nn.conv2d`` with ``M`` output channels and stride
    ``D`` on the tensor viewed as ``(before, n, after, 1)`` (any axis, no
    transpose); synthesis the matching ``tf.nn.conv2d_transpose`` with the
    ``M`` channels stacked as input channels. Plain TensorFlow ops: they run
    eagerly, inside a caller's ``tf.function`` (XLA too), batch sizes may be
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

#: Above this many output samples the numpy analysis runs in scipy's upfirdn loop.
_LARGE = 1 << 15


def _last(x: np.ndarray, axis: int) -> np.ndarray:
    return np.moveaxis(x, axis, -1)


def numpy_analysis_step(x: np.ndarray, axis: int, step: MChannelStep, first: bool) -> list[np.ndarray]:
    """The ``M`` channels of one step along ``axis``, on numpy."""
    v = _last(np.asarray(x), axis)
    d, m, L = step.decimation, step.n_coef, step.filter_length
    if v.size // max(v.shape[-1], 1) * m * step.analysis.shape[1] > _LARGE:
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


def tf_analysis_step(x: Any, axis: int, step: MChannelStep, first: bool) -> list[Any]:
    """The ``M`` channels of one step along ``axis``: one strided ``conv2d`` with ``M`` output channels."""
    from filterbank.backend._tf import tf
    from filterbank.backend.tf_executors import _unview, _view4

    TF = tf()
    v, dims = _view4(x, axis)  # (before, n, after, 1)
    v = TF.pad(v, [[0, 0], [step.left, step.right], [0, 0], [0, 0]])[:, : step.n_extended]
    L, M = step.analysis.shape
    kernel = TF.constant(step.analysis.reshape(L, 1, 1, M), dtype=x.dtype)
    y = TF.nn.conv2d(v, kernel, strides=[1, step.decimation, 1, 1], padding="VALID")[:, : step.n_coef]
    return [_unview(y[..., k], dims, axis, step.n_coef) for k in range(M)]


def tf_synthesis_step(*args: Any) -> Any:
    """One synthesis step: the channels stacked as input channels of one ``conv2d_transpose``."""
    *bands, axis, step = args
    from filterbank.backend._tf import tf
    from filterbank.backend.tf_executors import _dims, _reshape, _shape_arg, _unview, _view4

    TF = tf()
    present = next(b for b in bands if b is not None)
    zero = TF.zeros_like(present)
    c = TF.stack([b if b is not None else zero for b in bands], axis=-1)  # (..., n_coef, ..., M)
    v, dims = _view4(present, axis)
    vd = _dims(v)
    L, M = step.synthesis.shape
    cs = _reshape(c, vd[:3] + [M])
    kernel = TF.constant(step.synthesis.reshape(L, 1, 1, M), dtype=present.dtype)
    out_shape = _shape_arg([vd[0], step.n_full, vd[2], 1])
    y = TF.nn.conv2d_transpose(cs, kernel, out_shape, strides=[1, step.decimation, 1, 1], padding="VALID")
    y = y[:, step.crop : step.crop + step.n_signal, :, 0]
    short = step.n_signal - max(0, min(step.n_full - step.crop, step.n_signal))
    if short:
        y = TF.pad(y, [[0, 0], [0, short], [0, 0]])
    return _unview(y, dims, axis, step.n_signal)


def analysis(plan: MChannelPlan, x: Any, tensor: bool) -> list[Any]:
    """The plan's output bands (`MChannelPlan.leaves` order) on numpy or TensorFlow."""
    nodes = tree.analysis(plan, x, tf_analysis_step if tensor else numpy_analysis_step)
    return [nodes[p] for p in plan.leaves()]


def synthesis(plan: MChannelPlan, bands: list[Any], tensor: bool) -> Any:
    """The signal rebuilt from the plan's output bands (``None`` entries are zero bands)."""
    if tensor:
        from filterbank.backend._tf import tf

        dtype = next(b.dtype for b in bands if b is not None and tf().is_tensor(b))
        bands = [None if b is None else tf().convert_to_tensor(b, dtype=dtype) for b in bands]
    nodes: dict[Path, Any] = {p: b for p, b in zip(plan.leaves(), bands) if b is not None}
    return tree.synthesis(plan, nodes, tf_synthesis_step if tensor else numpy_synthesis_step)
