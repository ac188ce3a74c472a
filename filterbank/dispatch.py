"""The boundary between the public transforms and the engine: validate, convert, dispatch.

:mod:`filterbank.transform` holds the PyWavelets-compatible signatures and
docstrings; the helpers here check axes and coefficient lists, convert data
(:mod:`filterbank.coeffs`), pick the plan and run it (:mod:`filterbank.engine`),
and choose between the exact-shape inverse (coefficients made by filterbank) and
PyWavelets' length rule (coefficients made elsewhere). No TensorFlow at import.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from filterbank.coeffs import Coefficients, common_tensors, finish, prepare
from filterbank.design import FilterBank, as_filterbank
from filterbank.errors import CoefficientsError, InputError, normalize_axes
from filterbank.modes import check_mode
from filterbank.plan import Plan, analysis_plan, kernels_of, per_axis, synthesis_plan

Array = Any


def bank_of(wavelet: Any) -> FilterBank:
    return as_filterbank(wavelet)


def per_axis_banks(wavelet: Any, mode: Any, n_axes: int) -> tuple[Any, Any, tuple[int, ...], tuple[str, ...]]:
    """Resolve ``wavelet`` and ``mode`` (one value, or one per transformed axis).

    Returns the bank and mode arguments for a plan (single values when every
    axis shares them, so plans are shared too), the filter length per axis and
    the mode per axis.
    """
    banks = tuple(bank_of(w) for w in per_axis("wavelet", wavelet, n_axes))
    modes = tuple(check_mode(m) for m in per_axis("mode", mode, n_axes))
    lens = tuple(kernels_of(b).filter_length for b in banks)
    bank_arg = banks[0] if all(b is banks[0] for b in banks) else banks
    mode_arg = modes[0] if len(set(modes)) == 1 else modes
    return bank_arg, mode_arg, lens, modes


def decompose(data: Array, wavelet: Any, mode: str, level: int | None, axes: Any, executor: Any, check: bool):
    from filterbank.engine import check_level, choose_executor, forward

    prep = prepare(data, window=True)
    ax = normalize_axes(axes, len(prep.shape))
    bank, mode, lens, _ = per_axis_banks(wavelet, mode, len(ax))
    sizes = static_sizes(prep.shape, ax, "data")
    lev = check_level(sizes, list(lens), level) if check else int(level or 0)
    shift = 1 if prep.complex else 0
    ex = choose_executor(executor, prep.tensor)
    p = analysis_plan(
        bank, prep.compute_shape, prep.tensor.dtype.name, mode, lev, tuple(a + shift for a in ax), ex
    )
    if lev:
        a, details = forward(p, prep.tensor, prep.offset)
    else:  # level 0: the "approximation" is the input itself, so it is copied
        a, details = prep.data(), []
    out = lambda t: finish(t, prep.numpy, prep.complex, fresh=lev > 0)  # noqa: E731
    return out(a), [{k: out(v) for k, v in d.items()} for d in details], prep.shape, ax


def static_sizes(shape: tuple[int | None, ...], axes: tuple[int, ...], name: str) -> list[int]:
    """Sizes of the transformed ``axes``, which must be known (other axes may be ``None``)."""
    unknown = [a for a in axes if shape[a] is None]
    if unknown:
        raise InputError(
            f"{name}: transformed axes must have a known size; axis {unknown[0]} of shape "
            f"{tuple(shape)} is unknown (batch axes may be None, transformed ones may not)"
        )
    return [int(shape[a]) for a in axes]  # type: ignore[arg-type]


def subband_keys(n: int) -> list[str]:
    return ["".join(k) for k in itertools.product("ad", repeat=n)]


def reconstruct(
    a: Array | None,
    details: list[dict[str, Any]],
    wavelet: Any,
    mode: str,
    axes: Any,
    executor: Any,
    input_shape: tuple[int, ...] | None,
) -> Array:
    """Invert ``a`` and ``details`` (coarsest first; dict values may be None)."""
    from filterbank.engine import choose_executor, inverse, pywt_lengths

    from filterbank._tf import is_tensor

    arrays = [a] + [v for d in details for v in d.values()]
    present = [x for x in arrays if x is not None]
    if not present:
        raise CoefficientsError("coefficients: at least one array must be given (all are None)")
    want_tensor = any(is_tensor(x) for x in present)
    preps = [prepare(x, "coefficients") for x in present]
    ndims = {len(p.shape) for p in preps}
    if len(ndims) != 1:
        raise CoefficientsError(f"coefficient arrays must all have the same number of dimensions; got {sorted(ndims)}")
    ndim = ndims.pop()
    ax = normalize_axes(axes, ndim)
    bank, mode, lens, modes = per_axis_banks(wavelet, mode, len(ax))
    tensors, is_complex = common_tensors(preps)
    prepared = {id(x): t for x, t in zip(present, tensors)}
    dtype = tensors[0].dtype

    def conv(x: Any) -> Any:
        return None if x is None else prepared[id(x)]

    shift = 1 if is_complex else 0
    t_a = conv(a)
    t_details = [{k: conv(v) for k, v in d.items()} for d in details]
    a_shape = None if a is None else shape_of(a)
    d_shapes: list[tuple[int, ...] | None] = []
    for j, d in enumerate(details):
        shapes = {shape_of(v) for v in d.values() if v is not None}
        if len(shapes) > 1:
            raise CoefficientsError(
                f"coefficients: the detail arrays of level {len(details) - j} must share one shape; got {sorted(shapes, key=str)}"
            )
        d_shapes.append(shapes.pop() if shapes else None)
    ref_shapes = [s for s in [a_shape, *d_shapes] if s is not None]
    for s in ref_shapes:
        static_sizes(s, ax, "coefficients")
    for s in ref_shapes:
        other = [i for i in range(ndim) if i not in ax]
        if any(s[i] != ref_shapes[0][i] for i in other):
            raise CoefficientsError(
                f"coefficients: arrays differ along the non-transformed axes; got shapes {ref_shapes}"
            )
    ex = choose_executor(executor, next(t for t in [t_a, *[v for d in t_details for v in d.values()]] if t is not None))
    axes_t = tuple(x + shift for x in ax)

    p: Plan | None = None
    if input_shape is not None and len(input_shape) == ndim:
        cand = analysis_plan(
            bank, ((2,) if is_complex else ()) + tuple(input_shape), dtype.name, mode, len(details), axes_t, ex
        ) if all(input_shape[i] >= 1 for i in ax) else None
        if cand is not None and fits(cand, a_shape, d_shapes, shift):
            p = cand
    if p is None:
        if a_shape is not None and d_shapes and d_shapes[0] is not None:
            # PyWavelets drops a trailing extra approximation sample.
            if any(a_shape[i] - d_shapes[0][i] not in (0, 1) for i in ax):
                raise CoefficientsError(
                    f"coefficient shape mismatch: approximation {a_shape} does not fit details {d_shapes[0]}"
                )
            if a_shape != d_shapes[0]:
                t_a = t_a[tuple(slice(0, d_shapes[0][i]) if i in ax else slice(None) for i in range(-shift, ndim))]
                a_shape = d_shapes[0]
        lengths = pywt_lengths(a_shape, d_shapes, ax, lens, modes)
        out_shape = list(ref_shapes[0])
        for i, axis in enumerate(ax):
            out_shape[axis] = lengths[0][i][0]
        shift_shape = ((2,) if is_complex else ()) + tuple(out_shape)
        lengths_t = lengths
        p = synthesis_plan(bank, shift_shape, lengths_t, dtype.name, mode, axes_t, ex)
    for key_len in {len(k) for d in details for k in d}:
        if key_len != len(ax):
            raise CoefficientsError(f"coefficient keys must have {len(ax)} letters (one per axis); got length {key_len}")
    out = inverse(p, t_a, t_details)
    return finish(out, not want_tensor, is_complex)


def fits(p: Plan, a_shape: Any, d_shapes: list[Any], shift: int) -> bool:
    for j, s in enumerate(d_shapes):
        level = len(d_shapes) - j
        want = p.coeff_shape(level)[shift:]
        if s is not None and tuple(s) != want:
            return False
    if a_shape is not None and tuple(a_shape) != p.coeff_shape(len(d_shapes))[shift:]:
        return False
    return True


def with_shape(items: Any, shape: tuple[int, ...], axes: tuple[int, ...], mode: str) -> Coefficients:
    return Coefficients(items, input_shape=shape, axes=axes, mode=mode)


def check_list(coeffs: Any, func: str, tuple_details: bool | None) -> list[Any]:
    if isinstance(coeffs, (dict, str)) or not isinstance(coeffs, Sequence):
        raise CoefficientsError(f"{func}: coeffs must be a list [cA_n, details_n, ..., details_1]; got {type(coeffs).__name__}")
    if len(coeffs) < 1:
        raise CoefficientsError(f"{func}: coeffs must hold at least the approximation array; got an empty list")
    for j, d in enumerate(coeffs[1:], start=1):
        if d is None:
            continue
        if tuple_details is True and not (isinstance(d, (tuple, list)) and len(d) == 3):
            raise CoefficientsError(f"{func}: coeffs[{j}] must be a (cH, cV, cD) tuple; got {type(d).__name__}")
        if tuple_details is None and not isinstance(d, dict):
            raise CoefficientsError(f"{func}: coeffs[{j}] must be a dict of detail arrays; got {type(d).__name__}")
        if tuple_details is False and isinstance(d, (tuple, list, dict)):
            raise CoefficientsError(f"{func}: coeffs[{j}] must be an array; got {type(d).__name__}")
    return list(coeffs)


def input_shape_of(coeffs: Any) -> tuple[int, ...] | None:
    shape = getattr(coeffs, "input_shape", None)
    return tuple(shape) if shape is not None else None


def shape_of(x: Any) -> tuple[int, ...]:
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)
