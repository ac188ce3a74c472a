"""PyWavelets-compatible discrete wavelet transforms on TensorFlow.

``dwt/idwt``, ``wavedec/waverec``, ``dwt2/idwt2``, ``wavedec2/waverec2``,
``dwtn/idwtn``, ``wavedecn/waverecn`` take PyWavelets' arguments (``wavelet``,
``mode``, ``level``, ``axis``/``axes``) and return PyWavelets' coefficient
layout; float64 results equal PyWavelets to 1e-12 relative, for every discrete
wavelet and all nine extension modes. As in PyWavelets, the 2-D and n-D
functions also take a sequence of wavelets and / or modes, one per axis of
``axes``.

Beyond PyWavelets:

* numpy in -> numpy out; ``tf.Tensor`` in -> ``tf.Tensor`` out, on the input's
  device; works eagerly, in ``tf.function`` and under ``jit_compile=True``, and
  gradients flow;
* float32 is computed in float32, float16 / bfloat16 through float32, complex
  as real and imaginary parts;
* multi-level results remember the input shape, so the inverse returns exactly
  that shape (odd lengths too);
* ``executor=`` picks strided ``tf.nn.conv*`` (``"conv"``, the GPU default) or
  XLA shift-and-add (``"shift"``, the CPU default).

Accuracy: float64 equals PyWavelets to 1e-12 relative to the largest
coefficient. float32 stays within about ``1e-6 * sqrt(L * level)`` of the
float64 result, relative to the largest coefficient (``L`` the filter length;
the test suite enforces this bound). On Ampere-and-newer GPUs TensorFlow runs
float32 convolutions in TF32 (about 1e-3 relative) unless
``tf.config.experimental.enable_tensor_float_32_execution(False)`` is called;
the ``"conv"`` executor is affected, while ``executor="shift"`` uses only
multiplies and adds and is exact float32 on every device.

This module does not import TensorFlow at import time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from filterbank.transforms._repeated_axes import check_same_shapes, is_repeated, repeated_dwtn, repeated_idwtn
from filterbank.transforms._layouts import NAMES_2D, Levels, describe, leaf, read_dwt, read_subbands
from filterbank.transforms.coefficients import Coefficients, CoefficientsDict, CoefficientsTuple
from filterbank.backend.convert import inspect
from filterbank.transforms import _calls
from filterbank.transforms._dispatch import (
    bank_of,
    decompose,
    input_shape_of,
    per_axis_banks,
    reconstruct,
    subband_keys,
    with_shape,
)
from filterbank.errors import CoefficientsError, FilterBankTypeError, InputError, check_count, check_option, normalize_axes
from filterbank.modes import Mode
from filterbank.plans.decimated import Plan, analysis_plan
from filterbank.plans.lengths import dwt_max_level as _dwt_max_level

__all__ = [
    "dwt",
    "dwt2",
    "dwt_max_level",
    "dwtn",
    "idwt",
    "idwt2",
    "idwtn",
    "plan",
    "wavedec",
    "wavedec2",
    "wavedecn",
    "waverec",
    "waverec2",
    "waverecn",
]

Executor = Literal["auto", "conv", "numpy", "shift"]
Compile = Literal["auto", "always", "never"]

_PLAN_DTYPES = ("float32", "float64")
Array = Any


def dwt_max_level(data_len: int, filter_len: Any) -> int:
    """Deepest useful decomposition level, as `pywt.dwt_max_level`.

    Parameters
    ----------
    data_len : int
        Length of the signal along the transformed axis.
    filter_len : int, str, pywt.Wavelet or FilterBank
        The filter length, or anything `filterbank.as_filterbank` accepts.

    Returns
    -------
    int
        ``floor(log2(data_len / (filter_len - 1)))``, or 0 when the signal is
        shorter than ``filter_len - 1``.

    Examples
    --------
    >>> dwt_max_level(1000, "db4")
    7
    >>> dwt_max_level(1000, 2)
    9
    """
    if isinstance(filter_len, (int, np.integer)) and not isinstance(filter_len, bool):
        length = int(filter_len)
    else:
        length = bank_of(filter_len).dec_len
    return _dwt_max_level(check_count("data_len", data_len), length)  # type: ignore[arg-type]


def plan(
    shape: Sequence[int],
    wavelet: Any,
    mode: Mode = "symmetric",
    level: int = 1,
    *,
    axes: Sequence[int] = (-1,),
    dtype: str = "float64",
) -> Plan:
    """The cached, inspectable `Plan` of a forward transform.

    ``shape`` is a sequence of positive sizes, ``level`` a non-negative
    integer and ``dtype`` ``"float32"`` or ``"float64"`` (a numpy dtype naming
    one of them will do); anything else raises `InputError`.

    Examples
    --------
    >>> p = plan((9,), "haar", "periodization")
    >>> p.analysis_lo.round(4).tolist(), p.coeff_shape(1)
    ([0.7071, 0.7071], (5,))
    >>> plan((9,), "haar", dtype="int8")
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: dtype must be one of 'float32', 'float64'; got 'int8'
    """
    listed = isinstance(shape, Sequence) and not isinstance(shape, (str, bytes))
    sizes = tuple(shape) if listed or (isinstance(shape, np.ndarray) and shape.ndim == 1) else None
    if not sizes or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1 for s in sizes):
        raise InputError(f"shape must be a non-empty sequence of positive integers; got {shape!r:.80}")
    check_count("level", level)
    try:
        name = np.dtype(dtype).name if dtype is not None else dtype
    except (TypeError, ValueError):
        name = dtype
    name = check_option("dtype", name, _PLAN_DTYPES)
    ax = normalize_axes(axes, len(sizes))
    bank, mode, _, _ = per_axis_banks(wavelet, mode, len(ax))
    return analysis_plan(bank, tuple(int(s) for s in sizes), name, mode, int(level), ax)


def wavedec(
    data: Array, wavelet: Any, mode: Mode = "symmetric", level: int | None = None, *, axis: int = -1,
    executor: Executor | None = None, compile: Compile | None = None,
) -> Coefficients:
    """Multi-level 1-D discrete wavelet transform, as `pywt.wavedec`.

    Parameters
    ----------
    data : array_like or tf.Tensor
        Input; every axis but ``axis`` is a batch axis.
    wavelet : str, pywt.Wavelet or FilterBank
        The filter bank.
    mode : str, default "symmetric"
        Signal extension mode, one of `filterbank.MODES`.
    level : int, optional
        Decomposition depth; default `dwt_max_level`. Deeper levels warn
        (`FilterBankWarning`), as PyWavelets does.
    axis : int, default -1
        Axis to transform.
    executor : {"auto", "conv", "numpy", "shift"}, optional
        Keyword only. ``"auto"``: numpy for small numpy inputs, else conv ops
        for first calls and, once a shape comes back, XLA shift-and-add on CPU
        or conv ops on GPU (see `filterbank.tiers`).
    compile : {"auto", "always", "never"}, optional
        Keyword only. When to compile (default: the process-wide policy,
        ``"auto"``: shapes that come back, in the background).

    Returns
    -------
    Coefficients
        ``[cA_n, cD_n, ..., cD_1]``: a list that also records ``input_shape``.

    Raises
    ------
    InputError
        Unknown mode, bad axis, negative level, empty or 0-d data.

    Notes
    -----
    Each level keeps ``floor((n + L - 1) / 2)`` coefficients (``ceil(n / 2)``
    for ``periodization``), with ``L`` the filter length.

    Examples
    --------
    >>> import numpy as np
    >>> c = wavedec(np.arange(8.0), "haar", level=2)
    >>> [np.round(x, 4).tolist() for x in c]
    [[3.0, 11.0], [-2.0, -2.0], [-0.7071, -0.7071, -0.7071, -0.7071]]
    """
    return decompose(data, wavelet, mode, level, (axis,), executor, True, compile, _wavedec_layout)  # type: ignore[no-any-return]


def _wavedec_layout(a: Any, details: Any, shape: Any, ax: Any, mode: Any) -> Coefficients:
    return with_shape([a] + [d["d"] for d in details], shape, ax, mode)


def waverec(
    coeffs: Sequence[Any], wavelet: Any, mode: Mode = "symmetric", *, axis: int = -1,
    executor: Executor | None = None, compile: Compile | None = None,
) -> Array:
    """Multi-level 1-D inverse transform, as `pywt.waverec`.

    Coefficients made by `wavedec` come back in exactly the input
    shape; a list made by PyWavelets is inverted as PyWavelets does (an odd
    length comes back one sample longer).

    Parameters
    ----------
    coeffs : sequence
        ``[cA_n, cD_n, ..., cD_1]``; entries other than ``cA_n`` may be None (zeros).
    wavelet, mode, axis, executor, compile
        As for `wavedec`.

    Returns
    -------
    numpy.ndarray or tf.Tensor
        The reconstruction (a tensor if any coefficient is a tensor).

    Raises
    ------
    CoefficientsError
        Lengths that no decomposition could produce, or an empty list.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(13.0)
    >>> y = waverec(wavedec(x, "db2", level=2), "db2")
    >>> y.shape, bool(np.allclose(x, y))
    ((13,), True)
    """
    key, runner = _calls.lookup("waverec", coeffs, wavelet, (mode, axis, executor, compile))
    if runner is not None:
        return runner(coeffs)
    levels = read_dwt(coeffs, "waverec", "1d")
    if not levels.details:
        return levels.approx
    return _invert(levels, coeffs, wavelet, mode, (axis,), executor, compile, key)


def _invert(
    levels: Levels, coeffs: Any, wavelet: Any, mode: Any, axes: Any, executor: Any, compile: Any, key: Any = None
) -> Array:
    """Reconstruct read coefficients; those made by filterbank come back in their input's shape.

    ``key`` is the call's signature: a numpy-tier call stores a runner for its repeats.
    """
    return reconstruct(
        levels.approx, levels.details, wavelet, mode, axes, executor, input_shape_of(coeffs), compile, key, coeffs
    )


def dwt(
    data: Array, wavelet: Any, mode: Mode = "symmetric", *, axis: int = -1, executor: Executor | None = None,
    compile: Compile | None = None,
) -> tuple[Array, Array]:
    """Single-level 1-D discrete wavelet transform, as `pywt.dwt`.

    Returns
    -------
    (cA, cD) : tuple
        Approximation and detail coefficients (a tuple that records ``input_shape``).

    Examples
    --------
    >>> cA, cD = dwt([1.0, 2.0, 3.0, 4.0], "haar")
    >>> cA.round(4).tolist(), cD.round(4).tolist()
    ([2.1213, 4.9497], [-0.7071, -0.7071])
    """
    return decompose(data, wavelet, mode, 1, (axis,), executor, False, compile, _dwt_layout)  # type: ignore[no-any-return]


def _dwt_layout(a: Any, details: Any, shape: Any, ax: Any, mode: Any) -> CoefficientsTuple:
    return CoefficientsTuple((a, details[0]["d"]), input_shape=shape, axes=ax, mode=mode)


def idwt(
    cA: Array | None, cD: Array | None, wavelet: Any, mode: Mode = "symmetric", *, axis: int = -1,
    executor: Executor | None = None, compile: Compile | None = None,
) -> Array:
    """Single-level 1-D inverse transform, as `pywt.idwt`.

    The output has PyWavelets' length ``2 n - L + 2`` (``2 n`` for
    periodization); use `waverec` on `wavedec` output to get odd
    input lengths back exactly.

    Examples
    --------
    >>> idwt([2.1213203, 4.9497475], [-0.7071068, -0.7071068], "haar").round(5).tolist()
    [1.0, 2.0, 3.0, 4.0]
    """
    key, runner = _calls.lookup("idwt", (cA, cD), wavelet, (mode, axis, executor, compile))
    if runner is not None:
        return runner(cA, cD)  # idwt's runners take the pair (`_dispatch._store_inverse`)
    a_shape, d_shape = leaf(cA, "idwt", "cA"), leaf(cD, "idwt", "cD")
    if a_shape is None and d_shape is None:
        raise CoefficientsError("idwt: at least one of cA and cD must be given; got both None")
    if a_shape is not None and d_shape is not None and a_shape != d_shape:
        raise CoefficientsError(f"idwt: cA and cD must have the same shape; got {a_shape} and {d_shape}")
    return reconstruct(cA, [{"d": cD}], wavelet, mode, (axis,), executor, None, compile, key, (cA, cD))


def dwt2(
    data: Array, wavelet: Any, mode: Mode = "symmetric", *, axes: Sequence[int] = (-2, -1),
    executor: Executor | None = None, compile: Compile | None = None,
) -> tuple[Array, tuple[Array, Array, Array]]:
    """Single-level 2-D transform, as `pywt.dwt2`: ``(cA, (cH, cV, cD))``.

    Examples
    --------
    >>> import numpy as np
    >>> cA, (cH, cV, cD) = dwt2(np.ones((4, 4)), "haar")
    >>> cA.tolist(), float(np.abs(cD).max())
    ([[2.0, 2.0], [2.0, 2.0]], 0.0)
    """
    ax = two_axes(axes)
    if is_repeated(ax, len(inspect(data).shape)):  # PyWavelets' axes=(1, 1): one step per entry
        c = repeated_dwtn(data, wavelet, mode, ax, executor, compile)
        return c["aa"], (c["da"], c["ad"], c["dd"])
    a, details, shape, axn = decompose(data, wavelet, mode, 1, ax, executor, False, compile)
    return CoefficientsTuple(
        (a, tuple(details[0][k] for k in NAMES_2D)), input_shape=shape, axes=axn, mode=mode
    )


def two_axes(axes: Any) -> tuple[int, int]:
    """Validate the pair of axes of a 2-D transform (ranges are checked later, per input).

    Examples
    --------
    >>> two_axes([0, -1])
    (0, -1)
    """
    try:
        ax = tuple(axes)
    except TypeError:
        raise FilterBankTypeError(f"axes must be a pair of integers; got {axes!r}") from None
    if len(ax) != 2:
        raise InputError(f"axes must name exactly two axes for a 2-D transform; got {ax}")
    return ax  # type: ignore[return-value]


def idwt2(
    coeffs: Any, wavelet: Any, mode: Mode = "symmetric", *, axes: Sequence[int] = (-2, -1),
    executor: Executor | None = None, compile: Compile | None = None,
) -> Array:
    """Single-level 2-D inverse, as `pywt.idwt2`, from ``(cA, (cH, cV, cD))``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(15.0).reshape(3, 5)
    >>> np.allclose(idwt2(dwt2(x, "db2"), "db2"), x)
    True
    """
    ax = two_axes(axes)
    if not (isinstance(coeffs, (tuple, list)) and len(coeffs) == 2):
        raise CoefficientsError(f"idwt2: coeffs must be a pair (cA, (cH, cV, cD)); got {describe(coeffs)}")
    levels = read_dwt(coeffs, "idwt2", "2d")
    bands = {"aa": levels.approx, **levels.details[0]}
    check_same_shapes("idwt2", list(bands.values()))
    if levels.ndim is not None and is_repeated(ax, levels.ndim):  # PyWavelets' axes=(1, 1)
        return repeated_idwtn(bands, wavelet, mode, ax, executor, compile)
    return _invert(levels, coeffs, wavelet, mode, ax, executor, compile)


def wavedec2(
    data: Array, wavelet: Any, mode: Mode = "symmetric", level: int | None = None,
    *, axes: Sequence[int] = (-2, -1), executor: Executor | None = None, compile: Compile | None = None,
) -> Coefficients:
    """Multi-level 2-D transform, as `pywt.wavedec2`.

    ``wavelet`` and ``mode`` are one value or a pair, one per axis of ``axes``.

    Returns
    -------
    Coefficients
        ``[cA_n, (cH_n, cV_n, cD_n), ..., (cH_1, cV_1, cD_1)]``, recording ``input_shape``.

    Examples
    --------
    >>> import numpy as np
    >>> c = wavedec2(np.ones((8, 7)), "haar", level=2)
    >>> c[0].shape, c[1][0].shape, c[2][0].shape, c.input_shape
    ((2, 2), (2, 2), (4, 4), (8, 7))
    >>> wavedec2(np.ones((32, 7)), ("db2", "haar"), ("smooth", "periodization"), level=2)[0].shape
    (10, 2)
    """
    ax = two_axes(axes)
    return decompose(data, wavelet, mode, level, ax, executor, True, compile, _wavedec2_layout)  # type: ignore[no-any-return]


def _wavedec2_layout(a: Any, details: Any, shape: Any, ax: Any, mode: Any) -> Coefficients:
    return with_shape([a] + [tuple(d[k] for k in NAMES_2D) for d in details], shape, ax, mode)


def waverec2(
    coeffs: Sequence[Any], wavelet: Any, mode: Mode = "symmetric", *, axes: Sequence[int] = (-2, -1),
    executor: Executor | None = None, compile: Compile | None = None,
) -> Array:
    """Multi-level 2-D inverse, as `pywt.waverec2`; exact input shape for filterbank coefficients.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(63.0).reshape(9, 7)
    >>> y = waverec2(wavedec2(x, "haar", level=2), "haar")
    >>> y.shape, bool(np.allclose(x, y))
    ((9, 7), True)
    """
    key = _calls.signature("waverec2", coeffs, wavelet, (mode, axes if isinstance(axes, tuple) else None, executor, compile))
    runner = _calls.find(key) if isinstance(axes, tuple) else None
    if runner is not None:
        return runner(coeffs)
    ax = two_axes(axes)
    levels = read_dwt(coeffs, "waverec2", "2d")
    if not levels.details:
        return levels.approx
    return _invert(levels, coeffs, wavelet, mode, ax, executor, compile, key if isinstance(axes, tuple) else None)


def _nd_axes(data: Any, axes: Any) -> Any:
    """``axes``, or every axis of ``data`` when None (checked as the transforms check it)."""
    return tuple(range(len(inspect(data).shape))) if axes is None else axes


def dwtn(
    data: Array, wavelet: Any, mode: Mode = "symmetric", *, axes: Sequence[int] | None = None,
    executor: Executor | None = None, compile: Compile | None = None,
) -> dict[str, Array]:
    """Single-level n-D transform, as `pywt.dwtn`: a dict keyed ``'aa'``, ``'ad'``, ...

    Examples
    --------
    >>> import numpy as np
    >>> sorted(dwtn(np.ones((4, 4, 4)), "haar"))
    ['aaa', 'aad', 'ada', 'add', 'daa', 'dad', 'dda', 'ddd']
    """
    if axes is not None and is_repeated(axes, len(inspect(data).shape)):  # one step per entry, as PyWavelets
        return repeated_dwtn(data, wavelet, mode, tuple(np.atleast_1d(axes).tolist()), executor, compile)
    a, details, shape, ax = decompose(data, wavelet, mode, 1, _nd_axes(data, axes), executor, False, compile)
    out = {"a" * len(ax): a, **details[0]}
    return CoefficientsDict({k: out[k] for k in subband_keys(len(ax))}, input_shape=shape, axes=ax, mode=mode)


def idwtn(
    coeffs: dict[str, Any], wavelet: Any, mode: Mode = "symmetric", *, axes: Sequence[int] | None = None,
    executor: Executor | None = None, compile: Compile | None = None,
) -> Array:
    """Single-level n-D inverse, as `pywt.idwtn`; missing or None subbands count as zeros.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(24.0).reshape(2, 3, 4)
    >>> np.allclose(idwtn(dwtn(x, "haar"), "haar"), x)
    True
    """
    levels = read_subbands(coeffs, "idwtn")
    ax = _key_axes("idwtn", levels.letters, range(levels.letters or 0) if axes is None else axes)
    check_same_shapes("idwtn", list(coeffs.values()))
    if levels.ndim is not None and is_repeated(ax, levels.ndim):  # PyWavelets' axes=(1, 1)
        return repeated_idwtn(dict(coeffs), wavelet, mode, ax, executor, compile)
    return _invert(levels, coeffs, wavelet, mode, ax, executor, compile)


def _key_axes(func: str, letters: int | None, axes: Any) -> tuple[int, ...]:
    """``axes`` as a tuple, refused unless it has one entry per letter of the subband keys."""
    try:
        ax = (axes,) if isinstance(axes, (int, np.integer)) else tuple(axes)
    except TypeError:
        raise InputError(f"axes must be an integer, a sequence of integers or None; got {axes!r:.80}") from None
    if letters is None:
        raise CoefficientsError(f"{func}: every detail dict is empty, so no subband key tells the number of axes")
    if len(ax) != letters:
        raise CoefficientsError(f"{func}: subband keys have {letters} letter(s) but axes has {len(ax)} entries: {ax}")
    return ax


def wavedecn(
    data: Array, wavelet: Any, mode: Mode = "symmetric", level: int | None = None,
    *, axes: Sequence[int] | None = None, executor: Executor | None = None, compile: Compile | None = None,
) -> Coefficients:
    """Multi-level n-D transform, as `pywt.wavedecn`: ``[cA_n, {'ad': ...}, ...]``.

    ``wavelet`` and ``mode`` are one value or a sequence with one entry per
    axis of ``axes``; the default level is limited by the longest filter.

    Examples
    --------
    >>> import numpy as np
    >>> c = wavedecn(np.ones((8, 8, 8)), "haar", level=2)
    >>> c[0].shape, sorted(c[1])[:3]
    ((2, 2, 2), ['aad', 'ada', 'add'])
    """
    a, details, shape, ax = decompose(data, wavelet, mode, level, _nd_axes(data, axes), executor, True, compile)
    keys = subband_keys(len(ax))[1:]
    return with_shape([a] + [{k: d[k] for k in keys} for d in details], shape, ax, mode)


def waverecn(
    coeffs: Sequence[Any], wavelet: Any, mode: Mode = "symmetric", *, axes: Sequence[int] | None = None,
    executor: Executor | None = None, compile: Compile | None = None,
) -> Array:
    """Multi-level n-D inverse, as `pywt.waverecn`; exact input shape for filterbank coefficients.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(105.0).reshape(3, 5, 7)
    >>> y = waverecn(wavedecn(x, "haar", level=1), "haar")
    >>> y.shape, bool(np.allclose(x, y))
    ((3, 5, 7), True)
    """
    levels = read_dwt(coeffs, "waverecn", "nd")
    if not levels.details:
        return levels.approx
    for j, d in enumerate(levels.details, start=1):
        if any(v is None for v in d.values()):
            missing = sorted(k for k, v in d.items() if v is None)
            raise CoefficientsError(
                f"waverecn: coeffs[{j}] sets subbands {missing} to None; a multi-level inverse needs every given "
                "subband as an array (use zeros of its shape, or leave the key out)"
            )
    letters = levels.letters
    if letters is None and levels.approx is not None:  # only empty detail dicts: the axes say how many
        letters = levels.ndim if axes is None else len(np.atleast_1d(axes))
    ax = _key_axes("waverecn", letters, range(levels.ndim) if axes is None else axes)
    return _invert(levels, coeffs, wavelet, mode, ax, executor, compile)
