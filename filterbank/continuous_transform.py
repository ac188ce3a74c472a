"""The continuous wavelet transform (``pywt.cwt``) on numpy and TensorFlow, with batches.

How a scale becomes a kernel (PyWavelets' recipe, rewritten as one filter)::

    int_psi = cumsum(psi) * dx             psi sampled on 2**precision points, [lb, ub]
    k_s[m]  = int_psi[floor(m / (s dx))]   m = 0 .. floor(s (ub - lb)), then reversed
    h_s     = -sqrt(s) * diff([0, k_s, 0]) the derivative of the integral, length K + 1
    coefs_s = (data * h_s)[c : c + N]      true convolution, c = K // 2 ("same", centred)

``conj`` is applied to ``int_psi`` first for a complex wavelet. Folding the
difference into the kernel makes one linear filter per scale, so that

* ``method="conv"`` runs ``tf.nn.conv1d``, a *correlation*: the kernels are
  stored reversed (``w[u] = h[c - u - lo]``), scales of similar length share
  one call as output channels, ``hop`` is the stride;
* ``method="fft"`` transforms the data *once*, zero-padded to ``L >= N +
  max(K - c)`` (no circular wrap-around reaches the kept samples), multiplies
  by every scale's spectrum (pre-rotated by ``c`` so the kept samples start
  at 0) and inverts chunks of scales at a time; with ``hop`` the spectrum is
  folded ``hop`` times first, so the inverse FFT is ``hop`` times shorter.

numpy inputs run on numpy and scipy.fft (all cores); tensors run TensorFlow
ops (eager, or traced into the caller's ``tf.function``), so a GPU tensor
stays on the GPU. Memory: the output plus one chunk of scales, at most a
quarter of the output (at least 32 MiB).
"""

from __future__ import annotations

import math
from typing import Any, Literal, NamedTuple

import numpy as np

from filterbank.cache import named_cache
from filterbank.continuous import as_continuous_wavelet, integrate_wavelet, scale2frequency
from filterbank.errors import FilterBankTypeError, InputError, check_option

__all__ = ["CWTResult", "cwt"]

Method = Literal["conv", "fft"]

_KERNELS = named_cache("cwt kernels", max_entries=256, max_bytes=256 << 20)
_CHUNK_MIN = 32 << 20


class CWTResult(NamedTuple):
    """What `cwt` returns: unpacks as ``coefs, frequencies`` like ``pywt.cwt``."""

    coefs: Any
    """``(len(scales),) + data.shape`` (time axis ``ceil(n / hop)`` long); numpy or tf.Tensor as the data."""
    frequencies: np.ndarray
    """``scale2frequency(wavelet, scales) / sampling_period`` (Hz for a period in seconds)."""


class _Kernels(NamedTuple):
    """Per-scale filters ``h_s`` (complex128 or float64) and their centres ``c_s``."""

    filters: tuple[np.ndarray, ...]
    centres: tuple[int, ...]
    complex: bool


def cwt(data: Any, scales: Any, wavelet: Any, sampling_period: float = 1.0, method: Method = "conv",
        axis: int = -1, *, precision: int = 12, hop: int = 1,
        executor: Literal["auto", "numpy", "tensorflow"] = "auto") -> CWTResult:
    """Continuous wavelet transform, equal to ``pywt.cwt``.

    Parameters
    ----------
    data : array_like or tf.Tensor
        Real or complex signal(s); every axis but ``axis`` is a batch axis.
    scales : float or array_like
        Positive scales (see `cwt_scales` to build them from frequencies).
    wavelet : str, ContinuousWavelet or pywt.ContinuousWavelet
        ``morl``, ``mexh``, ``gausN``, ``cgauN``, ``shanB-C``, ``fbspM-B-C``,
        ``cmorB-C``.
    sampling_period : float, optional
        Only scales the returned frequencies (default 1).
    method : {"conv", "fft"}, optional
        Direct convolution (correctly flipped ``tf.nn.conv1d`` kernels) or
        one FFT of the data for all scales. Same numbers to rounding.
    axis : int, optional
        The time axis (default last); ignored for 1-D data, as in PyWavelets.
    precision : int, optional
        ``2**precision`` samples of the wavelet (default 12), 1 to 24.
    hop : int, optional
        Keep every ``hop``-th output sample (``coefs[..., ::hop]``, computed
        without the others). Default 1.
    executor : {"auto", "numpy", "tensorflow"}, optional
        ``"auto"``: numpy for numpy input, TensorFlow for tensors.

    Returns
    -------
    CWTResult
        ``(coefs, frequencies)``. ``coefs`` is complex for a complex wavelet
        or complex data, in the data's precision (float32 stays float32).

    Raises
    ------
    InputError
        Non-positive scales, a scale whose kernel would be one sample, a bad
        name, method, axis, precision or hop; before TensorFlow is loaded.

    Notes
    -----
    ``coefs[i] = -sqrt(s) d/dn (data * int_psi(n / s))`` for ``s =
    scales[i]``, sampled exactly as PyWavelets samples it; see the module
    notes for the kernel and its flip.

    Examples
    --------
    >>> import numpy as np, pywt
    >>> x = np.cos(2 * np.pi * 0.1 * np.arange(64))
    >>> coefs, freqs = cwt(x, [4.0, 8.0], "cmor1.5-1.0", method="fft")
    >>> coefs.shape, coefs.dtype, freqs
    ((2, 64), dtype('complex128'), array([0.25 , 0.125]))
    >>> ref, _ = pywt.cwt(x, [4.0, 8.0], "cmor1.5-1.0", method="fft")
    >>> bool(np.abs(coefs - ref).max() < 1e-12)
    True
    """
    from filterbank._tf import is_tensor

    w = as_continuous_wavelet(wavelet)
    tensor = is_tensor(data)
    method = check_option("method", method, ("conv", "fft"))
    executor = check_option("executor", executor, ("auto", "numpy", "tensorflow"))
    precision = _integer("precision", precision, 1, 24)
    hop = _integer("hop", hop, 1, None)
    if isinstance(sampling_period, bool) or not isinstance(sampling_period, (int, float, np.integer, np.floating)) \
            or not math.isfinite(sampling_period) or not sampling_period > 0:
        raise InputError(f"sampling_period must be a finite number > 0; got {sampling_period!r}")
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise InputError(f"axis must be an integer; got {axis!r}")
    s = np.atleast_1d(np.asarray(scales))
    if s.ndim != 1 or s.dtype.kind not in "iuf" or s.size == 0:
        raise InputError(f"scales must be a positive number or a 1-D sequence of them; got {scales!r}")
    if not np.all(np.isfinite(s)) or np.any(s <= 0):
        raise InputError(f"scales must only include finite positive values; got {scales!r}")
    if tensor:
        shape = tuple(data.shape)
        real, cplx_in = _tensor_dtype(data.dtype.name)
    else:
        if executor == "tensorflow":
            data = np.asarray(data)
        data, real, cplx_in = _numpy_data(data)
        shape = data.shape
    ndim = len(shape)
    if ndim == 0:
        raise InputError("data must have at least one axis (the time axis); got a scalar")
    if ndim == 1:
        axis = 0  # PyWavelets ignores axis for 1-D data (its own tests pass axis=1 with a 1-D signal)
    elif not -ndim <= axis < ndim:
        raise InputError(f"axis {axis} is out of range for data with {ndim} dimension(s) (valid: -{ndim} to {ndim - 1})")
    axis = int(axis) % ndim
    n = shape[axis]
    if n is None:
        raise InputError("data: the time axis must have a known length (inside tf.function give it a static size)")
    if n < 1:
        raise InputError(f"data: the time axis is empty; got shape {shape}")
    kern = _kernels(w, s, precision, real)
    freqs = np.asarray(scale2frequency(w, s.astype(np.float64), precision=precision), dtype=np.float64)
    freqs = freqs / sampling_period
    cplx_out = kern.complex or cplx_in
    if tensor or executor == "tensorflow":
        from filterbank._cwt_tf import run_tf

        coefs = run_tf(data, axis, n, kern, method, hop, real, cplx_out)
    else:
        if executor == "numpy" and tensor:
            raise InputError("executor='numpy' runs on numpy arrays only; got a tf.Tensor")
        coefs = _run_numpy(data, axis, n, kern, method, hop, real, cplx_out)
    return CWTResult(coefs, freqs)


def _integer(name: str, value: Any, lo: int, hi: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo or (hi and value > hi):
        rule = f"from {lo} to {hi}" if hi else f">= {lo}"
        raise InputError(f"{name} must be an integer {rule}; got {value!r}")
    return int(value)


def _numpy_data(data: Any) -> tuple[np.ndarray, np.dtype, bool]:
    """The data as an array of a computable dtype, its real precision and whether it is complex."""
    arr = np.asarray(data)
    kind = arr.dtype.kind
    if kind in "biu":
        arr = arr.astype(np.float64)
    elif kind == "f":
        arr = arr.astype(np.float32 if arr.dtype.itemsize <= 4 else np.float64, copy=False)
    elif kind == "c":
        arr = arr.astype(np.complex64 if arr.dtype.itemsize <= 8 else np.complex128, copy=False)
    else:
        raise FilterBankTypeError(f"data must be numeric (real or complex); got dtype {arr.dtype}")
    real = np.dtype(np.float32) if arr.dtype in (np.float32, np.complex64) else np.dtype(np.float64)
    return arr, real, kind == "c"


def _tensor_dtype(name: str) -> tuple[np.dtype, bool]:
    table = {"float32": (np.float32, False), "float64": (np.float64, False),
             "complex64": (np.float32, True), "complex128": (np.float64, True)}
    if name not in table:
        raise FilterBankTypeError(f"data must be a float32, float64, complex64 or complex128 tensor; got {name}")
    real, cplx = table[name]
    return np.dtype(real), cplx


def _kernels(w: Any, scales: np.ndarray, precision: int, real: np.dtype) -> _Kernels:
    """The filters ``h_s`` of every scale (cached by wavelet, scales, precision and precision of the data)."""
    key = (tuple(sorted(w.to_dict().items())), scales.dtype.str, scales.tobytes(), precision, real.str)
    return _KERNELS.get_or_create(key, lambda: _make_kernels(w, scales, precision, real),
                                  nbytes=lambda k: sum(f.nbytes for f in k.filters))


def _make_kernels(w: Any, scales: np.ndarray, precision: int, real: np.dtype) -> _Kernels:
    int_psi, x = integrate_wavelet(w, precision=precision)
    if w.complex_cwt:
        int_psi = np.conj(int_psi)
    # the sampling grid in the data's precision, as PyWavelets indexes it
    xr = x.astype(real)
    step, width = xr[1] - xr[0], xr[-1] - xr[0]
    filters, centres = [], []
    for s in scales:
        j = (np.arange(s * width + 1) / (s * step)).astype(int)
        j = j[j < int_psi.size]
        k = int_psi[j][::-1]
        if k.size < 2:
            raise InputError(f"scales: scale {float(s):g} is too small for {w.name!r} at precision {precision} "
                             f"(its kernel would be 1 sample; use scales >= {1 / float(width):.3g})")
        h = np.zeros(k.size + 1, dtype=k.dtype)
        h[:-1] = k
        h[1:] -= k
        filters.append(-np.sqrt(s) * h)
        centres.append(k.size // 2)
    for f in filters:
        f.flags.writeable = False
    return _Kernels(tuple(filters), tuple(centres), bool(w.complex_cwt))


def for_length(kern: _Kernels, n: int) -> _Kernels:
    """The kernels cut to the taps that reach the ``n`` kept samples (``h[c - n + 1 : c + n]``)."""
    filters, centres = [], []
    for f, c in zip(kern.filters, kern.centres):
        a, b = max(0, c - n + 1), min(len(f), c + n)
        filters.append(f[a:b])
        centres.append(c - a)
    return _Kernels(tuple(filters), tuple(centres), kern.complex)


def fft_length(n: int, kern: _Kernels, hop: int) -> int:
    """The FFT size: a fast size, a multiple of ``hop``, with no wrap-around into the kept samples.

    ``kern`` is cut by `for_length` first, so every filter is shorter than the size.
    """
    import scipy.fft

    need = n + max(len(f) - c for f, c in zip(kern.filters, kern.centres))
    return hop * scipy.fft.next_fast_len(-(-need // hop))


def spectra(kern: _Kernels, length: int, index: np.ndarray) -> np.ndarray:
    """Spectra of the filters ``index``, rotated so that sample ``c_s`` of the convolution lands at 0."""
    out = np.zeros((len(index), length), dtype=np.complex128)
    for row, i in enumerate(index):
        f, c = kern.filters[i], kern.centres[i]
        out[row, :len(f)] = f
        out[row] = np.roll(out[row], -c)
    return np.fft.fft(out, axis=-1)


def chunk_size(n_scales: int, rows: int, length: int, itemsize: int, out_bytes: int) -> int:
    """Scales per chunk: the chunk's spectra products stay under a quarter of the output (>= 32 MiB)."""
    budget = max(_CHUNK_MIN, out_bytes // 4)
    return max(1, min(n_scales, budget // max(1, 2 * rows * length * itemsize)))


def _run_numpy(data: np.ndarray, axis: int, n: int, kern: _Kernels, method: str, hop: int,
               real: np.dtype, cplx_out: bool) -> np.ndarray:
    import scipy.fft

    kern = for_length(kern, n)
    moved = np.moveaxis(data, axis, -1)
    batch = moved.shape[:-1]
    rows = moved.reshape(-1, n)
    n_out = -(-n // hop)
    out_dtype = np.result_type(real, np.complex64) if cplx_out else real
    out = np.empty((len(kern.filters), rows.shape[0], n_out), dtype=out_dtype)
    if method == "conv":
        for i, (f, c) in enumerate(zip(kern.filters, kern.centres)):
            h = f.astype(np.result_type(real, f.dtype))
            for r in range(rows.shape[0]):
                full = np.convolve(rows[r], h)
                y = full[c:c + n:hop]
                out[i, r] = y if cplx_out else y.real
    else:
        length = fft_length(n, kern, hop)
        cdt = np.result_type(real, np.complex64)
        X = scipy.fft.fft(rows, length, axis=-1, workers=-1).astype(cdt, copy=False)
        step = chunk_size(len(kern.filters), rows.shape[0], length, np.dtype(cdt).itemsize, out.nbytes)
        work = np.empty((step, rows.shape[0], length), dtype=cdt)  # one buffer for every chunk: no new pages
        for lo in range(0, len(kern.filters), step):
            idx = np.arange(lo, min(lo + step, len(kern.filters)))
            Y = np.multiply(X[None], spectra(kern, length, idx).astype(cdt)[:, None], out=work[:len(idx)])
            if hop > 1:
                Y = Y.reshape(*Y.shape[:-1], hop, length // hop).sum(axis=-2) / hop
            y = scipy.fft.ifft(Y, axis=-1, workers=-1, overwrite_x=True)[..., :n_out]
            out[lo:lo + len(idx)] = y if cplx_out else y.real
    out = out.reshape((len(kern.filters), *batch, n_out))
    return np.moveaxis(out, -1, axis + 1)
