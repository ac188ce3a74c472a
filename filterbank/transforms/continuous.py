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
ops (traced into the caller's ``tf.function``, XLA included), so a GPU tensor
stays on the GPU. An eager tensor on a machine without a GPU takes the numpy
run for ``method="fft"`` (about twice as fast as TensorFlow's CPU FFT),
written straight into a fresh tensor; its gradient is the TensorFlow run's.
Memory on numpy: the output, the data's spectrum, the scales' (cached)
spectra and a 2 MiB block per thread; on TensorFlow: the output plus one
chunk of scales, at most a quarter of the output (at least 32 MiB).
"""

from __future__ import annotations

import math
from typing import Any, Literal, NamedTuple

import numpy as np

from filterbank.backend.convert import is_tensor
from filterbank.design.continuous import as_continuous_wavelet
from filterbank.design.scales import scale2frequency
from filterbank.plans.continuous import kernels
from filterbank.errors import FilterBankTypeError, InputError, check_option

__all__ = ["CWTResult", "cwt"]

Method = Literal["conv", "fft"]


class CWTResult(NamedTuple):
    """What `cwt` returns: unpacks as ``coefs, frequencies`` like ``pywt.cwt``."""

    coefs: Any
    """``(len(scales),) + data.shape`` (time axis ``ceil(n / hop)`` long); numpy or tf.Tensor as the data."""
    frequencies: np.ndarray
    """``scale2frequency(wavelet, scales) / sampling_period`` (Hz for a period in seconds)."""


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
        ``"auto"``: numpy for numpy input, TensorFlow for tensors (an eager
        tensor with ``method="fft"`` and no GPU computes on numpy, returns a
        tensor and differentiates like the TensorFlow run);
        ``"numpy"``: numpy / scipy.fft only (numpy input; a tensor is refused);
        ``"tensorflow"``: always TensorFlow ops.

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
    if tensor and executor == "numpy":
        raise InputError("executor='numpy' runs on numpy arrays only; got a tf.Tensor (use 'auto' or 'tensorflow')")
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
    kern = kernels(w, s, precision, real)
    freqs = np.asarray(scale2frequency(w, s.astype(np.float64), precision=precision), dtype=np.float64)
    freqs = freqs / sampling_period
    cplx_out = kern.complex or cplx_in
    if tensor and executor == "auto":
        from filterbank.backend.cwt import eager_numpy, run_eager, run_tf

        if eager_numpy(data, method):
            coefs = run_eager(data, axis, n, kern, hop, real, cplx_out)
        else:
            coefs = run_tf(data, axis, n, kern, method, hop, real, cplx_out)
    elif tensor or executor == "tensorflow":
        from filterbank.backend.cwt import run_tf

        coefs = run_tf(data, axis, n, kern, method, hop, real, cplx_out)
    else:
        from filterbank.backend.cwt import run_numpy

        coefs = run_numpy(data, axis, n, kern, method, hop, real, cplx_out)
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
