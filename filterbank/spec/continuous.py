"""Continuous wavelet specs (``kind: continuous``): a family and its parameters, for `filterbank.cwt`.

A continuous wavelet is no filter bank: it is a function sampled at each
scale. Its spec names a PyWavelets family and the family's parameters, with
PyWavelets' attribute names::

    filterbank: 1
    kind: continuous
    name: cmor1.5-1.0
    family: cmor                 # morl mexh gaus cgau shan fbsp cmor
    bandwidth_frequency: 1.5     # B: shan, fbsp, cmor (> 0)
    center_frequency: 1.0        # C: shan, fbsp, cmor (>= 0)
    # order: 2                   # N: gaus, cgau (1 to 8)
    # fbsp_order: 2              # M: fbsp (an integer >= 1)
    # lower_bound: -8            # the sampled support (both or neither),
    # upper_bound: 8             # default the family's

The same keys make the ``wavelet:`` mapping that
`filterbank.ContinuousWavelet.from_dict` reads. Errors are `SpecError`
whose message starts with the key path, as for every spec.

Examples
--------
>>> spec = ContinuousSpec.from_dict({"filterbank": 1, "kind": "continuous", "family": "cmor",
...                                  "bandwidth_frequency": 1.5, "center_frequency": 1})
>>> spec.wavelet_name, spec.center_frequency
('cmor1.5-1.0', 1.0)
>>> ContinuousSpec.from_dict(spec.to_dict()) == spec
True
>>> ContinuousSpec(family="cmor", bandwidth_frequency=-1, center_frequency=1.0)
Traceback (most recent call last):
...
filterbank.errors.SpecError: bandwidth_frequency: must be a finite number > 0; got -1
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from filterbank.errors import SpecError
from filterbank.spec._validate import Problems, check_header, check_keys, fail, join, to_choice

__all__ = ["CONTINUOUS_KEYS", "ContinuousSpec", "continuous_fields", "continuous_name"]

#: The parameters each family needs, in the order its name spells them.
CONTINUOUS_KEYS: Mapping[str, tuple[str, ...]] = {
    "morl": (),
    "mexh": (),
    "gaus": ("order",),
    "cgau": ("order",),
    "shan": ("bandwidth_frequency", "center_frequency"),
    "fbsp": ("fbsp_order", "bandwidth_frequency", "center_frequency"),
    "cmor": ("bandwidth_frequency", "center_frequency"),
}

_PARAMETERS = ("order", "bandwidth_frequency", "center_frequency", "fbsp_order", "lower_bound", "upper_bound")
_TOP = ("filterbank", "kind", "name", "description", "family", *_PARAMETERS)


def _number(path: str, value: Any, rule: str, ok: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(path, rule, value)
    try:
        x = float(value)
    except OverflowError:
        raise fail(path, rule, value) from None
    if not (math.isfinite(x) and ok(x)):
        raise fail(path, rule, value)
    return x


def _integer(path: str, value: Any, lo: int, hi: int | None) -> int:
    rule = f"must be an integer {'from %d to %d' % (lo, hi) if hi else '>= %d' % lo}"
    x = _number(path, value, rule, lambda v: v == int(v) and v >= lo and (hi is None or v <= hi))
    return int(x)


def continuous_fields(path: str, data: Any, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """Validate a family and its parameters; return them normalised (every problem at once).

    Parameters
    ----------
    path : str
        Key path of the mapping (``""`` at the top of a spec, ``"wavelet"`` inside one).
    data : mapping
        ``family`` and the parameters the family needs (`CONTINUOUS_KEYS`),
        optionally ``lower_bound`` and ``upper_bound``.
    extra : tuple of str, optional
        Other keys the caller allows (and checks itself).

    Returns
    -------
    dict
        ``family`` and the family's parameters (integers as ``int``, the
        others as ``float``), with the bounds when given.

    Examples
    --------
    >>> continuous_fields("wavelet", {"family": "gaus", "order": 2.0})
    {'family': 'gaus', 'order': 2}
    >>> continuous_fields("wavelet", {"family": "gaus"})
    Traceback (most recent call last):
    ...
    filterbank.errors.SpecError: wavelet.order: is required for family 'gaus' (an integer from 1 to 8); got nothing
    """
    if not isinstance(data, Mapping) or "family" not in data:
        raise fail(path or "spec", "must be a mapping with a 'family' key", data)
    family = to_choice(join(path, "family"), data["family"], CONTINUOUS_KEYS)
    needed = CONTINUOUS_KEYS[family]
    bounds = [k for k in ("lower_bound", "upper_bound") if k in data]
    problems = Problems()
    with problems.check():
        check_keys(path, data, ("family", *needed, "lower_bound", "upper_bound", *extra))
    out: dict[str, Any] = {"family": family}
    rules = {
        "order": "an integer from 1 to 8",
        "fbsp_order": "an integer >= 1",
        "bandwidth_frequency": "a finite number > 0",
        "center_frequency": "a finite number >= 0",
    }
    for key in needed:
        where = join(path, key)
        with problems.check():
            if key not in data:
                raise fail(where, f"is required for family {family!r} ({rules[key]})")
            value = data[key]
            if key == "order":
                out[key] = _integer(where, value, 1, 8)
            elif key == "fbsp_order":
                out[key] = _integer(where, value, 1, None)
            elif key == "bandwidth_frequency":
                out[key] = _number(where, value, "must be a finite number > 0", lambda v: v > 0)
            else:
                out[key] = _number(where, value, "must be a finite number >= 0", lambda v: v >= 0)
    with problems.check():
        if bounds:
            given = [data.get("lower_bound"), data.get("upper_bound")]
            if len(bounds) == 1:
                raise fail(join(path, bounds[0]), "needs both lower_bound and upper_bound", given)
            lo, hi = (_number(join(path, k), data[k], "must be a finite number", lambda v: True)
                      for k in ("lower_bound", "upper_bound"))
            if not lo < hi:
                raise fail(join(path, "upper_bound"), "must exceed lower_bound", given)
            out["lower_bound"], out["upper_bound"] = lo, hi
    problems.raise_any()
    return out


def continuous_name(values: Mapping[str, Any]) -> str:
    """The PyWavelets name of validated `continuous_fields` (bounds are not in a name).

    Examples
    --------
    >>> continuous_name({"family": "fbsp", "fbsp_order": 2, "bandwidth_frequency": 1.5, "center_frequency": 1.0})
    'fbsp2-1.5-1.0'
    """
    family = values["family"]
    if family in ("gaus", "cgau"):
        return f"{family}{values['order']}"
    parts = [repr(float(values[k])) for k in CONTINUOUS_KEYS[family] if k != "fbsp_order"]
    if family == "fbsp":
        parts.insert(0, str(values["fbsp_order"]))
    return family + "-".join(parts)


@dataclass(frozen=True, kw_only=True)
class ContinuousSpec:
    """A continuous wavelet (``kind: continuous``); see the module docstring.

    Parameters
    ----------
    name : str, default ''
        Spec name (letters, digits, ``_ . + -``; at most 64 characters).
    description : str, default ''
        Free text, at most 2000 characters.
    family : {'morl', 'mexh', 'gaus', 'cgau', 'shan', 'fbsp', 'cmor'}
        The PyWavelets family.
    order : int or None
        ``N`` of ``gaus`` / ``cgau`` (1 to 8).
    bandwidth_frequency, center_frequency : float or None
        ``B`` (> 0) and ``C`` (>= 0) of ``shan``, ``fbsp``, ``cmor``.
    fbsp_order : int or None
        ``M`` of ``fbsp`` (>= 1).
    lower_bound, upper_bound : float or None
        The sampled support; both or neither (default: the family's).

    Examples
    --------
    >>> ContinuousSpec(family="gaus", order=3).wavelet_name
    'gaus3'
    >>> ContinuousSpec(family="gaus", order=3, center_frequency=1.0)
    Traceback (most recent call last):
    ...
    filterbank.errors.SpecError: center_frequency: unknown key; allowed keys here are family, order, lower_bound, upper_bound
    """

    version: int = 1
    name: str = ""
    description: str = ""
    family: str = "morl"
    order: int | None = None
    bandwidth_frequency: float | None = None
    center_frequency: float | None = None
    fbsp_order: int | None = None
    lower_bound: float | None = None
    upper_bound: float | None = None

    def __post_init__(self) -> None:
        problems = Problems()
        check_header(problems, self.version, self.name, self.description)
        given = {k: getattr(self, k) for k in ("family", *_PARAMETERS) if getattr(self, k) is not None}
        with problems.check():
            for key, value in continuous_fields("", given).items():
                object.__setattr__(self, key, value)
        problems.raise_any()

    @property
    def kind(self) -> Literal["continuous"]:
        """Always ``'continuous'``."""
        return "continuous"

    @property
    def wavelet_name(self) -> str:
        """The PyWavelets name (``cmor1.5-1.0``); the bounds are not part of it."""
        return continuous_name({k: getattr(self, k) for k in ("family", *_PARAMETERS)})

    @property
    def parameters(self) -> dict[str, Any]:
        """``family`` and the parameters given, as the ``wavelet:`` mapping of `ContinuousWavelet.from_dict`."""
        return {k: getattr(self, k) for k in ("family", *_PARAMETERS) if getattr(self, k) is not None}

    @classmethod
    def from_dict(cls, data: Any) -> ContinuousSpec:
        """Build from a plain mapping with ``kind: continuous`` (see the module docstring)."""
        check_keys("", data, _TOP, ("filterbank", "kind", "family"))
        if data.get("kind") != "continuous":
            raise fail("kind", "must be 'continuous' here", data.get("kind"))
        kwargs = {k: data[k] for k in _TOP[2:] if k in data}
        try:
            return cls(version=data["filterbank"], **kwargs)
        except TypeError as exc:  # pragma: no cover - every key is checked above
            raise SpecError(str(exc)) from None

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict`` with the keys given; `from_dict` inverts it."""
        out: dict[str, Any] = {"filterbank": self.version, "kind": "continuous"}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "version" and value is not None and value != "":
                out[f.name] = value
        return out
