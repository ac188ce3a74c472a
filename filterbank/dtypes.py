"""The dtype policy shared by the convolution ops and the wavelet transforms.

TensorFlow computes in float32 or float64. Data of another numeric dtype is
computed in the nearest of the two that loses nothing TensorFlow can keep:

=================================  =====================
input dtype                        computed in
=================================  =====================
float32, float16, bfloat16         float32
float64, integers, bool            float64
long double (float128)             float64 (TensorFlow's widest, as PyWavelets)
complex64                          float32 real and imaginary parts
complex128, complex256             float64 real and imaginary parts
=================================  =====================

What comes back differs by caller and is documented there: the convolution
ops return float16 / bfloat16 in their own dtype, the transforms in float32.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from filterbank.errors import FilterBankTypeError

__all__ = ["EXTENDED", "compute_dtype", "is_complex", "numpy_compute_dtype"]

EXTENDED = ("float96", "float128", "longdouble", "complex192", "complex256", "clongdouble")
"""numpy's long double names: TensorFlow cannot hold them, so they are converted first."""

_COMPUTE = {
    "bool": "float64",
    "float16": "float32",
    "bfloat16": "float32",
    "float32": "float32",
    "float64": "float64",
    "float96": "float64",
    "float128": "float64",
    "longdouble": "float64",
    "complex64": "float32",
    "complex128": "float64",
    "complex192": "float64",
    "complex256": "float64",
    "clongdouble": "float64",
}


def _name(dtype: Any) -> tuple[str, str]:
    """(canonical name, name to show) of a dtype given as a string, a numpy or a TensorFlow dtype."""
    if isinstance(dtype, str):
        return dtype, dtype
    if isinstance(dtype, np.dtype):
        return dtype.name, str(dtype)  # '<U1' reads better than 'str32'; '>f8' is 'float64'
    return dtype.name, dtype.name


def compute_dtype(dtype: Any, what: str = "data") -> str:
    """The real dtype (``"float32"`` or ``"float64"``) that data of ``dtype`` is computed in.

    ``dtype`` is a name, a numpy dtype (any byte order) or a TensorFlow dtype.

    Raises
    ------
    FilterBankTypeError
        For a dtype that is not a number (strings, objects, dates), naming ``what``.

    Examples
    --------
    >>> compute_dtype("int16"), compute_dtype("bfloat16"), compute_dtype("complex128")
    ('float64', 'float32', 'float64')
    """
    name, shown = _name(dtype)
    if name in _COMPUTE:
        return _COMPUTE[name]
    if name.startswith(("int", "uint")):
        return "float64"
    raise FilterBankTypeError(f"{what} must be numeric (bool, int, float or complex); got dtype {shown}")


def is_complex(dtype: Any) -> bool:
    """Whether ``dtype`` is complex (computed as real and imaginary parts)."""
    return _name(dtype)[0].startswith(("complex", "clongdouble"))


def numpy_compute_dtype(dtype: Any, what: str = "data") -> str:
    """The numpy dtype (native byte order) an array of ``dtype`` becomes before it enters TensorFlow.

    Real data becomes `compute_dtype`; complex data the complex type of
    that precision.

    Examples
    --------
    >>> numpy_compute_dtype("uint8"), numpy_compute_dtype("complex64"), numpy_compute_dtype("float16")
    ('float64', 'complex64', 'float32')
    """
    real = compute_dtype(dtype, what)
    if is_complex(dtype):
        return "complex64" if real == "float32" else "complex128"
    return real
