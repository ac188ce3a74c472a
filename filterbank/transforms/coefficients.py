"""Coefficient containers of the decimated transforms: PyWavelets' layouts that know the input shape.

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

from typing import Any

__all__ = ["Coefficients", "CoefficientsDict", "CoefficientsTuple"]


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
