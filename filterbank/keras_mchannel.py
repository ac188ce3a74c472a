"""Keras layers `PQMFAnalysis` and `PQMFSynthesis`: M-channel banks (PQMF, DFT) inside a model.

The multi-band vocoder layout: ``(batch, ..., time)`` in, ``(batch, ..., bands,
time / D)`` out, and back. No weights; gradients flow through both layers, so
a model can be trained on sub-band losses. Imports Keras (and so TensorFlow) on
import, through `filterbank.backend._tf`; re-exported by `filterbank.keras`.

Examples
--------
>>> import numpy as np
>>> from filterbank.keras import PQMFAnalysis, PQMFSynthesis
>>> x = np.random.default_rng(0).standard_normal((2, 256)).astype("float32")
>>> bands = PQMFAnalysis("pqmf4")(x)
>>> tuple(bands.shape)                                   # (batch, bands, time / 4 + tail)
(2, 4, 80)
>>> y = PQMFSynthesis("pqmf4", length=256)(bands)
>>> bool(np.abs(y.numpy() - x).max() < 1e-2)              # pqmf4 is near-perfect, not perfect
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from filterbank.backend._tf import keras_module, tf
from filterbank.errors import InputError, check_count
from filterbank.plans.mchannel import n_coef
from filterbank.transforms.mchannel import as_mchannel, mdec, mrec

if TYPE_CHECKING:
    import keras
else:
    keras = keras_module()

__all__ = ["PQMFAnalysis", "PQMFSynthesis"]


def _bank_config(bank: Any) -> Any:
    """What ``get_config`` stores: the name as given, or the bank's spec (taps for a hand-built bank)."""
    if isinstance(bank, str):
        return bank
    built = as_mchannel(bank)
    if built.spec is not None:
        return built.spec.to_dict()
    return {"filterbank": 1, "kind": "mchannel", "name": built.name, "channels": int(built.analysis.shape[0]),
            "decimation": built.decimation, "analysis": built.analysis.tolist(), "synthesis": built.synthesis.tolist()}


class _MChannelLayer(keras.layers.Layer):
    def __init__(self, bank: Any = "pqmf4", *, level: int = 1, **kwargs: Any) -> None:
        kwargs["trainable"] = False
        super().__init__(**kwargs)
        self.bank_config = _bank_config(bank)
        self.bank = as_mchannel(self.bank_config)  # refuses a broken bank now, not at the first call
        self.level: int = int(check_count("level", level, minimum=1) or 1)
        self.channels = int(self.bank.analysis.shape[0])

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("trainable", None)
        config.update({"bank": self.bank_config, "level": self.level})
        return config

    def _float(self, inputs: Any) -> Any:
        TF = tf()
        x = TF.convert_to_tensor(inputs)
        return x if x.dtype.is_floating else TF.cast(x, TF.float32)


@keras.saving.register_keras_serializable(package="filterbank")
class PQMFAnalysis(_MChannelLayer):
    """Split the last axis into sub-bands: ``(batch, ..., time)`` -> ``(batch, ..., bands, n)``.

    Parameters
    ----------
    bank : str, dict, MChannelSpec or MChannelBank, default 'pqmf4'
        The bank (a bundled name such as ``pqmf4``/``pqmf8``/``dft8``, a spec
        file, a spec mapping, or a bank object).
    level : int, default 1
        Levels of a uniform split (keyword-only): ``bands = M**level``, every
        band split again (``fb.mdec(..., split="every")``), lowest band first.

    Notes
    -----
    Band ``k`` equals ``scipy.signal.upfirdn(h_k, x, 1, D)`` (see
    `filterbank.mdec`). ``n = ceil((time + L - 1) / D)`` per level (``L`` taps).
    """

    def call(self, inputs: Any) -> Any:
        split: Literal["lowest", "every"] = "every" if self.level > 1 else "lowest"
        bands = mdec(self._float(inputs), self.bank, level=self.level, axis=-1, split=split)
        return tf().stack(bands, axis=-2)

    def compute_output_shape(self, input_shape: Any) -> tuple[Any, ...]:
        n = input_shape[-1]
        taps, d = int(self.bank.analysis.shape[1]), self.bank.decimation
        for _ in range(self.level):
            n = None if n is None else n_coef(n, taps, d)
        return (*input_shape[:-1], self.channels**self.level, n)


@keras.saving.register_keras_serializable(package="filterbank")
class PQMFSynthesis(_MChannelLayer):
    """Merge sub-bands back: ``(batch, ..., bands, n)`` -> ``(batch, ..., length)``, the inverse of `PQMFAnalysis`.

    Parameters
    ----------
    bank : str, dict, MChannelSpec or MChannelBank, default 'pqmf4'
        As in `PQMFAnalysis`; use the same bank.
    level : int, default 1
        As in `PQMFAnalysis` (keyword-only).
    length : int, optional
        Output length (keyword-only); default: what `filterbank.mrec` gives for
        ``n`` coefficients (pass the analysis input's length to crop exactly).
    """

    def __init__(self, bank: Any = "pqmf4", *, level: int = 1, length: int | None = None, **kwargs: Any) -> None:
        super().__init__(bank, level=level, **kwargs)
        self.length = check_count("length", length, minimum=1, none=True)

    def call(self, inputs: Any) -> Any:
        TF = tf()
        x = self._float(inputs)
        want = self.channels**self.level
        if x.shape.rank is not None and (x.shape.rank < 2 or (x.shape[-2] is not None and x.shape[-2] != want)):
            raise InputError(f"inputs must be (batch, ..., bands, n) with bands = {want}; got shape {tuple(x.shape)}")
        split: Literal["lowest", "every"] = "every" if self.level > 1 else "lowest"
        return mrec(TF.unstack(x, num=want, axis=-2), self.bank, axis=-1, split=split, length=self.length)

    def compute_output_shape(self, input_shape: Any) -> tuple[Any, ...]:
        return (*input_shape[:-2], self.length)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["length"] = self.length
        return config

