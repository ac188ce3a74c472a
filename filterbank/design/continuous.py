"""Continuous wavelets: PyWavelets' families as values, sampled on numpy.

The families and their functions, ``x`` in units of the wavelet's own time
(scale 1), ``B`` the bandwidth frequency, ``C`` the centre frequency, ``M``
the B-spline order::

    morl    exp(-x^2/2) cos(5x)                                   [-8, 8]   real
    mexh    2 / (sqrt(3) pi^(1/4)) (1 - x^2) exp(-x^2/2)           [-8, 8]   real
    gausN   +-(d/dx)^N exp(-x^2), unit energy          N = 1..8    [-5, 5]   real
    cgauN   (d/dx)^N exp(-ix) exp(-x^2), unit energy   N = 1..8    [-5, 5]   complex
    shanB-C sqrt(B) sinc(Bx) exp(2 pi i C x)                      [-20, 20] complex
    fbspM-B-C sqrt(B) sinc(Bx/M)^M exp(2 pi i C x)                [-20, 20] complex
    cmorB-C (pi B)^(-1/2) exp(-x^2/B) exp(2 pi i C x)             [-8, 8]   complex

with ``sinc(t) = sin(pi t) / (pi t)``. The Gaussian derivatives are built from
the recursion ``P_{n+1} = P_n' + q P_n`` (``q = -2x``, or ``-2x - i`` for
``cgau``) and normalised with the exact Gaussian moments, so no constant is
tabulated. Like PyWavelets (whose C core keeps them in single precision),
bandwidth and centre frequencies and the bounds are rounded to float32 when
set, so that ``cmor1.5-1.2`` samples the same function in both libraries.

No TensorFlow here: `filterbank.cwt` turns these samples into kernels.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from functools import lru_cache
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import numpy as np

from filterbank.errors import FilterBankTypeError, InputError, did_you_mean
from filterbank.spec.continuous import ContinuousSpec, continuous_fields, continuous_name
from filterbank.spec.files import bundled_specs, load_spec

__all__ = [
    "CONTINUOUS_FAMILIES",
    "ContinuousWavelet",
    "as_continuous_wavelet",
]

#: short name -> (family name, lower bound, upper bound, complex, parameters in the name)
_FAMILIES: dict[str, tuple[str, float, float, bool, int]] = {
    "morl": ("Morlet wavelet", -8.0, 8.0, False, 0),
    "mexh": ("Mexican hat wavelet", -8.0, 8.0, False, 0),
    "gaus": ("Gaussian", -5.0, 5.0, False, 0),
    "cgau": ("Complex Gaussian wavelets", -5.0, 5.0, True, 0),
    "shan": ("Shannon wavelets", -20.0, 20.0, True, 2),
    "fbsp": ("Frequency B-Spline wavelets", -20.0, 20.0, True, 3),
    "cmor": ("Complex Morlet wavelets", -8.0, 8.0, True, 2),
}

#: The continuous families, in PyWavelets' order.
CONTINUOUS_FAMILIES: tuple[str, ...] = tuple(_FAMILIES)

#: What a bare ``shan`` / ``fbsp`` / ``cmor`` means (PyWavelets' deprecated defaults): (M,) B, C.
_BARE = {"shan": (0.5, 1.0), "fbsp": (2, 1.0, 0.5), "cmor": (1.0, 0.5)}

_NUMBER = r"(\d+(?:\.\d*)?|\.\d+)"


def _f32(value: float) -> float:
    """``value`` rounded to single precision (what PyWavelets' C core stores)."""
    return float(np.float32(value))


def _known_names() -> list[str]:
    return ["morl", "mexh", *(f"gaus{n}" for n in range(1, 9)), *(f"cgau{n}" for n in range(1, 9)),
            "shan", "fbsp", "cmor"]


def _parse(name: str) -> tuple[str, int | None, tuple[float, ...]]:
    """Split a wavelet name into (family, order, parameters); raise `InputError` for anything else."""
    if not isinstance(name, str):
        raise FilterBankTypeError(f"wavelet must be a continuous wavelet name or object; got {name!r}")
    low = name.lower()
    if low in ("morl", "mexh"):
        return low, None, ()
    m = re.fullmatch(r"(gaus|cgau)(\d+)", low)
    if m:
        order = int(m.group(2))
        if not 1 <= order <= 8:
            raise InputError(f"wavelet: {m.group(1)} order must be 1 to 8; got {name!r}")
        return m.group(1), order, ()
    family = low[:4]
    if family in ("shan", "cmor", "fbsp"):
        rest = low[4:]
        if rest == "":
            params = _BARE[family]
            spelled = "-".join(str(p) for p in params)
            warnings.warn(
                f"wavelet {name!r}: parameters belong in the name, {family}{spelled} here "
                f"({'M-' if family == 'fbsp' else ''}B-C: {'spline order, ' if family == 'fbsp' else ''}"
                "bandwidth and centre frequency)", FutureWarning, stacklevel=4)
            return family, None, tuple(float(p) for p in params)
        count = _FAMILIES[family][4]
        m = re.fullmatch("-".join([_NUMBER] * count), rest)
        form = "fbspM-B-C (M an integer)" if family == "fbsp" else f"{family}B-C"
        if not m:
            raise InputError(f"wavelet: {family} needs its parameters in the name as {form}, "
                             f"e.g. {'fbsp1-1.5-1.0' if family == 'fbsp' else family + '1.5-1.0'}; got {name!r}")
        values = tuple(float(v) for v in m.groups())
        if family == "fbsp" and values[0] != int(values[0]):
            raise InputError(f"wavelet: fbsp spline order M must be an integer; got {name!r}")
        return family, None, values
    letters = re.match(r"[a-z]*", low).group(0)  # type: ignore[union-attr]
    hint = did_you_mean(low, _known_names()) or did_you_mean(letters, CONTINUOUS_FAMILIES)
    raise InputError(f"wavelet must be a continuous wavelet ({', '.join(CONTINUOUS_FAMILIES)} families); "
                     f"got {name!r}{hint}")


class ContinuousWavelet:
    """A continuous wavelet, compatible with ``pywt.ContinuousWavelet``.

    Parameters
    ----------
    name : str
        ``morl``, ``mexh``, ``gaus1`` ... ``gaus8``, ``cgau1`` ... ``cgau8``,
        ``shanB-C``, ``cmorB-C`` or ``fbspM-B-C`` (``B`` the bandwidth
        frequency, ``C`` the centre frequency, ``M`` the integer spline
        order); a bare ``shan`` / ``cmor`` / ``fbsp`` warns and means
        PyWavelets' old defaults.
    dtype : {numpy.float64, numpy.float32}, optional
        Precision of `wavefun`'s samples (complex of that precision for a
        complex wavelet).

    Attributes
    ----------
    lower_bound, upper_bound : float
        Effective support sampled by `wavefun` (settable).
    center_frequency, bandwidth_frequency : float or None
        ``C`` and ``B`` of ``shan``, ``cmor``, ``fbsp`` (settable), else None.
    fbsp_order : int or None
        ``M`` of ``fbsp`` (settable), else None.
    complex_cwt : bool
        Whether the wavelet (and its transform) is complex.

    Raises
    ------
    InputError
        Unknown name, malformed parameters, a dtype other than float32/float64.

    Notes
    -----
    Unlike filterbank's frozen specs the attributes can be changed, as in
    PyWavelets (its tests move the bounds); each is validated when set.

    Examples
    --------
    >>> w = ContinuousWavelet("cmor1.5-1.0")
    >>> w.bandwidth_frequency, w.center_frequency, w.complex_cwt, (w.lower_bound, w.upper_bound)
    (1.5, 1.0, True, (-8.0, 8.0))
    >>> psi, x = w.wavefun(length=5)
    >>> x
    array([-8., -4.,  0.,  4.,  8.])
    >>> round(float(abs(psi[2])) ** 2 * np.pi * 1.5, 12)   # (pi B)^(-1/2) at x = 0
    1.0
    """

    def __init__(self, name: str, dtype: Any = np.float64) -> None:
        family, order, params = _parse(name)
        self._name = name
        self._family = family
        self._order = order
        try:
            dt = np.dtype(dtype)
        except TypeError:
            raise InputError(f"dtype must be float32 or float64; got {dtype!r}") from None
        if dt not in (np.float32, np.float64):
            raise InputError(f"dtype must be float32 or float64 (complex wavelets then sample in the "
                             f"matching complex type); got {dt}")
        self._dtype = dt
        _, lower, upper, _, _ = _FAMILIES[family]
        self._lower, self._upper = lower, upper
        self._fbsp_order: int | None = None
        self._bandwidth: float | None = None
        self._center: float | None = None
        if family == "fbsp":
            self.fbsp_order = int(params[0])
            params = params[1:]
        if params:
            self.bandwidth_frequency, self.center_frequency = params

    # -- names -------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The name given (``cmor1.5-1.0``)."""
        return self._name

    @property
    def short_family_name(self) -> str:
        """The family's short name (``cmor``)."""
        return self._family

    @property
    def family_name(self) -> str:
        """The family's long name (``Complex Morlet wavelets``)."""
        return _FAMILIES[self._family][0]

    @property
    def number(self) -> int | None:
        """The derivative order of ``gaus`` / ``cgau``, else None."""
        return self._order

    @property
    def complex_cwt(self) -> bool:
        """True for ``cgau``, ``shan``, ``fbsp`` and ``cmor``."""
        return _FAMILIES[self._family][3]

    @property
    def symmetry(self) -> str:
        """``symmetric``, ``anti-symmetric`` or ``asymmetric`` (of the real part, as PyWavelets says)."""
        if self._family in ("morl", "mexh"):
            return "symmetric"
        if self._order is not None:
            return "symmetric" if self._order % 2 == 0 else "anti-symmetric"
        return "asymmetric"

    orthogonal = False
    biorthogonal = False

    @property
    def dtype(self) -> np.dtype:
        """The real precision of `wavefun`'s samples."""
        return self._dtype

    dt = dtype

    # -- parameters (validated when set) -----------------------------------------------------
    def _bound(self, value: Any, which: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not math.isfinite(value):
            raise InputError(f"{which} must be a finite number; got {value!r}")
        return _f32(float(value))

    @property
    def lower_bound(self) -> float:
        """Left end of the sampled support."""
        return self._lower

    @lower_bound.setter
    def lower_bound(self, value: float) -> None:
        self._lower = self._bound(value, "lower_bound")

    @property
    def upper_bound(self) -> float:
        """Right end of the sampled support."""
        return self._upper

    @upper_bound.setter
    def upper_bound(self, value: float) -> None:
        self._upper = self._bound(value, "upper_bound")

    def _frequency(self, value: Any, which: str) -> float:
        if self._family not in _BARE:
            raise InputError(f"{which} applies to shan, cmor and fbsp wavelets; {self._name!r} has none")
        v = self._bound(value, which)
        if which == "bandwidth_frequency" and not v > 0:
            raise InputError(f"bandwidth_frequency must be > 0; got {value!r}")
        if v < 0:
            raise InputError(f"center_frequency must be >= 0; got {value!r}")
        return v

    @property
    def bandwidth_frequency(self) -> float | None:
        """``B`` of ``shan`` / ``cmor`` / ``fbsp`` (float32-rounded), else None."""
        return self._bandwidth

    @bandwidth_frequency.setter
    def bandwidth_frequency(self, value: float) -> None:
        self._bandwidth = self._frequency(value, "bandwidth_frequency")

    @property
    def center_frequency(self) -> float | None:
        """``C`` of ``shan`` / ``cmor`` / ``fbsp`` (float32-rounded), else None."""
        return self._center

    @center_frequency.setter
    def center_frequency(self, value: float) -> None:
        self._center = self._frequency(value, "center_frequency")

    @property
    def fbsp_order(self) -> int | None:
        """``M`` of ``fbsp``, else None."""
        return self._fbsp_order

    @fbsp_order.setter
    def fbsp_order(self, value: int) -> None:
        if self._family != "fbsp":
            raise InputError(f"fbsp_order applies to fbsp wavelets; {self._name!r} has none")
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise InputError(f"fbsp_order must be an integer >= 1; got {value!r}")
        self._fbsp_order = int(value)

    # -- samples -----------------------------------------------------------------------------
    def wavefun(self, level: int = 8, length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Sample the wavelet on ``length`` (default ``2**level``) points from lower to upper bound.

        Parameters
        ----------
        level : int, optional
            ``length = 2**level`` when ``length`` is not given (default 8).
        length : int, optional
            Number of samples, >= 1.

        Returns
        -------
        psi : numpy.ndarray
            The wavelet's values (complex for a complex wavelet), in `dtype`.
        x : numpy.ndarray
            ``numpy.linspace(lower_bound, upper_bound, length)`` in `dtype`.

        Examples
        --------
        >>> psi, x = ContinuousWavelet("mexh").wavefun(length=3)
        >>> x, psi.round(6)
        (array([-8.,  0.,  8.]), array([-0.      ,  0.867325, -0.      ]))
        """
        n = _check_count(level, length)
        x = np.linspace(self._lower, self._upper, n)
        psi = self._psi(x)
        real = self._dtype
        return psi.astype(np.result_type(real, np.complex64) if self.complex_cwt else real), x.astype(real)

    def _psi(self, x: np.ndarray) -> np.ndarray:
        """The wavelet at ``x`` in double precision."""
        f = self._family
        if f == "morl":
            return np.exp(-x**2 / 2) * np.cos(5 * x)
        if f == "mexh":
            return 2 / (math.sqrt(3) * math.pi**0.25) * (1 - x**2) * np.exp(-x**2 / 2)
        if f in ("gaus", "cgau"):
            coefs, scale = _gaussian_derivative(self._order, f == "cgau")
            value = np.polynomial.polynomial.polyval(x, coefs) * np.exp(-x**2)
            return value * np.exp(-1j * x) * scale if f == "cgau" else value * scale
        b, c = float(self._bandwidth or 0.0), float(self._center or 0.0)
        carrier = np.exp(2j * np.pi * c * x)
        if f == "cmor":
            return carrier * np.exp(-x**2 / b) / math.sqrt(math.pi * b)
        if f == "shan":
            return math.sqrt(b) * np.sinc(b * x) * carrier
        m = int(self._fbsp_order or 1)
        return math.sqrt(b) * np.sinc(b * x / m) ** m * carrier

    # -- values ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A plain mapping that `from_dict` turns back into an equal wavelet.

        Examples
        --------
        >>> ContinuousWavelet("fbsp2-1.5-1.0").to_dict()
        {'family': 'fbsp', 'bandwidth_frequency': 1.5, 'center_frequency': 1.0, 'fbsp_order': 2}
        """
        out: dict[str, Any] = {"family": self._family}
        if self._order is not None:
            out["order"] = self._order
        if self._bandwidth is not None:
            out["bandwidth_frequency"] = self._bandwidth
            out["center_frequency"] = self._center
        if self._fbsp_order is not None:
            out["fbsp_order"] = self._fbsp_order
        default = _FAMILIES[self._family][1:3]
        if (self._lower, self._upper) != default:
            out["lower_bound"], out["upper_bound"] = self._lower, self._upper
        return out

    @classmethod
    def from_dict(cls, spec: Any, path: str = "wavelet") -> ContinuousWavelet:
        """Build a wavelet from a mapping (a YAML spec's ``wavelet:`` entry); raise `SpecError` naming the key.

        Parameters
        ----------
        spec : mapping
            ``family`` (required) and the family's parameters: ``order``
            (gaus/cgau), ``bandwidth_frequency`` and ``center_frequency``
            (shan/cmor/fbsp), ``fbsp_order`` (fbsp); optional ``lower_bound``
            and ``upper_bound`` (`filterbank.spec.continuous`).
        path : str, optional
            Key path prefixed to every message.

        Examples
        --------
        >>> ContinuousWavelet.from_dict({"family": "cmor", "bandwidth_frequency": 1.5, "center_frequency": 1}).name
        'cmor1.5-1.0'
        >>> ContinuousWavelet.from_dict({"family": "cmor", "bandwidth": 1.5, "center_frequency": 1})
        Traceback (most recent call last):
        ...
        filterbank.errors.SpecError: 2 problems:
          wavelet.bandwidth: unknown key; allowed keys here are family, bandwidth_frequency, center_frequency, lower_bound, upper_bound (did you mean 'bandwidth_frequency'?)
          wavelet.bandwidth_frequency: is required for family 'cmor' (a finite number > 0); got nothing
        """
        values = continuous_fields(path, spec)
        out = cls(continuous_name(values))
        if "lower_bound" in values:
            out.lower_bound, out.upper_bound = values["lower_bound"], values["upper_bound"]
        return out

    @classmethod
    def from_spec(cls, spec: Any) -> ContinuousWavelet:
        """The wavelet of a ``kind: continuous`` spec (a `ContinuousSpec` or its mapping).

        Examples
        --------
        >>> ContinuousWavelet.from_spec({"filterbank": 1, "kind": "continuous", "family": "mexh"})
        ContinuousWavelet('mexh')
        """
        if isinstance(spec, Mapping):
            spec = ContinuousSpec.from_dict(dict(spec))
        if not isinstance(spec, ContinuousSpec):
            raise FilterBankTypeError(f"spec must be a continuous wavelet spec (kind: continuous); "
                                      f"got {type(spec).__name__}")
        return cls.from_dict(spec.parameters, path="")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ContinuousWavelet):
            return NotImplemented
        return (self.to_dict(), self._dtype) == (other.to_dict(), other._dtype)

    def __hash__(self) -> int:
        return hash((tuple(self.to_dict().items()), self._dtype.str))

    def __repr__(self) -> str:
        return f"ContinuousWavelet({self._name!r})"

    def __str__(self) -> str:
        return (f"ContinuousWavelet {self._name}\n  Family name:    {self.family_name}\n"
                f"  Short name:     {self._family}\n  Symmetry:       {self.symmetry}\n"
                f"  DWT:            False\n  CWT:            True\n  Complex CWT:    {self.complex_cwt}")


def _check_count(level: Any, length: Any) -> int:
    if length is None:
        if isinstance(level, bool) or not isinstance(level, (int, np.integer)) or not 0 <= level <= 30:
            raise InputError(f"level must be an integer from 0 to 30; got {level!r}")
        return 1 << int(level)
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 1:
        raise InputError(f"length must be an integer >= 1; got {length!r}")
    return int(length)


@lru_cache(maxsize=16)
def _gaussian_derivative(order: int, complex_: bool) -> tuple[np.ndarray, float]:
    """Coefficients of ``P_order`` (increasing powers) and the unit-energy factor (with its sign)."""
    P = np.polynomial.polynomial
    q = np.array([-1j if complex_ else 0.0, -2.0])
    p = np.array([1.0 + 0j])
    for _ in range(order):
        p = P.polyadd(P.polyder(p) if len(p) > 1 else [0j], P.polymul(q, p))
    # energy: integral of |P(x)|^2 exp(-2x^2) dx, with int x^(2k) exp(-2x^2) = sqrt(pi/2) (2k-1)!! / 4^k
    sq = P.polymul(p, np.conj(p)).real
    energy = math.sqrt(math.pi / 2) * sum(
        sq[2 * k] * math.prod(range(1, 2 * k, 2)) / 4**k for k in range((len(sq) + 1) // 2))
    # PyWavelets' sign convention for the real derivatives: + - - + + - - +
    sign = 1.0 if complex_ or (order // 2) % 2 == 0 else -1.0
    coefs = p if complex_ else p.real
    return coefs, sign / math.sqrt(energy)


def as_continuous_wavelet(wavelet: Any) -> ContinuousWavelet:
    """A `ContinuousWavelet` from a name, a spec, one of ours, or an object shaped like ``pywt.ContinuousWavelet``.

    A string is a PyWavelets name (``cmor1.5-1.0``), else a ``kind:
    continuous`` YAML file or bundled spec; a mapping is a spec (with
    ``kind: continuous``) or a ``wavelet:`` entry (``family`` and parameters).

    Examples
    --------
    >>> as_continuous_wavelet("morl")
    ContinuousWavelet('morl')
    >>> as_continuous_wavelet({"family": "cgau", "order": 2})
    ContinuousWavelet('cgau2')
    >>> as_continuous_wavelet("db4")
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: wavelet must be a continuous wavelet (morl, mexh, gaus, cgau, shan, fbsp, cmor families); got 'db4'
    """
    if isinstance(wavelet, ContinuousWavelet):
        return wavelet
    if isinstance(wavelet, ContinuousSpec):
        return ContinuousWavelet.from_spec(wavelet)
    if isinstance(wavelet, (str, os.PathLike)):
        return _from_text(wavelet)
    if isinstance(wavelet, Mapping):
        if "kind" in wavelet or "filterbank" in wavelet:
            return ContinuousWavelet.from_spec(wavelet)
        return ContinuousWavelet.from_dict(dict(wavelet))
    name = getattr(wavelet, "name", None)
    if isinstance(name, str) and hasattr(wavelet, "lower_bound") and hasattr(wavelet, "complex_cwt"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # warned when the caller made it
            out = ContinuousWavelet(name)
        out.lower_bound, out.upper_bound = wavelet.lower_bound, wavelet.upper_bound
        if out.center_frequency is not None:
            out.bandwidth_frequency = wavelet.bandwidth_frequency
            out.center_frequency = wavelet.center_frequency
        if out.fbsp_order is not None:
            out.fbsp_order = int(wavelet.fbsp_order)
        return out
    if isinstance(name, str):
        raise InputError(f"wavelet must be a continuous wavelet ({', '.join(CONTINUOUS_FAMILIES)} families); "
                         f"got {name!r}")
    raise FilterBankTypeError(f"wavelet must be a continuous wavelet name or object; got {type(wavelet).__name__}")


def _from_text(text: str | os.PathLike[str]) -> ContinuousWavelet:
    """A name, else a YAML file or bundled spec of ``kind: continuous``."""
    name = os.fspath(text)
    try:
        return ContinuousWavelet(name)
    except InputError as exc:
        error = exc
        if not (name in bundled_specs() or name.endswith((".yaml", ".yml")) or Path(name).is_file()):
            raise
    spec = load_spec(name)
    if not isinstance(spec, ContinuousSpec):
        if not Path(name).is_file():  # a bundled bank such as db4
            raise error
        raise InputError(f"wavelet {name!r} is a kind: {spec.kind} spec; a continuous wavelet (kind: continuous) "
                         "is needed here")
    return ContinuousWavelet.from_spec(spec)
