"""Filter design: turn a wavelet name (or a spec) into numpy float64 filter banks.

This module is numpy / PyWavelets / scipy only; it never imports TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from filterbank._methods import TransformMethods
from filterbank.check import DEFAULT_TOLERANCE, CheckReport, check_bank
from filterbank.errors import FilterBankTypeError, InputError, did_you_mean

__all__ = ["FilterBank", "as_filterbank"]


def _readonly(taps: Any, name: str) -> np.ndarray:
    arr = np.array(taps, dtype=np.float64).reshape(-1)
    if arr.size == 0:
        raise InputError(f"{name} must have at least one tap; got an empty array")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} must be finite; got {arr!r}")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class FilterBank(TransformMethods):
    """A two-channel analysis / synthesis filter bank with float64 taps.

    Taps follow PyWavelets' convention: ``dec_lo``/``dec_hi`` are the analysis
    filters applied by *true convolution* (``numpy.convolve``), ``rec_lo``/``rec_hi``
    the synthesis filters. The arrays are read-only.

    Examples
    --------
    >>> bank = FilterBank.from_wavelet("haar")
    >>> bank.name, bank.dec_lo.round(4).tolist()
    ('haar', [0.7071, 0.7071])
    """

    name: str
    dec_lo: np.ndarray
    dec_hi: np.ndarray
    rec_lo: np.ndarray
    rec_hi: np.ndarray
    orthogonal: bool = False
    biorthogonal: bool = False
    key: tuple = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for attr in ("dec_lo", "dec_hi", "rec_lo", "rec_hi"):
            object.__setattr__(self, attr, _readonly(getattr(self, attr), attr))
        key = (self.name,) + tuple(getattr(self, a).tobytes() for a in ("dec_lo", "dec_hi", "rec_lo", "rec_hi"))
        object.__setattr__(self, "key", key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FilterBank) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def dec_len(self) -> int:
        """Length of the analysis filters (PyWavelets' ``dec_len``)."""
        return int(max(self.dec_lo.size, self.dec_hi.size))

    @property
    def rec_len(self) -> int:
        """Length of the synthesis filters (PyWavelets' ``rec_len``)."""
        return int(max(self.rec_lo.size, self.rec_hi.size))

    def check(self, *, tolerance: float = DEFAULT_TOLERANCE) -> CheckReport:
        """Measure perfect reconstruction, aliasing, orthogonality and the filters.

        See :func:`filterbank.check.check_bank`.

        Examples
        --------
        >>> report = FilterBank.from_wavelet("db4").check()
        >>> report.ok, report.orthogonal, report.vanishing_moments
        (True, True, (4, 4))
        """
        return check_bank(self, tolerance=tolerance)

    @classmethod
    def from_wavelet(cls, wavelet: Any) -> FilterBank:
        """Build a bank from a PyWavelets discrete wavelet name or ``pywt.Wavelet``.

        Examples
        --------
        >>> FilterBank.from_wavelet("db2").dec_len
        4
        """
        import pywt

        if isinstance(wavelet, str):
            names = pywt.wavelist(kind="discrete")
            if wavelet not in names:
                raise InputError(
                    f"wavelet must be a discrete PyWavelets wavelet name; got {wavelet!r}"
                    f"{did_you_mean(wavelet, names)}"
                )
            wavelet = pywt.Wavelet(wavelet)
        if not isinstance(wavelet, pywt.Wavelet):
            raise FilterBankTypeError(
                f"wavelet must be a name or pywt.Wavelet; got {type(wavelet).__name__}"
            )
        return cls(
            name=wavelet.name,
            dec_lo=wavelet.dec_lo,
            dec_hi=wavelet.dec_hi,
            rec_lo=wavelet.rec_lo,
            rec_hi=wavelet.rec_hi,
            orthogonal=bool(wavelet.orthogonal),
            biorthogonal=bool(wavelet.biorthogonal),
        )


def as_filterbank(wavelet: Any) -> FilterBank:
    """Coerce a name, ``pywt.Wavelet`` or :class:`FilterBank` to a :class:`FilterBank`.

    Examples
    --------
    >>> as_filterbank("sym4").name
    'sym4'
    """
    if isinstance(wavelet, FilterBank):
        return wavelet
    return FilterBank.from_wavelet(wavelet)
