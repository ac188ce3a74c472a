"""Thresholding of wavelet coefficients, as PyWavelets' ``threshold`` and ``threshold_firm``.

With ``m = |x|`` and ``t`` the threshold (``substitute`` replaces the values
that are cut; ``hard`` and ``soft`` take complex data too)::

    soft      x * max(1 - t / m, 0)            m < t -> substitute
    hard      x                                m < t -> substitute
    garrote   x * max(1 - t**2 / m**2, 0)      m < t -> substitute
    greater   x                                x < t -> substitute   (real data)
    less      x                                x > t -> substitute   (real data)
    firm      0 for m <= lo, x for m > hi, x * hi * (1 - lo / m) / (hi - lo) between

numpy in, numpy out; a ``tf.Tensor`` in, a tensor out (inside ``tf.function``
and with gradients, as they are elementwise TensorFlow ops).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from filterbank.backend.convert import is_tensor
from filterbank.backend.elementwise import namespace, scale
from filterbank.errors import InputError, check_option

__all__ = ["threshold", "threshold_firm"]

ThresholdMode = Literal["soft", "hard", "garrote", "greater", "less"]

#: The modes of `threshold` (``"garotte"`` is PyWavelets' old spelling, accepted too).
THRESHOLD_MODES = ("soft", "hard", "garrote", "greater", "less")


def _as_data(data: Any) -> Any:
    return data if is_tensor(data) else np.asarray(data)


def _shrink(data: Any, ratio: Any, xp: Any) -> Any:
    """``data * max(1 - ratio, 0)``, with the division by zero of a zero sample allowed."""
    if xp is np:
        factor = np.clip(1 - ratio, 0, None)
    else:
        factor = xp.maximum(1 - ratio, 0.0)
    return scale(data, factor)


def threshold(data: Any, value: Any, mode: ThresholdMode | str = "soft", substitute: Any = 0) -> Any:
    """Threshold ``data`` elementwise, as `pywt.threshold`.

    Parameters
    ----------
    data : array_like or tf.Tensor
        Numeric data, real or (for ``soft`` and ``hard``) complex.
    value : float
        The threshold.
    mode : {"soft", "hard", "garrote", "greater", "less"}, default "soft"
        The rule (see the module's table).
    substitute : float, default 0
        Value of the samples that are cut.

    Returns
    -------
    numpy.ndarray or tf.Tensor
        The thresholded data, the type of ``data``.

    Raises
    ------
    InputError
        An unknown mode, or complex data with ``greater`` / ``less``.

    Examples
    --------
    >>> x = np.linspace(1, 4, 7)
    >>> threshold(x, 2, "soft").tolist()
    [0.0, 0.0, 0.0, 0.5, 1.0, 1.5, 2.0]
    >>> threshold(x, 2, "less").tolist()
    [1.0, 1.5, 2.0, 0.0, 0.0, 0.0, 0.0]
    """
    rule = "garrote" if mode == "garotte" else check_option("mode", mode, THRESHOLD_MODES)
    data = _as_data(data)
    xp = namespace(data)
    if rule in ("greater", "less"):
        if xp.iscomplexobj(data):
            raise InputError(f"mode {rule!r} thresholds real data only; got complex data of dtype {data.dtype}")
        cut = xp.less(data, value) if rule == "greater" else xp.greater(data, value)
        return xp.where(cut, substitute, data)
    magnitude = xp.absolute(data)
    if rule == "hard":
        return xp.where(xp.less(magnitude, value), substitute, data)
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero sample: t / 0 = inf, clipped to 0
        ratio = value / magnitude if rule == "soft" else value**2 / magnitude**2
        out = _shrink(data, ratio, xp)
    if substitute == 0:
        return out
    return xp.where(xp.less(magnitude, value), substitute, out)


def threshold_firm(data: Any, value_low: float, value_high: float) -> Any:
    """Firm (semi-soft) thresholding, as `pywt.threshold_firm`.

    Soft below ``value_low``, hard above ``value_high``, continuous between.

    Parameters
    ----------
    data : array_like or tf.Tensor
        Real or complex data.
    value_low, value_high : float
        ``0 <= value_low <= value_high``.

    Returns
    -------
    numpy.ndarray or tf.Tensor

    Raises
    ------
    InputError
        ``value_low < 0`` or ``value_high < value_low``.

    Examples
    --------
    >>> threshold_firm(np.array([0.5, 1.5, 3.0]), 1, 2).tolist()
    [0.0, 1.0, 3.0]
    """
    if value_low < 0:
        raise InputError(f"value_low must be non-negative; got {value_low!r}")
    if value_high < value_low:
        raise InputError(f"value_high must be greater than or equal to value_low ({value_low!r}); got {value_high!r}")
    data = _as_data(data)
    xp = namespace(data)
    magnitude = xp.absolute(data)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = value_low / magnitude
        factor = value_high * (1 - ratio) / (value_high - value_low)
        if xp is np:
            factor = np.clip(factor, 0, None)
        else:
            factor = xp.maximum(factor, 0.0)
        out = scale(data, factor)
    return xp.where(xp.greater(magnitude, value_high), data, out)
