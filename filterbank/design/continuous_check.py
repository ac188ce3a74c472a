"""The check of a continuous wavelet (``filterbank check`` on a ``kind: continuous`` spec).

A continuous wavelet has no perfect reconstruction to verify; what makes it a
wavelet is *admissibility*, which for these smooth, decaying functions is a
zero mean. The report gives the mean relative to the wavelet's L1 norm (both
by the trapezoid rule over the sampled support), the energy, the centre
frequency, and the e-folding time of the cone of influence
(`filterbank.design.cone`). A complex Morlet or Shannon wavelet with a small
centre frequency is not admissible (``cmorB-C`` has mean ``exp(-pi**2 B
C**2)``); the check then fails.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from filterbank.design.cone import efolding_time
from filterbank.design.continuous import as_continuous_wavelet
from filterbank.design.scales import central_frequency
from filterbank.errors import InputError

__all__ = ["ContinuousReport", "check_continuous"]


class ContinuousReport(NamedTuple):
    """What `check_continuous` measures."""

    name: str
    family: str
    complex_cwt: bool
    lower_bound: float
    upper_bound: float
    center_frequency: float
    """``central_frequency(wavelet, precision=precision)``: cycles per unit of x at scale 1."""
    efolding: float
    """``tau`` of `filterbank.efolding_time`: the cone's half-width is ``tau * scale`` samples."""
    mean: float
    """``|integral psi| / integral |psi|`` over the support: 0 for an admissible wavelet."""
    energy: float
    """``integral |psi|**2`` over the support."""
    tolerance: float

    @property
    def ok(self) -> bool:
        """True when the relative mean is within ``tolerance`` (the wavelet is admissible)."""
        return self.mean <= self.tolerance

    def table(self) -> str:
        """The report as aligned text lines."""
        rows = [
            ("wavelet", f"{self.name} ({self.family}{', complex' if self.complex_cwt else ', real'})"),
            ("support", f"[{self.lower_bound:g}, {self.upper_bound:g}]"),
            ("centre frequency", f"{self.center_frequency:.6g} cycles per unit x at scale 1"),
            ("e-folding time", f"{self.efolding:.6g} x scale (cone of influence)"),
            ("energy", f"{self.energy:.6g}"),
            ("relative mean", f"{self.mean:.3g} ({'admissible' if self.ok else 'NOT admissible'}; "
                              f"tolerance {self.tolerance:g})"),
        ]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def check_continuous(wavelet: Any, *, precision: int = 16, tolerance: float = 1e-3) -> ContinuousReport:
    """Measure a continuous wavelet: mean (admissibility), energy, centre frequency, e-folding time.

    Parameters
    ----------
    wavelet : str, ContinuousWavelet or spec
        A continuous wavelet.
    precision : int, optional
        ``2**precision`` samples for the integrals and the centre frequency (default 16).
    tolerance : float, optional
        Largest relative mean of an admissible wavelet, in (0, 1] (default 1e-3).

    Examples
    --------
    >>> r = check_continuous("mexh")
    >>> r.ok, round(r.energy, 6), r.mean < 1e-12
    (True, 1.0, True)
    >>> r = check_continuous("cmor1.0-0.1")          # mean exp(-pi**2 * 0.01) = 0.906
    >>> r.ok, round(r.mean, 3)
    (False, 0.906)
    """
    if not isinstance(tolerance, (int, float)) or isinstance(tolerance, bool) or not 0 < tolerance <= 1:
        raise InputError(f"tolerance must be a number in (0, 1]; got {tolerance!r}")
    w = as_continuous_wavelet(wavelet)
    psi, x = w.wavefun(length=2**precision + 1)
    psi = psi.astype(np.complex128)
    dx = float(x[1] - x[0])

    def integral(v: np.ndarray) -> Any:
        return (v.sum() - (v[0] + v[-1]) / 2) * dx

    l1 = float(integral(np.abs(psi)))
    mean = float(abs(integral(psi))) / l1 if l1 > 0 else float("inf")
    return ContinuousReport(
        name=w.name, family=w.family_name, complex_cwt=w.complex_cwt,
        lower_bound=w.lower_bound, upper_bound=w.upper_bound,
        center_frequency=central_frequency(w, precision=precision), efolding=efolding_time(w),
        mean=mean, energy=float(integral(np.abs(psi) ** 2)), tolerance=float(tolerance),
    )
