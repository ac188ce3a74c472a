"""scipy's dtype rules for `filterbank.ops`: operands, result dtype, fill value, exact integers.

What scipy.signal returns, and how filterbank gets there on TensorFlow, which
computes only in float32 and float64::

    arrays                numpy.result_type(x, kernel)      int8 * int8 -> int8 (wrapping), bool -> bool
    a tensor among them   x's floating dtype                TensorFlow's rule: the data sets the precision
    fillvalue             numpy.asarray(fillvalue, out)     as scipy's convolve2d: 1.7 -> 1 for integers

Integer results are computed in float64, exact while ``max|x| * sum|k| <
2**53``; past it, `integer_result` splits the operands into limbs.
"""

from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple

import numpy as np

from filterbank.backend import _tf
from filterbank.dtypes import EXTENDED, compute_dtype, is_complex, numpy_compute_dtype
from filterbank.errors import FilterBankTypeError, InputError

__all__ = ["Operand", "fill_value", "integer_result", "numeric", "output_dtype"]

_EXACT_INT = 2.0**53  # float64 sums of integer products are exact below this


class Operand(NamedTuple):
    """One operand of a convolution, ready for TensorFlow, with the dtype the caller gave."""

    value: Any  # numpy array (TensorFlow-compatible dtype) or tensor
    dtype: Any  # the dtype the caller passed (numpy dtype, or TensorFlow's name)


def numeric(value: Any, name: str) -> Operand:
    """Return the operand ready for TensorFlow, with its original dtype; refuse non-numbers."""
    if _tf.is_tensor(value):
        compute_dtype(value.dtype, name)  # refuses non-numbers
        return Operand(value, value.dtype.name)
    try:
        value = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise FilterBankTypeError(f"{name} must be a numeric array; got {type(value).__name__} ({exc})") from None
    dtype = value.dtype
    compute_dtype(dtype, name)  # refuses non-numbers, naming the dtype as numpy does
    if dtype.name in EXTENDED:
        value = value.astype(numpy_compute_dtype(dtype, name))
    elif not dtype.isnative:
        value = value.astype(dtype.newbyteorder("="))
    return Operand(value, dtype)


def output_dtype(x: Operand, k: Operand, as_tensor: bool) -> Any:
    """scipy's ``result_type`` for arrays; for tensors, ``x``'s floating dtype (complex if either is)."""
    if not as_tensor:
        return np.result_type(x.dtype, k.dtype)
    name = x.dtype if isinstance(x.dtype, str) else x.dtype.name
    real = name if name in ("float16", "bfloat16") else compute_dtype(name, "x")
    if not (is_complex(name) or is_complex(k.dtype)):
        return real
    return "complex64" if compute_dtype(name, "x") == "float32" else "complex128"


def fill_value(fillvalue: Any, out_dtype: Any) -> Any:
    """The fill value as scipy's ``convolve2d`` makes it: converted to the output dtype."""
    target = np.dtype("float32" if str(out_dtype) == "bfloat16" else out_dtype)
    try:
        with np.errstate(all="ignore"):
            fill = np.asarray(fillvalue, dtype=target)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(
            f"could not cast `fillvalue` directly to the output type {target}; got {fillvalue!r} ({exc})"
        ) from None
    if fill.size != 1:
        raise InputError(f"`fillvalue` must be scalar or an array with one element; got shape {fill.shape}")
    return fill.reshape(())[()]


def integer_result(compute: Callable[[Any, Any, Any], Any], a: np.ndarray, b: np.ndarray, fill: Any, out_dtype: np.dtype) -> np.ndarray:
    """Integer (and bool) outputs, exact with scipy's wrap-around on overflow.

    Products are computed in float64, exact while every partial sum stays below
    ``2**53``. Beyond, both operands are split into unsigned limbs of ``w``
    bits (``(2**w - 1)**2 * b.size < 2**53``) and the limb products
    recombined modulo ``2**64``, which numpy's ``uint64`` arithmetic does.
    """
    if out_dtype.kind == "b":
        return compute(a.astype(np.float64), b.astype(np.float64), np.float64(fill)).numpy() != 0
    bound = max(float(np.abs(a.astype(np.float64)).max()), abs(float(fill))) * float(np.abs(b.astype(np.float64)).sum())
    if bound < _EXACT_INT:
        out = compute(a.astype(np.float64), b.astype(np.float64), np.float64(fill)).numpy()
        return np.rint(out).astype(np.int64).astype(out_dtype)
    width = max(1, int((53 - math.log2(b.size) - 1e-9) // 2))
    limbs = -(-64 // width)
    mask = np.uint64((1 << width) - 1)
    au, bu = a.astype(np.uint64), b.astype(np.uint64)
    fu = np.asarray(fill).astype(np.int64).astype(np.uint64)

    def limb(v: Any, p: int) -> Any:
        return ((v >> np.uint64(width * p)) & mask).astype(np.float64)

    total: Any = None
    for p in range(limbs):
        for q in range(limbs - p):
            shift = width * (p + q)  # < 64: p + q < limbs
            part = compute(limb(au, p), limb(bu, q), limb(fu, p)[()]).numpy()
            term = np.rint(part).astype(np.uint64) << np.uint64(shift)
            total = term if total is None else total + term
    return total.astype(out_dtype)
