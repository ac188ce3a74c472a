"""The numpy executor: one step of a plan computed with numpy, its geometry fixed once.

It runs the *same plan* as the TensorFlow executors (edge maps, kernels,
lengths and crops), so its results equal theirs to rounding; it serves small
numpy inputs, where TensorFlow's fixed cost per call would dominate, and
every first call that should not wait for TensorFlow at all. No TensorFlow here.

Every step is built once per (step, input shape, axis) into a closure that
holds its precomputed index arrays, filters and output geometry
(`analysis_op`, `synthesis_op`, `atrous_op`); a call then costs a few numpy
calls. Each is a *batched correlation on one flat buffer*::

    gather        e = x[..., I]               one take: the extension (and, a trous,
                                              the polyphase split) of every row at once
    correlate     r = correlate(e.ravel(), f)  numpy's C loop over all rows together
    read out      a strided view of r         the kept outputs of every row

Rows never mix: a row's kept outputs only read samples of that row. Analysis
along an axis (``L`` even, ``m`` coefficients, ``n_ext = 2 (m - 1) + L``)::

    lo[k] = sum_j analysis_lo[j] * e[2k + j]      (the same for hi; r read every other sample)

Synthesis convolves the zero-stuffed bands (``u[2k] = c[k]``), each row
followed by ``L - 1`` zeros, and reads ``n_signal`` samples from ``crop``::

    y = u_lo * rec_lo + u_hi * rec_hi,   x[i] = y[i + crop]

One long signal (1-D) is instead a sum of matrix products of blocks of a
*reshaped* buffer (rows of ``2 P`` samples, which BLAS takes without a copy),
with the temporaries kept per op and thread (`filterbank.backend.numpy_blocks`).

A trous (dilation ``t``, the length divisible by ``t``): sample ``n = q t + r``
only meets samples of its own phase ``r``, so the gather splits every row
into ``t`` rows of period ``N / t`` and the correlation is undilated.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from filterbank.backend.numpy_blocks import block_analysis_op, block_synthesis_batch_op, block_synthesis_op
from filterbank.backend.numpy_tables import WIDE, extension_index, filter_table, gather
from filterbank.cache import named_cache
from filterbank.plans.decimated import AxisStep

__all__ = ["analysis_level", "analysis_op", "atrous_op", "roll", "synthesis_level", "synthesis_op", "zeros_like"]

Op = Callable[..., Any]

#: Built steps, by (kind, step, input shape, axis): a few index arrays each.
_OPS = named_cache("numpy steps", max_entries=2048, max_bytes=32 << 20)


def _perm(ndim: int, axis: int) -> tuple[tuple[int, ...] | None, tuple[int, ...] | None]:
    """The transposition that brings ``axis`` last, and its inverse (None when it is last already)."""
    if axis == ndim - 1:
        return None, None
    perm = tuple(i for i in range(ndim) if i != axis) + (axis,)
    return perm, tuple(int(i) for i in np.argsort(perm))


def _c_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    out, acc = [], 1
    for s in reversed(shape):
        out.append(acc)
        acc *= s
    return tuple(reversed(out))


def _view_strides(batch: tuple[int, ...], row: int, step: int, perm: tuple[int, ...] | None) -> tuple[int, ...]:
    """Element strides of the kept outputs (every ``step``-th sample of rows of ``row``) in the input's axis order."""
    strides = [s * row for s in _c_strides(batch)] + [step]
    if perm is None:
        return tuple(strides)
    out = [0] * len(perm)
    for i, p in enumerate(perm):
        out[p] = strides[i]
    return tuple(out)


# --------------------------------------------------------------------------- decimated steps


#: Which form an analysis step takes (measured on a 2-core AMD EPYC, float32 and float64): one
#: signal of at most this many window samples (coefficients x taps) is one small matrix product
#: of its strided windows with both filters; from this many extended samples on (all rows
#: together) a polyphase correlation (even and odd samples apart, half the taps, no output
#: thrown away) beats the plain correlation read every other sample. A longer single signal is
#: a sum of block products (`filterbank.backend.numpy_blocks`), kept to one BLAS thread: its threads on a
#: busy machine made larger products 10-40x slower.
_SMALL_WINDOWS = 1 << 15
_POLYPHASE = 1 << 12
_BLOCK_BATCH = 1 << 12  # a batch along its last axis with at least this many extended samples: block products


def analysis_op(step: AxisStep, shape: tuple[int, ...], axis: int) -> Op:
    """``x -> (lo, hi)``: one analysis step of ``step`` along ``axis`` for inputs of ``shape`` (cached)."""
    return _OPS.get_or_create(("analysis", step, shape, axis), lambda: _analysis_op(step, shape, axis), _op_bytes)


def _op_bytes(op: Any) -> int:
    return int(getattr(op, "nbytes", 0))


def _analysis_op(step: AxisStep, shape: tuple[int, ...], axis: int) -> Op:
    assert step.edges is not None
    k, m, n = step.kernels, step.n_coef, step.n_signal
    L, ndim = k.filter_length, len(shape)
    index, fixes = extension_index(step.edges, n)
    n_ext = index.size
    filters = filter_table(k.analysis_lo, k.analysis_hi)
    perm, _ = _perm(ndim, axis)
    batch = tuple(shape[p] for p in perm[:-1]) if perm is not None else shape[:-1]
    out_shape = shape[:axis] + (m,) + shape[axis + 1 :]
    items = _view_strides(batch, n_ext, 2, perm)
    strides = {size: tuple(s * size for s in items) for size in (4, 8, 16)}

    def extend(x: np.ndarray) -> np.ndarray:
        xt = x if perm is None else x.transpose(perm)
        e = xt[index] if ndim == 1 else np.take(xt, index, axis=-1)
        for where, terms, width in fixes:
            e[..., where] = gather(xt, terms, width)
        return e

    if ndim == 1 and m * L <= _SMALL_WINDOWS:
        windows = {size: (2 * size, size) for size in (4, 8, 16)}
        both = filter_table(np.stack([k.analysis_lo, k.analysis_hi]))

        def op(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            # float32 is extended and summed in float64 (free at this size): BLAS's float32 dot, on the
            # large samples that 'smooth' extrapolates, rounds worse than PyWavelets' loop
            e = extend(x.astype(WIDE[x.dtype.char], copy=False))
            r = np.dot(both[e.dtype.char][0], np.ndarray((m, L), e.dtype, e, 0, windows[e.itemsize]).T)
            r = r.astype(x.dtype, copy=False)
            return r[0], r[1]  # rows of a new C-contiguous array

        op.contiguous = True  # type: ignore[attr-defined]

    elif ndim == 1:
        return block_analysis_op(step, index, _correlate_op(extend, filters, out_shape, strides))  # checks as `_finite_or`

    elif perm is None and np.prod(batch, dtype=np.int64) * n_ext >= _BLOCK_BATCH:
        exact = _correlate_op(extend, filters, out_shape, strides)
        return block_analysis_op(step, index, exact, batch)  # a batch along its last axis, as one signal

    elif L % 2 == 0 and index.size * (int(np.prod(batch, dtype=np.int64)) if batch else 1) >= _POLYPHASE:
        phases = filter_table(k.analysis_lo[0::2], k.analysis_lo[1::2], k.analysis_hi[0::2], k.analysis_hi[1::2])
        half = n_ext // 2
        items = _view_strides(batch, half, 1, perm)
        strides = {size: tuple(s * size for s in items) for size in (4, 8, 16)}

        def op(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            e = extend(x).reshape(-1)
            even, odd = e[0::2].copy(), e[1::2].copy()
            lo_e, lo_o, hi_e, hi_o = phases[e.dtype.char]
            r_lo = np.correlate(even, lo_e)
            r_lo += np.correlate(odd, lo_o)
            r_hi = np.correlate(even, hi_e)
            r_hi += np.correlate(odd, hi_o)
            st = strides[e.itemsize]
            return np.ndarray(out_shape, r_lo.dtype, r_lo, 0, st), np.ndarray(out_shape, r_hi.dtype, r_hi, 0, st)

    else:
        op = _correlate_op(extend, filters, out_shape, strides)

    op.nbytes = index.nbytes + 8 * 4 * L  # type: ignore[attr-defined]
    return op


def _correlate_op(extend: Callable[[np.ndarray], np.ndarray], filters: dict[str, tuple[np.ndarray, ...]],
                  out_shape: tuple[int, ...], strides: dict[int, tuple[int, ...]]) -> Op:
    """Analysis as two correlations of the whole extended buffer (any batch; NaN and inf stay where PyWavelets puts them)."""

    def op(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        e = extend(x).reshape(-1)
        lo_f, hi_f = filters[e.dtype.char]
        st = strides[e.itemsize]
        r_lo, r_hi = np.correlate(e, lo_f), np.correlate(e, hi_f)
        return np.ndarray(out_shape, r_lo.dtype, r_lo, 0, st), np.ndarray(out_shape, r_hi.dtype, r_hi, 0, st)

    return op


def _finite_or(fast: Op, exact: Op, L: int) -> Op:
    """The synthesis ``fast`` (dense products), or ``exact`` where its result is not finite.

    A product multiplies every sample of a block by the matrix's zero
    entries too, so one NaN or inf would spread to outputs that PyWavelets
    (and ``exact``, sums over the filter's support only) keeps finite. A
    finite input gives a finite result, checked by the result's dot product
    with itself (0.4 us for a thousand samples; a finite result whose squares
    overflow takes ``exact`` too, with the same values). The block ops of
    `filterbank.backend.numpy_blocks` do the same check inside.
    """

    def one(lo: Any, hi: Any) -> Any:
        out = fast(lo, hi)
        if math.isfinite(abs(out.dot(out) if out.ndim == 1 else np.vdot(out, out))):  # abs: a complex sum is complex
            return out
        return exact(lo, hi)

    one.nbytes = getattr(fast, "nbytes", 0) + 8 * 4 * L  # type: ignore[attr-defined]
    return one


def synthesis_op(step: AxisStep, shape: tuple[int, ...], axis: int) -> Op:
    """``(lo, hi) -> x``: one synthesis step along ``axis`` for bands of ``shape`` (either may be None; cached)."""
    return _OPS.get_or_create(("synthesis", step, shape, axis), lambda: _synthesis_op(step, shape, axis), _op_bytes)


#: Below this many multiply-adds a synthesis step is one gather and one small matrix product
#: (single-threaded in BLAS at this size); above it, numpy's convolution of zero-stuffed rows.
_SMALL_PRODUCT = 1 << 17

#: A small n-d synthesis step whose bands hold at most this many coefficients per tap (``2 n_c / L``)
#: is one dense product with the step's whole synthesis matrix, both bands side by side: its zeros
#: cost less than the polyphase gather up to about this density (measured on a 2-core Intel Xeon,
#: db4: 4 x 36 x 36 along the last axis 27 us against 47, a 35 x 64 step of a 64 x 64 inverse 13 us
#: against 23; 64 x 64 even; haar on 128 x 128, 256 coefficients per tap, twice as slow).
_DENSE = 16


def _synthesis_op(step: AxisStep, shape: tuple[int, ...], axis: int) -> Op:
    k, n_c, crop, n_out = step.kernels, step.n_coef, step.crop, step.n_signal
    L, ndim = k.filter_length, len(shape)
    index = None if step.coef_edges is None else extension_index(step.coef_edges, n_c)[0]
    n_ce = n_c if index is None else index.size
    perm, inverse = _perm(ndim, axis)
    batch = tuple(shape[p] for p in perm[:-1]) if perm is not None else shape[:-1]
    B = int(np.prod(batch, dtype=np.int64))
    p0, p1 = crop // 2, (crop + n_out - 1) // 2
    if ndim == 1 and L % 2 == 0:
        exact = _phases_op(k, n_ce, index, crop, n_out, perm, inverse, batch)
        return block_synthesis_op(k, n_ce, index, crop, n_out, exact)  # checks its result as `_finite_or`
    if perm is None and L % 2 == 0 and B * n_ce >= _BLOCK_BATCH:  # a batch along its last axis, as one signal
        exact = _phases_op(k, n_ce, index, crop, n_out, perm, inverse, batch)
        return block_synthesis_batch_op(k, n_ce, index, crop, n_out, exact, batch)  # checks its result as `_finite_or`
    if B * (p1 - p0 + 1) * 2 * L <= _SMALL_PRODUCT:
        exact = _polyphase_op(k, n_c, n_ce, index, crop, n_out, ndim, perm, inverse, batch)
        if 2 * n_c <= _DENSE * L and (axis == ndim - 1 or ndim == 2):
            return _finite_or(_dense_op(k, n_c, index, crop, n_out, shape, axis), exact, L)
        return exact
    if L % 2 == 0:
        return _phases_op(k, n_ce, index, crop, n_out, perm, inverse, batch)
    row = 2 * n_ce + L - 2  # the full convolution of one zero-stuffed row; its last L - 1 inputs are zeros
    filters = filter_table(k.synthesis_lo[::-1], k.synthesis_hi[::-1])
    buffer_shape = (2,) + batch + (row,)
    out_shape = shape[:axis] + (n_out,) + shape[axis + 1 :]
    items = _view_strides(batch, row, 1, perm)
    strides = {size: tuple(s * size for s in items) for size in (4, 8, 16)}

    def op(lo: np.ndarray | None, hi: np.ndarray | None) -> np.ndarray:
        present = lo if lo is not None else hi
        assert present is not None
        u = np.zeros(buffer_shape, present.dtype)
        y = None
        for b, band in enumerate((lo, hi)):
            if band is None:
                continue
            bt = band if perm is None else band.transpose(perm)
            u[b, ..., : 2 * n_ce : 2] = bt if index is None else np.take(bt, index, axis=-1)
            part = np.correlate(u[b].reshape(-1), filters[u.dtype.char][b], "full")  # the convolution
            y = part if y is None else np.add(y, part, out=y)
        assert y is not None
        if ndim == 1:
            return y[crop : crop + n_out]
        return np.ndarray(out_shape, y.dtype, y, crop * y.itemsize, strides[y.itemsize])

    op.nbytes = (0 if index is None else index.nbytes) + 8 * 4 * L  # type: ignore[attr-defined]
    return op


def _phases_op(
    k: Any, n_ce: int, index: np.ndarray | None, crop: int, n_out: int,
    perm: tuple[int, ...] | None, inverse: tuple[int, ...] | None, batch: tuple[int, ...],
) -> Op:
    """Synthesis as four polyphase convolutions of all rows at once (``L`` even).

    Each band's rows, followed by ``L / 2 - 1`` zeros, are convolved as one flat
    buffer with the even and the odd taps of its filter; the two phases are
    interleaved into the output, of which ``n_signal`` samples from ``crop``
    are kept::

        y[2p + r] = (lo * rec_lo[r::2] + hi * rec_hi[r::2])[p]
    """
    half = k.filter_length // 2
    row = n_ce + half - 1
    phases = filter_table(k.synthesis_lo[0::2], k.synthesis_lo[1::2], k.synthesis_hi[0::2], k.synthesis_hi[1::2])
    size = int(np.prod(batch, dtype=np.int64)) * row

    def op(lo: np.ndarray | None, hi: np.ndarray | None) -> np.ndarray:
        present = lo if lo is not None else hi
        assert present is not None
        taps = phases[present.dtype.char]
        u = np.zeros(batch + (row,), present.dtype)
        y = np.empty(batch + (2 * row,), present.dtype)
        parts = []
        for b, band in enumerate((lo, hi)):
            if band is None:
                continue
            bt = band if perm is None else band.transpose(perm)
            u[..., :n_ce] = bt if index is None else np.take(bt, index, axis=-1)
            flat = u.reshape(-1)
            parts.append((np.convolve(flat, taps[2 * b])[:size], np.convolve(flat, taps[2 * b + 1])[:size]))
        even, odd = parts[0]
        if len(parts) == 2:
            even, odd = even + parts[1][0], odd + parts[1][1]
        y[..., 0::2] = even.reshape(batch + (row,))
        y[..., 1::2] = odd.reshape(batch + (row,))
        out = y[..., crop : crop + n_out]
        return out if inverse is None else out.transpose(inverse)

    op.nbytes = (0 if index is None else index.nbytes) + 8 * 2 * half * 4  # type: ignore[attr-defined]
    return op


def _dense_op(k: Any, n_c: int, index: np.ndarray | None, crop: int, n_out: int, shape: tuple[int, ...], axis: int) -> Op:
    """Synthesis as one product with the dense ``(n_out, 2 n_c)`` matrix ``S = [S_lo | S_hi]`` (the last axis, or 2-D).

    ``out[i] = sum_k c_ext[k] rec[i + crop - 2 k]``, so ``S_b[i, src(k)]``
    gathers the taps that meet coefficient ``src(k)`` (``index`` maps the
    extended coefficients to theirs); the bands, side by side along
    ``axis``, meet ``S`` in one BLAS product. Its zeros meet every sample,
    so a NaN or inf spreads along the axis: `_finite_or` takes the exact form
    then.
    """
    L, ndim = k.filter_length, len(shape)
    src = np.arange(n_c) if index is None else index
    i = np.arange(n_out)[:, None]
    j = i + crop - 2 * np.arange(src.size)[None, :]
    meets = (j >= 0) & (j < L)
    rows, cols = np.nonzero(meets)
    dense = np.zeros((n_out, 2 * n_c))
    for b, g in enumerate((k.synthesis_lo, k.synthesis_hi)):
        np.add.at(dense, (rows, src[cols] + b * n_c), np.asarray(g, np.float64)[j[meets]])
    if axis == ndim - 1:  # rows of the bands side by side, times S transposed
        matrices = filter_table(dense.T, dense[:, :n_c].T, dense[:, n_c:].T)
        flat = (int(np.prod(shape[:-1], dtype=np.int64)), n_out)
        out_shape = shape[:-1] + (n_out,)

        def op(lo: np.ndarray | None, hi: np.ndarray | None) -> np.ndarray:
            if lo is None or hi is None:
                band = lo if lo is not None else hi
                assert band is not None
                y = band.reshape(-1, n_c) @ matrices[band.dtype.char][1 if lo is not None else 2]
            else:
                y = np.concatenate((lo, hi), axis=-1).reshape(flat[0], 2 * n_c) @ matrices[lo.dtype.char][0]
            return y.reshape(out_shape)

    else:  # 2-D along axis 0: S times the bands stacked
        matrices = filter_table(dense, dense[:, :n_c], dense[:, n_c:])

        def op(lo: np.ndarray | None, hi: np.ndarray | None) -> np.ndarray:
            if lo is None or hi is None:
                band = lo if lo is not None else hi
                assert band is not None
                return matrices[band.dtype.char][1 if lo is not None else 2] @ band  # type: ignore[no-any-return]
            return matrices[lo.dtype.char][0] @ np.concatenate((lo, hi), axis=0)  # type: ignore[no-any-return]

    op.nbytes = 8 * 4 * dense.size  # type: ignore[attr-defined]
    return op


def _polyphase_op(
    k: Any, n_c: int, n_ce: int, index: np.ndarray | None, crop: int, n_out: int, ndim: int,
    perm: tuple[int, ...] | None, inverse: tuple[int, ...] | None, batch: tuple[int, ...],
) -> Op:
    """Synthesis as one gather and one product: ``y[2p + r] = sum_u lo[p - u] rec_lo[2u + r] + hi[p - u] rec_hi[2u + r]``.

    The bands are laid side by side with one zero after them, ``[lo, hi, 0]``;
    row ``p`` of the gather holds ``lo[p - u]`` and ``hi[p - u]`` (``u < L / 2``,
    the zero where ``p - u`` is outside the extended coefficients), so the
    product with the ``(L, 2)`` matrix of polyphase taps gives output samples
    ``2p`` and ``2p + 1``. Only the rows of the kept samples are gathered.
    """
    L = k.filter_length
    half = L // 2
    p0, p1 = crop // 2, (crop + n_out - 1) // 2
    offset = crop - 2 * p0
    q = np.arange(p0, p1 + 1)[:, None] - np.arange(half)[None, :]
    inside = (q >= 0) & (q < n_ce)
    src = np.where(inside, q, 0) if index is None else index[np.where(inside, q, 0)]
    zero = 2 * n_c
    gather = np.concatenate([np.where(inside, src, zero), np.where(inside, src + n_c, zero)], axis=1)
    taps = np.zeros((L, 2))
    for r in (0, 1):
        taps[:half, r] = k.synthesis_lo[r::2][:half]
        taps[half:, r] = k.synthesis_hi[r::2][:half]
    matrices = filter_table(taps)
    zeros = {char: np.zeros(batch + (1,), char) for char in "fdFD"}
    n_rows = p1 - p0 + 1
    flat = gather.reshape(-1)

    def op(lo: np.ndarray | None, hi: np.ndarray | None) -> np.ndarray:
        if lo is None or hi is None:
            present = lo if lo is not None else hi
            assert present is not None
            lo, hi = (present, np.zeros_like(present)) if lo is not None else (np.zeros_like(present), present)
        char = lo.dtype.char
        if perm is None:
            bands = np.concatenate((lo, hi, zeros[char]), axis=-1)
        else:
            bands = np.concatenate((lo.transpose(perm), hi.transpose(perm), zeros[char]), axis=-1)
        if ndim == 1:
            y = bands[gather] @ matrices[char][0]
            return y.reshape(-1)[offset : offset + n_out]
        y = np.take(bands, flat, axis=-1).reshape(-1, L) @ matrices[char][0]
        out = y.reshape(batch + (2 * n_rows,))[..., offset : offset + n_out]
        return out if inverse is None else out.transpose(inverse)

    op.nbytes = gather.nbytes  # type: ignore[attr-defined]
    return op


def analysis_level(x: np.ndarray, axis: int, step: AxisStep) -> tuple[np.ndarray, np.ndarray]:
    """One analysis level of ``step`` along ``axis``: ``(lo, hi)``."""
    return analysis_op(step, tuple(x.shape), axis % x.ndim)(x)  # type: ignore[no-any-return]


def synthesis_level(lo: np.ndarray | None, hi: np.ndarray | None, axis: int, step: AxisStep) -> np.ndarray:
    """One synthesis level of ``step`` along ``axis`` from ``(lo, hi)`` (either may be None)."""
    present = lo if lo is not None else hi
    assert present is not None
    if lo is not None and hi is not None and lo.dtype != hi.dtype:
        dtype = np.result_type(lo, hi)
        lo, hi = lo.astype(dtype), hi.astype(dtype)
    return synthesis_op(step, tuple(present.shape), axis % present.ndim)(lo, hi)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- a trous steps


def atrous_op(taps: tuple[tuple[float, ...], tuple[float, ...]], t: int, shift: int, scale: float,
              shape: tuple[int, ...], axis: int) -> Any:
    """One dilated, undecimated step along ``axis`` for bands of ``shape`` (cached).

    ``out[n] = scale * sum_b sum_i taps[b][i] * band_b[(n + shift - i t) mod N]``
    for each given band; with two bands the op returns their sum (synthesis),
    with one band and two filters it returns both filterings (analysis).
    """
    key = ("a trous", taps, t, shift, scale, shape, axis)
    return _OPS.get_or_create(key, lambda: _atrous_op(taps, t, shift, scale, shape, axis), _op_bytes)


def _atrous_op(taps: tuple[tuple[float, ...], tuple[float, ...]], t: int, shift: int, scale: float,
               shape: tuple[int, ...], axis: int) -> Any:
    ndim, N = len(shape), shape[axis]
    F = len(taps[0])
    Q = N // t
    width = Q + F - 1
    # out[q t + r] = sum_j rev[j] * band[((q + j) t + r + s) mod N], rev the taps reversed, s = shift - (F - 1) t
    s = shift - (F - 1) * t
    index = np.mod(np.arange(width)[None, :] * t + np.arange(t)[:, None] + s, N).reshape(-1)
    filters = filter_table(*(np.asarray(f[::-1], np.float64) * scale for f in taps))
    perm, inverse = _perm(ndim, axis)
    batch = tuple(shape[p] for p in perm[:-1]) if perm is not None else shape[:-1]
    phases_shape = batch + (Q, t)
    items = tuple(v * t * width for v in _c_strides(batch)) + (1, width)
    strides = {size: tuple(v * size for v in items) for size in (4, 8, 16)}
    flat_shape = batch + (N,)

    def read(r: np.ndarray) -> np.ndarray:
        phases = np.ndarray(phases_shape, r.dtype, r, 0, strides[r.itemsize])
        out = phases.reshape(flat_shape)  # a copy: samples back in their order
        return out if inverse is None else out.transpose(inverse)

    def gather(band: np.ndarray) -> np.ndarray:
        bt = band if perm is None else band.transpose(perm)
        return (bt[index] if ndim == 1 else np.take(bt, index, axis=-1)).reshape(-1)

    def analysis(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        e = gather(x)
        lo_f, hi_f = filters[e.dtype.char]
        return read(np.correlate(e, lo_f)), read(np.correlate(e, hi_f))

    def synthesis(lo: np.ndarray | None, hi: np.ndarray | None) -> np.ndarray:
        y = None
        for b, band in enumerate((lo, hi)):
            if band is None:
                continue
            e = gather(band)
            part = np.correlate(e, filters[e.dtype.char][b])
            y = part if y is None else np.add(y, part, out=y)
        if y is None:
            raise ValueError("a trous synthesis needs at least one band")
        return read(y)

    op = _Atrous(analysis, synthesis)
    op.nbytes = index.nbytes
    return op


class _Atrous:
    """The analysis and synthesis forms of one a trous geometry."""

    __slots__ = ("analysis", "synthesis", "nbytes")

    def __init__(self, analysis: Op, synthesis: Op):
        self.analysis, self.synthesis, self.nbytes = analysis, synthesis, 0


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
