"""TensorFlow executors: run one level of a `Plan` along one axis.

Two interchangeable executors implement the same arithmetic:

``"conv"``
    Strided ``tf.nn.conv2d`` with the plan's pre-flipped kernels, and
    ``tf.nn.conv2d_transpose`` for synthesis. Any axis is handled without a
    transpose by viewing the tensor as ``(before, n, after, 1)`` and using a
    ``(L, 1)`` kernel. This is the GPU path (cuDNN).
``"shift"``
    Shift-and-add of the taps: ``L`` strided slices of the extended signal,
    each scaled by one tap and summed; synthesis computes the even and odd
    output phases (polyphase) and interleaves them. Under XLA the whole level
    fuses into a few loops, which on CPU is several times faster than conv ops.

Signal extension is shared: the extended signal is ``concat([left, x, right])``
where the two edge blocks are small weighted gathers (see
`filterbank.modes.extension`); gathering the whole signal instead is
much slower on CPU when the axis is the innermost one. For the transform's
input under XLA (``in_place=True``) the same signal is built as ``pad(x)``
with the edge blocks written in place: XLA then reads the caller's buffer
(or the slice of a shared numpy window) once, where a concatenation copies
it first. Measured on W2 (256 x 65536, db8): 27 -> 22 ms and 352 -> 224 MiB
peak; for the deeper levels, whose input XLA produces itself, the
concatenation is faster. Along any other axis, wherever the signal is long
enough to have outputs that read only its own samples, those are slices of
the caller's buffer, and only the few edge outputs read extended samples
(`_split_analysis`; W1, 16 x 512 x 512 db4: 7.2 -> 5.2 ms, peak 84 -> 49 MiB).

This module imports TensorFlow only through `filterbank.backend._tf.tf`, inside
functions.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from filterbank.backend._tf import tf
from filterbank.modes import Edges, Extension
from filterbank.plans.decimated import AxisStep

__all__ = ["analysis_level", "analysis_stacked", "synthesis_level"]

Tensor = Any

def _dims(x: Tensor) -> list[Any]:
    """Sizes of ``x``: ints where static, scalar tensors where not (a batch axis of unknown size)."""
    static = x.shape.as_list()
    if None not in static:
        return static
    dynamic = tf().shape(x)
    return [d if d is not None else dynamic[i] for i, d in enumerate(static)]


def _shape_arg(dims: list[Any]) -> Any:
    """``dims`` as a shape argument: the list itself when static, else one int32 tensor."""
    if all(isinstance(d, int) for d in dims):
        return dims
    TF = tf()
    return TF.stack([TF.cast(d, TF.int32) for d in dims])


def _reshape(x: Tensor, dims: list[Any]) -> Tensor:
    """Reshape to ``dims`` (ints and scalar tensors mixed)."""
    return tf().reshape(x, _shape_arg(dims))


def _slice(x: Tensor, axis: int, start: int, stop: int, step: int = 1) -> Tensor:
    """``x[..., start:stop:step, ...]`` along ``axis`` as one strided-slice op.

    Only ``axis`` needs a static size; the other axes are taken whole (masks).
    """
    rank = len(x.shape)
    begin, end, strides = [0] * rank, [0] * rank, [1] * rank
    begin[axis], end[axis], strides[axis] = start, min(stop, int(x.shape[axis])), step
    whole = sum(1 << i for i in range(rank) if i != axis)
    return tf().strided_slice(x, begin, end, strides, begin_mask=whole, end_mask=whole)


def _weighted_gather(x: Tensor, axis: int, ext: Extension) -> Tensor | None:
    """``sum_k weight[k] * gather(x, index[k])`` along ``axis``, skipping zero terms (None when empty)."""
    index, weight = ext.indices, ext.weights
    if index.shape[1] == 0:
        return None
    TF = tf()
    rank = len(x.shape)
    shape = [1] * rank
    shape[axis] = index.shape[1]
    out = None
    for idx, w in zip(index, weight):
        if not np.any(w):
            continue
        term = TF.gather(x, TF.constant(idx, dtype=TF.int32), axis=axis)
        if not np.all(w == 1.0):
            term = term * TF.constant(w.reshape(shape), dtype=x.dtype)
        out = term if out is None else out + term
    if out is None:
        out = TF.zeros_like(TF.gather(x, TF.constant(index[0], dtype=TF.int32), axis=axis))
    return out


def extend(x: Tensor, axis: int, ext: Edges, in_place: bool = False) -> Tensor:
    """``concat([head(x), x, tail(x)])`` along ``axis`` with the edge blocks of ``ext``.

    ``in_place`` (only inside XLA-compiled code) writes the edges into a padded copy.
    """
    TF = tf()
    left, right = ext.left, ext.right

    def edges(x: Tensor) -> tuple[Tensor | None, Tensor | None]:
        return _weighted_gather(x, axis, ext.head), _weighted_gather(x, axis, ext.tail)

    def joined(x: Tensor) -> Tensor:
        head, tail = edges(x)
        parts = [p for p in (head, x, tail) if p is not None]
        return parts[0] if len(parts) == 1 else TF.concat(parts, axis=axis)

    if not (in_place and left + right and _update_slice() is not None):
        return joined(x)

    @TF.custom_gradient
    def padded(x: Tensor) -> Any:
        def grad(g: Tensor) -> Tensor:  # XLA's in-place update has no registered gradient
            with TF.GradientTape() as tape:
                tape.watch(x)
                e = joined(x)
            return tape.gradient(e, x, output_gradients=g)

        return _pad_and_write(x, axis, *edges(x), left, right), grad

    return padded(x)


def _pad_and_write(x: Tensor, axis: int, head: Tensor | None, tail: Tensor | None, left: int, right: int) -> Tensor:
    """``concat([head, x, tail])`` as a zero pad of ``x`` with the edges written in place (XLA only)."""
    TF, update = tf(), _update_slice()
    pads = [[0, 0] for _ in x.shape]
    pads[axis] = [left, right]
    e = TF.pad(x, pads)
    begin = [0] * len(x.shape)
    if head is not None:
        e = update(e, head, TF.constant(begin, TF.int32))
    if tail is not None:
        begin[axis] = left + int(x.shape[axis])
        e = update(e, tail, TF.constant(begin, TF.int32))
    return e


@functools.lru_cache(maxsize=1)
def _update_slice() -> Any:
    """XLA's ``DynamicUpdateSlice`` op (TensorFlow ships it outside its public API), or None."""
    try:
        from tensorflow.compiler.tf2xla.python import xla  # noqa: PLC0415
    except ImportError:  # pragma: no cover - a TensorFlow build without tf2xla
        return None
    return getattr(xla, "dynamic_update_slice", None)


def _view4(x: Tensor, axis: int) -> tuple[Tensor, list[Any]]:
    """Reshape to ``(before, n, after, 1)``; return it and the original sizes."""
    dims = _dims(x)
    return _reshape(x, [math.prod(dims[:axis]), dims[axis], math.prod(dims[axis + 1 :]), 1]), dims


def _unview(y: Tensor, dims: list[Any], axis: int, n: int) -> Tensor:
    return _reshape(y, dims[:axis] + [n] + dims[axis + 1 :])


#: On the transform's own input under XLA, along an axis with at least this many samples after
#: it (per position of the axis), the shift executor reads the interior outputs straight from the
#: caller's buffer and extends only the few samples the edge outputs read (`_split_analysis`).
#: Measured on a 2-core Intel Xeon, float32, db4, level 1 along axis 1: 16 x 512 x 512 2.0 ->
#: 1.3 ms (W1: 7.2 -> 5.2 ms); 4 Mi samples with 2 to 64 samples after the axis, 2.3 -> 1.4-1.7 ms
#: (with 8, 4.3 -> 3.4 ms).
#: The extension fused into the taps had cost a select per load, and a padded copy a pass over
#: the signal. Along the innermost axis the three output pieces are joined by XLA one element at
#: a time (db4 2.2 -> 2.6 ms, db16 5.8 -> 10 ms), so that axis keeps its extension; so do the
#: deeper levels, whose input XLA otherwise fused, tap by tap, into the next level's pass.
SPLIT_INNER = 2


def _filled_sums(e: Tensor, axis: int, start: int, count: int, filters: Any) -> list[Tensor]:
    """``sum_j f[j] * e[start + j + 2 k]`` for ``k < count``, for each filter ``f`` (zeros for one with no tap)."""
    sums: list[Tensor | None] = [None] * len(filters)
    for j in range(len(filters[0])):
        s = None
        for c, f in enumerate(filters):
            tap = float(f[j])
            if not tap:
                continue
            if s is None:
                s = _slice(e, axis, start + j, start + j + 2 * (count - 1) + 1, 2)
            term = s * tap
            sums[c] = term if sums[c] is None else sums[c] + term
    if None in sums:
        zero = tf().zeros_like(_slice(e, axis, start, start + 2 * (count - 1) + 1, 2))
        sums = [zero if t is None else t for t in sums]
    return sums  # type: ignore[return-value]


def _stacked_sums(e: Tensor, axis: int, start: int, count: int, filters: Any, channel_axis: int) -> Tensor:
    """`_filled_sums` of the filters stacked on a new ``channel_axis`` (at most ``axis``), as one sum of
    broadcast products: each slice of ``e`` times its taps of every filter (see `analysis_stacked`)."""
    TF = tf()
    shape = [1] * (len(e.shape) + 1)
    shape[channel_axis] = len(filters)
    out = None
    for j in range(len(filters[0])):
        taps = np.array([f[j] for f in filters])
        if not np.any(taps):
            continue
        s = TF.expand_dims(_slice(e, axis, start + j, start + j + 2 * (count - 1) + 1, 2), channel_axis)
        term = s * TF.constant(taps.reshape(shape), dtype=e.dtype)
        out = term if out is None else out + term
    if out is None:  # no tap at all: zeros of the stack's shape
        s = TF.expand_dims(_slice(e, axis, start, start + 2 * (count - 1) + 1, 2), channel_axis)
        out = TF.zeros_like(TF.concat([s] * len(filters), channel_axis))
    return out


def _interior(x: Tensor, axis: int, step: AxisStep) -> tuple[int, int] | None:
    """The outputs ``[k0, k1)`` of an analysis step that read only the signal itself (no extended
    sample), when `_split_analysis` should compute them apart; None when it should not."""
    assert step.edges is not None
    inner = x.shape[axis + 1 :].as_list()
    if None not in inner and math.prod(inner) < SPLIT_INNER:
        return None
    left, n, L = step.edges.left, int(x.shape[axis]), step.kernels.filter_length
    k0, k1 = -(-left // 2), min(step.n_coef, (left + n - L) // 2 + 1)
    return (k0, k1) if k1 > k0 else None


def _split_analysis(
    x: Tensor, axis: int, step: AxisStep, interior: tuple[int, int], sums: Any, out_axis: int
) -> list[Tensor]:
    """The outputs of an analysis step in three pieces joined along ``out_axis``: the interior
    ``[k0, k1)`` from slices of ``x`` itself, the head and the tail from the few extended samples
    they read. ``sums(e, start, count)`` is `_filled_sums` or `_stacked_sums` (a list of results)."""
    TF = tf()
    assert step.edges is not None
    k0, k1 = interior
    left, n = step.edges.left, int(x.shape[axis])
    m, L = step.n_coef, step.kernels.filter_length
    pieces = []
    if k0:  # extended samples [0, 2 (k0 - 1) + L): the head block, then the signal's first ones
        head = _weighted_gather(x, axis, step.edges.head)
        block = TF.concat([head, _slice(x, axis, 0, 2 * (k0 - 1) + L - left)], axis=axis)
        pieces.append(sums(block, 0, k0))
    pieces.append(sums(x, 2 * k0 - left, k1 - k0))
    if k1 < m:  # extended samples [2 k1, 2 (m - 1) + L): the signal's last ones, then the tail block
        tail = _weighted_gather(x, axis, step.edges.tail)
        assert tail is not None
        need = 2 * (m - 1) + L - (left + n)
        block = TF.concat([_slice(x, axis, 2 * k1 - left, n), _slice(tail, axis, 0, need)], axis=axis)
        pieces.append(sums(block, 0, m - k1))
    return [p[0] if len(pieces) == 1 else TF.concat(list(p), axis=out_axis) for p in zip(*pieces)]


def analysis_level(
    x: Tensor, axis: int, step: AxisStep, executor: str, in_place: bool = False
) -> tuple[Tensor, Tensor]:
    """One analysis level of ``step`` along ``axis`` with ``executor`` ("conv" or "shift"): ``(lo, hi)``.

    ``in_place``: ``x`` is the transform's own input in a traced program (compiled
    by filterbank with XLA, or the caller's ``tf.function``). The shift executor
    then computes the outputs that read only ``x`` straight from it, apart from
    the edge ones (`_split_analysis`, along an axis that is not the innermost),
    or extends ``x`` by padding and in-place edge writes (see `extend`).
    """
    TF = tf()
    assert step.edges is not None
    k, m = step.kernels, step.n_coef
    filters = (k.analysis_lo, k.analysis_hi)
    interior = _interior(x, axis, step) if executor == "shift" and in_place else None
    if interior is not None:
        lo, hi = _split_analysis(x, axis, step, interior, lambda e, a, b: _filled_sums(e, axis, a, b, filters), axis)
        return lo, hi
    e = extend(x, axis, step.edges, in_place)
    if executor == "shift":
        lo, hi = _filled_sums(e, axis, 0, m, filters)
        return lo, hi
    kernel = np.stack(filters, axis=-1).reshape(k.filter_length, 1, 1, 2)
    v, shape = _view4(e, axis)
    y = TF.nn.conv2d(v, TF.constant(kernel, dtype=x.dtype), strides=[1, 2, 1, 1], padding="VALID")
    return _unview(y[..., 0], shape, axis, m), _unview(y[..., 1], shape, axis, m)


def analysis_stacked(
    x: Tensor, axis: int, step: AxisStep, executor: str, channel_axis: int, in_place: bool = False
) -> Tensor:
    """One analysis level with both channels on a new axis: ``stack((lo, hi), axis=channel_axis)``.

    ``channel_axis`` (at most ``axis``) is an axis of the result, which has
    one more axis than ``x``; packet trees put it just after their node axis
    (`filterbank.backend.packets`). The shift executor computes the stack as
    one sum of broadcast products, each slice of the extended signal times
    the pair of taps ``(lo[j], hi[j])``::

        out[..., c, ..., k, ...] = sum_j taps[c, j] * e[..., 2k + j, ...]

    so that XLA fuses a level into one loop that writes the stack; stacking
    two separate results instead made XLA compute every level twice (P1:
    10 -> 6.5 ms on one core). The conv executor stacks `analysis_level`.
    """
    if executor == "conv":
        return tf().stack(analysis_level(x, axis, step, executor, in_place), axis=channel_axis)
    assert step.edges is not None and channel_axis <= axis
    k, m = step.kernels, step.n_coef
    filters = (k.analysis_lo, k.analysis_hi)

    def sums(e: Tensor, start: int, count: int) -> list[Tensor]:
        return [_stacked_sums(e, axis, start, count, filters, channel_axis)]

    interior = _interior(x, axis, step) if in_place else None
    if interior is not None:
        return _split_analysis(x, axis, step, interior, sums, axis + 1)[0]
    return sums(extend(x, axis, step.edges, in_place), 0, m)[0]


def synthesis_level(
    lo: Tensor | None, hi: Tensor | None, axis: int, step: AxisStep, executor: str
) -> Tensor:
    """One synthesis level of ``step`` along ``axis`` from ``(lo, hi)`` (either may be None)."""
    TF = tf()
    k, n_out = step.kernels, step.n_signal
    L = k.filter_length
    bands = [(c, g) for c, g in ((lo, k.synthesis_lo), (hi, k.synthesis_hi)) if c is not None]
    if step.coef_edges is not None:
        bands = [(extend(c, axis, step.coef_edges), g) for c, g in bands]
    n_c = step.n_coef_extended
    if executor == "conv":
        c = TF.stack([b[0] for b in bands], axis=-1)  # (..., n_c, ..., bands)
        kernel = np.stack([g for _, g in bands], axis=-1).reshape(L, 1, 1, len(bands))
        v, shape = _view4(c[..., 0], axis)
        vd = _dims(v)
        cs = _reshape(c, vd[:3] + [len(bands)])
        n_full = 2 * (n_c - 1) + L
        out_shape = _shape_arg([vd[0], n_full, vd[2], 1])
        y = TF.nn.conv2d_transpose(
            cs, TF.constant(kernel, dtype=c.dtype), out_shape, strides=[1, 2, 1, 1], padding="VALID"
        )
        y = y[:, step.crop : step.crop + n_out, :, 0]
        return _unview(y, shape, axis, n_out)
    # Polyphase shift-and-add: y[2p + r] = sum_t g[2t + r] c[p - t], r = 0, 1 (c = 0 outside [0, n_c)).
    # Only the phases p0 <= p < p1 that the crop keeps are computed; c is zero-padded only where
    # they reach past its ends (for PyWavelets' modes they never do: no padded copy at all).
    half = L // 2
    p0, p1 = step.crop // 2, -(-(step.crop + n_out) // 2)
    left, right = max(0, half - 1 - p0), max(0, p1 - n_c)
    pads = [[0, 0]] * len(bands[0][0].shape)
    pads[axis] = [left, right]
    padded = [(TF.pad(c, pads) if left or right else c, g) for c, g in bands]
    n_phase = p1 - p0
    phases = []
    for r in (0, 1):
        acc = None
        for cp, g in padded:
            for t in range(half):
                tap = float(g[2 * t + r])
                if not tap:
                    continue
                start = p0 - t + left  # c[p - t] for p = p0 ... in cp's coordinates
                s = _slice(cp, axis, start, start + n_phase)
                acc = s * tap if acc is None else acc + s * tap
        if acc is None:
            acc = TF.zeros_like(_slice(padded[0][0], axis, 0, n_phase))
        phases.append(acc)
    y = TF.stack(phases, axis=axis + 1)
    shape = _dims(phases[0])
    y = _reshape(y, shape[:axis] + [2 * n_phase] + shape[axis + 1 :])
    first = step.crop - 2 * p0
    return _slice(y, axis, first, first + n_out)
