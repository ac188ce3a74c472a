"""Assertions with tolerances that scale with dtype and the number of summed terms."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["assert_close", "tolerance"]

#: Relative tolerance for float64 results (of the output scale, see `tolerance`).
RTOL_FLOAT64 = 1e-12


def tolerance(dtype: Any, terms: int = 1) -> float:
    """Relative tolerance for a sum of ``terms`` products computed in ``dtype``.

    float64 gets the fixed ``1e-12`` the project promises. Lower precisions get
    ``8 * eps * sqrt(terms)`` (plus one ``eps`` for rounding the final result
    back), the statistical growth of round-off in a sum of ``terms`` products;
    float16 and bfloat16, which are computed in float32 and rounded at the end,
    get their own ``eps`` on top.

    Parameters
    ----------
    dtype : str or numpy dtype
        The dtype the computation ran in.
    terms : int, default 1
        Number of products summed per output (the kernel size).

    Examples
    --------
    >>> tolerance("float64")
    1e-12
    >>> round(tolerance("float32", terms=9) / np.finfo(np.float32).eps)
    25
    """
    name = "bfloat16" if str(dtype) == "bfloat16" else np.dtype(dtype).name
    if name in ("float64", "complex128"):
        return RTOL_FLOAT64
    eps32 = float(np.finfo(np.float32).eps)
    base = eps32 * (8.0 * math.sqrt(max(terms, 1)) + 1.0)
    if name == "float16":
        return base + float(np.finfo(np.float16).eps)
    if name == "bfloat16":
        return base + 2.0**-7
    return base


def assert_close(
    actual: Any,
    desired: Any,
    *,
    dtype: Any = None,
    terms: int = 1,
    scale: float | None = None,
    err_msg: str = "",
) -> None:
    """Assert ``actual`` equals ``desired`` within a dtype- and size-aware tolerance.

    The check is norm-wise: ``max|actual - desired| <= tol * scale`` with
    ``tol = tolerance(dtype, terms)`` and ``scale`` the larger of ``max|desired|``
    and the given ``scale`` (pass ``max|x| * sum|k|`` for a convolution, the
    natural size of its output). Shapes must match exactly; NaN must sit at the
    same places in both and infinities must be equal.

    Parameters
    ----------
    actual : array_like or tf.Tensor
        Result under test.
    desired : array_like
        Reference (scipy, PyWavelets, a hand-derived value).
    dtype : dtype, optional
        Dtype the computation ran in; default: ``actual``'s dtype.
    terms : int, default 1
        Number of products summed per output value.
    scale : float, optional
        Magnitude to measure the error against (see above).
    err_msg : str, optional
        Extra text for the failure message.

    Raises
    ------
    AssertionError
        With the shapes or the worst error, the tolerance and where it happened.

    Examples
    --------
    >>> assert_close([1.0, 2.0 + 1e-9], [1.0, 2.0])
    Traceback (most recent call last):
    ...
    AssertionError: max error 1e-09 > tolerance 2e-12 (rtol 1e-12 x scale 2) at index (1,)
    """
    if hasattr(actual, "numpy"):
        actual = actual.numpy()
    a = np.asarray(actual)
    d = np.asarray(desired)
    prefix = f"{err_msg}: " if err_msg else ""
    if a.shape != d.shape:
        raise AssertionError(f"{prefix}shape {a.shape} != expected {d.shape}")
    if dtype is None:
        dtype = a.dtype if a.dtype.kind in "fc" else np.float64
    a = a.astype(np.complex128 if np.iscomplexobj(a) or np.iscomplexobj(d) else np.float64)
    d = d.astype(a.dtype)
    nan_a, nan_d = np.isnan(a), np.isnan(d)
    if not np.array_equal(nan_a, nan_d):
        where = np.argwhere(nan_a != nan_d)[0]
        raise AssertionError(f"{prefix}NaN pattern differs, first at index {tuple(int(i) for i in where)}")
    inf_d = np.isinf(d)
    if not np.array_equal(a[inf_d], d[inf_d]) or np.isinf(a[~inf_d & ~nan_d]).any():
        raise AssertionError(f"{prefix}infinities differ")
    finite = ~nan_d & ~inf_d
    if not finite.any():
        return
    err = np.zeros(a.shape)
    err[finite] = np.abs(a[finite] - d[finite])
    ref = float(np.max(np.abs(d[finite])))
    s = max(ref, scale or 0.0, np.finfo(np.float64).tiny)
    rtol = tolerance(dtype, terms)
    tol = rtol * s
    worst = float(err.max())
    if worst > tol:
        at = np.unravel_index(int(np.argmax(err)), err.shape)
        raise AssertionError(
            f"{prefix}max error {worst:.3g} > tolerance {tol:.3g} (rtol {rtol:.3g} x scale {s:.3g}) "
            f"at index {tuple(int(i) for i in at)}"
        )
