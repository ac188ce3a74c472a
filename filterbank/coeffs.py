"""Coefficient containers and the conversion of arrays in and out of TensorFlow.

PyWavelets' layouts are kept exactly:

* 1-D ``wavedec``: ``[cA_n, cD_n, ..., cD_1]``
* 2-D ``wavedec2``: ``[cA_n, (cH_n, cV_n, cD_n), ..., (cH_1, cV_1, cD_1)]``
* n-D ``wavedecn``: ``[cA_n, {'ad': ..., 'da': ..., 'dd': ...}, ...]``

Subband keys name, per transformed axis (in the order of ``axes``), ``a`` for
the low-pass and ``d`` for the high-pass branch; ``cH`` is ``'da'`` (detail
along the first axis), ``cV`` is ``'ad'`` and ``cD`` is ``'dd'``::

            axis[1] ->
           +-----+-----+
  axis[0]  | aa  | ad  |     aa = cA   ad = cV
     |     +-----+-----+
     v     | da  | dd  |     da = cH   dd = cD
           +-----+-----+

The multi-level containers returned by filterbank are ordinary ``list`` /
``tuple`` / ``dict`` subclasses that also carry ``input_shape``: the inverse
then returns exactly the input shape (odd lengths included) without trimming.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from filterbank._tf import is_tensor, tf
from filterbank.errors import FilterBankTypeError, InputError

__all__ = ["Coefficients", "CoefficientsDict", "CoefficientsTuple", "Prepared", "finish", "prepare"]


def _record(container: Any, input_shape: Any, axes: Any, mode: str | None) -> None:
    """Attach what the inverse needs (input shape, axes, mode) to a coefficient container."""
    container.input_shape = None if input_shape is None else tuple(input_shape)
    container.axes = None if axes is None else tuple(axes)
    container.mode = mode


class Coefficients(list):  # type: ignore[type-arg]
    """A multi-level coefficient list in PyWavelets' layout that knows the input shape.

    It is a plain ``list`` (PyWavelets accepts it unchanged) with attributes:

    Attributes
    ----------
    input_shape : tuple of int
        Shape of the transformed signal.
    axes : tuple of int
        Transformed axes, non-negative.
    mode : str
        Extension mode of the decomposition.
    """

    def __init__(
        self,
        items: Any = (),
        *,
        input_shape: tuple[int, ...] | None = None,
        axes: tuple[int, ...] | None = None,
        mode: str | None = None,
    ):
        # The defaults let ``tf.nest`` rebuild the container (it calls ``type(x)(items)``);
        # without ``input_shape`` the inverse follows PyWavelets' length rule.
        super().__init__(items)
        _record(self, input_shape, axes, mode)


class CoefficientsTuple(tuple):  # type: ignore[type-arg]
    """A single-level ``(cA, details)`` tuple that knows the input shape."""

    input_shape: tuple[int, ...] | None
    axes: tuple[int, ...] | None
    mode: str | None

    def __new__(
        cls,
        items: Any = (),
        *,
        input_shape: tuple[int, ...] | None = None,
        axes: tuple[int, ...] | None = None,
        mode: str | None = None,
    ):
        self = super().__new__(cls, items)
        _record(self, input_shape, axes, mode)
        return self


class CoefficientsDict(dict):  # type: ignore[type-arg]
    """A single-level ``dwtn`` dict that knows the input shape."""

    def __init__(
        self,
        items: Any = (),
        *,
        input_shape: tuple[int, ...] | None = None,
        axes: tuple[int, ...] | None = None,
        mode: str | None = None,
    ):
        super().__init__(items)
        _record(self, input_shape, axes, mode)


class Prepared(NamedTuple):
    """An input converted for the engine.

    ``tensor`` is real, in the compute dtype; a complex input is split into
    real and imaginary parts stacked along a new leading axis.
    """

    tensor: Any
    numpy: bool
    complex: bool
    shape: tuple[int, ...]


_FLOAT_KINDS = "fiub"


def _compute_dtype(dtype: np.dtype) -> np.dtype:
    if dtype.kind == "c":
        return np.dtype(np.float32) if dtype == np.complex64 else np.dtype(np.float64)
    if dtype == np.float32 or dtype == np.float16:
        return np.dtype(np.float32)
    if dtype.kind in _FLOAT_KINDS:
        return np.dtype(np.float64)
    raise FilterBankTypeError(f"data must be numeric (float, int or complex); got dtype {dtype}")


def prepare(data: Any, name: str = "data") -> Prepared:
    """Convert ``data`` (array-like or ``tf.Tensor``) for the engine.

    float32 and float64 stay as they are; float16 and bfloat16 compute in
    float32; integers and booleans in float64 (as PyWavelets); complex types
    are split into real and imaginary parts.

    Raises
    ------
    FilterBankTypeError
        For non-numeric data.
    InputError
        For 0-d or empty data.
    """
    if is_tensor(data):
        TF = tf()
        t = data
        if t.dtype in (TF.bfloat16, TF.float16):
            t = TF.cast(t, TF.float32)
        elif t.dtype.is_integer or t.dtype == TF.bool:
            t = TF.cast(t, TF.float64)
        elif not (t.dtype.is_complex or t.dtype in (TF.float32, TF.float64)):
            raise FilterBankTypeError(f"{name} must be numeric; got dtype {t.dtype.name}")
        shape = tuple(t.shape)
        if any(s is None for s in shape):
            raise InputError(f"{name} must have a fully known static shape; got {t.shape}")
        is_numpy = False
    else:
        try:
            arr = np.asarray(data)
        except (TypeError, ValueError) as exc:  # ragged lists
            raise FilterBankTypeError(f"{name} must be array-like; got {type(data).__name__}: {exc}") from exc
        if arr.dtype == object or arr.dtype.kind in "USVMm":
            raise FilterBankTypeError(f"{name} must be numeric (float, int or complex); got dtype {arr.dtype}")
        cd = _compute_dtype(arr.dtype)
        if arr.dtype.kind == "c":
            arr = arr.astype(np.complex64 if cd == np.float32 else np.complex128, copy=False)
        else:
            arr = arr.astype(cd, copy=False)
        shape = arr.shape
        is_numpy = True
    if len(shape) == 0:
        raise InputError(f"{name} must have at least one dimension; got a 0-d (scalar) value")
    if any(s == 0 for s in shape):
        raise InputError(f"{name} must not be empty; got shape {tuple(shape)}")
    TF = tf()
    tensor = _from_numpy(arr) if is_numpy else t
    is_complex = bool(tensor.dtype.is_complex)
    if is_complex:
        tensor = TF.stack([TF.math.real(tensor), TF.math.imag(tensor)], axis=0)
    return Prepared(tensor, is_numpy, is_complex, tuple(int(s) for s in shape))


def _from_numpy(arr: np.ndarray) -> Any:
    """A tensor viewing ``arr`` without a copy where DLPack allows it (C-contiguous), else a copy.

    The engine never writes to its input, and the tensor does not outlive the call.
    """
    TF = tf()
    arr = np.ascontiguousarray(arr)
    # TensorFlow aborts the process (not an exception) on a buffer that is not
    # 64-byte aligned, so only aligned buffers are shared; small arrays are copied.
    if arr.ctypes.data % 64 == 0 and arr.nbytes >= 1 << 16:
        try:
            return TF.experimental.dlpack.from_dlpack(arr.__dlpack__())
        except Exception:  # read-only arrays, old numpy: fall back to a copy
            pass
    return TF.convert_to_tensor(arr)


def finish(t: Any, prep_numpy: bool, prep_complex: bool) -> Any:
    """Undo :func:`prepare` on one result: rejoin complex parts, return numpy for numpy input."""
    TF = tf()
    if prep_complex:
        t = TF.complex(t[0], t[1])
    if prep_numpy:
        return _aligned_copy(np.asarray(t))
    return t


def _aligned_copy(view: np.ndarray) -> np.ndarray:
    """A fresh, writable copy of ``view`` whose buffer is 64-byte aligned.

    Results handed back to numpy are copies (PyWavelets returns writable arrays);
    aligning them lets :func:`prepare` share them with TensorFlow without another
    copy when they come back, e.g. ``waverec(wavedec(x))``.
    """
    if view.nbytes < 1 << 16:
        return np.array(view)
    raw = np.empty(view.nbytes + 64, dtype=np.uint8)
    start = (-raw.ctypes.data) % 64
    out = raw[start : start + view.nbytes].view(view.dtype).reshape(view.shape)
    np.copyto(out, view)
    return out
