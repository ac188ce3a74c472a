"""The CWT's runs: numpy / scipy.fft for arrays; on TensorFlow, ``tf.nn.conv1d`` or one FFT for all scales.

The TensorFlow run uses reversed kernels (``tf.nn.conv1d`` correlates). It is traced inline into a caller's ``tf.function`` (XLA included) and
differentiable; the batch size may be unknown. Only `filterbank.cwt` calls it,
after every check.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from filterbank.backend._tf import tf
from filterbank.backend.convert import fresh_array
from filterbank.plans.continuous import Kernels, cached_spectra, chunk_size, fft_length, for_length

__all__ = ["eager_numpy", "run_eager", "run_numpy", "run_tf"]


def run_tf(data: Any, axis: int, n: int, kern: Kernels, method: str, hop: int,
           real: np.dtype, cplx_out: bool) -> Any:
    """``coefs`` of shape ``(scales,) + data.shape`` (time ``ceil(n / hop)``), as a tensor."""
    TF = tf()
    x = TF.convert_to_tensor(data)
    ndim = len(x.shape)
    perm = [a for a in range(ndim) if a != axis] + [axis]
    x = TF.transpose(x, perm) if axis != ndim - 1 else x
    batch = TF.shape(x)[:-1]
    rows = TF.reshape(x, [-1, n])
    n_out = -(-n // hop)
    kern = for_length(kern, n)
    if method == "fft":
        y = _fft(TF, rows, n, kern, hop, real, cplx_out, n_out)
    else:
        y = _conv(TF, rows, n, kern, hop, real, cplx_out, n_out)
    y = TF.reshape(y, TF.concat([[len(kern.filters)], batch, [n_out]], axis=0))
    if axis != ndim - 1:  # put time back where it was (scales stay first)
        back = [0] + [1 + perm.index(a) for a in range(ndim)]
        y = TF.transpose(y, back)
    return y


def _fft(TF: Any, rows: Any, n: int, kern: Kernels, hop: int, real: np.dtype, cplx_out: bool, n_out: int) -> Any:
    cdt = TF.complex64 if real == np.float32 else TF.complex128
    length = fft_length(n, kern, hop)
    if rows.dtype.is_complex:
        z = rows
    else:
        z = TF.complex(rows, TF.zeros_like(rows))
    X = TF.signal.fft(TF.pad(z, [[0, 0], [0, length - n]]))
    count = len(kern.filters)
    rows_static = rows.shape[0] or 64
    step = chunk_size(count, rows_static, length, 8 if real == np.float32 else 16,
                      count * rows_static * n_out * (8 if real == np.float32 else 16))
    parts = []
    for lo in range(0, count, step):
        idx = np.arange(lo, min(lo + step, count))
        H = TF.constant(cached_spectra(kern, length, np.dtype(np.complex128), False)[idx], dtype=cdt)
        Y = X[None] * H[:, None]
        if hop > 1:
            Y = TF.reduce_sum(TF.reshape(Y, TF.concat([TF.shape(Y)[:-1], [hop, length // hop]], 0)), axis=-2)
            Y = Y / TF.cast(hop, cdt)
        y = TF.signal.ifft(Y)[..., :n_out]
        parts.append(y if cplx_out else TF.math.real(y))
    return parts[0] if len(parts) == 1 else TF.concat(parts, axis=0)


def _buckets(kern: Kernels) -> list[np.ndarray]:
    """Scale indices grouped by kernel length (within a factor 2), so a group shares one conv1d."""
    lengths = np.array([len(f) for f in kern.filters])
    groups: dict[int, list[int]] = {}
    for i in np.argsort(lengths, kind="stable"):
        groups.setdefault(int(np.log2(lengths[i])), []).append(int(i))
    return [np.array(g) for g in groups.values()]


def _correlation_kernel(kern: Kernels, idx: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Reversed, aligned kernels ``w[u, 0, j] = h_j[c_j - u - lo]`` for ``tf.nn.conv1d`` and the pads (left, right).

    ``conv1d`` correlates: ``out[n] = sum_u x_pad[n + u] w[u]``; with ``x_pad[m] = x[m + lo]``
    that is ``sum_t x[n + t] h[c - t]``, the true convolution sample ``(x * h)[n + c]``.
    """
    lo = min(kern.centres[i] - len(kern.filters[i]) + 1 for i in idx)
    hi = max(kern.centres[i] for i in idx)
    width = hi - lo + 1
    dtype = np.complex128 if kern.complex else np.float64
    w = np.zeros((width, len(idx)), dtype=dtype)
    for j, i in enumerate(idx):
        h, c = kern.filters[i], kern.centres[i]
        t = np.arange(c - len(h) + 1, c + 1)        # offsets that h reaches
        w[t - lo, j] = h[c - t]                     # the flip: tf.nn.conv1d does not
    return w, -lo, hi


def _conv(TF: Any, rows: Any, n: int, kern: Kernels, hop: int, real: np.dtype, cplx_out: bool, n_out: int) -> Any:
    rdt = TF.float32 if real == np.float32 else TF.float64
    if rows.dtype.is_complex:
        parts_in = [TF.math.real(rows), TF.math.imag(rows)]
    else:
        parts_in = [rows]
    outs: list[Any] = [None] * len(kern.filters)
    for idx in _buckets(kern):
        w, left, right = _correlation_kernel(kern, idx)
        filt = np.concatenate([w.real, w.imag], axis=1) if kern.complex else w.real
        filt_t = TF.constant(filt[:, None, :], dtype=rdt)
        res = []
        for p in parts_in:
            xp = TF.pad(p, [[0, 0], [left, right]])[..., None]
            r = TF.nn.conv1d(xp, filt_t, stride=hop, padding="VALID")   # (rows, n_out, channels)
            res.append(TF.transpose(r, [2, 0, 1]))                          # (channels, rows, n_out)
        m = len(idx)
        if kern.complex:
            re = [r[:m] for r in res]
            im = [r[m:] for r in res]
            if len(res) == 1:
                y = TF.complex(re[0], im[0])
            else:  # (a + ib)(c + id)
                y = TF.complex(re[0] - im[1], im[0] + re[1])
        elif len(res) == 2:
            y = TF.complex(res[0], res[1])
        else:
            y = res[0]
        if cplx_out and not y.dtype.is_complex:
            y = TF.complex(y, TF.zeros_like(y))
        for j, i in enumerate(idx):
            outs[i] = y[j]
    return TF.stack(outs, axis=0)


def run_numpy(data: np.ndarray, axis: int, n: int, kern: Kernels, method: str, hop: int,
               real: np.dtype, cplx_out: bool) -> np.ndarray:
    kern = for_length(kern, n)
    moved = np.moveaxis(data, axis, -1)
    batch = moved.shape[:-1]
    rows = moved.reshape(-1, n)
    n_out = -(-n // hop)
    out_dtype = np.result_type(real, np.complex64) if cplx_out else real
    out = fresh_array((len(kern.filters), rows.shape[0], n_out), out_dtype)
    _fill_numpy(rows, n, kern, method, hop, real, cplx_out, out)
    out = out.reshape((len(kern.filters), *batch, n_out))
    return np.moveaxis(out, -1, axis + 1)


def eager_numpy(data: Any, method: str) -> bool:
    """Whether a tensor's ``method="fft"`` runs on numpy / scipy.fft (`run_eager`) instead of TensorFlow ops.

    Eagerly, with no GPU (so TensorFlow would run the ops on the CPU too) and
    data in memory: the numpy run is about twice as fast as ``tf.signal`` on
    CPU, and its output is written straight into the returned tensor's memory.
    Inside a ``tf.function`` (XLA included) the TensorFlow run is traced, as before.
    """
    if method != "fft":
        return False
    TF = tf()
    return bool(TF.executing_eagerly() and not TF.config.list_logical_devices("GPU")
                and all(d not in (0, None) for d in data.shape))


def run_eager(data: Any, axis: int, n: int, kern: Kernels, hop: int, real: np.dtype, cplx_out: bool) -> Any:
    """`run_tf`'s result (``method="fft"``) for an eager tensor on the CPU, computed by the numpy run.

    The coefficients are written into a fresh tensor of TensorFlow's (BFC,
    pooled) allocator, so nothing is copied out and a repeated call reuses
    memory the kernel has already faulted in. The gradient is `run_tf`'s
    (``tf.custom_gradient``: the backward pass traces the TensorFlow run),
    so tapes see the same derivative as on every other path.
    """
    from filterbank.backend.convert import pooled_tensor

    TF = tf()
    x = TF.convert_to_tensor(data)  # a tf.Variable is read here, on the tape, outside the custom gradient
    cut = for_length(kern, n)
    n_out = -(-n // hop)
    ndim = len(x.shape)
    perm = [a for a in range(ndim) if a != axis] + [axis]

    @TF.custom_gradient
    def cwt_numpy(t: Any) -> Any:
        moved = np.moveaxis(np.asarray(t), axis, -1)  # a view: the numpy run only reads it
        batch = moved.shape[:-1]
        rows = moved.reshape(-1, n)
        dtype = np.result_type(real, np.complex64) if cplx_out else real
        y, out = pooled_tensor((len(cut.filters), rows.shape[0], n_out), dtype)
        _fill_numpy(rows, n, cut, "fft", hop, real, cplx_out, out)
        y = TF.reshape(y, [len(cut.filters), *batch, n_out])
        if axis != ndim - 1:  # put time back where it was (scales stay first)
            y = TF.transpose(y, [0] + [1 + perm.index(a) for a in range(ndim)])

        def grad(dy: Any) -> Any:
            with TF.GradientTape() as tape:
                tape.watch(t)
                z = run_tf(t, axis, n, kern, "fft", hop, real, cplx_out)
            return tape.gradient(z, t, output_gradients=dy)

        return y, grad

    return cwt_numpy(x)


def _fill_numpy(rows: np.ndarray, n: int, kern: Kernels, method: str, hop: int, real: np.dtype, cplx_out: bool,
                out: np.ndarray) -> None:
    """``out[s, r]``: the coefficients of scale ``s`` on row ``r`` (``kern`` cut by `for_length`)."""
    if method == "conv":
        for i, (f, c) in enumerate(zip(kern.filters, kern.centres)):
            h = f.astype(np.result_type(real, f.dtype))
            for r in range(rows.shape[0]):
                full = np.convolve(rows[r], h)
                y = full[c:c + n:hop]
                out[i, r] = y if cplx_out else y.real
    else:
        _fft_numpy(rows, n, kern, hop, real, cplx_out, out)


#: Bytes of one block of products: small enough to stay in the CPU's cache through multiply, inverse FFT and copy.
_BLOCK_BYTES = 2 << 20
#: Rows per SIMD batch of pocketfft (scipy.fft): it transforms 8 complex64 or 4 complex128 rows at once, and
#: about three times slower per row when a batch is not a multiple of that (measured: 310 against 930 us a row).
_VECTOR = {8: 8, 16: 4}


def _fft_numpy(rows: np.ndarray, n: int, kern: Kernels, hop: int, real: np.dtype, cplx_out: bool,
               out: np.ndarray) -> None:
    """``out[s, r] = ifft(fft(rows[r]) * H_s)[:n_out]``, a block of rows at a time for every scale.

    The data's spectrum is computed once. For each block of rows (outer) and
    scale (inner), the product is written into one small buffer, inverted in
    place and copied out: the buffer stays in cache, so each coefficient costs
    one write to memory. Blocks are whole SIMD batches of pocketfft (one
    thread each: scipy's ``workers`` would split a batch and lose the SIMD
    vectors), spread over the CPUs the process may use.
    Real filters on real data take the half spectrum (``rfft`` / ``irfft``).
    """
    import scipy.fft

    length = fft_length(n, kern, hop)
    n_out = out.shape[-1]
    cdt = np.dtype(np.result_type(real, np.complex64))
    half = not cplx_out and hop == 1 and not np.iscomplexobj(rows)
    spec = cached_spectra(kern, length, cdt, half)
    if half:
        X = scipy.fft.rfft(rows, length, axis=-1, workers=-1)
    else:
        X = scipy.fft.fft(rows, length, axis=-1, workers=-1)
    width = X.shape[-1]
    vector = _VECTOR[cdt.itemsize]
    block = max(vector, _BLOCK_BYTES // (width * cdt.itemsize) // vector * vector)
    block = min(block, -(-rows.shape[0] // vector) * vector)
    count = rows.shape[0]
    if count % block:  # whole SIMD batches: zero rows pad the last block
        X = np.concatenate([X, np.zeros((block - count % block, width), X.dtype)])
    X = X.astype(cdt, copy=False)

    def run(starts: range) -> None:
        buf = np.empty((block, width), dtype=cdt)
        for r0 in starts:
            r1 = min(count, r0 + block)
            Xb, Y = X[r0:r0 + block], buf
            for i in range(len(kern.filters)):
                np.multiply(Xb, spec[i], out=Y)
                if half:
                    out[i, r0:r1] = scipy.fft.irfft(Y, length, axis=-1)[: r1 - r0, :n_out]
                    continue
                Z = Y
                if hop > 1:
                    Z = Y.reshape(block, hop, length // hop).sum(axis=1)
                    Z /= hop
                y = scipy.fft.ifft(Z, axis=-1, overwrite_x=True)[: r1 - r0, :n_out]
                out[i, r0:r1] = y if cplx_out else y.real

    starts = range(0, count, block)
    threads = min(len(starts), _cpus())
    if threads <= 1:
        run(starts)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads) as pool:  # numpy and pocketfft release the GIL
        list(pool.map(run, [starts[k::threads] for k in range(threads)]))


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
