"""True convolution and correlation on TensorFlow, equal to scipy.signal.

``tf.nn.conv*`` computes a cross-correlation: it slides the kernel over the
input *without* flipping it. `convolve` flips the kernel on every
filtered axis before handing it to TensorFlow, `correlate` does not
(and conjugates complex kernels, as scipy does)::

    convolve(x, k)[n]  = sum_j x[n - j] k[j]          (scipy.signal.convolve)
    correlate(x, k)[n] = sum_j x[n + j] conj(k[j])    (scipy.signal.correlate)
    tf.nn.conv1d(x, k) = sum_j x[n + j] k[j]          (a correlation!)

scipy's four names are here with scipy's semantics: `convolve` and
`correlate` (any rank, ``scipy.signal.convolve`` / ``correlate``) and
`convolve2d` and `correlate2d` (2-D, boundaries, ``same`` aligned
as ``scipy.signal.convolve2d`` / ``correlate2d``). How an output axis is laid
out (``N`` input and ``K`` kernel samples on it), as a window of the full result::

    full   length N + K - 1, every lag with any overlap
    same   length N, from (K - 1) // 2   (correlate2d: from K // 2; equal for odd K)
    valid  length |N - K| + 1, the lags where one fully covers the other

Outside the input, samples come from the ``boundary`` rule (scipy's
``convolve2d`` names; `convolve` and `correlate` apply them per
axis in any rank)::

    fill   fillvalue fillvalue | x1 x2 ... xn | fillvalue fillvalue   (valid: never used)
    wrap   x(n-1) xn           | x1 x2 ... xn | x1 x2
    symm   x2 x1               | x1 x2 ... xn | xn x(n-1)

The computation itself lives in `filterbank.backend.correlate`; TensorFlow is
imported on first use.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

from filterbank.backend.conv_dtypes import fill_value, integer_result, numeric, output_dtype
from filterbank.backend.convert import is_tensor
from filterbank.backend.correlate import Geometry, Window, cast, correlate_window, reverse_leading, tensor_product
from filterbank.dtypes import compute_dtype
from filterbank.errors import InputError, check_option, normalize_axes

__all__ = [
    "BOUNDARIES",
    "CONV_MODES",
    "METHODS",
    "Window",
    "convolve",
    "convolve2d",
    "correlate",
    "correlate2d",
    "output_window",
]

ConvMode = Literal["full", "same", "valid"]
Boundary = Literal["fill", "wrap", "symm"]
Method = Literal["auto", "direct", "fft"]

#: Output sizes accepted by every function of this module.
CONV_MODES: tuple[str, ...] = ("full", "same", "valid")
#: Boundary rules accepted by `convolve` and `correlate`.
BOUNDARIES: tuple[str, ...] = ("fill", "wrap", "symm")
#: scipy's ``method`` names, accepted by `convolve` and `correlate` (all compute the same).
METHODS: tuple[str, ...] = ("auto", "direct", "fft")
#: scipy's aliases, accepted by `convolve2d` and `correlate2d` as scipy does.
_BOUNDARY_ALIASES = {"fill": "fill", "pad": "fill", "wrap": "wrap", "circular": "wrap", "symm": "symm", "symmetric": "symm"}


def output_window(n: int, k: int, mode: str) -> Window:
    """Start and length of an output axis within the full convolution.

    Parameters
    ----------
    n, k : int
        Input and kernel lengths on the axis (both >= 1).
    mode : {'full', 'same', 'valid'}
        Output size rule (``same`` as in ``scipy.signal.convolve``).

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
    method: Method = "auto",
    *,
    boundary: Boundary = "fill",
    fillvalue: Any = 0,
    axes: int | tuple[int, ...] | None = None,
    channels: bool = False,
) -> Any:
    """True convolution computed with TensorFlow, equal to ``scipy.signal.convolve``.

    Parameters
    ----------
    x : array_like or tf.Tensor
        Input (scipy's ``in1``), of any rank.
    kernel : array_like or tf.Tensor
        Filter taps (``in2``), in the signal-processing orientation (as designed
        by ``scipy.signal.firwin`` or found in ``pywt.Wavelet.dec_lo``).
    mode : {'full', 'same', 'valid'}, default 'full'
        Output size, with scipy's rules (see the module notes). For ``valid``
        one operand must cover the other on every axis; the larger one slides
        under the smaller, as scipy swaps them.
    method : {'auto', 'direct', 'fft'}, default 'auto'
        Accepted for compatibility with scipy; every method runs the same
        direct computation on TensorFlow, so results never depend on it.
    boundary : {'fill', 'wrap', 'symm'}, default 'fill'
        How samples outside ``x`` are made; scipy's ``convolve2d`` rules, in any rank.
    fillvalue : scalar, default 0
        Value of outside samples when ``boundary='fill'``, converted to the
        output dtype as scipy's ``convolve2d`` does.
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
        For array_like input, a numpy array of scipy's dtype
        (``numpy.result_type(x, kernel)``: integers stay integers and wrap on
        overflow as in scipy, ``bool`` stays ``bool``). When ``x`` or ``kernel``
        is a tensor, a tensor on the input's device in ``x``'s floating dtype
        (integers become float64; complex if either operand is).

    Raises
    ------
    InputError
        For an unknown ``mode``/``method``/``boundary``, mismatched ranks or
        channels, empty input, a ``fillvalue`` the output dtype cannot hold, or
        ``mode='valid'`` with neither operand covering the other (scipy's rule).
    FilterBankTypeError
        For non-numeric input.

    Notes
    -----
    The kernel is reversed on every filtered axis, then TensorFlow's
    correlation runs on the input extended by ``boundary``. Both operands 0-d
    give their product, as in scipy. Floating inputs are computed in their
    precision (float16 in float32, long double in float64); integer results are
    exact (products split in 16-bit limbs when ``max|x| * sum|k|`` passes
    ``2**53``). NaN and inf spread as in scipy's direct method: in 1-D only
    through products of existing samples, in n-D also through the zero padding.

    Examples
    --------
    >>> import numpy as np
    >>> convolve(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, -1.0]))
    array([ 1.,  2.,  2., -2., -3.])
    >>> np.convolve([1.0, 2.0, 3.0], [1.0, 0.0, -1.0])
    array([ 1.,  2.,  2., -2., -3.])
    >>> convolve([3, 4, 5], [1, 2, 3, 4], "same")
    array([10, 22, 34])
    """
    check_option("method", method, METHODS)
    return _run(x, kernel, mode, boundary, fillvalue, axes, channels, flip=True, two_d=False)


def correlate(
    x: Any,
    kernel: Any,
    mode: ConvMode = "full",
    method: Method = "auto",
    *,
    boundary: Boundary = "fill",
    fillvalue: Any = 0,
    axes: int | tuple[int, ...] | None = None,
    channels: bool = False,
) -> Any:
    """Cross-correlation computed with TensorFlow, equal to ``scipy.signal.correlate``.

    Use it for template matching: the template is given as it appears in the
    data and is *not* flipped. Complex templates are conjugated, as in scipy.
    Parameters, returns and errors are those of `convolve`.

    Notes
    -----
    ``mode='same'`` crops the full correlation from ``(K - 1) // 2`` as
    ``scipy.signal.correlate`` does, even with a ``boundary``; for even-sized
    kernels ``scipy.signal.correlate2d`` crops from ``K // 2``, which
    `correlate2d` reproduces.

    Examples
    --------
    >>> import numpy as np
    >>> correlate(np.array([0.0, 1.0, 2.0, 0.0]), np.array([1.0, 2.0]), mode="valid")
    array([2., 5., 2.])
    >>> correlate([1, 2, 3], [4, 5], "same")
    array([ 5, 14, 23])
    """
    check_option("method", method, METHODS)
    return _run(x, kernel, mode, boundary, fillvalue, axes, channels, flip=False, two_d=False)


def convolve2d(
    x: Any,
    kernel: Any,
    mode: ConvMode = "full",
    boundary: str = "fill",
    fillvalue: Any = 0,
    *,
    axes: tuple[int, int] | None = None,
) -> Any:
    """2-D convolution with boundaries, equal to ``scipy.signal.convolve2d``.

    Parameters
    ----------
    x, kernel : array_like or tf.Tensor
        2-D input and kernel (scipy's ``in1``, ``in2``). With ``axes``, ``x``
        may have more axes (a batch of images) and ``kernel`` is 2-D.
    mode : {'full', 'same', 'valid'}, default 'full'
        Output size; ``valid`` swaps the operands when the kernel is the larger.
    boundary : {'fill', 'wrap', 'symm'}, default 'fill'
        scipy's rules and aliases (``'pad'``, ``'circular'``, ``'symmetric'``).
    fillvalue : scalar, default 0
        Outside value for ``fill``, converted to the output dtype as scipy does
        (a float is truncated for integer data; a complex value needs complex data).
    axes : tuple of two int, optional
        The image axes of ``x`` (our extension; scipy has none).

    Returns
    -------
    numpy.ndarray or tf.Tensor
        Dtypes as in `convolve`; ``bool`` and ``float16``, which
        scipy's ``convolve2d`` refuses, are computed too.

    Raises
    ------
    InputError
        As `convolve`, and for inputs that are not 2-D.

    Notes
    -----
    Every output sample multiplies every kernel tap, with extended samples
    where the image ends (scipy's C loop): a NaN tap makes the whole output NaN.

    Examples
    --------
    >>> convolve2d([[1, 2, 3], [3, 4, 5]], [[2, 3, 4], [4, 5, 6]], "full", "fill", 1)
    array([[24, 26, 31, 34, 32],
           [28, 40, 62, 64, 52],
           [32, 46, 67, 62, 48]])
    """
    return _run(x, kernel, mode, boundary, fillvalue, axes, False, flip=True, two_d=True)


def correlate2d(
    x: Any,
    kernel: Any,
    mode: ConvMode = "full",
    boundary: str = "fill",
    fillvalue: Any = 0,
    *,
    axes: tuple[int, int] | None = None,
) -> Any:
    """2-D cross-correlation with boundaries, equal to ``scipy.signal.correlate2d``.

    Parameters, returns and errors are those of `convolve2d`.

    Notes
    -----
    Two of scipy's conventions differ from `correlate`'s, and are kept:
    ``same`` crops the full correlation from ``K // 2`` (not ``(K - 1) // 2``)
    on an even kernel axis, and ``valid`` with the kernel the larger returns
    the correlation of the kernel with ``x``, reversed but not conjugated.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1.0, 2.0, 4.0, 8.0]])
    >>> correlate2d(x, [[1.0, 1.0]], "same"), correlate(x, [[1.0, 1.0]], "same")
    (array([[ 3.,  6., 12.,  8.]]), array([[ 1.,  3.,  6., 12.]]))
    """
    return _run(x, kernel, mode, boundary, fillvalue, axes, False, flip=False, two_d=True)


# --------------------------------------------------------------------------- inputs


def _rank_check(xshape: tuple[Any, ...], kshape: tuple[int, ...], axes: Any, channels: bool, two_d: bool) -> tuple[int, ...]:
    """Filtered axes of x, in kernel order."""
    ndim = len(xshape)
    if two_d:
        if len(kshape) != 2 or (ndim != 2 if axes is None else ndim < 2):
            raise InputError(
                f"x and kernel must both be 2-D (scipy's rule; pass axes= for a batch of images); "
                f"got x.ndim={ndim}, kernel.ndim={len(kshape)}"
            )
        return tuple(range(2)) if axes is None else _axes(axes, ndim, 2)
    if ndim == 0:
        raise InputError("x must have at least one axis; got a 0-d scalar")
    if len(kshape) == 0:
        raise InputError("kernel must have at least one axis; got a 0-d scalar")
    if not channels:
        return tuple(range(ndim)) if axes is None and len(kshape) == ndim else _axes(axes, ndim, len(kshape))
    if axes is not None:
        raise InputError(f"axes must be None when channels=True (the spatial axes are implied); got {axes!r}")
    srank = len(kshape) - 2
    if srank < 1:
        raise InputError(f"kernel must be (*spatial, c_in, c_out) when channels=True; got kernel shape {kshape}")
    if ndim < srank + 1:
        raise InputError(
            f"x must be (batch..., *spatial, c_in) with {srank} spatial axes when channels=True; "
            f"got x shape {tuple(xshape)}"
        )
    if xshape[-1] is not None and xshape[-1] != kshape[-2]:
        raise InputError(
            f"x's last axis (c_in) must equal kernel.shape[-2]; got x shape {tuple(xshape)}, kernel shape {kshape}"
        )
    return tuple(range(ndim - 1 - srank, ndim - 1))


def _axes(axes: Any, ndim: int, krank: int) -> tuple[int, ...]:
    if axes is None:
        raise InputError(
            f"kernel must have the same rank as x when axes is None (scipy's rule); "
            f"got x.ndim={ndim}, kernel.ndim={krank} (pass axes= to filter some axes only)"
        )
    out = normalize_axes(axes, ndim)
    if len(out) != krank:
        raise InputError(f"kernel must have one axis per entry of axes; got kernel.ndim={krank}, axes={axes!r}")
    return out


def _check_sizes(xshape: tuple[Any, ...], kshape: tuple[int, ...], axes: tuple[int, ...], mode: str) -> bool:
    """Refuse unknown and empty sizes; return whether 'valid' needs the operands swapped (scipy's rule)."""
    sizes = [xshape[a] for a in axes]
    if any(s is None for s in sizes):
        raise InputError(f"the filtered axes of x must have a static size; got x shape {tuple(xshape)}")
    if any(s == 0 for s in xshape if s is not None) or any(s == 0 for s in kshape):
        raise InputError(f"x and kernel must not be empty; got x shape {tuple(xshape)}, kernel shape {kshape}")
    if mode != "valid":
        return False
    ksize = kshape[: len(axes)]
    if all(n >= k for n, k in zip(sizes, ksize)):
        return False
    if all(k >= n for n, k in zip(sizes, ksize)):
        return True
    raise InputError(
        "mode='valid' needs x at least as large as kernel on every filtered axis, or the "
        f"kernel at least as large as x on every axis; got x sizes {tuple(sizes)}, kernel sizes {tuple(ksize)}"
    )


# --------------------------------------------------------------------------- the plan


def _run(x, kernel, mode, boundary, fillvalue, axes, channels, *, flip: bool, two_d: bool):
    check_option("mode", mode, CONV_MODES)
    if two_d:
        boundary = _BOUNDARY_ALIASES[check_option("boundary", boundary, tuple(_BOUNDARY_ALIASES))]
    else:
        check_option("boundary", boundary, BOUNDARIES)
    xo, ko = numeric(x, "x"), numeric(kernel, "kernel")
    as_tensor = is_tensor(xo.value) or is_tensor(ko.value)
    out_dtype = output_dtype(xo, ko, as_tensor)
    xshape, kshape = tuple(xo.value.shape), tuple(int(s) for s in ko.value.shape)
    if not two_d and len(xshape) == len(kshape) == 0:
        return _scalar_product(xo.value, ko.value, out_dtype, conj=not flip, as_tensor=as_tensor)
    faxes = _rank_check(xshape, kshape, axes, channels, two_d)
    swap = _check_sizes(xshape, kshape, faxes, mode)
    plain = axes is None and not channels  # scipy's own call: both operands filtered on every axis
    if swap and not plain:
        if two_d:  # correlate2d's swapped result is not the correlation: no batched meaning to give it
            raise InputError(
                f"mode='valid' with a kernel larger than the image needs 2-D x without axes= "
                f"(scipy swaps the operands); got x shape {xshape}, kernel shape {kshape}"
            )
        swap = False  # a batch cannot trade places with its kernel: x is zero-padded instead
    fill = fill_value(fillvalue, out_dtype) if boundary == "fill" else np.zeros((), np.float64)[()]
    padded_zero = boundary == "fill" and fill == 0
    nk = len(faxes)
    one_d_path = nk == 1 and not channels and (mode != "same" or xshape[faxes[0]] >= kshape[0])
    if not swap and plain and not two_d and mode == "full" and padded_zero and not one_d_path and None not in xshape:
        swap = math.prod(kshape) > math.prod(xshape)  # scipy's direct n-D path pads the larger operand
    a, b = (ko.value, xo.value) if swap else (xo.value, ko.value)
    ashape, bshape = (kshape, xshape) if swap else (xshape, kshape)
    windows = []
    for ax, kn in zip(faxes, bshape):
        n = int(ashape[ax])
        same_2d = two_d and not flip and mode == "same"
        windows.append(Window(kn // 2, n) if same_2d else output_window(n, kn, mode))
    comp = compute_dtype("float32" if str(out_dtype) == "bfloat16" else out_dtype, "x")
    geometry = Geometry(
        axes=faxes,
        ksize=tuple(int(s) for s in bshape[:nk]),
        windows=tuple(windows),
        boundary=boundary,
        fill=_compute_scalar(fill, comp),
        channels=channels,
        overlap_only=one_d_path and padded_zero and not two_d,
    )
    if flip:
        b = _reverse(b, nk)

    device = getattr(xo.value, "device", "") if is_tensor(xo.value) else ""
    # scipy reverses a swapped correlation (and conjugates it in n-D)
    reverse = "conj" if swap and not flip and not two_d else ("plain" if swap and not flip else None)

    def compute(a_: Any, b_: Any, fill_: Any) -> Any:
        return correlate_window(a_, b_, geometry._replace(fill=fill_), comp, conj=not flip, device=device, reverse=reverse)

    if as_tensor:
        return cast(compute(a, b, geometry.fill), out_dtype)
    out_dtype = np.dtype(out_dtype)
    if out_dtype.kind in "biu":
        return integer_result(compute, a, b, fill, out_dtype)
    return compute(a, b, geometry.fill).numpy().astype(out_dtype, copy=False)


def _compute_scalar(fill: Any, comp: str) -> Any:
    kind = "complex128" if comp == "float64" else "complex64"
    return np.asarray(fill, kind if np.iscomplexobj(fill) else comp)[()]


def _reverse(t: Any, naxes: int) -> Any:
    if is_tensor(t):
        return reverse_leading(t, naxes)
    return t[(slice(None, None, -1),) * naxes]


def _scalar_product(x: Any, k: Any, out_dtype: Any, *, conj: bool, as_tensor: bool) -> Any:
    """Both operands 0-d: scipy returns their product (``x * conj(k)`` for a correlation)."""
    if as_tensor:
        return tensor_product(x, k, out_dtype, conj=conj)
    return x * (np.conj(k) if conj else k)
