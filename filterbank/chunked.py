"""Dask arrays in, Dask arrays out: filterbank's transforms on chunked arrays.

Install the extra with ``pip install "filterbank[dask]"``. Every function here
takes a ``dask.array.Array``, builds a lazy graph (dtypes and shapes are known
before anything is computed) and returns Dask arrays; each task runs
filterbank's own numpy path on one block, so a computed result equals what
filterbank (and therefore scipy or PyWavelets) gives on the whole array.

How a chunked axis is handled, by transform::

    convolve / correlate   halos: each block reads exactly K - 1 samples of its
    (and the 2-D forms)    right neighbour, after the array's own edges were
                           extended by ``boundary`` (so a chunk edge inside the
                           array is never treated as an array edge)
    swt                    halos: (L - 1) (2**level - 1) samples each side,
                           periodic at the array's edges, as the SWT itself is
    wavedec, wavedec2,     the transformed axes are joined into one chunk
    wavedecn, wpdec, cwt   (``rechunk``); the batch axes stay chunked and each
                           task transforms its block (``map_blocks``)

The DWT's decimation makes per-block halos level-dependent, so the decimated
transforms rechunk their transformed axes instead: size chunks along the batch
axes (``x.rechunk({0: "auto", -1: -1})``) to control the memory per task.

Examples
--------
>>> import dask.array as da
>>> import numpy as np
>>> x = da.from_array(np.arange(12.0), chunks=5)
>>> y = convolve(x, np.array([1.0, -1.0]))
>>> y.chunks, y.dtype
(((6, 5, 2),), dtype('float64'))
>>> y.compute()
array([  0.,   1.,   1.,   1.,   1.,   1.,   1.,   1.,   1.,   1.,   1.,   1., -11.])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

import filterbank as fb
from filterbank.errors import FilterBankTypeError, check_option, normalize_axes
from filterbank.modes import Mode

__all__ = ["apply", "convolve", "convolve2d", "correlate", "correlate2d", "cwt", "swt", "wavedec", "wavedec2", "wavedecn", "wpdec"]

#: ``boundary`` names of `filterbank.convolve` -> ``numpy.pad`` modes used on the array's own edges.
_PAD_MODES = {"fill": "constant", "wrap": "wrap", "symm": "symmetric"}
_PAD_ALIASES_2D = {"fill": "fill", "pad": "fill", "wrap": "wrap", "circular": "wrap", "symm": "symm", "symmetric": "symm"}


def _dask() -> Any:
    try:
        import dask.array as da
    except ImportError as exc:  # pragma: no cover - the extra is installed in CI
        raise ImportError('filterbank.chunked needs Dask: pip install "filterbank[dask]"') from exc
    return da


def _require_dask(x: Any, name: str = "x") -> Any:
    da = _dask()
    if not isinstance(x, da.Array):
        raise FilterBankTypeError(
            f"{name} must be a dask.array.Array (use filterbank.{'convolve'} and friends for numpy arrays and tensors); "
            f"got {type(x).__name__}"
        )
    return da


# --------------------------------------------------------------------------- convolution with halos


def convolve(x: Any, kernel: Any, mode: str = "full", *, boundary: str = "fill", fillvalue: Any = 0,
             axes: int | tuple[int, ...] | None = None) -> Any:
    """`filterbank.convolve` on a Dask array, chunked along any axis.

    Parameters
    ----------
    x : dask.array.Array
        Input, chunked in any way.
    kernel : array_like
        Filter taps (a numpy-compatible array; it is sent to every task).
    mode, boundary, fillvalue, axes
        As in `filterbank.convolve` (scipy's rules).

    Returns
    -------
    dask.array.Array
        Lazy; equal, once computed, to ``filterbank.convolve`` (and to
        ``scipy.signal.convolve``) on the whole array. A filtered axis keeps
        ``x``'s chunks, the first and last chunk growing or shrinking by the
        pad the mode implies.

    Raises
    ------
    FilterBankTypeError
        If ``x`` is not a Dask array.
    InputError
        For every argument `filterbank.convolve` refuses, before any graph is built.

    Examples
    --------
    >>> import dask.array as da, numpy as np, scipy.signal
    >>> x = np.random.default_rng(0).standard_normal(40)
    >>> y = convolve(da.from_array(x, chunks=8), np.ones(5) / 5, "same")
    >>> bool(np.allclose(y.compute(), scipy.signal.convolve(x, np.ones(5) / 5, "same")))
    True
    """
    return _halo_run(fb.convolve, x, kernel, mode, boundary, fillvalue, axes, flip=True, two_d=False)


def correlate(x: Any, kernel: Any, mode: str = "full", *, boundary: str = "fill", fillvalue: Any = 0,
              axes: int | tuple[int, ...] | None = None) -> Any:
    """`filterbank.correlate` on a Dask array (see `convolve`; the template is never flipped).

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> correlate(da.from_array(np.array([0.0, 1.0, 2.0, 0.0]), chunks=2), np.array([1.0, 2.0]), "valid").compute()
    array([2., 5., 2.])
    """
    return _halo_run(fb.correlate, x, kernel, mode, boundary, fillvalue, axes, flip=False, two_d=False)


def convolve2d(x: Any, kernel: Any, mode: str = "full", boundary: str = "fill", fillvalue: Any = 0, *,
               axes: tuple[int, int] | None = None) -> Any:
    """`filterbank.convolve2d` on a Dask array (``scipy.signal.convolve2d``'s rules).

    Examples
    --------
    >>> import dask.array as da, numpy as np, scipy.signal
    >>> img = np.arange(30.0).reshape(5, 6)
    >>> y = convolve2d(da.from_array(img, chunks=3), np.ones((2, 2)), "same", "symm")
    >>> bool(np.allclose(y.compute(), scipy.signal.convolve2d(img, np.ones((2, 2)), "same", "symm")))
    True
    """
    return _halo_run(fb.convolve2d, x, kernel, mode, boundary, fillvalue, axes, flip=True, two_d=True)


def correlate2d(x: Any, kernel: Any, mode: str = "full", boundary: str = "fill", fillvalue: Any = 0, *,
                axes: tuple[int, int] | None = None) -> Any:
    """`filterbank.correlate2d` on a Dask array (``scipy.signal.correlate2d``'s rules, ``same`` from ``K // 2``).

    Examples
    --------
    >>> import dask.array as da, numpy as np, scipy.signal
    >>> img = np.arange(30.0).reshape(5, 6)
    >>> y = correlate2d(da.from_array(img, chunks=3), np.ones((2, 3)), "same", "wrap")
    >>> bool(np.allclose(y.compute(), scipy.signal.correlate2d(img, np.ones((2, 3)), "same", "wrap")))
    True
    """
    return _halo_run(fb.correlate2d, x, kernel, mode, boundary, fillvalue, axes, flip=False, two_d=True)


def _halo_run(fn: Callable[..., Any], x: Any, kernel: Any, mode: str, boundary: str, fillvalue: Any,
              axes: Any, *, flip: bool, two_d: bool) -> Any:
    da = _require_dask(x)
    kernel = np.asarray(kernel)
    check_option("mode", mode, ("full", "same", "valid"))
    rule = _PAD_ALIASES_2D.get(boundary, boundary) if two_d else boundary
    check_option("boundary", rule, tuple(_PAD_MODES))
    faxes = _filtered_axes(x.ndim, kernel.ndim, axes, two_d)
    kwargs = {"boundary": boundary, "fillvalue": fillvalue}
    # a small probe on the real rank validates every argument and gives the dtype, before any graph exists
    probe_shape = [1] * x.ndim
    for ax, k in zip(faxes, kernel.shape):
        probe_shape[ax] = x.shape[ax] if x.shape[ax] <= 2 * k else 2 * k
    call = (lambda b, m: fn(b, kernel, m, **kwargs, axes=faxes)) if (axes is not None or two_d and x.ndim > 2) else (
        lambda b, m: fn(b, kernel, m, **kwargs))
    probe = call(np.zeros(probe_shape, x.dtype), mode)
    out_dtype = np.asarray(probe).dtype
    swapped = mode == "valid" and any(x.shape[a] < k for a, k in zip(faxes, kernel.shape))
    if swapped or all(len(x.chunks[a]) == 1 for a in faxes):  # nothing to exchange: one task per batch block
        joined = x.rechunk({a: -1 for a in faxes})
        return joined.map_blocks(lambda b: call(b, mode), dtype=out_dtype, chunks=_valid_chunks(joined, faxes, kernel, mode, swapped))
    pads = []
    for a, k in zip(faxes, kernel.shape):
        if mode == "full":
            pads.append((k - 1, k - 1))
        elif mode == "same":
            left = (k - 1) // 2 if two_d and not flip else k // 2
            pads.append((left, k - 1 - left))
        else:
            pads.append((0, 0))
    width = [(0, 0)] * x.ndim
    for a, p in zip(faxes, pads):
        width[a] = p
    pad_kwargs = {"constant_values": np.asarray(fillvalue).astype(out_dtype)[()]} if rule == "fill" else {}
    xp = da.pad(x.astype(out_dtype) if out_dtype.kind in "fc" else x, width, mode=_PAD_MODES[rule], **pad_kwargs)
    chunks = list(xp.chunks)
    for a, k, (left, right) in zip(faxes, kernel.shape, pads):
        chunks[a] = _merge_small(_absorb_pads(x.chunks[a], left, right), k)
    xp = xp.rechunk(tuple(chunks))
    out_chunks = list(xp.chunks)
    for a, k in zip(faxes, kernel.shape):
        out_chunks[a] = (*xp.chunks[a][:-1], xp.chunks[a][-1] - (k - 1))
    depth = {a: (0, k - 1) for a, k in zip(faxes, kernel.shape)}
    return da.map_overlap(lambda b: call(b, "valid"), xp, depth=depth, boundary="none", trim=False, dtype=out_dtype, chunks=tuple(out_chunks))


def _filtered_axes(ndim: int, krank: int, axes: Any, two_d: bool) -> tuple[int, ...]:
    if axes is None:
        if two_d:
            return (0, 1) if ndim == 2 else (-1, -1)  # the probe call raises fb's own rank error
        if krank != ndim:
            return tuple(range(krank))  # the probe call raises fb's own rank error
        return tuple(range(ndim))
    return normalize_axes(axes, ndim)


def _absorb_pads(chunks: tuple[int, ...], left: int, right: int) -> tuple[int, ...]:
    """The chunks of an axis after ``left``/``right`` pad samples join its first and last chunk."""
    out = list(chunks)
    out[0] += left
    out[-1] += right
    return tuple(out)


def _merge_small(chunks: tuple[int, ...], k: int) -> tuple[int, ...]:
    """Join neighbouring chunks until each holds at least ``k`` samples (a halo of ``k - 1`` must fit in one)."""
    out: list[int] = []
    for c in chunks:
        if out and out[-1] < k:
            out[-1] += c
        else:
            out.append(c)
    if len(out) > 1 and out[-1] < k:
        last = out.pop()
        out[-1] += last
    return tuple(out)


def _valid_chunks(joined: Any, faxes: tuple[int, ...], kernel: np.ndarray, mode: str, swapped: bool) -> tuple[tuple[int, ...], ...]:
    chunks = list(joined.chunks)
    for a, k in zip(faxes, kernel.shape):
        n = joined.shape[a]
        size = {"full": n + k - 1, "same": n, "valid": abs(n - k) + 1}[mode]
        chunks[a] = (size,)
    return tuple(chunks)


# --------------------------------------------------------------------------- batch axes stay chunked


def apply(fn: Callable[[np.ndarray], Any], x: Any, axes: int | Sequence[int], *, dtype: Any = None) -> Any:
    """Run a filterbank transform on every block of ``x``, with ``axes`` joined into one chunk.

    ``fn`` receives a numpy block whose transformed ``axes`` come *last*, in the
    order given, and returns an array or a nested list / tuple / dict of arrays
    (``wavedec``'s list, ``wavedec2``'s tuples, ``wavedecn``'s dicts), each of
    shape ``batch_block + tail``. The result has the same structure, each leaf a
    Dask array with ``axes`` back in their places; nothing is computed, and a
    task computes all the leaves of its block at once.

    Parameters
    ----------
    fn : callable
        ``block -> arrays``, e.g. ``lambda b: fb.wavedec(b, "db4", level=3)``.
    x : dask.array.Array
        Input; its batch axes (all but ``axes``) may be chunked in any way.
    axes : int or sequence of int
        Axes ``fn`` transforms; each is joined into one chunk.
    dtype : dtype, optional
        Unused (the dtypes come from a probe call on a one-row block); kept for
        the ``map_blocks`` habit.

    Returns
    -------
    Same structure as ``fn``'s result, with Dask arrays as leaves.

    Examples
    --------
    >>> import dask.array as da, numpy as np, pywt
    >>> x = np.random.default_rng(1).standard_normal((6, 64))
    >>> cA, cD = apply(lambda b: fb.dwt(b, "db2"), da.from_array(x, chunks=(2, 64)), -1)
    >>> cA.chunks
    ((2, 2, 2), (33,))
    >>> bool(np.allclose(cD.compute(), pywt.dwt(x, "db2")[1]))
    True
    """
    da = _require_dask(x)
    axes_t = normalize_axes(axes if not isinstance(axes, int) else (axes,), x.ndim)
    batch = [a for a in range(x.ndim) if a not in axes_t]
    joined = x.rechunk({a: -1 for a in axes_t})
    moved = da.moveaxis(joined, axes_t, tuple(range(x.ndim - len(axes_t), x.ndim)))
    tail_in = tuple(x.shape[a] for a in axes_t)
    probe = fn(np.zeros((1,) * len(batch) + tail_in, x.dtype))
    leaves, rebuild = _flatten(probe)
    tails = [np.asarray(leaf).shape[len(batch):] for leaf in leaves]
    sizes = [math.prod(t) for t in tails]
    dtype_out = np.result_type(*[np.asarray(leaf).dtype for leaf in leaves])

    def packed(block: np.ndarray) -> np.ndarray:
        out, _ = _flatten(fn(block))
        lead = block.shape[: len(batch)]
        return np.concatenate([np.asarray(o, dtype_out).reshape(lead + (-1,)) for o in out], axis=-1)

    flat = moved.map_blocks(packed, dtype=dtype_out, chunks=moved.chunks[: len(batch)] + ((sum(sizes),),),
                            drop_axis=list(range(len(batch) + 1, moved.ndim)) if len(axes_t) > 1 else None)
    outs, start = [], 0
    for leaf, tail, size in zip(leaves, tails, sizes):
        piece = flat[..., start:start + size].reshape(flat.shape[:-1] + tail).astype(np.asarray(leaf).dtype)
        start += size
        outs.append(da.moveaxis(piece, tuple(range(len(batch), len(batch) + len(tail))), _restore(axes_t, batch, len(tail), x.ndim)))
    return rebuild(outs)


def _restore(axes_t: tuple[int, ...], batch: list[int], ntail: int, ndim: int) -> tuple[int, ...]:
    """Where the transformed axes go back to (only when the leaf keeps their count; else they stay last)."""
    if ntail == len(axes_t):
        return axes_t
    return tuple(range(len(batch), len(batch) + ntail))


def _flatten(tree: Any) -> tuple[list[Any], Callable[[list[Any]], Any]]:
    """The array leaves of nested lists / tuples / dicts, and a function that rebuilds the nesting."""
    if isinstance(tree, dict):
        keys = list(tree)
        parts = [_flatten(tree[k]) for k in keys]
        return _join(parts, lambda vals: dict(zip(keys, vals)))
    if isinstance(tree, (list, tuple)) and not hasattr(tree, "_fields"):
        parts = [_flatten(t) for t in tree]
        kind = tuple if isinstance(tree, tuple) else list
        return _join(parts, kind)
    return [tree], lambda leaves: leaves[0]


def _join(parts: list[tuple[list[Any], Callable[[list[Any]], Any]]], make: Callable[[list[Any]], Any]) -> tuple[list[Any], Callable[[list[Any]], Any]]:
    counts = [len(p[0]) for p in parts]

    def rebuild(leaves: list[Any]) -> Any:
        out, i = [], 0
        for (_, sub), n in zip(parts, counts):
            out.append(sub(leaves[i:i + n]))
            i += n
        return make(out)

    return [leaf for p in parts for leaf in p[0]], rebuild


def wavedec(x: Any, wavelet: Any, mode: Mode = "symmetric", level: int | None = None, *, axis: int = -1) -> list[Any]:
    """`filterbank.wavedec` of a Dask array along one axis; the batch axes stay chunked.

    Returns ``[cA_n, cD_n, ..., cD_1]`` as Dask arrays, PyWavelets' layout.

    Examples
    --------
    >>> import dask.array as da, numpy as np, pywt
    >>> x = np.random.default_rng(2).standard_normal((8, 100))
    >>> coeffs = wavedec(da.from_array(x, chunks=(4, 50)), "db2", level=2)
    >>> [c.shape for c in coeffs]
    [(8, 27), (8, 27), (8, 51)]
    >>> bool(np.allclose(coeffs[0].compute(), pywt.wavedec(x, "db2", level=2)[0]))
    True
    """
    return list(apply(lambda b: list(fb.wavedec(b, wavelet, mode, level, axis=-1)), x, axis))


def wavedec2(x: Any, wavelet: Any, mode: Mode = "symmetric", level: int | None = None, *, axes: Sequence[int] = (-2, -1)) -> list[Any]:
    """`filterbank.wavedec2` of a Dask array (``[cA_n, (cH_n, cV_n, cD_n), ...]``); the batch axes stay chunked.

    Examples
    --------
    >>> import dask.array as da, numpy as np, pywt
    >>> x = np.random.default_rng(3).standard_normal((4, 32, 32))
    >>> coeffs = wavedec2(da.from_array(x, chunks=(1, 16, 16)), "haar", level=2)
    >>> coeffs[1][2].shape
    (4, 8, 8)
    >>> bool(np.allclose(coeffs[1][2].compute(), pywt.wavedec2(x, "haar", level=2)[1][2]))
    True
    """
    return list(apply(lambda b: list(fb.wavedec2(b, wavelet, mode, level, axes=(-2, -1))), x, tuple(axes)))


def wavedecn(x: Any, wavelet: Any, mode: Mode = "symmetric", level: int | None = None, *, axes: Sequence[int] | None = None) -> list[Any]:
    """`filterbank.wavedecn` of a Dask array (``[cA_n, {'ad': ..., ...}, ...]``); the other axes stay chunked.

    Examples
    --------
    >>> import dask.array as da, numpy as np, pywt
    >>> x = np.random.default_rng(4).standard_normal((2, 8, 8, 8))
    >>> coeffs = wavedecn(da.from_array(x, chunks=1), "haar", level=1, axes=(1, 2, 3))
    >>> sorted(coeffs[1])[:3], coeffs[1]["dda"].shape
    (['aad', 'ada', 'add'], (2, 4, 4, 4))
    """
    axes_t = tuple(range(x.ndim)) if axes is None else tuple(axes)
    k = len(axes_t)
    return list(apply(lambda b: list(fb.wavedecn(b, wavelet, mode, level, axes=tuple(range(-k, 0)))), x, axes_t))


def wpdec(x: Any, wavelet: Any, level: int, mode: Mode = "symmetric", *, order: Literal["natural", "freq"] = "freq", axis: int = -1) -> Any:
    """`filterbank.wpdec` of a Dask array: the nodes stacked on a new axis before the transformed one.

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> x = np.random.default_rng(5).standard_normal((6, 64))
    >>> y = wpdec(da.from_array(x, chunks=(2, 64)), "db2", 2)
    >>> y.shape, y.chunks[0]
    ((6, 4, 18), (2, 2, 2))
    >>> bool(np.allclose(y.compute(), fb.wpdec(x, "db2", 2)))
    True
    """
    da = _require_dask(x)
    ax = normalize_axes((axis,), x.ndim)[0]
    nodes = apply(lambda b: fb.wpdec(b, wavelet, level, mode, order=order, axis=-1), da.moveaxis(x, ax, -1), -1)
    # apply put the two trailing axes (nodes, samples) last; move them back where axis was
    return da.moveaxis(nodes, (-2, -1), (ax, ax + 1))


def cwt(x: Any, scales: Any, wavelet: Any, sampling_period: float = 1.0, method: Literal["conv", "fft"] = "conv", axis: int = -1, *,
        precision: int = 12, hop: int = 1) -> tuple[Any, np.ndarray]:
    """`filterbank.cwt` of a Dask array: ``(coefs, frequencies)``, ``coefs`` lazy, scales first as in PyWavelets.

    Examples
    --------
    >>> import dask.array as da, numpy as np, pywt
    >>> x = np.random.default_rng(6).standard_normal((4, 128))
    >>> coefs, freqs = cwt(da.from_array(x, chunks=(2, 128)), np.arange(1, 5), "mexh")
    >>> coefs.shape, coefs.chunks[1]
    ((4, 4, 128), (2, 2))
    >>> bool(np.allclose(coefs.compute(), pywt.cwt(x, np.arange(1, 5), "mexh")[0]))
    True
    """
    da = _require_dask(x)
    ax = normalize_axes((axis,), x.ndim)[0]
    # pywt.cwt's frequencies, without transforming a whole row at graph-build time (apply's probe validates)
    freqs = np.asarray(fb.scale2frequency(wavelet, np.asarray(scales), precision=precision)) / sampling_period

    def block(b: np.ndarray) -> np.ndarray:
        coefs = np.asarray(fb.cwt(b, scales, wavelet, sampling_period, method, -1, precision=precision, hop=hop)[0])
        return np.moveaxis(coefs, 0, -2)  # (batch..., scales, time)

    out = apply(block, da.moveaxis(x, ax, -1), -1)
    out = da.moveaxis(out, -2, 0)  # scales first
    return da.moveaxis(out, -1, ax + 1), freqs


def swt(x: Any, wavelet: Any, level: int | None = None, *, start_level: int = 0, axis: int = -1,
        trim_approx: bool = False, norm: bool = False) -> list[Any]:
    """`filterbank.swt` of a Dask array, chunked along the transformed axis too.

    The SWT is a periodic, undecimated convolution, so each block reads a halo of
    ``(L - 1) (2**level - 1)`` samples (``L`` filter taps) from each neighbour,
    rounded up to a multiple of ``2**level``, wrapping around at the array's
    edges; chunks along ``axis`` are rounded to multiples of ``2**level``.

    Returns
    -------
    list
        PyWavelets' layout (``[(cA_n, cD_n), ..., (cA_1, cD_1)]``, or with
        ``trim_approx`` ``[cA_n, cD_n, ..., cD_1]``), each a Dask array with
        ``x``'s chunks.

    Examples
    --------
    >>> import dask.array as da, numpy as np, pywt
    >>> x = np.random.default_rng(7).standard_normal((3, 256))
    >>> coeffs = swt(da.from_array(x, chunks=(3, 64)), "db2", 2)
    >>> coeffs[0][1].chunks
    ((3,), (64, 64, 64, 64))
    >>> bool(np.allclose(coeffs[0][1].compute(), pywt.swt(x, "db2", 2)[0][1]))
    True
    """
    da = _require_dask(x)
    ax = normalize_axes((axis,), x.ndim)[0]
    n = x.shape[ax]
    # the whole-array call on a probe of the real length validates every argument
    probe = fb.swt(np.zeros(n, x.dtype), wavelet, level, start_level=start_level, trim_approx=trim_approx, norm=norm)
    leaves, rebuild = _flatten(probe)
    depth_levels = len(leaves) // (1 if trim_approx else 2) - (1 if trim_approx else 0)
    step = 2 ** (start_level + depth_levels)
    taps = len(fb.as_filterbank(wavelet).dec_lo)
    reach = (taps - 1) * (2 ** (start_level + depth_levels) - 1)
    halo = -(-reach // step) * step
    chunk = max(step, -(-max(x.chunks[ax]) // step) * step)
    if halo >= n or chunk >= n:  # one block holds everything: no exchange to do
        return rebuild(_flatten(apply(lambda b: fb.swt(b, wavelet, level, start_level=start_level, axis=-1,
                                                        trim_approx=trim_approx, norm=norm), x, ax))[0])
    # chunk edges on multiples of 2**level (n is one: the SWT requires it), each chunk at least a halo long
    sizes = _merge_small((chunk,) * (n // chunk) + ((n % chunk,) if n % chunk else ()), max(halo, step))
    xr = x.rechunk({ax: sizes})
    nleaves = len(leaves)

    def block(b: np.ndarray) -> np.ndarray:
        out, _ = _flatten(fb.swt(b, wavelet, level, start_level=start_level, axis=ax, trim_approx=trim_approx, norm=norm))
        return np.stack([np.asarray(o) for o in out])

    over = da.overlap.overlap(xr, depth={ax: halo}, boundary={ax: "periodic"})
    out_dtype = np.asarray(leaves[0]).dtype
    stacked = over.map_blocks(block, dtype=out_dtype, new_axis=0, chunks=((nleaves,), *over.chunks))
    trimmed = da.overlap.trim_internal(stacked, {ax + 1: halo}, boundary={ax + 1: "periodic"})
    return rebuild([trimmed[i] for i in range(nleaves)])
