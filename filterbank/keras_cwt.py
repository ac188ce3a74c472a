"""The Keras layer `Scalogram`: a CWT (magnitude, power or complex) inside a model.

Imports Keras (and so TensorFlow) on import, through `filterbank.backend._tf`; re-exported
by `filterbank.keras`.

Examples
--------
>>> import numpy as np
>>> from filterbank.keras import Scalogram
>>> layer = Scalogram([2.0, 4.0, 8.0], "cmor1.5-1.0", hop=4)
>>> tuple(layer(np.ones((5, 64), dtype="float32")).shape)    # (batch, scales, time / hop)
(5, 3, 16)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from filterbank.backend._tf import keras_module, tf
from filterbank.design.continuous import as_continuous_wavelet
from filterbank.transforms.continuous import cwt
from filterbank.errors import InputError, check_option

if TYPE_CHECKING:
    import keras
else:
    keras = keras_module()

__all__ = ["Scalogram"]


@keras.saving.register_keras_serializable(package="filterbank")
class Scalogram(keras.layers.Layer):
    """Continuous wavelet transform of the last axis: ``(batch, ..., time)`` -> ``(batch, ..., scales, time / hop)``.

    Parameters
    ----------
    scales : sequence of float
        Positive scales (`filterbank.cwt_scales` builds them from frequencies).
    wavelet : str, default 'cmor1.5-1.0'
        A continuous wavelet name.
    output : {"magnitude", "power", "complex"}, default 'magnitude'
        ``|c|``, ``|c|^2`` (float) or the complex coefficients (keyword-only).
    method : {"fft", "conv"}, default 'fft'
        As in `filterbank.cwt` (keyword-only).
    hop : int, default 1
        Output decimation in time (keyword-only).
    precision : int, default 12
        ``2**precision`` wavelet samples (keyword-only).

    Notes
    -----
    No weights; gradients flow to the input. Equal to ``pywt.cwt`` with the
    scale axis moved next to time.
    """

    def __init__(self, scales: Any, wavelet: str = "cmor1.5-1.0", *, output: str = "magnitude",
                 method: str = "fft", hop: int = 1, precision: int = 12, **kwargs: Any) -> None:
        kwargs["trainable"] = False
        super().__init__(**kwargs)
        s = np.atleast_1d(np.asarray(scales, dtype=np.float64))
        if s.ndim != 1 or s.size == 0 or not np.all(np.isfinite(s)) or np.any(s <= 0):
            raise InputError(f"scales must be a 1-D sequence of positive numbers; got {scales!r}")
        self.scales = tuple(float(v) for v in s)
        self.wavelet = as_continuous_wavelet(wavelet).name
        self.output_kind = check_option("output", output, ("magnitude", "power", "complex"))
        self.method = check_option("method", method, ("fft", "conv"))
        if isinstance(hop, bool) or not isinstance(hop, (int, np.integer)) or hop < 1:
            raise InputError(f"hop must be an integer >= 1; got {hop!r}")
        self.hop = int(hop)
        self.precision = int(precision)
        cwt(np.zeros(8), [self.scales[-1]], self.wavelet, precision=self.precision)  # refuse bad scales now

    def call(self, inputs: Any) -> Any:
        TF = tf()
        x = TF.convert_to_tensor(inputs)
        if not (x.dtype.is_floating or x.dtype.is_complex):
            x = TF.cast(x, TF.float32)
        coefs, _ = cwt(x, np.asarray(self.scales), self.wavelet, method=self.method, axis=-1,  # type: ignore[arg-type]
                       precision=self.precision, hop=self.hop)
        nd = len(coefs.shape)
        y = TF.transpose(coefs, list(range(1, nd - 1)) + [0, nd - 1])  # scales next to time
        if self.output_kind == "complex":
            return y
        mag = TF.math.abs(y)
        return mag if self.output_kind == "magnitude" else TF.math.square(mag)

    def compute_output_shape(self, input_shape: Any) -> tuple[Any, ...]:
        n = input_shape[-1]
        return (*input_shape[:-1], len(self.scales), None if n is None else -(-n // self.hop))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"scales": list(self.scales), "wavelet": self.wavelet, "output": self.output_kind,
                       "method": self.method, "hop": self.hop, "precision": self.precision})
        return config
