"""M-channel bank specs (``kind: mchannel``): explicit taps, cosine-modulated (PQMF), DFT-modulated.

An M-channel bank splits a signal into ``channels`` bands and keeps every
``decimation``-th sample of each (``decimation == channels``: critically
sampled; fewer: oversampled)::

    filterbank: 1
    kind: mchannel
    name: pqmf4
    channels: 4                    # M, in [2, 64]
    decimation: 4                  # D, in [1, M]; default M
    design: cosine_modulated       # taps | cosine_modulated | dft_modulated
    prototype: {numtaps: 63, cutoff: 0.142, beta: 9.0}
    perfect_reconstruction: false  # near-PR: the check may not pass tolerance ...
    tolerance: 0.01                # ... and then warns instead of raising

``design: taps`` gives ``analysis`` (M lists of taps, lowest band first) and
optionally ``synthesis`` (default: each analysis filter reversed, the
paraunitary choice). ``cosine_modulated`` takes a Kaiser-window prototype
(``numtaps``, ``cutoff`` as a fraction of Nyquist, or ``optimize``, and
``beta``) and needs ``decimation == channels``; ``dft_modulated`` takes a
window (``numtaps <= channels``, ``window`` a scipy window name). The designs
run in `filterbank.design.mchannel`. Errors are `SpecError` whose message
starts with the key path, as for two-channel specs.

Examples
--------
>>> spec = MChannelSpec.from_dict({"filterbank": 1, "kind": "mchannel", "channels": 4,
...                                "design": "cosine_modulated",
...                                "prototype": {"numtaps": 63, "cutoff": 0.142, "beta": 9}})
>>> spec.decimation, spec.parameters
(4, {'numtaps': 63, 'cutoff': 0.142, 'beta': 9.0})
>>> MChannelSpec.from_dict(spec.to_dict()) == spec
True
>>> MChannelSpec.from_dict({"filterbank": 1, "kind": "mchannel", "channels": 4, "design": "cosine_modulated",
...                         "prototype": {"numtaps": 63, "cutof": 0.1}})
Traceback (most recent call last):
...
filterbank.errors.SpecError: prototype.cutof: unknown key; allowed keys here are numtaps, cutoff, beta (did you mean 'cutoff'?)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from filterbank.errors import SpecError
from filterbank.spec._validate import (
    Problems,
    check_header,
    check_keys,
    fail,
    to_bool,
    to_choice,
    to_float,
    to_floats,
    to_int,
)
from filterbank.spec.parameters import DEFAULT_TOLERANCE, LIMITS

__all__ = ["MCHANNEL_DESIGNS", "MChannelSpec", "PROTOTYPE_KEYS"]

#: Values of an M-channel spec's ``design`` key.
MCHANNEL_DESIGNS: tuple[str, ...] = ("taps", "cosine_modulated", "dft_modulated")

#: The keys of ``prototype`` for each design (``taps`` has none).
PROTOTYPE_KEYS: Mapping[str, tuple[str, ...]] = {
    "taps": (),
    "cosine_modulated": ("numtaps", "cutoff", "beta"),
    "dft_modulated": ("numtaps", "window"),
}

_KEYS = (
    "filterbank", "kind", "name", "description", "channels", "decimation", "design",
    "prototype", "analysis", "synthesis", "perfect_reconstruction", "tolerance", "level",
)
_MAX_CHANNELS = 64
_WINDOWS = ("hann", "hamming", "blackman", "bartlett", "boxcar", "cosine", "triang")


def _taps_list(path: str, value: Any, channels: int) -> tuple[tuple[float, ...], ...]:
    """``channels`` lists of taps."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (list, tuple)):
        raise fail(path, f"must be a list of {channels} lists of taps (one per channel, lowest band first)", value)
    if len(value) != channels:
        raise fail(path, f"must hold one list of taps per channel ({channels}), lowest band first", f"{len(value)} lists")
    problems = Problems()
    out = []
    for k, taps in enumerate(value):
        with problems.check():
            out.append(to_floats(f"{path}[{k}]", taps, 1, LIMITS["taps"]))
    problems.raise_any()
    return tuple(out)


def _prototype(design: str, value: Any, channels: int) -> tuple[tuple[str, Any], ...]:
    """The validated ``prototype`` of ``design``, as ``(key, value)`` pairs in a fixed order."""
    keys = PROTOTYPE_KEYS[design]
    if isinstance(value, tuple):  # already validated pairs
        value = dict(value)
    if design == "taps":
        if value:
            raise fail("prototype", "is only for cosine_modulated and dft_modulated designs", value)
        return ()
    check_keys("prototype", value, keys, ("numtaps",))
    problems = Problems()
    out: dict[str, Any] = {}
    with problems.check():
        hi = channels if design == "dft_modulated" else LIMITS["firwin"]
        out["numtaps"] = to_int("prototype.numtaps", value["numtaps"], 2, hi)
    if design == "cosine_modulated":
        cutoff = value.get("cutoff", "optimize")
        with problems.check():
            if cutoff != "optimize":
                cutoff = to_float("prototype.cutoff", cutoff, 0.0, 1.0, open_lo=True, open_hi=True,
                                  rule="must be a number in (0, 1) (a fraction of Nyquist) or 'optimize'")
            out["cutoff"] = cutoff
        with problems.check():
            out["beta"] = to_float("prototype.beta", value.get("beta", 9.0), 0.0, 50.0)
    else:
        with problems.check():
            out["window"] = to_choice("prototype.window", value.get("window", "hann"), _WINDOWS)
    problems.raise_any()
    return tuple(out.items())


@dataclass(frozen=True, kw_only=True)
class MChannelSpec:
    """An M-channel analysis / synthesis bank (``kind: mchannel``); see the module docstring.

    Parameters
    ----------
    name : str, default ''
        Bank name (letters, digits, ``_ . + -``; at most 64 characters).
    description : str, default ''
        Free text, at most 2000 characters.
    channels : int
        ``M``, the number of bands, in ``[2, 64]``.
    decimation : int or None
        ``D`` in ``[1, M]``; ``None`` means ``M`` (critically sampled).
    design : {'taps', 'cosine_modulated', 'dft_modulated'}
        Where the filters come from.
    prototype : mapping
        The prototype of a modulated design (stored as ``(key, value)`` pairs).
    analysis, synthesis : list of M lists of taps or None
        The filters of ``design: taps`` (``synthesis`` defaults to each
        analysis filter reversed).
    perfect_reconstruction : bool, default True
        ``True``: loading raises `PerfectReconstructionError` when the
        reconstruction error exceeds ``tolerance``; ``False``: it warns.
    tolerance : float, default 1e-9
        Bound on the reconstruction error, in ``(0, 1]``.
    level : int or None
        Default number of levels of `filterbank.mdec`, in ``[1, 16]``.

    Examples
    --------
    >>> MChannelSpec(channels=2, analysis=[[0.5, 0.5], [0.5, -0.5]], synthesis=[[1, 1], [-1, 1]]).decimation
    2
    >>> MChannelSpec(channels=3, decimation=4, analysis=[[1.0]] * 3)
    Traceback (most recent call last):
    ...
    filterbank.errors.SpecError: decimation: must be an integer in [1, 3]; got 4
    """

    version: int = 1
    name: str = ""
    description: str = ""
    channels: int = 2
    decimation: int | None = None
    design: str = "taps"
    prototype: Any = ()
    analysis: Any = None
    synthesis: Any = None
    perfect_reconstruction: bool = True
    tolerance: float = DEFAULT_TOLERANCE
    level: int | None = None

    def __post_init__(self) -> None:
        problems = Problems()
        check_header(problems, self.version, self.name, self.description)
        with problems.check():
            to_bool("perfect_reconstruction", self.perfect_reconstruction)
        with problems.check():
            self._set("tolerance", to_float("tolerance", self.tolerance, 0.0, 1.0, open_lo=True))
        with problems.check():
            if self.level is not None:
                self._set("level", to_int("level", self.level, 1, 16))
        try:
            m = to_int("channels", self.channels, 2, _MAX_CHANNELS)
        except SpecError as exc:
            raise SpecError.collect([*problems.messages, *exc.errors]) from None
        self._set("channels", m)
        with problems.check():
            self._set("decimation", m if self.decimation is None else to_int("decimation", self.decimation, 1, m))
        with problems.check():
            design = to_choice("design", self.design, MCHANNEL_DESIGNS)
            self._set("prototype", _prototype(design, self.prototype, m))
            self._check_design(design, m)
        problems.raise_any()

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def _check_design(self, design: str, m: int) -> None:
        if design != "taps":
            for key in ("analysis", "synthesis"):
                if getattr(self, key) is not None:
                    raise fail(key, "is only for design: taps (a modulated design computes its filters)", "taps")
            valid = isinstance(self.decimation, int) and 1 <= self.decimation <= m  # else reported already
            if design == "cosine_modulated" and valid and self.decimation != m:
                raise fail("decimation", f"must equal channels ({m}) for a cosine-modulated bank", self.decimation)
            return
        if self.analysis is None:
            raise fail("analysis", f"is required for design: taps ({m} lists of taps)")
        problems = Problems()
        for key in ("analysis", "synthesis"):
            if getattr(self, key) is not None:
                with problems.check():
                    self._set(key, _taps_list(key, getattr(self, key), m))
        problems.raise_any()

    @property
    def kind(self) -> Literal["mchannel"]:
        """Always ``'mchannel'``."""
        return "mchannel"

    @property
    def parameters(self) -> dict[str, Any]:
        """The prototype's parameters as a new ``dict``."""
        return dict(self.prototype)

    @classmethod
    def from_dict(cls, data: Any) -> MChannelSpec:
        """Build from a plain mapping with ``kind: mchannel`` (see the module docstring)."""
        if not isinstance(data, Mapping):
            check_keys("", data, _KEYS)  # raises: not a mapping
        problems = Problems()
        with problems.check():
            check_keys("", data, _KEYS, ("filterbank", "kind", "channels"))
        if data.get("kind") != "mchannel":
            raise fail("kind", "must be 'mchannel' here", data.get("kind"))
        kwargs: dict[str, Any] = {"version": data.get("filterbank", 1)}
        kwargs.update({k: data[k] for k in _KEYS[2:] if k in data})
        spec = None
        with problems.check():
            spec = cls(**kwargs)
        problems.raise_any()
        assert spec is not None
        return spec

    def to_dict(self) -> dict[str, Any]:
        """Plain ``dict`` with the non-default keys; `from_dict` inverts it."""
        out: dict[str, Any] = {"filterbank": self.version, "kind": "mchannel"}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "version" or (value == f.default and f.name != "channels"):
                continue
            if f.name == "decimation" and value == self.channels:
                continue
            if f.name == "prototype":
                value = dict(value)
            elif f.name in ("analysis", "synthesis"):
                value = [list(t) for t in value]
            out[f.name] = value
        return out
