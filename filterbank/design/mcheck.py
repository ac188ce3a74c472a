"""Check an M-channel bank: reconstruction error and delay, every alias term, each channel's response.

Measured in float64 with numpy, independently of the transforms. With
``W = exp(-2j pi / D)`` the bank's output is
``X̂(z) = T(z) X(z) + sum_{l=1}^{D-1} A_l(z) X(z W^l)``::

    T(z)   = 1/D sum_k H_k(z) G_k(z)             distortion: z^-delay for a PR bank
    A_l(z) = 1/D sum_k H_k(z W^l) G_k(z)         alias term l (D - 1 of them; M - 1 when D = M)

The reconstruction error is measured in the time domain as for two-channel
banks: analysis, decimation, expansion and synthesis run on unit impulses
at every phase ``0 .. D - 1`` and on a seeded random signal, compared with the
input delayed by the bank's delay (the peak of ``|t|``).

Per channel, on a 8192-point grid of ``[0, 1]`` (fractions of Nyquist) and
relative to the channel's peak gain: the pass-band ripple (peak-to-peak, dB)
over the middle half of its nominal band, and the stop-band attenuation (dB)
more than half a band width away from the nominal band.

Examples
--------
>>> from filterbank.design.mchannel import MChannelBank
>>> r = check_mchannel(MChannelBank("haar2", [[1, 1], [1, -1]], [[0.5, 0.5], [-0.5, 0.5]], 2))
>>> r.ok, r.delay, len(r.aliasing), r.aliasing_error < 1e-15
(True, 1, 1, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from filterbank.errors import PerfectReconstructionError
from filterbank.spec.parameters import DEFAULT_TOLERANCE

if TYPE_CHECKING:
    from filterbank.design.mchannel import MChannelBank

__all__ = ["ChannelReport", "MChannelReport", "check_mchannel"]

_NFFT = 16384


@dataclass(frozen=True, kw_only=True)
class ChannelReport:
    """Figures of one channel: peak gain, pass-band ripple and stop-band attenuation (dB)."""

    channel: int
    band: tuple[float, float]
    peak_gain: float
    passband_ripple_db: float
    stopband_attenuation_db: float


@dataclass(frozen=True, kw_only=True)
class MChannelReport:
    """What `check_mchannel` measured; ``str(report)`` is a readable table.

    Attributes
    ----------
    pr_error : float
        Largest deviation of the reconstruction from the delayed input (impulses
        at every phase: absolute; a random signal: relative to its peak).
    delay, expected_delay : int
        The measured delay, and ``L - 1`` for filters of length ``L``.
    amplitude_distortion : float
        ``max | |T(e^jw)| - 1 |``.
    aliasing : tuple of float
        ``max |A_l(e^jw)|`` for ``l = 1 .. D - 1``.
    channel_reports : tuple of ChannelReport
        One per channel, lowest band first.
    """

    name: str
    channels: int
    decimation: int
    filter_length: int
    pr_error: float
    delay: int
    expected_delay: int
    amplitude_distortion: float
    aliasing: tuple[float, ...]
    channel_reports: tuple[ChannelReport, ...]
    tolerance: float

    @property
    def aliasing_error(self) -> float:
        """The largest alias term (0 for ``D = 1``)."""
        return max(self.aliasing, default=0.0)

    @property
    def ok(self) -> bool:
        """Whether the reconstruction error is within ``tolerance`` (and finite)."""
        return bool(self.pr_error <= self.tolerance) and math.isfinite(self.pr_error)

    def problem(self) -> str:
        """One sentence saying why the bank does not reconstruct ('' if it does)."""
        if self.ok:
            return ""
        return (
            f"bank {self.name!r} does not reconstruct perfectly: reconstruction error {self.pr_error:.3g} "
            f"> tolerance {self.tolerance:.3g} (largest alias term {self.aliasing_error:.3g}, "
            f"amplitude distortion {self.amplitude_distortion:.3g})"
        )

    def raise_for_pr(self) -> None:
        """Raise `PerfectReconstructionError` unless `ok`."""
        if not self.ok:
            raise PerfectReconstructionError(self.problem())

    def table(self) -> str:
        """The report as a text table (also ``str(report)``)."""
        verdict = "within" if self.ok else "EXCEEDS"
        kind = "critically sampled" if self.decimation == self.channels else "oversampled"
        lines = [
            f"M-channel bank {self.name!r}: {self.channels} channels, decimation {self.decimation} ({kind}), "
            f"{self.filter_length} taps",
            f"  reconstruction error     {self.pr_error:.3e}  ({verdict} tolerance {self.tolerance:.1e})",
            f"  delay                    {self.delay} samples (L - 1 = {self.expected_delay})",
            f"  amplitude distortion     {self.amplitude_distortion:.3e}",
            f"  aliasing, largest term   {self.aliasing_error:.3e}",
            *self._alias_lines(),
            "",
            "  channel  band (x Nyquist)  peak gain  pass ripple dB  stop atten dB",
        ]
        for c in self.channel_reports:
            lines.append(
                f"  {c.channel:>7}  {c.band[0]:.4f}-{c.band[1]:.4f}  {c.peak_gain:>9.4f}  "
                f"{c.passband_ripple_db:>14.3f}  {c.stopband_attenuation_db:>13.1f}"
            )
        return "\n".join(lines)

    def _alias_lines(self) -> list[str]:
        """The alias terms, eight per line."""
        terms = [f"{a:.1e}" for a in self.aliasing] or ["none (D = 1)"]
        label = f"alias terms A_1..A_{len(self.aliasing)}"
        return [f"  {label if i == 0 else '':<25}{' '.join(terms[i : i + 8])}" for i in range(0, len(terms), 8)]

    def __str__(self) -> str:
        return self.table()


def _run(h: np.ndarray, g: np.ndarray, d: int, x: np.ndarray) -> np.ndarray:
    """``sum_k upfirdn(g_k, upfirdn(h_k, x, 1, d), d)`` with numpy's convolve (no ``scipy.signal`` import)."""
    out: Any = 0.0
    for hk, gk in zip(h, g):
        y = np.convolve(hk, x)[::d]
        up = np.zeros((y.size - 1) * d + 1)
        up[::d] = y
        out = out + np.convolve(gk, up)
    return np.asarray(out)


def _alias_sequences(h: np.ndarray, g: np.ndarray, d: int) -> np.ndarray:
    """Row ``l``: the taps of ``A_l(z) = 1/D sum_k H_k(z W^l) G_k(z)``, for ``l = 0 .. D - 1`` (row 0 is ``T``).

    With ``C[n, j] = sum_k h_k[n] g_k[j]`` (one matrix product) and
    ``S_r[t] = sum_{n = r mod D} C[n, t - n]``, the alias taps are a DFT over
    the phase ``r``: ``a_l[t] = 1/D sum_r exp(2j pi l r / D) S_r[t]``, numpy's ``ifft``.
    """
    length = h.shape[1]
    c = h.T @ g
    s = np.zeros((d, 2 * length - 1))
    for n in range(length):
        s[n % d, n : n + length] += c[n]
    return np.fft.ifft(s, axis=0)


def _impulse_responses(h: np.ndarray, g: np.ndarray, d: int) -> np.ndarray:
    """Row ``p``: `_run` on the unit impulse at phase ``p`` of ``D`` samples, for every ``p`` at once.

    Channel ``k`` decimates ``h_k * e_p`` to ``u[i] = h_k[i D - p]``; the
    expander and ``g_k`` add ``u[i] g_k`` at offset ``i D``.
    """
    m, length = h.shape
    nc = -(-(length + d - 1) // d)
    padded = np.pad(h, ((0, 0), (d, nc * d)))  # padded[k, j + d] = h_k[j]
    u = padded[:, np.arange(nc)[None, :] * d - np.arange(d)[:, None] + d]  # (M, D, nc)
    y = np.zeros((d, (nc - 1) * d + length))
    for i in range(nc):
        y[:, i * d : i * d + length] += u[:, :, i].T @ g
    return y


def _pr_error(h: np.ndarray, g: np.ndarray, d: int, delay: int) -> float:
    y = _impulse_responses(h, g, d)
    want = np.zeros_like(y)
    phases = np.arange(d)
    inside = delay + phases < y.shape[1]
    want[phases[inside], delay + phases[inside]] = 1.0
    errors = [float(np.max(np.abs(y - want)))]
    x = np.random.default_rng(20261201).standard_normal(8 * d + 4 * h.shape[1] + 1)
    y = _run(h, g, d, x)[delay : delay + x.size]
    y = np.pad(y, (0, x.size - y.size))
    errors.append(float(np.max(np.abs(y - x)) / np.max(np.abs(x))))
    return float(np.max(errors))


def _channel(k: int, hk: np.ndarray, band: tuple[float, float], m: int) -> ChannelReport:
    response = np.abs(np.fft.rfft(hk, 2 * _NFFT))[: _NFFT + 1]
    f = np.linspace(0.0, 1.0, _NFFT + 1)
    peak = float(np.max(response))
    lo, hi = band
    quarter = (hi - lo) / 4
    passband = response[(f >= lo + quarter) & (f <= hi - quarter)]
    stopband = response[(f < lo - 0.5 / m) | (f > hi + 0.5 / m)]
    with np.errstate(divide="ignore"):
        ripple = float(20 * np.log10(np.max(passband) / np.min(passband))) if passband.size else 0.0
        atten = float(-20 * np.log10(np.max(stopband) / peak)) if stopband.size else math.inf
    return ChannelReport(channel=k, band=band, peak_gain=peak, passband_ripple_db=ripple,
                         stopband_attenuation_db=atten)


def check_mchannel(bank: MChannelBank, *, tolerance: float = DEFAULT_TOLERANCE) -> MChannelReport:
    """Measure an M-channel bank (see the module docstring).

    Parameters
    ----------
    bank : MChannelBank
        The bank.
    tolerance : float, default 1e-9
        The bound ``pr_error`` is compared with.

    Returns
    -------
    MChannelReport

    Examples
    --------
    >>> from filterbank.design.mchannel import MChannelBank
    >>> r = check_mchannel(MChannelBank.from_spec("pqmf4"), tolerance=1e-2)
    >>> r.ok, r.delay, len(r.aliasing), r.pr_error < 2e-3
    (True, 62, 3, True)
    """
    h, g, d = bank.analysis, bank.synthesis, bank.decimation
    m = bank.channels
    with np.errstate(all="ignore"):
        t = np.sum([np.convolve(a, b) for a, b in zip(h, g)], axis=0) / d
        delay = int(np.argmax(np.abs(t)))
        nfft = max(_NFFT, t.size)
        aliasing = [float(v) for v in np.max(np.abs(np.fft.fft(_alias_sequences(h, g, d)[1:], nfft, axis=1)), axis=1)]
        distortion = float(np.max(np.abs(np.abs(np.fft.rfft(t, nfft)) - 1.0)))
        channels = tuple(_channel(k, h[k], bank.bands[k], m) for k in range(m))
        pr = _pr_error(h, g, d, delay)
    return MChannelReport(
        name=bank.name, channels=m, decimation=d, filter_length=bank.filter_length, pr_error=pr, delay=delay,
        expected_delay=bank.filter_length - 1, amplitude_distortion=distortion, aliasing=tuple(aliasing),
        channel_reports=channels, tolerance=float(tolerance),
    )
