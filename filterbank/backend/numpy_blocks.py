"""Block products for the numpy executor: one long 1-D signal's step as BLAS products of a reshaped buffer.

A decimated step on one signal is a correlation (analysis) or a convolution
of zero-stuffed bands (synthesis) with a few taps; numpy's own correlation
calls a dot per output sample. Here the signal (or the interleaved bands) is
read as rows of ``2 P`` samples, a *reshape* (not a strided window), and a
step is a sum of two products of those rows with small block matrices that
hold the taps; BLAS takes every slice of the rows without a copy::

    E = buf.reshape(-1, 2 P)          rows of the extended signal (analysis)
    R = E[0 : M] @ A_0 + E[1 : M + 1] @ A_1     row i: outputs P i ... P i + P - 1 of both filters

Products are cut into row chunks that OpenBLAS runs on one thread, and the
signal-sized temporaries are kept per op and thread (`_Scratch`). No TensorFlow here.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from filterbank.backend.numpy_tables import WIDE, extension_index, filter_table, gather
from filterbank.modes import Edges
from filterbank.plans.decimated import AxisStep

__all__ = ["block_analysis_op", "block_synthesis_batch_op", "block_synthesis_op"]

Op = Callable[..., Any]


#: The most multiply-adds (rows x inner x columns) one BLAS product is given: OpenBLAS runs a
#: product of at most 4 x 65536 of them on one thread, and its threads, on a busy machine,
#: made larger products 10-40x slower than one core.
_ONE_THREAD = 1 << 18


class _Scratch(threading.local):
    """One op's scratch buffers, one per thread and dtype: never handed to a caller.

    A long signal's temporaries are the size of the signal; allocated afresh on
    every call, the allocator hands them back to the system and takes them again
    (page faults on every sample), which cost more than the products themselves.
    """

    def __init__(self, size: int):
        self.size = size
        self.buffers: dict[str, np.ndarray] = {}

    def get(self, dtype: np.dtype) -> np.ndarray:
        buf = self.buffers.get(dtype.char)
        if buf is None:
            buf = self.buffers[dtype.char] = np.zeros(self.size, dtype)
        return buf


class _Windows(threading.local):
    """`_Scratch`'s buffers with their view of overlapping rows (``shape``, from sample ``start``, one row every ``step``).

    The view is made once per thread and dtype, not on every call.
    """

    def __init__(self, size: int, shape: tuple[int, int], start: int, step: int):
        self.size, self.shape, self.start, self.step = size, shape, start, step
        self.buffers: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def get(self, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
        pair = self.buffers.get(dtype.char)
        if pair is None:
            buf = np.zeros(self.size, dtype)
            rows = np.ndarray(self.shape, dtype, buf, self.start * buf.itemsize, (self.step * buf.itemsize, buf.itemsize))
            pair = self.buffers[dtype.char] = (buf, rows)
        return pair


def _block_product(blocks: np.ndarray, n_rows: int, first: int) -> Callable[..., np.ndarray]:
    """``(rows, out=None) -> sum_v rows[first + v : first + v + n_rows] @ blocks[v]``, in products BLAS runs on one thread.

    ``rows`` is a C-contiguous ``(R, K)`` view of a flat buffer (a reshape, not a
    strided window), so every slice of it is a matrix BLAS takes without a copy;
    ``blocks`` is ``(n_v, K, N)``. The sum runs over row chunks small enough for
    `_ONE_THREAD`.
    """
    n_v, inner, cols = blocks.shape
    matrices = filter_table(*blocks)
    chunk = max(1, _ONE_THREAD // (inner * cols))
    cuts = list(range(0, n_rows, chunk)) + [n_rows]
    spans = tuple((first + a, first + b, slice(a, b), slice(0, b - a)) for a, b in zip(cuts[:-1], cuts[1:]))
    rest = tuple(range(1, n_v))
    shape = (min(chunk, n_rows), cols)
    scratch = _Scratch(shape[0] * cols if rest else 0)

    def product(rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        mats = matrices[rows.dtype.char]
        if out is None:
            out = np.empty((n_rows, cols), rows.dtype)
        tmp = scratch.get(rows.dtype).reshape(shape) if rest else out
        for a, b, o, t in spans:
            np.matmul(rows[a:b], mats[0], out=out[o])
            for v in rest:
                part = np.matmul(rows[a + v : b + v], mats[v], out=tmp[t])
                np.add(out[o], part, out=out[o])
        return out

    return product


def _filler(edges: Edges, n: int, index: np.ndarray) -> Callable[[np.ndarray, np.ndarray], None]:
    """``(buf, x) -> None``: writes the extension of ``x`` (along its last axis) into ``buf[..., :index.size]``.

    The signal is one copy and only the edge blocks are gathered, where a whole
    gather of a long signal reads an index per sample.
    """
    left = edges.left
    head, tail = index[:left], index[left + n :]
    _, fixes = extension_index(edges, n)
    stop = left + n

    def fill(buf: np.ndarray, x: np.ndarray) -> None:
        buf[..., left:stop] = x
        if left:
            buf[..., :left] = x[..., head]
        if tail.size:
            buf[..., stop : stop + tail.size] = x[..., tail]
        for where, terms, width in fixes:
            buf[..., where] = gather(x, terms, width)

    return fill


#: A batch's analysis keeps its product (both channels) between calls up to this many samples.
_KEPT_PRODUCT = 1 << 18

#: At most this many samples of bands, one signal's synthesis is one product of its windows. Measured
#: on a 2-core Intel Xeon (idwt, db4, float32): 8,192 samples 17 -> 14 us, 16,384 27 -> 24 us as one
#: product; 32,768 45 us as blocks against 52 as one product.
_SMALL_BLOCKS = 3 << 13


def block_analysis_op(step: AxisStep, index: np.ndarray, exact: Op, batch: tuple[int, ...] = ()) -> Op:
    """One long signal's analysis (or a batch's, along the last axis) as a sum of products of blocks of the extended signal.

    The extension ``e`` (zeros after it) is read as rows of ``W = 2 P`` samples,
    ``E[i, c] = e[W i + c]``, a reshape BLAS takes as it is. Row ``i`` of the
    result holds outputs ``k = P i + p`` (``p < P``) of both filters, and
    ``2 k + j = W i + c`` with ``c = 2 p + j < 2 W`` (``P >= L / 2 - 1``), so::

        (lo, hi)[P i + p] = E[i] @ A_0[:, p] + E[i + 1] @ A_1[:, p],   A_v[c - W v, p] = f[c - 2 p]

    A batch of signals (``batch``, the leading axes; the transformed axis last)
    is laid end to end, each extension in a segment of ``Mr`` whole rows
    (``Mr W >= n_ext``), and multiplied as one signal: an output of one signal
    only reads its own segment, and the rows that straddle two are dropped.

    A result that is not finite is recomputed by ``exact`` (a product spreads one
    NaN or inf over its row); the check is one dot product of the whole
    contiguous result with itself, where the two channels are strided views.
    """
    assert step.edges is not None
    k, m, n = step.kernels, step.n_coef, step.n_signal
    L = k.filter_length
    P = max(2, (L - 1) // 2)
    W = 2 * P
    n_v = -(-(2 * (P - 1) + L) // W)
    B = int(np.prod(batch, dtype=np.int64))
    Mr = -(-m // P) if not batch else -(-index.size // W)  # rows per signal
    M = B * Mr
    length = W * (M + n_v - 1)
    blocks = np.zeros((n_v, W, P, 2))
    for b, f in enumerate((k.analysis_lo, k.analysis_hi)):
        for p in range(P):
            c = 2 * p + np.arange(L)
            blocks[c // W, c % W, p, b] = f
    product = _block_product(blocks.reshape(n_v, W, 2 * P), M, 0)
    fill = _filler(step.edges, n, index)
    scratch = _Scratch(length)  # zeros after the extension, which ``fill`` rewrites on every call

    segments = batch + (W * Mr,)
    # A batch's product is kept and each channel copied out of it: allocated afresh, it went back to
    # the system on every call and its pages faulted in again (488 faults per 128 x 1024 float64
    # call, 1.8x PyWavelets' time -> 1.05x). One signal's channels stay views of a fresh product:
    # the copy of both cost 10% at 65536 samples, and the kept product would double the op's size.
    reuse = bool(batch) and M * W <= _KEPT_PRODUCT
    results = _Scratch(M * W if reuse else 0)
    # 'smooth' extrapolates the edges linearly: float32 sums of those large samples rounded up to
    # twice PyWavelets' float32 error (db20, coif17 on 16 x 1023), so float32 is summed in float64
    wide = WIDE if step.mode == "smooth" else {}

    def op(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dtype = wide.get(x.dtype.char, x.dtype)
        buf = scratch.get(dtype)
        fill(buf[: M * W].reshape(segments) if batch else buf, x)
        flat = product(buf.reshape(-1, W), results.get(dtype).reshape(M, W) if reuse else None).reshape(-1)
        if not math.isfinite(abs(flat.dot(flat))):
            lo, hi = exact(x)  # strided views: made contiguous where the op promises it
            return (np.ascontiguousarray(lo), np.ascontiguousarray(hi)) if reuse or wide else (lo, hi)
        r = flat.reshape(batch + (P * Mr, 2))
        if reuse or wide:
            return r[..., :m, 0].astype(x.dtype), r[..., :m, 1].astype(x.dtype)  # new contiguous arrays
        return r[..., :m, 0], r[..., :m, 1]

    op.contiguous = reuse or bool(wide)  # type: ignore[attr-defined]

    op.nbytes = index.nbytes + blocks.nbytes * 3 + 16 * (length + (M * W if reuse else 0))  # type: ignore[attr-defined]
    return op


def _synthesis_blocks(k: Any, p_min: int = 2) -> tuple[int, int, int, int, np.ndarray]:
    """``(F, P, W, n_v, blocks)`` of a synthesis of even length ``L``: ``F = L / 2 - 1`` leading zero
    pairs, ``P >= p_min`` pairs per row of ``W = 2 P`` samples, ``n_v`` blocks of ``(W, W)`` (see `block_synthesis_op`)."""
    half = k.filter_length // 2
    F = half - 1
    P = max(p_min, F)
    W = 2 * P
    n_v = 1 + -(-F // P)
    blocks = np.zeros((n_v, W, W))
    for b, g in enumerate((k.synthesis_lo, k.synthesis_hi)):
        for s in range(P):
            for u in range(half):
                c = 2 * (s - u + F) + b
                blocks[c // W, c % W, 2 * s : 2 * s + 2] = g[2 * u : 2 * u + 2]
    return F, P, W, n_v, blocks


#: A short synthesis's rows hold at least 64 bytes of its real dtype (``P`` by dtype character):
#: one AVX-512 register, a cache line. Measured on a 2-core Intel Xeon, an idwt of 1,024 samples
#: (db4, float32) took 4.8 us with 16-sample rows against 5.4 with 6; db2 in float64 5.35 against 5.7
#: with 8 against 4. Longer signals (`block_synthesis_batch_op`) keep the narrowest rows: there the
#: wider rows' extra multiply-adds cost more (65,536 samples, float32: 53 us at 16 against 43 at 6).
_ROW_PAIRS = {"f": 8, "F": 8, "d": 4, "D": 4}


def block_synthesis_op(k: Any, n_ce: int, index: np.ndarray | None, crop: int, n_out: int, exact: Op) -> Op:
    """One long signal's synthesis as a sum of products of blocks of the interleaved bands (``L`` even).

    The bands are interleaved, ``z[2 (t + F) + b] = band_b[t]`` after
    ``F = L / 2 - 1`` zero pairs, and read as rows of ``2 P`` samples
    (``P >= F`` pairs), ``Z[i, c] = z[2 P i + c]``, a reshape BLAS takes as it
    is. Output row ``i`` holds ``y[2 (P i + s) + r]`` (``s < P``)::

        y[2 p + r] = sum_u lo[p - u] rec_lo[2u + r] + hi[p - u] rec_hi[2u + r]
                   = (Z[i] @ B_0 + Z[i + 1] @ B_1)[2 s + r],   B_v[2 (s - u + F) + b - 2 P v, 2 s + r] = rec_b[2u + r]

    A result that is not finite is recomputed by ``exact`` (see
    `filterbank.backend.numpy_executors`): a product multiplies every sample
    of a row by the matrix's zeros too, so one NaN or inf would spread.

    A short signal (at most `_SMALL_BLOCKS` samples of ``Z``) is one product of
    the windows ``[Z[i], Z[i + 1]]`` of the rows it keeps, with rows of
    `_ROW_PAIRS` by dtype; a longer one is `block_synthesis_batch_op` with no
    batch axes. The short product runs in the bands' own dtype: float32 bands
    summed in float32 stay within a few float32 ulps of the exact result (up to
    about 4x PyWavelets' own float32 error for coefficients spread over 16
    orders of magnitude, 2x for random ones; the analysis, where 'smooth'
    extrapolates large samples, sums in float64), and a float64 sum cost two
    conversions, 15% of an idwt of 1,024 samples.
    """
    F, P, W, _, _ = _synthesis_blocks(k)
    if ((crop + n_out - 1) // 2 // P - crop // 2 // P + 1) * W > _SMALL_BLOCKS:
        return block_synthesis_batch_op(k, n_ce, index, crop, n_out, exact, ())
    where = (slice(2 * F, 2 * (F + n_ce), 2), slice(2 * F + 1, 2 * (F + n_ce), 2))
    w_lo, w_hi = where
    shapes: dict[str, tuple[_Windows, np.ndarray, int]] = {}  # by dtype character: (buffers, matrix, offset)
    nbytes = 0 if index is None else index.nbytes
    for char, p_min in _ROW_PAIRS.items():
        F, P, W, n_v, blocks = _synthesis_blocks(k, p_min)
        first, last = crop // 2 // P, (crop + n_out - 1) // 2 // P
        M = last - first + 1
        pairs = -(-max(P * (first + M + n_v - 1), F + n_ce) // P) * P
        matrix = filter_table(blocks.reshape(n_v * W, W))[char][0]
        shapes[char] = (_Windows(2 * pairs, (M, n_v * W), first * W, W), matrix, crop - W * first)
        nbytes += matrix.nbytes + np.dtype(char).itemsize * 2 * pairs

    def small(lo: np.ndarray | None, hi: np.ndarray | None) -> np.ndarray:
        # the finiteness check is inlined here (not `finite_or`): this op is most of a short idwt
        present = lo if lo is not None else hi
        assert present is not None
        buffers, matrix, offset = shapes[present.dtype.char]
        z, rows = buffers.get(present.dtype)
        if lo is not None and hi is not None and index is None:
            z[w_lo], z[w_hi] = lo, hi
        else:
            for w, band in zip(where, (lo, hi)):
                z[w] = 0 if band is None else band if index is None else band[index]
        y = np.dot(rows, matrix).reshape(-1)[offset : offset + n_out]
        return y if math.isfinite(abs(y.dot(y))) else np.ascontiguousarray(exact(lo, hi))

    small.nbytes, small.contiguous = nbytes, True  # type: ignore[attr-defined]
    return small


def block_synthesis_batch_op(
    k: Any, n_ce: int, index: np.ndarray | None, crop: int, n_out: int, exact: Op, batch: tuple[int, ...]
) -> Op:
    """`block_synthesis_op` for a batch along the last axis (``batch`` its leading axes; ``()``: one long signal).

    Each signal's bands fill a segment of ``pairs`` pairs (``F`` zero pairs,
    then the bands, then zeros), long enough that every output row it keeps
    reads only its own segment; the whole buffer is one block product, and
    each signal's samples are cut from its segment's rows. A batch's product
    is kept between calls and the result copied out of it (as
    `block_analysis_op`); one signal's result is a slice of a fresh product.
    """
    F, P, W, n_v, blocks = _synthesis_blocks(k)
    last = (crop + n_out - 1) // 2 // P  # the last output row a signal keeps
    pairs = -(-max(P * (last + n_v), F + n_ce) // P) * P
    rows = pairs // P  # output rows per signal
    B = int(np.prod(batch, dtype=np.int64))
    product = _block_product(blocks, B * rows, 0)
    scratch = _Scratch(2 * (B * pairs + (n_v - 1) * P))  # zeros but where the bands go, which every call rewrites
    reuse = bool(batch) and B * rows * W <= _KEPT_PRODUCT
    results = _Scratch(B * rows * W if reuse else 0)
    where = (slice(2 * F, 2 * (F + n_ce), 2), slice(2 * F + 1, 2 * (F + n_ce), 2))
    segments = batch + (2 * pairs,)

    def op(lo: np.ndarray | None, hi: np.ndarray | None) -> np.ndarray:
        present = lo if lo is not None else hi
        assert present is not None
        z = scratch.get(present.dtype)
        zb = z[: 2 * B * pairs].reshape(segments)
        for w, band in zip(where, (lo, hi)):
            zb[..., w] = 0 if band is None else band if index is None else band[..., index]
        kept = results.get(present.dtype).reshape(B * rows, W) if reuse else None
        flat = product(z.reshape(-1, W), kept).reshape(-1)
        if not math.isfinite(abs(flat.dot(flat))):
            return np.ascontiguousarray(exact(lo, hi))
        y = flat.reshape(batch + (rows * W,))[..., crop : crop + n_out]
        return y.copy() if batch else y  # a batch's cut is strided (and the kept product is rewritten)

    op.contiguous = True  # type: ignore[attr-defined]
    op.nbytes = (0 if index is None else index.nbytes) + blocks.nbytes * 3 + 16 * (2 * B * pairs + (B * rows * W if reuse else 0))  # type: ignore[attr-defined]
    return op

