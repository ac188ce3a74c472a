"""Filter-bank specifications: frozen, validated, round-tripping values.

A spec is plain data (a ``dict`` or a YAML document) describing either a
two-channel bank (``kind: bank``, the default) or one filter (``kind: filter``)
for `filterbank.convolve` / `filterbank.correlate`::

    filterbank: 1                  # format version (required)
    name: firwin-qmf
    filters:
      dec_lo: {design: firwin, numtaps: 32, cutoff: 0.5}
    derive: qmf                    # how the missing filters follow
    perfect_reconstruction: false  # near-PR: load with a warning
    mode: periodization            # default extension mode for transforms
    level: 3                       # default decomposition level

Every key is documented in ``docs/spec.md``. Errors are `SpecError`
whose message starts with the key path (``filters.dec_lo.numtaps: ...``); a
spec with several problems raises one `SpecError` that lists them all (its
``errors`` attribute holds them one by one).

Examples
--------
>>> spec = FilterBankSpec.from_dict({"filterbank": 1, "wavelet": "db4"})
>>> spec.wavelet, spec.derive, spec.tolerance
('db4', 'auto', 1e-09)
>>> FilterBankSpec.from_dict(spec.to_dict()) == spec
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from filterbank.spec.parameters import DESIGNS, ROLES, SCIPY_DESIGNS, to_choice_long, validate_params
from filterbank.spec._validate import (
    Problems,
    at,
    check_keys,
    fail,
    join,
    to_bool,
    to_choice,
    to_float,
    to_int,
    to_str,
)
from filterbank.spec.parameters import DEFAULT_TOLERANCE
from filterbank.spec.continuous import ContinuousSpec
from filterbank.spec.mchannel import MChannelSpec
from filterbank.spec.parameters import DERIVATIONS
from filterbank.errors import SpecError
from filterbank.modes import MODES

__all__ = [
    "DERIVE_INPUTS",
    "NORMALIZATIONS",
    "SPEC_VERSION",
    "FilterBankSpec",
    "FilterSpec",
    "SingleFilterSpec",
    "Spec",
    "spec_from_dict",
]

#: The only version of the format so far (key ``filterbank``).
SPEC_VERSION = 1

#: Values of a filter's ``normalize`` key.
NORMALIZATIONS: tuple[str, ...] = ("auto", "none", "sqrt2", "dc", "energy")

#: For each ``derive`` rule, the sets of filters a spec must give.
DERIVE_INPUTS: Mapping[str, tuple[frozenset[str], ...]] = {
    "auto": (
        frozenset({"dec_lo"}),
        frozenset({"rec_lo"}),
        frozenset({"dec_lo", "rec_lo"}),
        frozenset({"dec_lo", "dec_hi"}),
        frozenset({"rec_lo", "rec_hi"}),
        frozenset(ROLES),
    ),
    "none": (frozenset(ROLES),),
    "alternating_flip": (frozenset({"dec_lo"}), frozenset({"rec_lo"})),
    "time_reversal": (frozenset({"dec_lo", "dec_hi"}),),
    "biorthogonal": (frozenset({"dec_lo", "rec_lo"}),),
    "synthesis": (frozenset({"dec_lo", "dec_hi"}),),
    "analysis": (frozenset({"rec_lo", "rec_hi"}),),
    "qmf": (frozenset({"dec_lo"}),),
}

_DERIVE_NAMES = (*DERIVATIONS, "none")
_MAX_NAME = 64
_MAX_DESCRIPTION = 2000


def _plain(value: Any) -> Any:
    """Tuples back to lists, for ``to_dict``."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _freeze(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


def _version(value: Any) -> None:
    """The format version: the integer 1 (not ``1.0``, ``True`` or ``"1"``)."""
    if type(value) is not int:
        raise fail("filterbank", f"must be {SPEC_VERSION}, the spec format version, written as an integer", value)
    if value != SPEC_VERSION:
        raise fail("filterbank", f"must be {SPEC_VERSION}, the spec format version", value)


def _wavelet(value: Any) -> str:
    import pywt

    return to_choice_long("wavelet", value, pywt.wavelist(kind="discrete"))


def _name(path: str, value: Any) -> str:
    text = to_str(path, value, _MAX_NAME)
    if text and not all(c.isalnum() or c in "_.+-" for c in text):
        raise fail(path, "may contain only letters, digits and _ . + -", value)
    return text


@dataclass(frozen=True, kw_only=True)
class FilterSpec:
    """One filter: explicit taps, a PyWavelets filter, or a scipy.signal design.

    Parameters
    ----------
    design : {'taps', 'wavelet', 'firwin', 'firwin2', 'remez', 'firls', 'kaiser'}
        The source.
    params : mapping
        The source's parameters, with scipy's names for scipy designs
        (``numtaps``, ``cutoff``, ``window``, ``fs``...). Stored as a tuple of
        ``(key, value)`` pairs with lists frozen to tuples.
    normalize : {'auto', 'none', 'sqrt2', 'dc', 'energy'}, default 'auto'
        Rescaling of the designed taps: ``sqrt2`` and ``dc`` make the larger of
        ``|H(1)|`` and ``|H(-1)|`` equal to ``sqrt(2)`` or 1, ``energy`` makes
        ``sum(h**2) == 1``. ``auto`` is ``sqrt2`` for a scipy design inside a
        bank (PyWavelets' scaling, needed for reconstruction) and ``none``
        otherwise.

    Examples
    --------
    >>> f = FilterSpec(design="firwin", params={"numtaps": 16, "cutoff": 0.5})
    >>> f.parameters
    {'numtaps': 16, 'cutoff': (0.5,)}
    >>> f.to_dict()
    {'design': 'firwin', 'numtaps': 16, 'cutoff': [0.5]}
    >>> FilterSpec(design="firwin", params={"numtaps": 16, "cutof": 0.5})
    Traceback (most recent call last):
    ...
    filterbank.errors.SpecError: cutof: unknown key; allowed keys here are numtaps, cutoff, width, window, pass_zero, scale, fs (did you mean 'cutoff'?)
    """

    design: str
    params: Any = ()
    normalize: str = "auto"

    def __post_init__(self) -> None:
        problems = Problems()
        with problems.check():
            to_choice("normalize", self.normalize, NORMALIZATIONS)
        with problems.check():
            design = to_choice("design", self.design, DESIGNS)
            try:
                raw = dict(self.params)
            except (TypeError, ValueError):
                raise fail("params", "must be a mapping of parameter names to values", self.params) from None
            params = validate_params(design, raw)
            object.__setattr__(self, "params", tuple((k, _freeze(v)) for k, v in params.items()))
        problems.raise_any()

    @property
    def parameters(self) -> dict[str, Any]:
        """The parameters as a new ``dict``."""
        return dict(self.params)

    @property
    def is_scipy(self) -> bool:
        """Whether the filter comes from a scipy.signal design."""
        return self.design in SCIPY_DESIGNS

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> FilterSpec:
        """Build from a mapping (or a bare list of taps); errors name ``path``.

        Examples
        --------
        >>> FilterSpec.from_dict([0.5, 0.5]).parameters
        {'taps': (0.5, 0.5)}
        >>> FilterSpec.from_dict({"design": "firwin", "numtaps": 0, "cutoff": 0.3}, "filters.dec_lo")
        Traceback (most recent call last):
        ...
        filterbank.errors.SpecError: filters.dec_lo.numtaps: must be an integer in [1, 16384]; got 0
        """
        if isinstance(data, (list, tuple)):
            data = {"taps": list(data)}
        if not isinstance(data, Mapping):
            raise fail(path or "filter", "must be a list of taps or a mapping with a 'design'", data)
        rest = dict(data)
        normalize = rest.pop("normalize", "auto")
        design = rest.pop("design", None)
        if design is None:
            design = "taps" if "taps" in rest else "wavelet" if "wavelet" in rest else None
        if design is None:
            raise fail(join(path, "design"), f"is required, one of {', '.join(DESIGNS)} (or give 'taps' or 'wavelet')")
        with at(path):
            return cls(design=design, params=rest, normalize=normalize)

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict`` (lists, no tuples) that `from_dict` turns back into ``self``."""
        out: dict[str, Any] = {} if self.design in ("taps", "wavelet") else {"design": self.design}
        out.update({k: _plain(v) for k, v in self.params})
        if self.normalize != "auto":
            out["normalize"] = self.normalize
        return out


_BANK_KEYS = (
    "filterbank",
    "kind",
    "name",
    "description",
    "wavelet",
    "filters",
    "derive",
    "align",
    "perfect_reconstruction",
    "tolerance",
    "mode",
    "level",
)


@dataclass(frozen=True, kw_only=True)
class FilterBankSpec:
    """A two-channel analysis / synthesis bank (``kind: bank``).

    Give either ``wavelet`` (a PyWavelets discrete wavelet) or some of the four
    filters ``dec_lo, dec_hi, rec_lo, rec_hi`` and a ``derive`` rule for the
    rest (see `DERIVE_INPUTS` and `filterbank.derive`).

    Parameters
    ----------
    name : str, default ''
        Bank name (letters, digits, ``_ . + -``; at most 64 characters). Empty:
        the wavelet name, the file name, or ``'custom'``.
    description : str, default ''
        Free text, at most 2000 characters.
    wavelet : str or None
        A name from ``pywt.wavelist(kind="discrete")``.
    dec_lo, dec_hi, rec_lo, rec_hi : FilterSpec, mapping, list or None
        The given filters (a mapping or a list of taps is read with
        `FilterSpec.from_dict`).
    derive : str, default 'auto'
        ``auto``, ``none``, ``alternating_flip``, ``time_reversal``,
        ``biorthogonal``, ``synthesis``, ``analysis`` or ``qmf``.
    align : bool, default True
        Zero-pad the filters to one length ``L`` with reconstruction delay
        ``L - 1`` (see `filterbank.design.derive.align`).
    perfect_reconstruction : bool, default True
        ``True``: loading raises `PerfectReconstructionError`
        when the PR error exceeds ``tolerance``. ``False``: it warns instead.
    tolerance : float, default 1e-9
        Bound on the PR error, in ``(0, 1]``.
    mode : str or None
        Default extension mode of the transforms (a PyWavelets mode name).
    level : int or None
        Default decomposition level, in ``[1, 64]``.

    Examples
    --------
    >>> spec = FilterBankSpec(name="my-db2", dec_lo=FilterSpec(design="wavelet", params={"wavelet": "db2"}))
    >>> spec.given
    ('dec_lo',)
    >>> FilterBankSpec(dec_lo=[0.5, 0.5]).dec_lo
    FilterSpec(design='taps', params=(('taps', (0.5, 0.5)),), normalize='auto')
    >>> FilterBankSpec(wavelet="db4", derive="qmf")
    Traceback (most recent call last):
    ...
    filterbank.errors.SpecError: derive: must be 'auto' when the bank comes from a wavelet; got 'qmf'
    """

    version: int = SPEC_VERSION
    name: str = ""
    description: str = ""
    wavelet: str | None = None
    dec_lo: FilterSpec | None = None
    dec_hi: FilterSpec | None = None
    rec_lo: FilterSpec | None = None
    rec_hi: FilterSpec | None = None
    derive: str = "auto"
    align: bool = True
    perfect_reconstruction: bool = True
    tolerance: float = DEFAULT_TOLERANCE
    mode: str | None = None
    level: int | None = None

    def __post_init__(self) -> None:
        self._check_fields()  # every field's problems at once; the rules between fields need valid fields
        given = self.given
        if self.wavelet is not None:
            if given:
                raise fail("filters", "cannot be combined with 'wavelet' (give one source)", list(given))
            if self.derive != "auto":
                raise fail("derive", "must be 'auto' when the bank comes from a wavelet", self.derive)
            return
        if not given:
            raise SpecError("filters: a bank needs 'wavelet' or at least one filter of dec_lo, dec_hi, rec_lo, rec_hi")
        allowed = DERIVE_INPUTS[self.derive]
        if frozenset(given) not in allowed:
            sets = " or ".join("{" + ", ".join(r for r in ROLES if r in s) + "}" for s in allowed)
            raise fail("filters", f"derive {self.derive!r} needs the filters {sets}", list(given))

    def _check_fields(self) -> None:
        """Validate (and normalise) each field on its own; raise one `SpecError` listing every problem."""
        problems = Problems()
        checks: list[tuple[Callable[..., Any], tuple[Any, ...]]] = [
            (_version, (self.version,)), (_name, ("name", self.name)),
            (to_str, ("description", self.description, _MAX_DESCRIPTION)),
            (to_choice, ("derive", self.derive, _DERIVE_NAMES)), (to_bool, ("align", self.align)),
            (to_bool, ("perfect_reconstruction", self.perfect_reconstruction)),
            (self._normalise, ("tolerance", lambda v: to_float("tolerance", v, 0.0, 1.0, open_lo=True), False)),
            (self._normalise, ("mode", lambda v: to_choice("mode", v, MODES))),
            (self._normalise, ("level", lambda v: to_int("level", v, 1, 64))),
            (self._normalise, ("wavelet", _wavelet)),
            *((self._check_filter, (role,)) for role in ROLES),
        ]
        for check, args in checks:
            with problems.check():
                check(*args)
        problems.raise_any()

    def _normalise(self, name: str, validate: Callable[[Any], Any], optional: bool = True) -> None:
        """Replace the field ``name`` by ``validate(value)`` (an ``optional`` field may stay None)."""
        if not (optional and getattr(self, name) is None):
            object.__setattr__(self, name, validate(getattr(self, name)))

    def _check_filter(self, role: str) -> None:
        value = getattr(self, role)
        if isinstance(value, (Mapping, list, tuple)):
            object.__setattr__(self, role, FilterSpec.from_dict(value, f"filters.{role}"))
        elif value is not None and not isinstance(value, FilterSpec):
            raise fail(f"filters.{role}", "must be a FilterSpec, a mapping or a list of taps", type(value).__name__)

    @property
    def given(self) -> tuple[str, ...]:
        """The filters the spec gives, in PyWavelets' order."""
        return tuple(r for r in ROLES if getattr(self, r) is not None)

    @property
    def kind(self) -> Literal["bank"]:
        """Always ``'bank'``."""
        return "bank"

    @classmethod
    def from_dict(cls, data: Any) -> FilterBankSpec:
        """Build from a plain mapping (e.g. parsed YAML); see the module docstring.

        Examples
        --------
        >>> FilterBankSpec.from_dict({"filterbank": 1, "wavelet": "db4", "levle": 3})
        Traceback (most recent call last):
        ...
        filterbank.errors.SpecError: levle: unknown key; allowed keys here are filterbank, kind, name, description, wavelet, filters, derive, align, perfect_reconstruction, tolerance, mode, level (did you mean 'level'?)
        """
        if not isinstance(data, Mapping):
            check_keys("", data, _BANK_KEYS)  # raises: not a mapping
        problems = Problems()
        with problems.check():
            check_keys("", data, _BANK_KEYS, ("filterbank",))
        if data.get("kind", "bank") != "bank":
            raise fail("kind", "must be 'bank' here (use spec_from_dict for 'filter')", data.get("kind"))
        kwargs: dict[str, Any] = {"version": data.get("filterbank", SPEC_VERSION)}  # a missing version is reported
        for key in _BANK_KEYS[2:]:
            if key in data and key != "filters":
                kwargs[key] = data[key]
        filters = data.get("filters", {})
        with problems.check():
            check_keys("filters", filters, ROLES)
        for role in ROLES:
            value = filters.get(role) if isinstance(filters, Mapping) else None
            if isinstance(value, (Mapping, list, tuple)):
                kwargs[role] = value  # read with FilterSpec.from_dict among the other fields, in order
            elif value is not None:
                with problems.check():
                    FilterSpec.from_dict(value, f"filters.{role}")  # raises its own message
        spec = None
        with problems.check():
            spec = cls(**kwargs)
        if any(m.startswith("filters.") for m in problems.messages):
            # "derive ... needs the filters ..." would only repeat a broken or misnamed filter
            problems.messages = [m for m in problems.messages if not m.startswith("filters: ")]
        problems.raise_any()
        assert spec is not None
        return spec

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict`` with the non-default keys; ``from_dict`` inverts it.

        Examples
        --------
        >>> FilterBankSpec(name="b", wavelet="haar", level=2).to_dict()
        {'filterbank': 1, 'name': 'b', 'wavelet': 'haar', 'level': 2}
        """
        out: dict[str, Any] = {"filterbank": self.version}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "version" or f.name in ROLES or value == f.default:
                continue
            out[f.name] = value
        if self.given:
            out["filters"] = {role: getattr(self, role).to_dict() for role in self.given}
        order = {k: i for i, k in enumerate(_BANK_KEYS)}
        return dict(sorted(out.items(), key=lambda kv: order[kv[0]]))


@dataclass(frozen=True, kw_only=True)
class SingleFilterSpec:
    """One filter for ``fb.convolve`` / ``fb.correlate`` (``kind: filter``).

    Examples
    --------
    >>> s = spec_from_dict({"filterbank": 1, "kind": "filter", "name": "lp",
    ...                     "filter": {"design": "firwin", "numtaps": 31, "cutoff": 0.2}})
    >>> s.filter.design, s.to_dict()["kind"]
    ('firwin', 'filter')
    """

    version: int = SPEC_VERSION
    name: str = ""
    description: str = ""
    filter: FilterSpec = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        problems = Problems()
        with problems.check():
            _version(self.version)
        with problems.check():
            _name("name", self.name)
        with problems.check():
            to_str("description", self.description, _MAX_DESCRIPTION)
        with problems.check():
            if isinstance(self.filter, (Mapping, list, tuple)):
                object.__setattr__(self, "filter", FilterSpec.from_dict(self.filter, "filter"))
            if not isinstance(self.filter, FilterSpec):
                raise fail("filter", "is required: a FilterSpec, a mapping or a list of taps", self.filter)
        problems.raise_any()

    @property
    def kind(self) -> Literal["filter"]:
        """Always ``'filter'``."""
        return "filter"

    @classmethod
    def from_dict(cls, data: Any) -> SingleFilterSpec:
        """Build from a plain mapping with ``kind: filter``."""
        keys = ("filterbank", "kind", "name", "description", "filter")
        if not isinstance(data, Mapping):
            check_keys("", data, keys)  # raises: not a mapping
        problems = Problems()
        with problems.check():
            check_keys("", data, keys, ("filterbank", "kind", "filter"))
        if data.get("kind", "filter") != "filter":
            raise fail("kind", "must be 'filter' here", data["kind"])
        spec = None
        with problems.check():
            spec = cls(version=data.get("filterbank", SPEC_VERSION), name=data.get("name", ""),
                       description=data.get("description", ""), filter=data.get("filter", [1.0]))
        problems.raise_any()
        assert spec is not None
        return spec

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict``; ``spec_from_dict`` inverts it."""
        out: dict[str, Any] = {"filterbank": self.version, "kind": "filter"}
        if self.name:
            out["name"] = self.name
        if self.description:
            out["description"] = self.description
        out["filter"] = self.filter.to_dict()
        return out


Spec = FilterBankSpec | SingleFilterSpec | MChannelSpec | ContinuousSpec


def spec_from_dict(data: Any) -> Spec:
    """Build a bank or single-filter spec from a mapping, by its ``kind``.

    Examples
    --------
    >>> spec_from_dict({"filterbank": 1, "wavelet": "sym8"}).kind
    'bank'
    >>> spec_from_dict({"filterbank": 1, "kind": "banks"})
    Traceback (most recent call last):
    ...
    filterbank.errors.SpecError: kind: must be one of 'bank', 'filter', 'mchannel', 'continuous'; got 'banks' (did you mean 'bank'?)
    """
    if not isinstance(data, Mapping):
        raise fail("spec", "must be a mapping (a YAML document of key: value lines)", type(data).__name__)
    kind = to_choice("kind", data.get("kind", "bank"), ("bank", "filter", "mchannel", "continuous"))
    if kind == "mchannel":
        return MChannelSpec.from_dict(data)
    if kind == "continuous":
        return ContinuousSpec.from_dict(data)
    return SingleFilterSpec.from_dict(data) if kind == "filter" else FilterBankSpec.from_dict(data)
