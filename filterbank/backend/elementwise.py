"""The few array operations the coefficient utilities need, for numpy arrays and tensors alike.

`namespace` returns numpy itself when no argument is a tensor, and otherwise
a small object with the same function names running TensorFlow ops, so that
thresholding, MRA and the fully separable transform are written once::

    xp = namespace(data)
    magnitude = xp.absolute(data)
    xp.where(xp.less(magnitude, value), substitute, data)

TensorFlow is imported only when a tensor is seen.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from filterbank.backend._tf import is_tensor, tf

__all__ = ["namespace", "scale"]


class _TensorOps:
    """numpy's names for the TensorFlow ops used here (constants take the data's dtype)."""

    def __init__(self) -> None:
        self.tf = tf()

    def absolute(self, x: Any) -> Any:
        return self.tf.abs(x)

    def less(self, a: Any, b: Any) -> Any:
        return self.tf.less(a, self._like(b, a))

    def greater(self, a: Any, b: Any) -> Any:
        return self.tf.greater(a, self._like(b, a))

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        ref = b if self.tf.is_tensor(b) else a
        return self.tf.where(cond, self._like(a, ref), self._like(b, ref))

    def maximum(self, a: Any, b: Any) -> Any:
        return self.tf.maximum(a, self._like(b, a))

    def zeros_like(self, x: Any) -> Any:
        return self.tf.zeros_like(x)

    def concatenate(self, values: list[Any], axis: int) -> Any:
        return self.tf.concat(list(values), axis)

    def iscomplexobj(self, x: Any) -> bool:
        return bool(self.tf.as_dtype(x.dtype).is_complex)

    def _like(self, value: Any, ref: Any) -> Any:
        if self.tf.is_tensor(value):
            return value
        return self.tf.cast(self.tf.constant(value), ref.dtype) if np.isscalar(value) else self.tf.convert_to_tensor(value, ref.dtype)


def namespace(*values: Any) -> Any:
    """numpy, or the TensorFlow ops when any of ``values`` is a tensor.

    Examples
    --------
    >>> namespace(np.ones(2)) is np
    True
    """
    return _TensorOps() if any(is_tensor(v) for v in values) else np


def scale(data: Any, factor: Any) -> Any:
    """``data * factor`` with a real ``factor`` (cast to ``data``'s dtype for a complex tensor).

    Examples
    --------
    >>> scale(np.array([1 + 1j]), np.array([2.0])).tolist()
    [(2+2j)]
    """
    if is_tensor(data):
        return data * tf().cast(factor, data.dtype)
    return data * factor
