"""The stationary (a trous) transform as a plan: the DWT's tree, dilated instead of decimated.

Level ``j`` (counting from ``start_level``) filters with the bank's filters
upsampled by ``t = 2**j`` (``t - 1`` zeros between taps) and keeps every
sample, with periodic extension, so every band has the input's shape::

    cA_j[n] = sum_i dec_lo[i] * cA_{j-1}[(n + c - i t) mod N],    c = (F t) // 2

with ``F`` the filter length (the orientation PyWavelets uses). The inverse is
the exact inverse of that frame for perfect-reconstruction banks::

    cA_{j-1}[m] = 1/2 * sum_k (rec_lo[k] cA_j[(m + (F - 1 - k) t - c) mod N]
                              + rec_hi[k] cD_j[(m + (F - 1 - k) t - c) mod N])

which equals PyWavelets' average of shifted inverse DWTs. Like a DWT `Plan`,
a `StationaryPlan` splits the approximation at every level
(`filterbank.plans.tree`); its steps are `AtrousStep` s, which the backend
runs as sums of shifted copies (rolls).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from filterbank.design.names import as_filterbank
from filterbank.errors import FilterBankWarning
from filterbank.plans.lengths import per_axis
from filterbank.plans.tree import Split

__all__ = ["AtrousStep", "StationaryPlan", "Taps", "stationary_plan"]


@dataclass(frozen=True)
class Taps:
    """The four filters of one axis as tuples (hashable), zero-padded to one length and scaled for ``norm``."""

    dec_lo: tuple[float, ...]
    dec_hi: tuple[float, ...]
    rec_lo: tuple[float, ...]
    rec_hi: tuple[float, ...]


@dataclass(frozen=True)
class AtrousStep:
    """One level along one axis: ``taps`` dilated by ``t`` (``t - 1`` zeros between taps), no decimation."""

    taps: Taps
    t: int


@dataclass(frozen=True)
class StationaryPlan:
    """A multi-level stationary transform: per-axis taps and the dilation of every level.

    Attributes
    ----------
    axes : tuple of int
        Transformed axes of the array the plan runs on.
    steps : tuple of tuple of AtrousStep
        ``steps[j][i]``: level ``j + 1`` (finest first) along ``axes[i]``.
    """

    axes: tuple[int, ...]
    steps: tuple[tuple[AtrousStep, ...], ...]

    @property
    def split(self) -> Split:
        """The SWT splits the approximation only."""
        return "approximation"

    def shifted(self, by: int) -> StationaryPlan:
        """The same plan on an array with ``by`` more leading axes (a complex input's real / imaginary axis)."""
        return StationaryPlan(tuple(a + by for a in self.axes), self.steps)


def _taps(wavelet: Any, norm: bool) -> tuple[Taps, bool]:
    bank = as_filterbank(wavelet)
    F = max(bank.dec_len, bank.rec_len)

    def padded(a: np.ndarray, scale: float) -> tuple[float, ...]:
        out = np.zeros(F)
        out[: a.size] = a
        return tuple(float(v) * scale for v in out)

    down, up = (1 / np.sqrt(2), np.sqrt(2)) if norm else (1.0, 1.0)
    taps = Taps(padded(bank.dec_lo, down), padded(bank.dec_hi, down), padded(bank.rec_lo, up), padded(bank.rec_hi, up))
    return taps, bool(bank.orthogonal)


def stationary_plan(
    wavelet: Any, axes: tuple[int, ...], start_level: int, level: int, *, norm: bool, func: str
) -> StationaryPlan:
    """The plan of ``level`` SWT levels from ``start_level`` along ``axes`` (``wavelet`` may be one per axis).

    ``norm=True`` with a non-orthogonal wavelet on any axis warns: the
    transform then does not preserve energy.

    Examples
    --------
    >>> p = stationary_plan("haar", (0,), 1, 2, norm=False, func="swt")
    >>> [s[0].t for s in p.steps], p.steps[0][0].taps.dec_lo
    ([2, 4], (0.7071067811865476, 0.7071067811865476))
    """
    pairs = [_taps(w, norm) for w in per_axis("wavelet", wavelet, len(axes))]
    if norm and not all(orthogonal for _, orthogonal in pairs):
        warnings.warn(
            f"{func}: norm=True with a wavelet that is not orthogonal: the transform does not preserve energy",
            FilterBankWarning,
            stacklevel=4,
        )
    dilations = [2**j for j in range(start_level, start_level + level)]
    return StationaryPlan(axes, tuple(tuple(AtrousStep(taps, t) for taps, _ in pairs) for t in dilations))
