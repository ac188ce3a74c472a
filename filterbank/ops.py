"""True convolution and correlation on TensorFlow, equal to scipy.signal.

``tf.nn.conv*`` computes a cross-correlation: it slides the kernel over the
input *without* flipping it. :func:`convolve` flips the kernel on every
filtered axis before handing it to TensorFlow, :func:`correlate` does not
(and conjugates complex kernels, as scipy does)::

    convolve(x, k)[n]  = sum_j x[n - j] k[j]          (scipy.signal.convolve)
    correlate(x, k)[n] = sum_j x[n + j] conj(k[j])    (scipy.signal.correlate)
    tf.nn.conv1d(x, k) = sum_j x[n + j] k[j]          (a correlation!)

How the output is laid out (``N`` input and ``K`` kernel samples on an axis)::

    full   length N + K - 1, every lag with any overlap
    same   length N, the full result cropped from index (K - 1) // 2
    valid  length |N - K| + 1, the lags where one fully covers the other

Outside the input, samples come from the ``boundary`` rule (scipy's
``convolve2d`` names, applied per axis in any rank)::

    fill   fillvalue fillvalue | x1 x2 ... xn | fillvalue fillvalue   (valid: never used)
    wrap   x(n-1) xn           | x1 x2 ... xn | x1 x2
    symm   x2 x1               | x1 x2 ... xn | xn x(n-1)

Only this module and :mod:`filterbank.transform` touch TensorFlow, which is
imported on first use.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import numpy as np

from filterbank import _tf
from filterbank.dtypes import EXTENDED, compute_dtype, numpy_compute_dtype
from filterbank.errors import (
    FilterBankTypeError,
    InputError,
    check_option,
    normalize_axes,
)
from filterbank.modes import index_map

__all__ = ["BOUNDARIES", "CONV_MODES", "convolve", "correlate", "output_window"]

ConvMode = Literal["full", "same", "valid"]
Boundary = Literal["fill", "wrap", "symm"]

#: Output sizes accepted by :func:`convolve` and :func:`correlate`.
CONV_MODES: tuple[str, ...] = ("full", "same", "valid")
#: Boundary rules accepted by :func:`convolve` and :func:`correlate`.
BOUNDARIES: tuple[str, ...] = ("fill", "wrap", "symm")

_BOUNDARY_TO_MODE = {"wrap": "periodic", "symm": "symmetric"}
_MAX_RANK = 3


class Window(NamedTuple):
    """Where one axis of the output sits inside the full convolution."""

    start: int
    length: int


def output_window(n: int, k: int, mode: str) -> Window:
    """Start and length of an output axis within the full convolution.

    Parameters
    ----------
    n, k : int
        Input and kernel lengths on the axis (both >= 1).
    mode : {'full', 'same', 'valid'}
        Output size rule.

    Returns
    -------
    Window
        ``start`` index into the full result (length ``n + k - 1``) and ``length``.

    Examples
    --------
    >>> output_window(10, 4, "same")
    Window(start=1, length=10)
    >>> output_window(3, 7, "valid")
    Window(start=2, length=5)
    """
    if mode == "full":
        return Window(0, n + k - 1)
    if mode == "same":
        return Window((k - 1) // 2, n)
    return Window(min(n, k) - 1, abs(n - k) + 1)


def convolve(
    x: Any,
    kernel: Any,
    mode: ConvMode = "full",
    *,
    boundary: Boundary = "fill",
    fillvalue: float = 0.0,
    axes: int | tuple[int, ...] | None = None,
    channels: bool = False,
) -> Any:
    """True convolution computed with TensorFlow, equal to ``scipy.signal.convolve``.

    Parameters
    ----------
    x : array_like or tf.Tensor
        Input. Its floating dtype is kept (float16/bfloat16 are computed in
        float32 and returned in their dtype; integers become float64).
    kernel : array_like or tf.Tensor
        Filter taps, in the signal-processing orientation (as designed by
        ``scipy.signal.firwin`` or found in ``pywt.Wavelet.dec_lo``). It is cast
        to the computation dtype of ``x``.
    mode : {'full', 'same', 'valid'}, default 'full'
        Output size, with scipy's rules (see the module notes).
    boundary : {'fill', 'wrap', 'symm'}, default 'fill'
        How samples outside ``x`` are made; scipy's ``convolve2d`` rules, in any rank.
    fillvalue : float, default 0.0
        Value of outside samples when ``boundary='fill'``.
    axes : int or tuple of int, optional
        Axes of ``x`` to filter, one per kernel axis; the other axes are
        independent batch axes. Default: every axis, and ``kernel`` must have
        the rank of ``x`` (scipy's rule).
    channels : bool, default False
        Multi-channel layout of ``tf.nn.conv*``: ``x`` is
        ``(batch..., *spatial, c_in)``, ``kernel`` is ``(*spatial, c_in, c_out)``
        and the result ``(batch..., *spatial_out, c_out)`` sums the
        per-channel convolutions over ``c_in``. ``axes`` must then be None.

    Returns
    -------
    numpy.ndarray or tf.Tensor
        A tensor (on the input's device) when ``x`` or ``kernel`` is a tensor,
        otherwise a numpy array.

    Raises
    ------
    InputError
        For an unknown ``mode``/``boundary``, mismatched ranks or channels,
        empty or 0-d input, or ``mode='valid'`` with neither operand at least as
        large as the other on every axis (scipy's rule).
    FilterBankTypeError
        For non-numeric input.

    Notes
    -----
    The kernel is reversed on every filtered axis, then TensorFlow's
    correlation runs on the input extended by ``boundary``. At most three axes
    can be filtered at once (``tf.nn.convolution``'s limit).

    Examples
    --------
    >>> import numpy as np
    >>> convolve(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, -1.0]))
    array([ 1.,  2.,  2., -2., -3.])
    >>> np.convolve([1.0, 2.0, 3.0], [1.0, 0.0, -1.0])
    array([ 1.,  2.,  2., -2., -3.])
    """
    return _filter(x, kernel, mode, boundary, fillvalue, axes, channels, flip=True)


def correlate(
    x: Any,
    kernel: Any,
    mode: ConvMode = "full",
    *,
    boundary: Boundary = "fill",
    fillvalue: float = 0.0,
    axes: int | tuple[int, ...] | None = None,
    channels: bool = False,
) -> Any:
    """Cross-correlation computed with TensorFlow, equal to ``scipy.signal.correlate``.

    Use it for template matching: the template is given as it appears in the
    data and is *not* flipped. Complex templates are conjugated, as in scipy.
    Parameters, returns and errors are those of :func:`convolve`.

    Notes
    -----
    For even-sized kernels scipy itself has two conventions for
    ``mode='same'``: ``scipy.signal.correlate`` crops the full correlation from
    ``(K - 1) // 2`` (followed here), ``scipy.signal.correlate2d`` from
    ``K // 2``. To reproduce ``correlate2d``, prepend one zero to each even
    kernel axis: ``correlate(x, np.pad(k, [(1, 0), (1, 0)]), 'same')``.

    Examples
    --------
    >>> import numpy as np
    >>> correlate(np.array([0.0, 1.0, 2.0, 0.0]), np.array([1.0, 2.0]), mode="valid")
    array([2., 5., 2.])
    """
    return _filter(x, kernel, mode, boundary, fillvalue, axes, channels, flip=False)


# --------------------------------------------------------------------------- validation


def _numeric(value: Any, name: str) -> tuple[Any, str]:
    """Return (value, dtype name) for an array-like or tensor, refusing non-numbers.

    numpy data TensorFlow cannot hold (long double) is converted to its compute dtype.
    """
    if _tf.is_tensor(value):
        compute_dtype(value.dtype, name)  # refuses non-numbers
        return value, value.dtype.name
    try:
        value = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise FilterBankTypeError(
            f"{name} must be a numeric array; got {type(value).__name__} ({exc})"
        ) from None
    compute_dtype(value.dtype, name)  # refuses non-numbers, naming the dtype as numpy does
    if value.dtype.name in EXTENDED:
        value = value.astype(numpy_compute_dtype(value.dtype, name))
    elif not value.dtype.isnative:
        value = value.astype(value.dtype.newbyteorder("="))
    return value, value.dtype.name


def _compute_dtype(x_dtype: str) -> tuple[str, str]:
    """(real computation dtype, real output dtype) chosen by the data's dtype (see :mod:`filterbank.dtypes`).

    float16 and bfloat16 run in float32 and come back in their own dtype.
    """
    comp = compute_dtype(x_dtype, "x")
    out = x_dtype if x_dtype in ("float16", "bfloat16") else comp
    return comp, out


def _normalise_axes(axes: Any, ndim: int, krank: int) -> tuple[int, ...]:
    if axes is None:
        if krank != ndim:
            raise InputError(
                f"kernel must have the same rank as x when axes is None (scipy's rule); "
                f"got x.ndim={ndim}, kernel.ndim={krank} (pass axes= to filter some axes only)"
            )
        return tuple(range(ndim))
    out = normalize_axes(axes, ndim)
    if len(out) != krank:
        raise InputError(f"kernel must have one axis per entry of axes; got kernel.ndim={krank}, axes={axes!r}")
    return out


class _Problem(NamedTuple):
    """A validated request: everything needed to build the TF computation."""

    axes: tuple[int, ...]  # filtered axes of x, in kernel order
    ksize: tuple[int, ...]  # kernel spatial sizes
    windows: tuple[Window, ...]


def _validate(
    xshape: tuple[Any, ...], kshape: tuple[int, ...], mode: str, boundary: str, axes: Any, channels: bool
) -> _Problem:
    check_option("mode", mode, CONV_MODES)
    check_option("boundary", boundary, BOUNDARIES)
    ndim = len(xshape)
    if ndim == 0:
        raise InputError("x must have at least one axis; got a 0-d scalar")
    if len(kshape) == 0:
        raise InputError("kernel must have at least one axis; got a 0-d scalar")
    if channels:
        if axes is not None:
            raise InputError(f"axes must be None when channels=True (the spatial axes are implied); got {axes!r}")
        srank = len(kshape) - 2
        if srank < 1:
            raise InputError(
                f"kernel must be (*spatial, c_in, c_out) when channels=True; got kernel shape {kshape}"
            )
        if ndim < srank + 1:
            raise InputError(
                f"x must be (batch..., *spatial, c_in) with {srank} spatial axes when channels=True; "
                f"got x shape {tuple(xshape)}"
            )
        if xshape[-1] is not None and xshape[-1] != kshape[-2]:
            raise InputError(
                f"x's last axis (c_in) must equal kernel.shape[-2]; got x shape {tuple(xshape)}, "
                f"kernel shape {kshape}"
            )
        axes_t = tuple(range(ndim - 1 - srank, ndim - 1))
        ksize = tuple(kshape[:srank])
    else:
        axes_t = _normalise_axes(axes, ndim, len(kshape))
        ksize = tuple(kshape)
    if len(axes_t) > _MAX_RANK:
        raise InputError(f"at most {_MAX_RANK} axes can be filtered at once; got {len(axes_t)}")
    sizes = [xshape[a] for a in axes_t]
    if any(s is None for s in sizes):
        raise InputError(f"the filtered axes of x must have a static size; got x shape {tuple(xshape)}")
    if any(s == 0 for s in list(xshape) if s is not None) or any(s == 0 for s in kshape):
        raise InputError(f"x and kernel must not be empty; got x shape {tuple(xshape)}, kernel shape {kshape}")
    if mode == "valid":
        x_ge = all(n >= k for n, k in zip(sizes, ksize))
        k_ge = all(k >= n for n, k in zip(sizes, ksize))
        if not (x_ge or k_ge):
            raise InputError(
                "mode='valid' needs x at least as large as kernel on every filtered axis, or the "
                f"kernel at least as large as x on every axis; got x sizes {tuple(sizes)}, kernel sizes {ksize}"
            )
    windows = tuple(output_window(n, k, mode) for n, k in zip(sizes, ksize))
    return _Problem(axes_t, ksize, windows)


# --------------------------------------------------------------------------- computation


def _filter(x, kernel, mode, boundary, fillvalue, axes, channels, *, flip: bool):
    x, x_dtype = _numeric(x, "x")
    kernel, k_dtype = _numeric(kernel, "kernel")
    xshape = tuple(x.shape)
    kshape = tuple(int(s) for s in kernel.shape)
    problem = _validate(xshape, kshape, mode, boundary, axes, channels)
    if mode == "valid":
        # 'valid' lags never reach outside the operand that is covered; when the
        # kernel is the larger one, scipy swaps the operands, so no boundary applies.
        boundary, fillvalue = "fill", 0.0
    comp, out_dtype = _compute_dtype(x_dtype)
    as_tensor = _tf.is_tensor(x) or _tf.is_tensor(kernel)
    is_complex = x_dtype.startswith("complex") or k_dtype.startswith("complex")

    tf = _tf.tf()
    device = getattr(x, "device", "") if _tf.is_tensor(x) else ""
    with tf.device(device or None):
        xt = tf.convert_to_tensor(x)
        kt = tf.convert_to_tensor(kernel)
        n_spatial = len(problem.ksize)
        if flip:
            kt = tf.reverse(kt, axis=list(range(n_spatial)))
        if is_complex:
            out = _complex_filter(tf, xt, kt, problem, boundary, fillvalue, channels, comp, conj=not flip)
        else:
            out = _real_filter(tf, tf.cast(xt, comp), tf.cast(kt, comp), problem, boundary, fillvalue, channels)
            if out_dtype != comp:
                out = tf.cast(out, out_dtype)
    if as_tensor:
        return out
    return out.numpy()


def _complex_filter(tf, xt, kt, problem, boundary, fillvalue, channels, comp, *, conj: bool):
    """Split real and imaginary parts: (a + ib) * (c + id) = (ac - bd) + i(ad + bc)."""

    def parts(t):
        if t.dtype.is_complex:
            return tf.cast(tf.math.real(t), comp), tf.cast(tf.math.imag(t), comp)
        return tf.cast(t, comp), None

    xr, xi = parts(xt)
    kr, ki = parts(kt)
    if ki is not None and conj:
        ki = -ki
    fv = complex(fillvalue)

    def run(a, b, fill):
        return _real_filter(tf, a, b, problem, boundary, fill, channels)

    real = run(xr, kr, fv.real)
    imag = None
    if xi is not None:
        bi = run(xi, kr, fv.imag)
        imag = bi
        if ki is not None:
            real = real - run(xi, ki, fv.imag)
    if ki is not None:
        ai = run(xr, ki, fv.real)
        imag = ai if imag is None else imag + ai
    if imag is None:
        imag = tf.zeros_like(real)
    return tf.complex(real, imag)


def _extend_axis(tf, t, axis: int, n: int, k: int, window: Window, boundary: str, fillvalue: float):
    """Extend/crop axis so a valid correlation with a length-k kernel gives the window."""
    first = window.start - (k - 1)  # first input index needed
    last = window.start + window.length - 1  # last input index needed
    if boundary == "fill":
        lo, hi = max(0, -first), max(0, last - (n - 1))
        t = _slice(tf, t, axis, max(0, first), min(n - 1, last) + 1)
        if lo or hi:
            pads = [[0, 0]] * len(t.shape)
            pads[axis] = [lo, hi]
            t = tf.pad(t, pads, constant_values=tf.cast(fillvalue, t.dtype))
        return t
    left = max(0, -first)
    idx = index_map(n, left, max(0, last - (n - 1)), _BOUNDARY_TO_MODE[boundary])
    idx = idx[first + left : last + left + 1]
    if np.array_equal(idx, np.arange(idx[0], idx[0] + idx.size)):
        return _slice(tf, t, axis, int(idx[0]), int(idx[0]) + idx.size)
    return tf.gather(t, idx, axis=axis)


def _slice(tf, t, axis: int, start: int, stop: int):
    if start == 0 and stop == t.shape[axis]:
        return t
    begin = [0] * len(t.shape)
    size = [-1] * len(t.shape)
    begin[axis] = start
    size[axis] = stop - start
    return tf.slice(t, begin, size)


def _real_filter(tf, xt, kt, problem: _Problem, boundary, fillvalue, channels: bool):
    """Extend the input, then run TensorFlow's (correlating) convolution."""
    ndim = len(xt.shape)
    nsp = len(problem.axes)
    if channels:
        # x: (batch..., *spatial, c_in); collapse batch dims into one.
        perm = list(range(ndim))
        batch_shape = tf.shape(xt)[: ndim - 1 - nsp]
        spatial_static = [int(xt.shape[a]) for a in problem.axes]
        xt = tf.reshape(xt, [-1, *spatial_static, int(kt.shape[-2])])
        k4 = kt
    else:
        # Move filtered axes last (in kernel order), batch the rest, add a channel axis.
        rest = [a for a in range(ndim) if a not in problem.axes]
        perm = rest + list(problem.axes)
        xt = tf.transpose(xt, perm) if perm != list(range(ndim)) else xt
        batch_shape = tf.shape(xt)[: len(rest)]
        spatial_static = [int(xt.shape[len(rest) + i]) for i in range(nsp)]
        xt = tf.reshape(xt, [-1, *spatial_static, 1])
        k4 = tf.reshape(kt, [*problem.ksize, 1, 1])
    for i, (k, window) in enumerate(zip(problem.ksize, problem.windows)):
        n = int(xt.shape[1 + i])
        xt = _extend_axis(tf, xt, 1 + i, n, k, window, boundary, fillvalue)
    out = tf.nn.convolution(xt, k4, padding="VALID")
    spatial_out = [w.length for w in problem.windows]
    if channels:
        return tf.reshape(out, tf.concat([batch_shape, spatial_out, [tf.shape(out)[-1]]], 0))
    out = tf.reshape(out, tf.concat([batch_shape, spatial_out], 0))
    if perm != list(range(ndim)):
        out = tf.transpose(out, np.argsort(perm).tolist())
    return out
