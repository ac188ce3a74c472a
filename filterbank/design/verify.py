"""One checking policy for banks: every bank a transform uses is checked once.

Whatever made the bank (``FilterBank(...)``, ``from_taps``, ``from_spec``,
``load``, a ``pywt.Wavelet``), the first time it is handed to a transform (or
loaded from a spec) it is measured with `filterbank.design.check.check_bank`
against what it *declares*::

    declared by              tolerance            perfect_reconstruction
    a spec (YAML, from_taps)  spec.tolerance       spec.perfect_reconstruction
    FilterBank(...)           1e-9                 True

and then

* within the tolerance: accepted, silently;
* beyond it, declared perfect-reconstruction: `PerfectReconstructionError`;
* beyond it, declared ``perfect_reconstruction: false``: one
  `FilterBankWarning`, then accepted.

The verdict is stored on the (immutable) bank, and the report in the bounded
``"checks"`` cache keyed by the bank's name and taps, so a bank is measured
once however many transforms use it, and the hot path pays one attribute
read. Opting out is explicit and named: ``FilterBank(..., verify=False)``,
``from_spec(..., verify=False)``, ``load(..., verify=False)``.

PyWavelets' own wavelets are taken as PyWavelets defines them: a bank whose
name is a PyWavelets discrete wavelet and whose four filters are exactly that
wavelet's is accepted without a word, so ``dmey`` (an FIR approximation of the
Meyer wavelet, PR error 3.6e-3) works as in PyWavelets; ``bank.check()`` still
reports its error.

Examples
--------
>>> import filterbank as fb
>>> avg = fb.FilterBank(name="avg", dec_lo=[0.5, 0.5], dec_hi=[0.5, -0.5], rec_lo=[0.5, 0.5], rec_hi=[0.5, -0.5])
>>> fb.dwt([1.0, 2.0], avg)
Traceback (most recent call last):
...
filterbank.errors.PerfectReconstructionError: bank 'avg' does not reconstruct perfectly: PR error 1.18 > tolerance 1e-09 (...); pass verify=False to FilterBank to use it anyway, or build it with FilterBank.from_taps(..., perfect_reconstruction=False, tolerance=...)
>>> unchecked = fb.FilterBank(name="avg", dec_lo=[0.5, 0.5], dec_hi=[0.5, -0.5], rec_lo=[0.5, 0.5], rec_hi=[0.5, -0.5],
...                           verify=False)
>>> [c.tolist() for c in fb.dwt(np.array([1.0, 2.0]), unchecked, "periodization")]
[[1.5], [0.5]]
"""

from __future__ import annotations

import dataclasses
import sys
import warnings
from typing import TYPE_CHECKING

import numpy as np

from filterbank.cache import named_cache
from filterbank.spec.parameters import ROLES, DEFAULT_TOLERANCE
from filterbank.design.check import CheckReport, check_bank
from filterbank.errors import FilterBankWarning, PerfectReconstructionError

if TYPE_CHECKING:
    from filterbank.design.bank import FilterBank

__all__ = ["declared", "is_pywavelets_own", "report_of", "verify_bank"]


#: Reports by bank key (name and taps): banks rebuilt with equal taps are measured once.
_REPORTS = named_cache("checks", max_entries=1024, max_bytes=64 << 20)

_SPEC_HINT = "set 'perfect_reconstruction: false' to load it anyway or give a larger 'tolerance'"
_BANK_HINT = (
    "pass verify=False to FilterBank to use it anyway, or build it with "
    "FilterBank.from_taps(..., perfect_reconstruction=False, tolerance=...)"
)


def declared(bank: FilterBank) -> tuple[float, bool]:
    """``(tolerance, perfect_reconstruction)`` the bank declares (its spec's, else ``(1e-9, True)``).

    Examples
    --------
    >>> import filterbank as fb
    >>> declared(fb.FilterBank.from_wavelet("db2"))
    (1e-09, True)
    >>> declared(fb.load("johnston-qmf"))
    (0.01, False)
    """
    if bank.spec is None:
        return DEFAULT_TOLERANCE, True
    return float(bank.spec.tolerance), bool(bank.spec.perfect_reconstruction)


def report_of(bank: FilterBank, tolerance: float | None = None) -> CheckReport:
    """The bank's `CheckReport`, measured once and cached.

    The figures do not depend on the tolerance, so another ``tolerance`` costs
    nothing: the cached report is returned with that bound.
    """
    if tolerance is None:
        tolerance = declared(bank)[0]
    report = bank.__dict__.get("_report")
    if report is None:
        report = _REPORTS.get_or_create(bank.key, lambda: check_bank(bank, tolerance=tolerance), nbytes=2048)
        object.__setattr__(bank, "_report", report)
    if report.tolerance != tolerance:
        report = dataclasses.replace(report, tolerance=float(tolerance))
    return report


def is_pywavelets_own(bank: FilterBank) -> bool:
    """Whether the bank is a PyWavelets discrete wavelet, by name and exact taps.

    Examples
    --------
    >>> import filterbank as fb
    >>> is_pywavelets_own(fb.FilterBank.from_wavelet("dmey"))
    True
    >>> is_pywavelets_own(fb.FilterBank.from_taps(fb.FilterBank.from_wavelet("db2").dec_lo, name="mine"))
    False
    """
    import pywt

    if bank.name not in pywt.wavelist(kind="discrete"):
        return False
    ref = pywt.Wavelet(bank.name)
    return all(np.array_equal(getattr(bank, r), np.asarray(getattr(ref, r), dtype=np.float64)) for r in ROLES)


def verify_bank(bank: FilterBank) -> FilterBank:
    """Apply the checking policy once (see the module docstring) and return the bank.

    Raises
    ------
    PerfectReconstructionError
        If the bank does not reconstruct within its declared tolerance and
        declares perfect reconstruction. With ``perfect_reconstruction: false``
        a `FilterBankWarning` is issued instead, once.
    """
    if bank.__dict__.get("_verified") or not bank.verify:
        return bank
    tolerance, perfect = declared(bank)
    report = report_of(bank, tolerance)
    if not report.ok and not (bank.spec is None and is_pywavelets_own(bank)):
        hint = _BANK_HINT if bank.spec is None else _SPEC_HINT
        if perfect:
            raise PerfectReconstructionError(f"{report.problem()}; {hint}")
        warnings.warn(report.problem(), FilterBankWarning, stacklevel=caller_stacklevel())
    object.__setattr__(bank, "_verified", True)
    return bank


def caller_stacklevel() -> int:
    """``stacklevel`` that points a warning at the first frame outside filterbank."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and str(frame.f_globals.get("__name__", "")).startswith("filterbank"):
        level += 1
        frame = frame.f_back  # type: ignore[assignment]
    return level

