"""Filter design: turn a wavelet name, taps or a spec into numpy float64 filter banks.

This module is numpy / PyWavelets / scipy only; it never imports TensorFlow.
Every bank is checked once, when loaded from a spec or first handed to a
transform, whatever built it (see `filterbank.verify`): a bank that does
not reconstruct within its declared ``tolerance`` raises
`PerfectReconstructionError`, unless it declares
``perfect_reconstruction: false``, in which case it is used with one
`FilterBankWarning`. ``verify=False`` opts out.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from filterbank.design._methods import TransformMethods
from filterbank.design.wavelet_info import WaveletAttributes
from filterbank.spec.parameters import ROLES, DEFAULT_TOLERANCE
from filterbank.design.check import CheckReport
from filterbank.design.derive import (
    align,
    alternating_flip,
    analysis_from_synthesis,
    biorthogonal,
    qmf,
    synthesis_from_analysis,
    time_reversal,
)
from filterbank.errors import FilterBankTypeError, InputError, SpecError, did_you_mean
from filterbank.design.verify import report_of, verify_bank

if TYPE_CHECKING:
    from filterbank.spec.schema import FilterBankSpec, FilterSpec, SingleFilterSpec

__all__ = ["Filter", "FilterBank", "discrete_wavelets", "filter_taps"]


def _readonly(taps: Any, name: str) -> np.ndarray:
    arr = np.array(taps, dtype=np.float64).reshape(-1)
    if arr.size == 0:
        raise InputError(f"{name} must have at least one tap; got an empty array")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} must be finite; got {arr!r}")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class FilterBank(TransformMethods, WaveletAttributes):
    """A two-channel analysis / synthesis filter bank with float64 taps.

    Taps follow PyWavelets' convention: ``dec_lo``/``dec_hi`` are the analysis
    filters applied by *true convolution* (``numpy.convolve``), ``rec_lo``/``rec_hi``
    the synthesis filters. The arrays are read-only. ``mode`` and ``level`` are
    the defaults a spec gave for the transforms (``None``: the transforms'
    own defaults); ``spec`` is the spec the bank was built from, if any. Two
    banks are equal when their names and taps are equal.

    A transform checks the bank once before using it (`filterbank.verify`):
    a bank that is not perfect-reconstruction within its declared tolerance
    (``1e-9`` without a spec) is refused. ``verify=False`` opts out, e.g. to
    study a broken bank; `check` reports on any bank.

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
    mode: str | None = None
    level: int | None = None
    spec: FilterBankSpec | None = field(default=None, repr=False)
    verify: bool = field(default=True, repr=False, kw_only=True)
    key: tuple = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for attr in ROLES:
            object.__setattr__(self, attr, _readonly(getattr(self, attr), attr))
        key = (self.name,) + tuple(getattr(self, a).tobytes() for a in ROLES)
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

    def to_spec(self) -> FilterBankSpec:
        """A spec that rebuilds this bank: its own spec, a wavelet name, or the four taps.

        Use it to save a bank designed in Python: ``fb.dump_spec(bank.to_spec())``.

        Examples
        --------
        >>> FilterBank.from_wavelet("db2").to_spec().to_dict()
        {'filterbank': 1, 'name': 'db2', 'wavelet': 'db2'}
        >>> bank = FilterBank(name="avg", dec_lo=[1, 1], dec_hi=[-1, 1], rec_lo=[0.5, 0.5], rec_hi=[0.5, -0.5])
        >>> FilterBank.from_spec(bank.to_spec()) == bank
        True
        """
        from filterbank.spec.schema import FilterBankSpec, FilterSpec

        if self.spec is not None:
            return self.spec

        if self.name in discrete_wavelets():
            ref = FilterBank.from_wavelet(self.name)
            if all(np.array_equal(getattr(self, r), getattr(ref, r)) for r in ROLES):
                return FilterBankSpec(name=self.name, wavelet=self.name, mode=self.mode, level=self.level)
        report = self.check()
        def taps(role: str) -> FilterSpec:
            return FilterSpec(design="taps", params={"taps": getattr(self, role).tolist()})

        return FilterBankSpec(
            name="".join(c if c.isalnum() or c in "_.+-" else "-" for c in self.name)[:64],
            dec_lo=taps("dec_lo"),
            dec_hi=taps("dec_hi"),
            rec_lo=taps("rec_lo"),
            rec_hi=taps("rec_hi"),
            derive="none",
            align=False,
            perfect_reconstruction=report.ok,
            mode=self.mode,
            level=self.level,
        )

    def check(self, *, tolerance: float | None = None) -> CheckReport:
        """Measure perfect reconstruction, aliasing, orthogonality and the filters.

        ``tolerance`` defaults to the spec's (``1e-9`` without a spec). See
        `filterbank.design.check.check_bank`. The figures are measured once per
        bank (name and taps) and cached; another ``tolerance`` only changes
        the verdict.

        Examples
        --------
        >>> report = FilterBank.from_wavelet("db4").check()
        >>> report.ok, report.orthogonal, report.vanishing_moments
        (True, True, (4, 4))
        """
        return report_of(self, tolerance)

    def verified(self) -> FilterBank:
        """The bank itself, once checked as its declaration asks (raise, warn or accept).

        Transforms call this; the verdict is cached on the bank, so only the
        first call measures anything. See `filterbank.verify`.

        Raises
        ------
        PerfectReconstructionError
            If the bank is not PR within its declared tolerance and declares
            perfect reconstruction (unless built with ``verify=False``).

        Examples
        --------
        >>> FilterBank.from_wavelet("db2").verified().name
        'db2'
        """
        return verify_bank(self)

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
            names = discrete_wavelets()
            if wavelet not in names:
                raise InputError(
                    f"wavelet must be a discrete PyWavelets wavelet name; got {wavelet!r}"
                    f"{did_you_mean(wavelet, names)}"
                )
            if cls is FilterBank:
                return _named_bank(wavelet)
            wavelet = pywt.Wavelet(wavelet)
        if not isinstance(wavelet, pywt.Wavelet):
            raise FilterBankTypeError(
                f"wavelet must be a name or pywt.Wavelet; got {type(wavelet).__name__}"
            )
        if cls is FilterBank and wavelet.name in discrete_wavelets():
            named = _named_bank(wavelet.name)  # checked once, not at every call
            if all(np.array_equal(getattr(named, r), np.asarray(getattr(wavelet, r), np.float64)) for r in ROLES):
                return named
        return _from_pywt(cls, wavelet)


    @classmethod
    def from_spec(cls, spec: Any, *, verify: bool = True) -> FilterBank:
        """Build and check a bank from a `FilterBankSpec` or a dict.

        Parameters
        ----------
        spec : FilterBankSpec, mapping, str or path
            The spec (a mapping is read with ``FilterBankSpec.from_dict``; a
            string or path names a YAML file or a bundled spec).
        verify : bool, default True
            Check perfect reconstruction against the spec (raise or warn as
            below). ``False`` builds the bank without that gate, and
            transforms then use it unchecked (e.g. to study a broken bank).

        Returns
        -------
        FilterBank

        Raises
        ------
        SpecError
            If the spec is invalid.
        PerfectReconstructionError
            If the bank's PR error exceeds ``spec.tolerance`` and
            ``spec.perfect_reconstruction`` is true (with ``false`` a
            `FilterBankWarning` is issued instead).

        Examples
        --------
        >>> bank = FilterBank.from_spec({"filterbank": 1, "name": "my-db2",
        ...                              "filters": {"dec_lo": {"wavelet": "db2"}}})
        >>> bank.name, bank.orthogonal, bank == FilterBank.from_wavelet("db2")
        ('my-db2', True, False)
        >>> np.array_equal(bank.rec_hi, FilterBank.from_wavelet("db2").rec_hi)
        True
        >>> FilterBank.from_spec("johnston-qmf").dec_len
        32
        """
        from filterbank.spec.schema import FilterBankSpec

        if isinstance(spec, (str, os.PathLike)):
            from filterbank.spec.files import load_spec

            spec = load_spec(spec)
        if isinstance(spec, Mapping):
            spec = FilterBankSpec.from_dict(spec)
        if not isinstance(spec, FilterBankSpec):
            raise FilterBankTypeError(
                f"spec must be a FilterBankSpec, a mapping or a YAML file of a bank; got {type(spec).__name__}"
            )
        if spec.wavelet is not None:
            base = cls.from_wavelet(spec.wavelet)
            taps = tuple(getattr(base, r) for r in ROLES)
            flags = (base.orthogonal, base.biorthogonal)
        else:
            with np.errstate(all="ignore"):  # taps near float64's limit overflow here; the check then fails them
                taps = _derive(spec)
            flags = None
        name = spec.name or spec.wavelet or "custom"
        bank = cls(name=name, **dict(zip(ROLES, taps)), mode=spec.mode, level=spec.level, spec=spec, verify=verify)
        verify_bank(bank)
        report = bank.check()
        if flags is None:
            flags = (report.orthogonal, report.biorthogonal)
        object.__setattr__(bank, "orthogonal", bool(flags[0]))
        object.__setattr__(bank, "biorthogonal", bool(flags[1]))
        return bank

    @classmethod
    def from_taps(
        cls,
        dec_lo: Any = None,
        dec_hi: Any = None,
        rec_lo: Any = None,
        rec_hi: Any = None,
        *,
        name: str = "custom",
        derive: str = "auto",
        align: bool = True,
        perfect_reconstruction: bool = True,
        tolerance: float = DEFAULT_TOLERANCE,
    ) -> FilterBank:
        """Build and check a bank from explicit taps, deriving the missing filters.

        Takes the same rules as a spec's ``derive`` key (see
        `filterbank.derive`): with only ``dec_lo`` the bank is completed by
        the alternating flip, with ``dec_lo`` and ``rec_lo`` by cross modulation...

        Examples
        --------
        >>> bank = FilterBank.from_taps([0.5 ** 0.5, 0.5 ** 0.5], name="my-haar")
        >>> bank.dec_hi.round(4).tolist(), bank.orthogonal
        ([-0.7071, 0.7071], True)
        >>> FilterBank.from_taps([0.5, 0.5])
        Traceback (most recent call last):
        ...
        filterbank.errors.PerfectReconstructionError: bank 'custom' does not reconstruct perfectly: PR error 0.5 > tolerance 1e-09 (...); set 'perfect_reconstruction: false' to load it anyway or give a larger 'tolerance'
        """
        from filterbank.spec.schema import FilterBankSpec, FilterSpec

        def taps(value: Any) -> FilterSpec | None:
            if value is None:
                return None
            return FilterSpec(design="taps", params={"taps": np.asarray(value, dtype=np.float64).reshape(-1).tolist()})

        spec = FilterBankSpec(
            name=name,
            dec_lo=taps(dec_lo),
            dec_hi=taps(dec_hi),
            rec_lo=taps(rec_lo),
            rec_hi=taps(rec_hi),
            derive=derive,
            align=align,
            perfect_reconstruction=perfect_reconstruction,
            tolerance=tolerance,
        )
        return cls.from_spec(spec)


def _normalize(h: np.ndarray, how: str, path: str) -> np.ndarray:
    if how == "none":
        return h
    if how == "energy":
        norm = float(np.sqrt(np.sum(h * h)))
        if norm == 0.0:
            raise SpecError(f"{path}.normalize: 'energy' needs a non-zero filter; got all-zero taps")
        return h / norm
    gains = np.abs([np.sum(h), np.sum(h[0::2]) - np.sum(h[1::2])])
    peak = float(np.max(gains))
    if peak < 1e-12 * float(np.sum(np.abs(h))) or peak == 0.0:
        raise SpecError(f"{path}.normalize: {how!r} needs a non-zero DC or Nyquist gain; got {peak:.3g}")
    return h * ((np.sqrt(2.0) if how == "sqrt2" else 1.0) / peak)


def filter_taps(spec: FilterSpec, *, role: str = "dec_lo", in_bank: bool = False, path: str = "filter") -> np.ndarray:
    """Taps of one `FilterSpec`, normalised as it asks.

    Parameters
    ----------
    spec : FilterSpec
        The filter.
    role : str, default 'dec_lo'
        Which PyWavelets filter a ``wavelet`` source without ``role`` gives.
    in_bank : bool, default False
        Whether the filter is part of a bank (``normalize: auto`` then scales
        scipy designs to PyWavelets' ``sqrt(2)`` gain).
    path : str
        Key path used in error messages.

    Examples
    --------
    >>> from filterbank.spec import FilterSpec
    >>> f = FilterSpec(design="firwin", params={"numtaps": 4, "cutoff": 0.5})
    >>> float(filter_taps(f).sum()), float(filter_taps(f, in_bank=True).sum().round(12))
    (1.0, 1.414213562373)
    """
    from filterbank.design.scipy_designs import design_taps

    how = spec.normalize
    if how == "auto":
        how = "sqrt2" if (in_bank and spec.is_scipy) else "none"
    with np.errstate(all="ignore"):  # overflow shows as non-finite taps, refused below
        h = _normalize(design_taps(spec.design, spec.parameters, role=role, path=path), how, path)
    if not np.all(np.isfinite(h)):
        raise SpecError(f"{path}: the design produced non-finite taps; check its parameters")
    return h


def _derive(spec: FilterBankSpec) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    given = {r: filter_taps(getattr(spec, r), role=r, in_bank=True, path=f"filters.{r}") for r in spec.given}
    keys = frozenset(given)
    rule = spec.derive
    if rule == "auto":
        rule = {
            frozenset({"dec_lo"}): "alternating_flip",
            frozenset({"rec_lo"}): "alternating_flip",
            frozenset({"dec_lo", "rec_lo"}): "biorthogonal",
            frozenset({"dec_lo", "dec_hi"}): "synthesis",
            frozenset({"rec_lo", "rec_hi"}): "analysis",
        }.get(keys, "none")
    path = "derive"
    if rule == "alternating_flip":
        h0 = given["dec_lo"] if "dec_lo" in given else given["rec_lo"][::-1].copy()
        taps = alternating_flip(h0, path)
    elif rule == "qmf":
        taps = qmf(given["dec_lo"], path)
    elif rule == "time_reversal":
        taps = time_reversal(given["dec_lo"], given["dec_hi"])
    elif rule == "biorthogonal":
        taps = biorthogonal(given["dec_lo"], given["rec_lo"])
    elif rule == "synthesis":
        taps = synthesis_from_analysis(given["dec_lo"], given["dec_hi"])
    elif rule == "analysis":
        taps = analysis_from_synthesis(given["rec_lo"], given["rec_hi"])
    else:
        taps = (given["dec_lo"], given["dec_hi"], given["rec_lo"], given["rec_hi"])
    return align(taps) if spec.align else taps


@dataclass(frozen=True, eq=False)
class Filter:
    """One filter (a ``kind: filter`` spec) with read-only float64 taps.

    Usable wherever a kernel is expected (``fb.convolve(x, flt)``): it converts
    to its taps with ``numpy.asarray``.

    Examples
    --------
    >>> from filterbank.spec import FilterSpec, SingleFilterSpec
    >>> flt = Filter.from_spec(SingleFilterSpec(name="avg", filter=FilterSpec(design="taps", params={"taps": [1, 1]})))
    >>> flt.name, np.asarray(flt).tolist(), len(flt)
    ('avg', [1.0, 1.0], 2)
    """

    name: str
    taps: np.ndarray
    spec: SingleFilterSpec | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "taps", _readonly(self.taps, "taps"))

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.taps if dtype is None else self.taps.astype(dtype)

    def __len__(self) -> int:
        return int(self.taps.size)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Filter) and self.name == other.name and np.array_equal(self.taps, other.taps)

    def __hash__(self) -> int:
        return hash((self.name, self.taps.tobytes()))

    @classmethod
    def from_spec(cls, spec: Any) -> Filter:
        """Build from a `SingleFilterSpec` or a ``kind: filter`` mapping."""
        from filterbank.spec.schema import SingleFilterSpec

        if isinstance(spec, Mapping):
            spec = SingleFilterSpec.from_dict(spec)
        if not isinstance(spec, SingleFilterSpec):
            raise FilterBankTypeError(f"spec must be a SingleFilterSpec or a mapping; got {type(spec).__name__}")
        return cls(name=spec.name or spec.filter.design, taps=filter_taps(spec.filter), spec=spec)


@functools.lru_cache(maxsize=1)
def discrete_wavelets() -> tuple[str, ...]:
    """PyWavelets' discrete wavelet names (read once)."""
    import pywt

    return tuple(pywt.wavelist(kind="discrete"))


@functools.lru_cache(maxsize=256)
def _named_bank(name: str) -> FilterBank:
    """The bank of a PyWavelets wavelet name, built once (banks are immutable)."""
    import pywt

    return _from_pywt(FilterBank, pywt.Wavelet(name))


def _from_pywt(cls: type[FilterBank], wavelet: Any) -> FilterBank:
    return cls(
        name=wavelet.name,
        dec_lo=wavelet.dec_lo,
        dec_hi=wavelet.dec_hi,
        rec_lo=wavelet.rec_lo,
        rec_hi=wavelet.rec_hi,
        orthogonal=bool(wavelet.orthogonal),
        biorthogonal=bool(wavelet.biorthogonal),
    )
