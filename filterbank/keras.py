"""Keras layers: a multi-level wavelet decomposition and its inverse inside a model.

The layers hold no trainable weights; they run filterbank's transforms (so the
kernels are oriented exactly as PyWavelets' filters) on the layer's input and
pass gradients through. ``get_config`` stores the bank as a spec dict, so a
model using a custom bank saves and loads like any other.

This module imports Keras (and so TensorFlow) on import: it is not imported by
``import filterbank``; use ``from filterbank.keras import WaveletDecomposition``.

Examples
--------
>>> import numpy as np
>>> from filterbank.keras import WaveletDecomposition, WaveletReconstruction
>>> dec = WaveletDecomposition("haar", level=2, axes=(1, 2))
>>> coeffs = dec(np.ones((1, 8, 8, 3), dtype="float32"))
>>> [tuple(coeffs[0].shape), tuple(coeffs[1][0].shape)]
[(1, 2, 2, 3), (1, 2, 2, 3)]
>>> tuple(WaveletReconstruction("haar", axes=(1, 2))(coeffs).shape)
(1, 8, 8, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras

from filterbank import transform
from filterbank.design import FilterBank, as_filterbank
from filterbank.errors import InputError
from filterbank.modes import check_mode

__all__ = ["WaveletDecomposition", "WaveletReconstruction"]


def _bank_config(bank: FilterBank) -> dict[str, Any]:
    return bank.to_spec().to_dict()


def _axes(axes: int | Sequence[int]) -> tuple[int, ...]:
    out = (int(axes),) if isinstance(axes, int) else tuple(int(a) for a in axes)
    if not out or len(set(out)) != len(out):
        raise InputError(f"axes must be one axis or distinct axes; got {axes!r}")
    if 0 in out:
        raise InputError(f"axes must not include 0, the batch axis of a Keras layer; got {axes!r}")
    return out


class _WaveletLayer(keras.layers.Layer):
    """Shared set-up: the bank, mode and axes, validated once."""

    def __init__(
        self, wavelet: Any = "haar", *, mode: str = "periodization", axes: int | Sequence[int] = -1, **kwargs: Any
    ) -> None:
        kwargs["trainable"] = False  # no weights: a fixed, exactly oriented transform
        super().__init__(**kwargs)
        self.bank = as_filterbank(wavelet)
        self.mode = check_mode(mode)
        self.axes = _axes(axes)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"wavelet": _bank_config(self.bank), "mode": self.mode, "axes": list(self.axes)})
        return config


@keras.saving.register_keras_serializable(package="filterbank")
class WaveletDecomposition(_WaveletLayer):
    """Multi-level DWT as a layer: ``wavedec`` (one axis), ``wavedec2`` (two) or ``wavedecn``.

    Parameters
    ----------
    wavelet : str, pywt.Wavelet, FilterBank, spec or dict, default 'haar'
        The filter bank (a dict is read as a spec).
    level : int, default 1
        Decomposition depth (>= 1).
    mode : str, default 'periodization'
        Extension mode (keyword-only); 'periodization' keeps sizes halving.
    axes : int or sequence of int, default -1
        Axes to transform (keyword-only); never 0, the batch axis.

    Returns
    -------
    list
        PyWavelets' layout: ``[cA_n, cD_n, ..., cD_1]``, details as tensors (1
        axis), ``(cH, cV, cD)`` tuples (2 axes) or ``{'ad': ...}`` dicts.

    Examples
    --------
    >>> import numpy as np
    >>> out = WaveletDecomposition("db2", level=1, mode="symmetric")(np.ones((2, 10), "float32"))
    >>> [tuple(c.shape) for c in out]
    [(2, 6), (2, 6)]
    """

    def __init__(
        self,
        wavelet: Any = "haar",
        level: int = 1,
        *,
        mode: str = "periodization",
        axes: int | Sequence[int] = -1,
        **kwargs: Any,
    ) -> None:
        super().__init__(wavelet, mode=mode, axes=axes, **kwargs)
        if not isinstance(level, int) or isinstance(level, bool) or level < 1:
            raise InputError(f"level must be an int >= 1; got {level!r}")
        self.level = level

    def call(self, inputs: Any) -> Any:
        return self._decompose(inputs, self.axes)

    def _decompose(self, x: Any, axes: tuple[int, ...]) -> Any:
        if len(axes) == 1:
            return list(transform.wavedec(x, self.bank, self.mode, self.level, axis=axes[0]))
        if len(axes) == 2:
            coeffs = transform.wavedec2(x, self.bank, self.mode, self.level, axes=axes)
            return [coeffs[0], *(tuple(d) for d in coeffs[1:])]
        return list(transform.wavedecn(x, self.bank, self.mode, self.level, axes=axes))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["level"] = self.level
        return config


@keras.saving.register_keras_serializable(package="filterbank")
class WaveletReconstruction(_WaveletLayer):
    """The inverse of :class:`WaveletDecomposition`: ``waverec`` / ``waverec2`` / ``waverecn``.

    Takes the coefficient list and returns the signal. With
    ``mode='periodization'`` and even sizes it is the exact inverse; for other
    modes the output may be one sample longer on odd sizes, as in PyWavelets.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(32.0, dtype="float32").reshape(2, 16)
    >>> c = WaveletDecomposition("db2", level=2)(x)
    >>> y = WaveletReconstruction("db2")(c)
    >>> bool(np.allclose(np.asarray(y), x, atol=1e-5))
    True
    """

    def call(self, inputs: Any) -> Any:
        return self._reconstruct(list(inputs), self.axes)

    def _reconstruct(self, coeffs: Any, axes: tuple[int, ...]) -> Any:
        coeffs = list(coeffs)
        if len(axes) == 1:
            return transform.waverec(coeffs, self.bank, self.mode, axis=axes[0])
        if len(axes) == 2:
            return transform.waverec2(coeffs, self.bank, self.mode, axes=axes)
        return transform.waverecn(coeffs, self.bank, self.mode, axes=axes)
