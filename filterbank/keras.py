"""Keras layers: a multi-level wavelet decomposition and its inverse inside a model.

The layers hold no trainable weights; they run filterbank's transforms (so the
kernels are oriented exactly as PyWavelets' filters) on the layer's input and
pass gradients through. ``get_config`` stores the bank as a spec dict, so a
model using a custom bank saves and loads like any other.

This module imports Keras (and so TensorFlow) on import: it is not imported by
``import filterbank``; use ``from filterbank.keras import WaveletDecomposition``.
Keras comes through `filterbank.backend._tf.keras_module`, which imports TensorFlow
first, quietly (Keras alone would import it with its start-up log).

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

Outside ``periodization`` an odd length comes back one sample longer, as in
PyWavelets, unless the reconstruction knows the length: give ``length=`` or
take the decomposition's own inverse.

>>> dec = WaveletDecomposition("db2", level=2, mode="symmetric")
>>> coeffs = dec(np.ones((1, 37), dtype="float32"))
>>> tuple(WaveletReconstruction("db2", mode="symmetric")(coeffs).shape)
(1, 38)
>>> tuple(dec.inverse()(coeffs).shape), tuple(WaveletReconstruction("db2", mode="symmetric", length=37)(coeffs).shape)
((1, 37), (1, 37))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from filterbank.transforms import decimated as transform
from filterbank.transforms import packets
from filterbank.backend._tf import keras_module
from filterbank.design.bank import FilterBank
from filterbank.design.names import as_filterbank
from filterbank.errors import InputError
from filterbank.keras_cwt import Scalogram
from filterbank.keras_mchannel import PQMFAnalysis, PQMFSynthesis
from filterbank.modes import check_mode
from filterbank.plans.packets import check_order

if TYPE_CHECKING:
    import keras
else:
    keras = keras_module()

__all__ = ["PQMFAnalysis", "PQMFSynthesis", "PacketDecomposition", "PacketReconstruction", "Scalogram", "WaveletDecomposition", "WaveletReconstruction"]


def _bank_config(bank: FilterBank) -> dict[str, Any]:
    return bank.to_spec().to_dict()


def _axes(axes: int | Sequence[int]) -> tuple[int, ...]:
    out = (int(axes),) if isinstance(axes, int) else tuple(int(a) for a in axes)
    if not out or len(set(out)) != len(out):
        raise InputError(f"axes must be one axis or distinct axes; got {axes!r}")
    if 0 in out:
        raise InputError(f"axes must not include 0, the batch axis of a Keras layer; got {axes!r}")
    return out


def _lengths(length: int | Sequence[int], axes: tuple[int, ...]) -> tuple[int, ...]:
    """``length`` as one positive int per axis."""
    values = (length,) if isinstance(length, int) else tuple(length)
    if len(values) != len(axes) or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in values):
        raise InputError(f"length must be one int >= 1 per axis of axes {axes}; got {length!r}")
    return tuple(int(n) for n in values)


def _cut(y: Any, axes: tuple[int, ...], lengths: tuple[int, ...]) -> Any:
    """``y`` cut to ``lengths`` along ``axes`` (refusing a length the reconstruction does not reach)."""
    rank = len(y.shape)
    index = [slice(None)] * rank
    for axis, n in zip(axes, lengths):
        have = y.shape[axis]
        if have is not None and have < n:
            raise InputError(f"length {n} along axis {axis} exceeds the reconstruction's length {have}; "
                             "give the decomposition's input length")
        index[axis % rank] = slice(0, n)
    return y[tuple(index)]


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

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        if any(not -len(shape) < a < len(shape) for a in self.axes):
            raise InputError(f"axes {self.axes} out of range for inputs of shape {shape}")
        self.input_lengths = tuple(None if shape[a] is None else int(shape[a]) for a in self.axes)
        super().build(input_shape)

    def call(self, inputs: Any) -> Any:
        return self._decompose(inputs, self.axes)

    def inverse(self, **kwargs: Any) -> WaveletReconstruction:
        """The reconstruction layer that undoes this one exactly: same bank, mode and axes, and its length.

        The length along each axis is the one this layer was built with (its
        input's static shape), so odd lengths come back exactly. Call it after
        this layer has seen its input; ``kwargs`` go to
        `WaveletReconstruction` (``name=``...).

        Raises
        ------
        InputError
            If this layer has not been built yet, or an input length is not
            static (None): then give ``WaveletReconstruction(length=...)``.

        Examples
        --------
        >>> import numpy as np
        >>> dec = WaveletDecomposition("haar", level=2, mode="symmetric", axes=(1, 2))
        >>> coeffs = dec(np.ones((1, 11, 7), dtype="float32"))
        >>> rec = dec.inverse()
        >>> rec.length, tuple(rec(coeffs).shape)
        ((11, 7), (1, 11, 7))
        """
        lengths = getattr(self, "input_lengths", None)
        if lengths is None or None in lengths:
            why = "has not seen its input yet" if lengths is None else f"has input lengths {lengths} along axes {self.axes}"
            raise InputError(f"inverse(): this decomposition {why}; call it on its input first, or give "
                             "WaveletReconstruction(length=...) the lengths to return")
        return WaveletReconstruction(self.bank, mode=self.mode, axes=self.axes, length=lengths, **kwargs)

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
    """The inverse of `WaveletDecomposition`: ``waverec`` / ``waverec2`` / ``waverecn``.

    Takes the coefficient list and returns the signal. With ``length`` (or as
    ``WaveletDecomposition.inverse()``) it is the exact inverse for every size
    and mode. Without it, the output follows PyWavelets' length rule: exact
    for ``mode='periodization'`` with even sizes, one sample longer on odd
    sizes otherwise.

    Parameters
    ----------
    wavelet : str, pywt.Wavelet, FilterBank, spec or dict, default 'haar'
        The filter bank of the decomposition.
    mode : str, default 'periodization'
        Extension mode (keyword-only).
    axes : int or sequence of int, default -1
        Transformed axes (keyword-only), as given to the decomposition.
    length : int or sequence of int, optional
        Keyword-only: the decomposition's input length along each of ``axes``
        (one int for one axis); the output is cut to it. It must not exceed
        the reconstruction's own length.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(32.0, dtype="float32").reshape(2, 16)
    >>> c = WaveletDecomposition("db2", level=2)(x)
    >>> y = WaveletReconstruction("db2")(c)
    >>> bool(np.allclose(np.asarray(y), x, atol=1e-5))
    True
    """

    def __init__(
        self,
        wavelet: Any = "haar",
        *,
        mode: str = "periodization",
        axes: int | Sequence[int] = -1,
        length: int | Sequence[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(wavelet, mode=mode, axes=axes, **kwargs)
        self.length = None if length is None else _lengths(length, self.axes)

    def call(self, inputs: Any) -> Any:
        y = self._reconstruct(list(inputs), self.axes)
        return y if self.length is None else _cut(y, self.axes, self.length)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["length"] = None if self.length is None else list(self.length)
        return config

    def _reconstruct(self, coeffs: Any, axes: tuple[int, ...]) -> Any:
        coeffs = list(coeffs)
        if len(axes) == 1:
            return transform.waverec(coeffs, self.bank, self.mode, axis=axes[0])
        if len(axes) == 2:
            return transform.waverec2(coeffs, self.bank, self.mode, axes=axes)
        return transform.waverecn(coeffs, self.bank, self.mode, axes=axes)


def _packet_axes(axes: int | Sequence[int]) -> tuple[int, ...]:
    out = _axes(axes)
    if len(out) > 2:
        raise InputError(f"axes must name one or two axes for a packet layer; got {axes!r}")
    return out


def _coeff_axes(axes: tuple[int, ...]) -> tuple[int, ...]:
    """The input's ``axes`` as axes of the stacked nodes (one axis inserted before the first)."""
    return tuple(a + 1 if a >= 0 else a for a in axes)


@keras.saving.register_keras_serializable(package="filterbank")
class PacketDecomposition(_WaveletLayer):
    """The deepest level of a wavelet packet tree as a layer: `filterbank.wpdec` (one axis) or `wpdec2` (two).

    ``(batch, ..., n, ...)`` -> ``(batch, ..., 2 ** level, m, ...)``: the
    nodes are stacked on a new axis just before the first of ``axes``
    (``4 ** level`` nodes for two axes). Each level of the tree is one batched
    call on all of its nodes; gradients flow to the input; the batch size may
    be unknown (``model.fit``).

    Parameters
    ----------
    wavelet : str, pywt.Wavelet, FilterBank, spec or dict, default 'haar'
        The filter bank (a dict is read as a spec).
    level : int, default 1
        Depth of the tree (>= 1).
    mode : str, default 'periodization'
        Extension mode (keyword-only); 'periodization' keeps sizes halving.
    axes : int or pair of int, default -1
        Axes to transform (keyword-only); never 0, the batch axis.
    order : {"freq", "natural"}, default 'freq'
        Node order on the new axis (keyword-only): by frequency band, or
        PyWavelets' natural (path) order.

    Examples
    --------
    >>> import numpy as np
    >>> layer = PacketDecomposition("haar", level=2, axes=(1, 2))
    >>> tuple(layer(np.ones((2, 16, 16, 3), "float32")).shape)
    (2, 16, 4, 4, 3)
    """

    def __init__(self, wavelet: Any = "haar", level: int = 1, *, mode: str = "periodization",
                 axes: int | Sequence[int] = -1, order: str = "freq", **kwargs: Any) -> None:
        super().__init__(wavelet, mode=mode, axes=_packet_axes(axes), **kwargs)
        if not isinstance(level, int) or isinstance(level, bool) or level < 1:
            raise InputError(f"level must be an int >= 1; got {level!r}")
        self.level = level
        self.order = check_order(order)

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        if any(not -len(shape) < a < len(shape) for a in self.axes):
            raise InputError(f"axes {self.axes} out of range for inputs of shape {shape}")
        self.input_lengths = tuple(None if shape[a] is None else int(shape[a]) for a in self.axes)
        super().build(input_shape)

    def call(self, inputs: Any) -> Any:
        if len(self.axes) == 1:
            return packets.wpdec(inputs, self.bank, self.level, self.mode, order=self.order, axis=self.axes[0])
        return packets.wpdec2(inputs, self.bank, self.level, self.mode, order=self.order, axes=self.axes)

    def inverse(self, **kwargs: Any) -> PacketReconstruction:
        """The reconstruction layer that undoes this one exactly (same bank, mode, axes, order and length).

        Call it after this layer has seen its input; ``kwargs`` go to
        `PacketReconstruction`.

        Examples
        --------
        >>> import numpy as np
        >>> dec = PacketDecomposition("db2", level=2, mode="symmetric")
        >>> nodes = dec(np.ones((1, 37), "float32"))
        >>> tuple(nodes.shape), tuple(dec.inverse()(nodes).shape)
        ((1, 4, 11), (1, 37))
        """
        lengths = getattr(self, "input_lengths", None)
        if lengths is None or None in lengths:
            why = "has not seen its input yet" if lengths is None else f"has input lengths {lengths} along axes {self.axes}"
            raise InputError(f"inverse(): this decomposition {why}; call it on its input first, or give "
                             "PacketReconstruction(length=...) the lengths to return")
        return PacketReconstruction(self.bank, mode=self.mode, axes=self.axes, order=self.order, length=lengths,
                                    **kwargs)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"level": self.level, "order": self.order})
        return config


@keras.saving.register_keras_serializable(package="filterbank")
class PacketReconstruction(_WaveletLayer):
    """The inverse of `PacketDecomposition`: `filterbank.wprec` / `wprec2` on the stacked nodes.

    Parameters
    ----------
    wavelet : str, pywt.Wavelet, FilterBank, spec or dict, default 'haar'
        The filter bank of the decomposition.
    mode : str, default 'periodization'
        Extension mode (keyword-only).
    axes : int or pair of int, default -1
        The decomposition's axes, numbered as on its input (keyword-only).
    order : {"freq", "natural"}, default 'freq'
        The decomposition's node order (keyword-only).
    length : int or sequence of int, optional
        Keyword-only: the decomposition's input length along each of ``axes``;
        default PyWavelets' inverse length per level (exact for
        'periodization' on sizes divisible by ``2 ** level``).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(64.0, dtype="float32").reshape(2, 32)
    >>> nodes = PacketDecomposition("db2", level=3)(x)
    >>> bool(np.allclose(np.asarray(PacketReconstruction("db2")(nodes)), x, atol=1e-4))
    True
    """

    def __init__(self, wavelet: Any = "haar", *, mode: str = "periodization", axes: int | Sequence[int] = -1,
                 order: str = "freq", length: int | Sequence[int] | None = None, **kwargs: Any) -> None:
        super().__init__(wavelet, mode=mode, axes=_packet_axes(axes), **kwargs)
        self.order = check_order(order)
        self.length = None if length is None else _lengths(length, self.axes)

    def call(self, inputs: Any) -> Any:
        axes = _coeff_axes(self.axes)
        if len(axes) == 1:
            length = None if self.length is None else self.length[0]
            return packets.wprec(inputs, self.bank, self.mode, order=self.order, axis=axes[0], length=length)
        return packets.wprec2(inputs, self.bank, self.mode, order=self.order, axes=axes, length=self.length)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"order": self.order, "length": None if self.length is None else list(self.length)})
        return config
