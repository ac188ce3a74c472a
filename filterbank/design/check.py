"""Check a two-channel filter bank: perfect reconstruction, aliasing, orthogonality.

Everything here is measured in float64 with numpy, independently of the
TensorFlow transforms: the bank is run (analysis, keep every second sample,
up-sample, synthesis) on unit impulses at both sampling phases and on a
seeded random signal, and the output is compared with the input delayed by
``L - 1`` samples, the delay PyWavelets' transforms assume.

Examples
--------
>>> from filterbank import FilterBank
>>> report = check_bank(FilterBank.from_wavelet("db2"))
>>> report.ok, report.delay, report.pr_error < 1e-14
(True, 3, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import math

import numpy as np

from filterbank.design.derive import convolve, distortion, modulate
from filterbank.errors import PerfectReconstructionError
from filterbank.spec.parameters import DEFAULT_TOLERANCE, ROLES

if TYPE_CHECKING:
    from filterbank.design.bank import FilterBank

__all__ = ["CheckReport", "FilterReport", "check_bank", "symmetry", "vanishing_moments"]

Symmetry = Literal["symmetric", "antisymmetric", "asymmetric"]


def _trim(h: np.ndarray, rtol: float = 1e-12) -> np.ndarray:
    """Drop leading and trailing taps that are zero relative to the largest."""
    h = np.asarray(h, dtype=np.float64)
    big = np.flatnonzero(np.abs(h) > rtol * np.max(np.abs(h), initial=0.0))
    return h[big[0] : big[-1] + 1] if big.size else h[:0]


def symmetry(h: np.ndarray, rtol: float = 1e-10) -> Symmetry:
    """Classify the taps (without zero padding) as symmetric, antisymmetric or neither.

    Examples
    --------
    >>> symmetry(np.array([0.0, 1.0, 2.0, 1.0])), symmetry(np.array([1.0, -1.0]))
    ('symmetric', 'antisymmetric')
    >>> symmetry(np.array([1.0, 2.0]))
    'asymmetric'
    """
    t = _trim(h)
    if t.size == 0:
        return "symmetric"
    tol = rtol * np.max(np.abs(t))
    if np.max(np.abs(t - t[::-1])) <= tol:
        return "symmetric"
    if np.max(np.abs(t + t[::-1])) <= tol:
        return "antisymmetric"
    return "asymmetric"


def vanishing_moments(h: np.ndarray, rtol: float = 1e-8, limit: int = 64) -> int:
    """Number of zeros of ``H(z)`` at ``z = 1`` (the high-pass's vanishing moments).

    ``H`` has ``p`` zeros at ``z = 1`` exactly when the taps are orthogonal to
    every polynomial sequence of degree ``< p``. The taps (without zero padding)
    are projected on an orthonormal basis of discrete polynomials (QR of a
    Chebyshev-Vandermonde matrix, well conditioned up to high degree) and the
    count stops at the first degree whose coefficient exceeds ``rtol`` times
    the taps' norm. At most ``limit`` moments are counted (the basis has
    ``limit + 1`` columns, so long filters cost ``O(L * limit)`` memory).

    Notes
    -----
    Symmetric filters have every odd (or even) moment exactly zero, so a
    moment that is merely small can add two to the count: pywt's ``bior5.5``
    ``dec_hi`` has 6 moments below ``1e-9`` although the family is nominally of
    order 5. PyWavelets' tabulated taps of ``db33`` to ``db38`` are not accurate
    enough to show their highest moments at ``rtol = 1e-8``.

    Examples
    --------
    >>> import pywt
    >>> vanishing_moments(np.array(pywt.Wavelet("db4").dec_hi))
    4
    >>> vanishing_moments(np.array([1.0, 1.0]))
    0
    """
    t = _trim(np.asarray(h, dtype=np.float64))
    if t.size < 2:
        return 0
    degree = min(t.size - 1, limit)
    grid = np.linspace(-1.0, 1.0, t.size)
    basis, _ = np.linalg.qr(np.polynomial.chebyshev.chebvander(grid, degree))  # t.size x (degree + 1)
    coeff = np.abs(basis.T @ t) / np.linalg.norm(t)
    large = np.flatnonzero(coeff[:degree] > rtol)
    return int(large[0]) if large.size else degree


@dataclass(frozen=True, kw_only=True)
class FilterReport:
    """Figures of one filter of a bank (one row of the report table)."""

    role: str
    length: int
    support: int
    dc_gain: float
    nyquist_gain: float
    symmetry: Symmetry


@dataclass(frozen=True, kw_only=True)
class CheckReport:
    """What `check_bank` measured; ``str(report)`` is a readable table.

    Attributes
    ----------
    name : str
        The bank's name.
    pr_error : float
        Largest absolute deviation from ``x`` delayed by ``expected_delay`` of
        analysis + synthesis run on unit impulses at both phases, and relative
        deviation on a random signal (the larger of the two).
    delay : int
        Where the distortion ``|T|`` peaks: the delay the bank reconstructs with.
    expected_delay : int
        ``L - 1`` for filters of length ``L``: the delay the transforms assume.
    aliasing_error : float
        ``max |A(e^jw)|`` of the alias transfer function.
    amplitude_distortion : float
        ``max | |T(e^jw)| - 1 |``: the ripple of the overall response.
    orthogonality_error, biorthogonality_error : float
        Largest deviation from the (bi)orthonormality relations: for
        orthogonality ``sum_n h_a[n] h_b[n + 2k] = delta(a, b) delta(k)`` over the
        analysis filters and ``rec = dec[::-1]``; for biorthogonality
        ``(rec_a * dec_b)[L - 1 + 2k] = delta(a, b) delta(k)``.
    vanishing_moments : tuple of int
        Zeros at ``z = 1`` of ``dec_hi`` and of ``rec_hi``.
    filters : tuple of FilterReport
        Length, support, gains and symmetry of each filter.
    tolerance : float
        The bound ``pr_error`` is compared with.
    """

    name: str
    pr_error: float
    delay: int
    expected_delay: int
    aliasing_error: float
    amplitude_distortion: float
    orthogonality_error: float
    biorthogonality_error: float
    vanishing_moments: tuple[int, int]
    filters: tuple[FilterReport, ...]
    tolerance: float

    @property
    def figures(self) -> dict[str, float]:
        """Every measured number of the report by name (the filters' gains as ``ROLE dc_gain``...)."""
        out = {
            "PR error": self.pr_error,
            "aliasing error": self.aliasing_error,
            "amplitude distortion": self.amplitude_distortion,
            "orthogonality error": self.orthogonality_error,
            "biorthogonality error": self.biorthogonality_error,
        }
        for f in self.filters:
            out.update({f"{f.role} DC gain": f.dc_gain, f"{f.role} Nyquist gain": f.nyquist_gain})
        return out

    @property
    def non_finite(self) -> dict[str, float]:
        """The figures that are NaN or infinite: the taps overflow float64 arithmetic."""
        return {name: value for name, value in self.figures.items() if not math.isfinite(value)}

    @property
    def ok(self) -> bool:
        """``True`` when the bank reconstructs within ``tolerance`` and every figure is finite."""
        return bool(self.pr_error <= self.tolerance) and not self.non_finite

    @property
    def orthogonal(self) -> bool:
        """``True`` when the orthogonality relations hold within ``min(tolerance, 1e-9)``.

        A near-PR bank loaded with a loose ``tolerance`` is not called orthogonal.
        """
        return bool(self.orthogonality_error <= min(self.tolerance, DEFAULT_TOLERANCE))

    @property
    def biorthogonal(self) -> bool:
        """``True`` when the biorthogonality relations hold within ``min(tolerance, 1e-9)``."""
        return bool(self.biorthogonality_error <= min(self.tolerance, DEFAULT_TOLERANCE))

    def problem(self) -> str:
        """One sentence saying why the bank is not perfect-reconstruction ('' if it is).

        Examples
        --------
        >>> from filterbank import FilterBank
        >>> check_bank(FilterBank.from_wavelet("haar")).problem()
        ''
        """
        if self.ok:
            return ""
        bad = self.non_finite
        if bad:
            listed = ", ".join(f"{name} {value}" for name, value in list(bad.items())[:4])
            return (
                f"bank {self.name!r} cannot be checked: {len(bad)} figure(s) are not finite ({listed}); "
                "its taps overflow float64 arithmetic, scale them down"
            )
        msg = (
            f"bank {self.name!r} does not reconstruct perfectly: PR error {self.pr_error:.3g} "
            f"> tolerance {self.tolerance:.3g} (aliasing error {self.aliasing_error:.3g}, "
            f"amplitude distortion {self.amplitude_distortion:.3g})"
        )
        if self.delay != self.expected_delay:
            msg += (
                f"; it reconstructs with delay {self.delay} where the transforms need "
                f"{self.expected_delay} (enable align or shift the taps)"
            )
        return msg

    def raise_for_pr(self) -> None:
        """Raise `PerfectReconstructionError` unless the bank is PR.

        Examples
        --------
        >>> from filterbank import FilterBank
        >>> check_bank(FilterBank.from_wavelet("sym3")).raise_for_pr()
        """
        if not self.ok:
            raise PerfectReconstructionError(self.problem())

    def table(self) -> str:
        """Return the report as a text table (also what ``str(report)`` gives)."""
        verdict = "within" if self.ok else "EXCEEDS"
        ortho = "orthogonal" if self.orthogonal else "not orthogonal"
        bio = "biorthogonal" if self.biorthogonal else "not biorthogonal"
        lines = [
            f"filter bank {self.name!r}",
            f"  reconstruction error     {self.pr_error:.3e}  ({verdict} tolerance {self.tolerance:.1e})",
            f"  delay                    {self.delay} samples (transforms assume {self.expected_delay})",
            f"  aliasing error           {self.aliasing_error:.3e}",
            f"  amplitude distortion     {self.amplitude_distortion:.3e}",
            f"  orthogonality error      {self.orthogonality_error:.3e}  ({ortho})",
            f"  biorthogonality error    {self.biorthogonality_error:.3e}  ({bio})",
            f"  vanishing moments        dec_hi {self.vanishing_moments[0]}, rec_hi {self.vanishing_moments[1]}",
            "",
            "  filter   taps  support   DC gain  Nyquist gain  symmetry",
        ]
        for f in self.filters:
            lines.append(
                f"  {f.role:<7} {f.length:>5} {f.support:>8} {f.dc_gain:>9.5f} {f.nyquist_gain:>13.5f}  {f.symmetry}"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def _run(bank: tuple[np.ndarray, ...], x: np.ndarray) -> np.ndarray:
    """Analysis + synthesis in float64: full convolution, keep odd samples, synthesis."""
    h0, h1, f0, f1 = bank
    out = np.zeros(x.size + h0.size + f0.size - 2)
    for h, f in ((h0, f0), (h1, f1)):
        v = convolve(x, h)
        v[0::2] = 0.0
        y = convolve(v, f)
        out[: y.size] += y
    return out


def _worst(*errors: float) -> float:
    """The largest error, NaN if any is NaN (Python's ``max`` would skip a NaN in some positions)."""
    return float(np.max(np.asarray(errors, dtype=np.float64)))


def _pr_error(bank: tuple[np.ndarray, ...], delay: int) -> float:
    errors = []
    for phase in (0, 1):
        x = np.zeros(2)
        x[phase] = 1.0
        y = _run(bank, x)
        want = np.zeros_like(y)
        if 0 <= delay + phase < y.size:
            want[delay + phase] = 1.0
        errors.append(float(np.max(np.abs(y - want))))
    rng = np.random.default_rng(20261125)
    x = rng.standard_normal(257)
    y = _run(bank, x)
    window = y[delay : delay + x.size] if delay >= 0 else np.zeros(x.size)
    if window.size < x.size:
        window = np.pad(window, (0, x.size - window.size))
    errors.append(float(np.max(np.abs(window - x)) / np.max(np.abs(x))))
    return _worst(*errors)


def _even_lag_error(c: np.ndarray, centre: int, peak: float) -> float:
    """Largest deviation of ``c[centre + 2k]`` (all k) from ``peak * delta(k)``."""
    lags = c[centre % 2 :: 2].copy()
    lags[centre // 2] -= peak
    return float(np.max(np.abs(lags)))


def _orthogonality_error(bank: tuple[np.ndarray, ...]) -> float:
    h0, h1, f0, f1 = bank
    errors = [float(np.max(np.abs(f0 - h0[::-1]))), float(np.max(np.abs(f1 - h1[::-1])))]
    centre = h0.size - 1  # convolve(a, b[::-1])[centre + s] = sum_k a[k + s] b[k]
    for a, b, same in ((h0, h0, True), (h1, h1, True), (h0, h1, False)):
        errors.append(_even_lag_error(convolve(a, b[::-1]), centre, 1.0 if same else 0.0))
    return _worst(*errors)


def _biorthogonality_error(bank: tuple[np.ndarray, ...]) -> float:
    h0, h1, f0, f1 = bank
    centre = h0.size - 1
    return _worst(*(_even_lag_error(convolve(f, h), centre, 1.0 if i == j else 0.0)
                    for i, f in enumerate((f0, f1)) for j, h in enumerate((h0, h1))))


def _max_response(c: np.ndarray, nfft: int = 4096) -> np.ndarray:
    return np.abs(np.fft.rfft(c, n=max(nfft, c.size)))


def check_bank(bank: FilterBank, *, tolerance: float = DEFAULT_TOLERANCE) -> CheckReport:
    """Measure how well a two-channel bank reconstructs, and its filters' properties.

    Parameters
    ----------
    bank : FilterBank
        The bank to check.
    tolerance : float, default 1e-9
        Bound for ``pr_error`` (and for calling the bank orthogonal / biorthogonal).

    Returns
    -------
    CheckReport
        Typed figures; ``str(report)`` is a table.

    Notes
    -----
    The four filters are zero-padded at the end to the common length ``L``
    before measuring, as the transforms do; the PR error is then measured at
    delay ``L - 1``. Arithmetic is not interrupted by overflow warnings: taps
    that overflow float64 give non-finite figures, and such a report is not
    ``ok``.

    Examples
    --------
    >>> from filterbank import FilterBank
    >>> r = check_bank(FilterBank.from_wavelet("bior2.2"))
    >>> r.ok, r.orthogonal, r.biorthogonal, r.vanishing_moments
    (True, False, True, (2, 2))
    >>> print(r.table().splitlines()[1])
      reconstruction error     0.000e+00  (within tolerance 1.0e-09)
    """
    with np.errstate(all="ignore"):
        return _measure(bank, float(tolerance))


def _measure(bank: FilterBank, tolerance: float) -> CheckReport:
    raw = [np.asarray(getattr(bank, r), dtype=np.float64) for r in ROLES]
    n = max(f.size for f in raw)
    h0, h1, f0, f1 = (np.pad(f, (0, n - f.size)) for f in raw)
    taps = (h0, h1, f0, f1)
    t, a = distortion(taps)
    delay = int(np.argmax(np.abs(t)))
    filters = tuple(
        FilterReport(
            role=role,
            length=int(f.size),
            support=int(_trim(f).size),
            dc_gain=float(np.sum(f)),
            nyquist_gain=float(np.sum(modulate(f))),
            symmetry=symmetry(f),
        )
        for role, f in zip(ROLES, raw)
    )
    return CheckReport(
        name=bank.name,
        pr_error=_pr_error(taps, n - 1),
        delay=delay,
        expected_delay=n - 1,
        aliasing_error=float(np.max(_max_response(a))),
        amplitude_distortion=float(np.max(np.abs(_max_response(t) - 1.0))),
        orthogonality_error=_orthogonality_error(taps),
        biorthogonality_error=_biorthogonality_error(taps),
        vanishing_moments=(vanishing_moments(taps[1]), vanishing_moments(taps[3])),
        filters=filters,
        tolerance=tolerance,
    )
