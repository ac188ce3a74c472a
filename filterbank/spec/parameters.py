"""Filter sources of a spec and their parameters, validated before scipy sees them.

A filter comes from explicit ``taps``, from a PyWavelets ``wavelet``, or from a
scipy.signal design called with scipy's own parameter names: ``firwin``,
``firwin2``, ``remez``, ``firls`` and ``kaiser`` (``kaiserord`` then
``firwin`` with a Kaiser window). Parameters are validated here, before scipy
sees them, so that an error names the key path and the rule. The designs
themselves run in `filterbank.design.scipy_designs`.

The names every later stage uses are defined here, once: the four filter
roles (`ROLES`), the design sources, the derivations a spec may ask for
(`DERIVATIONS`) and the default perfect-reconstruction tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any


from filterbank.spec._validate import (
    check_keys,
    fail,
    join,
    to_bool,
    to_choice,
    to_float,
    to_floats,
    to_int,
)
from filterbank.errors import SpecError, did_you_mean

__all__ = [
    "DEFAULT_TOLERANCE",
    "DERIVATIONS",
    "DESIGNS",
    "LIMITS",
    "ROLES",
    "SCIPY_DESIGNS",
    "WINDOWS",
    "validate_params",
]

#: The four filters of a two-channel bank, in PyWavelets' order.
ROLES: tuple[str, ...] = ("dec_lo", "dec_hi", "rec_lo", "rec_hi")

#: Names accepted by the spec key ``derive`` (the derivations live in `filterbank.design.derive`).
DERIVATIONS: tuple[str, ...] = (
    "auto",
    "alternating_flip",
    "time_reversal",
    "biorthogonal",
    "synthesis",
    "analysis",
    "qmf",
)

#: Default bound on the perfect-reconstruction error of a bank loaded from a spec.
DEFAULT_TOLERANCE = 1e-9

#: scipy.signal designs a spec may name.
SCIPY_DESIGNS: tuple[str, ...] = ("firwin", "firwin2", "remez", "firls", "kaiser")

#: Every value of a filter's ``design`` key.
DESIGNS: tuple[str, ...] = ("taps", "wavelet", *SCIPY_DESIGNS)

#: Limits that keep a hostile spec from exhausting memory or time.
LIMITS: Mapping[str, int] = {
    "taps": 16384,  # explicit taps per filter
    "firwin": 16384,  # numtaps, also for kaiser's computed numtaps
    "firwin2": 16384,
    "nfreqs": 65537,
    "remez": 1024,
    "maxiter": 1000,
    "grid_density": 64,
    "firls": 2047,
    "points": 1024,  # entries of cutoff / freq / gain / bands / desired / weight
}

#: Window names accepted by ``window`` with (min, max) number of parameters:
#: ``window: hann`` or ``window: [kaiser, 8.6]``.
WINDOWS: Mapping[str, tuple[int, int]] = {
    "barthann": (0, 0),
    "bartlett": (0, 0),
    "blackman": (0, 0),
    "blackmanharris": (0, 0),
    "bohman": (0, 0),
    "boxcar": (0, 0),
    "chebwin": (1, 1),
    "cosine": (0, 0),
    "dpss": (1, 1),
    "flattop": (0, 0),
    "gaussian": (1, 1),
    "general_gaussian": (2, 2),
    "general_hamming": (1, 1),
    "hamming": (0, 0),
    "hann": (0, 0),
    "kaiser": (1, 1),
    "lanczos": (0, 0),
    "nuttall": (0, 0),
    "parzen": (0, 0),
    "triang": (0, 0),
    "tukey": (0, 1),
}

_PASS_ZERO = ("lowpass", "highpass", "bandpass", "bandstop")


def _window(path: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        name, params = value, []
    elif isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
        name, params = value[0], list(value[1:])
    else:
        raise fail(path, "must be a window name or a list [name, parameter, ...]", value)
    if name not in WINDOWS:
        listed = ", ".join(WINDOWS)
        raise SpecError(f"{path}: must name one of the windows {listed}; got {name!r}{did_you_mean(name, WINDOWS)}")
    lo, hi = WINDOWS[name]
    if not lo <= len(params) <= hi:
        want = f"{lo}" if lo == hi else f"{lo} to {hi}"
        raise fail(path, f"window {name!r} takes {want} parameter(s)", value)
    nums = tuple(to_float(f"{path}[{i + 1}]", p) for i, p in enumerate(params))
    return name if not nums else (name, *nums)


def _fs(params: Mapping[str, Any], path: str) -> float:
    return to_float(join(path, "fs"), params.get("fs", 2.0), 0.0, math.inf, open_lo=True, open_hi=True)


def _increasing(path: str, values: tuple[float, ...], strict: bool) -> None:
    for i in range(1, len(values)):
        if values[i] < values[i - 1] or (strict and values[i] == values[i - 1]):
            rule = "must be strictly increasing" if strict else "must be non-decreasing"
            raise fail(path, rule, list(values))


def _cutoff(path: str, value: Any, fs: float) -> tuple[float, ...]:
    cut: tuple[float, ...]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cut = (to_float(path, value),)
    else:
        cut = to_floats(path, value, 1, LIMITS["points"])
    for i, c in enumerate(cut):
        if not 0.0 < c < fs / 2:
            where = path if len(cut) == 1 and not isinstance(value, (list, tuple)) else f"{path}[{i}]"
            raise fail(where, f"must lie strictly between 0 and fs/2 = {fs / 2:g}", c)
    _increasing(path, cut, strict=True)
    return cut


def _pass_zero(path: str, value: Any) -> bool | str:
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise fail(path, f"must be true, false or one of {', '.join(map(repr, _PASS_ZERO))}", value)
    return to_choice(path, value, _PASS_ZERO)


def _check_cutoff_count(path: str, cutoff: tuple[float, ...], pass_zero: bool | str, numtaps: int | None) -> None:
    if isinstance(pass_zero, str):
        one = pass_zero in ("lowpass", "highpass")
        if one and len(cutoff) != 1:
            raise fail(join(path, "cutoff"), f"pass_zero {pass_zero!r} needs exactly one cutoff", list(cutoff))
        if not one and len(cutoff) < 2:
            raise fail(join(path, "cutoff"), f"pass_zero {pass_zero!r} needs at least two cutoffs", list(cutoff))
        zero = pass_zero in ("lowpass", "bandstop")
    else:
        zero = pass_zero
    passes_nyquist = bool(len(cutoff) % 2) ^ zero
    if numtaps is not None and passes_nyquist and numtaps % 2 == 0:
        raise fail(
            join(path, "numtaps"),
            "must be odd for a filter that passes the Nyquist frequency (scipy's type I rule)",
            numtaps,
        )


def _numtaps(path: str, params: Mapping[str, Any], limit: str) -> int:
    return to_int(join(path, "numtaps"), params["numtaps"], 1, LIMITS[limit])


def _firwin_options(path: str, p: Mapping[str, Any], fs: float, out: dict[str, Any]) -> None:
    """Validate the optional ``firwin`` arguments shared by the firwin and Kaiser designs into ``out``."""
    if "pass_zero" in p:
        out["pass_zero"] = _pass_zero(join(path, "pass_zero"), p["pass_zero"])
    if "scale" in p:
        out["scale"] = to_bool(join(path, "scale"), p["scale"])
    if "fs" in p:
        out["fs"] = fs


def _v_firwin(path: str, p: Mapping[str, Any]) -> dict[str, Any]:
    check_keys(path, p, ("numtaps", "cutoff", "width", "window", "pass_zero", "scale", "fs"), ("numtaps", "cutoff"))
    fs = _fs(p, path)
    out: dict[str, Any] = {"numtaps": _numtaps(path, p, "firwin"), "cutoff": _cutoff(join(path, "cutoff"), p["cutoff"], fs)}
    if p.get("width") is not None:
        out["width"] = to_float(join(path, "width"), p["width"], 0.0, fs / 2, open_lo=True)
    if "window" in p:
        out["window"] = _window(join(path, "window"), p["window"])
    _firwin_options(path, p, fs, out)
    _check_cutoff_count(path, out["cutoff"], out.get("pass_zero", True), out["numtaps"])
    return out


def _v_kaiser(path: str, p: Mapping[str, Any]) -> dict[str, Any]:
    check_keys(path, p, ("ripple", "width", "cutoff", "pass_zero", "scale", "fs"), ("ripple", "width", "cutoff"))
    fs = _fs(p, path)
    out: dict[str, Any] = {
        "ripple": to_float(join(path, "ripple"), p["ripple"], 8.0, 300.0,
                           rule="must be a number of dB in [8, 300] (the range of Kaiser's formula)"),
        "width": to_float(join(path, "width"), p["width"], 0.0, fs / 2, open_lo=True, open_hi=True),
        "cutoff": _cutoff(join(path, "cutoff"), p["cutoff"], fs),
    }
    _firwin_options(path, p, fs, out)
    _check_cutoff_count(path, out["cutoff"], out.get("pass_zero", True), None)
    return out


def _edges(path: str, value: Any, fs: float, *, even: bool) -> tuple[float, ...]:
    edges = to_floats(path, value, 2, LIMITS["points"])
    if even and len(edges) % 2:
        raise fail(path, "must have an even number of band edges (pairs of start, stop)", list(edges))
    for i, e in enumerate(edges):
        if not 0.0 <= e <= fs / 2:
            raise fail(f"{path}[{i}]", f"must lie in [0, fs/2 = {fs / 2:g}]", e)
    _increasing(path, edges, strict=False)
    return edges


def _weights(path: str, value: Any, count: int) -> tuple[float, ...]:
    w = to_floats(path, value, count, count)
    for i, x in enumerate(w):
        if x <= 0:
            raise fail(f"{path}[{i}]", "must be > 0", x)
    return w


def _v_firwin2(path: str, p: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("numtaps", "freq", "gain", "nfreqs", "window", "antisymmetric", "fs")
    check_keys(path, p, keys, ("numtaps", "freq", "gain"))
    fs = _fs(p, path)
    freq = _edges(join(path, "freq"), p["freq"], fs, even=False)
    if freq[0] != 0.0 or freq[-1] != fs / 2:
        raise fail(join(path, "freq"), f"must start at 0 and end at fs/2 = {fs / 2:g}", list(freq))
    for i in range(2, len(freq)):
        if freq[i] == freq[i - 1] == freq[i - 2]:
            raise fail(join(path, "freq"), "may repeat a frequency at most twice", list(freq))
    out: dict[str, Any] = {
        "numtaps": _numtaps(path, p, "firwin2"),
        "freq": freq,
        "gain": to_floats(join(path, "gain"), p["gain"], len(freq), len(freq)),
    }
    if p.get("nfreqs") is not None:
        out["nfreqs"] = to_int(join(path, "nfreqs"), p["nfreqs"], out["numtaps"] + 1, LIMITS["nfreqs"])
    if "window" in p:
        out["window"] = _window(join(path, "window"), p["window"])
    if "antisymmetric" in p:
        out["antisymmetric"] = to_bool(join(path, "antisymmetric"), p["antisymmetric"])
    if "fs" in p:
        out["fs"] = fs
    return out


def _v_remez(path: str, p: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("numtaps", "bands", "desired", "weight", "type", "maxiter", "grid_density", "fs")
    check_keys(path, p, keys, ("numtaps", "bands", "desired"))
    fs = _fs(p, path)
    bands = _edges(join(path, "bands"), p["bands"], fs, even=True)
    n = len(bands) // 2
    out: dict[str, Any] = {
        "numtaps": _numtaps(path, p, "remez"),
        "bands": bands,
        "desired": to_floats(join(path, "desired"), p["desired"], n, n),
    }
    if p.get("weight") is not None:
        out["weight"] = _weights(join(path, "weight"), p["weight"], n)
    if "type" in p:
        out["type"] = to_choice(join(path, "type"), p["type"], ("bandpass", "differentiator", "hilbert"))
    if "maxiter" in p:
        out["maxiter"] = to_int(join(path, "maxiter"), p["maxiter"], 1, LIMITS["maxiter"])
    if "grid_density" in p:
        out["grid_density"] = to_int(join(path, "grid_density"), p["grid_density"], 1, LIMITS["grid_density"])
    if "fs" in p:
        out["fs"] = fs
    return out


def _v_firls(path: str, p: Mapping[str, Any]) -> dict[str, Any]:
    check_keys(path, p, ("numtaps", "bands", "desired", "weight", "fs"), ("numtaps", "bands", "desired"))
    fs = _fs(p, path)
    numtaps = _numtaps(path, p, "firls")
    if numtaps % 2 == 0:
        raise fail(join(path, "numtaps"), "must be odd (scipy's firls designs type I filters)", numtaps)
    bands = _edges(join(path, "bands"), p["bands"], fs, even=True)
    out: dict[str, Any] = {
        "numtaps": numtaps,
        "bands": bands,
        "desired": to_floats(join(path, "desired"), p["desired"], len(bands), len(bands)),
    }
    if p.get("weight") is not None:
        out["weight"] = _weights(join(path, "weight"), p["weight"], len(bands) // 2)
    if "fs" in p:
        out["fs"] = fs
    return out


def _v_taps(path: str, p: Mapping[str, Any]) -> dict[str, Any]:
    check_keys(path, p, ("taps",), ("taps",))
    return {"taps": to_floats(join(path, "taps"), p["taps"], 1, LIMITS["taps"])}


def _v_wavelet(path: str, p: Mapping[str, Any]) -> dict[str, Any]:
    import pywt

    check_keys(path, p, ("wavelet", "role"), ("wavelet",))
    names = pywt.wavelist(kind="discrete")
    out: dict[str, Any] = {"wavelet": to_choice_long(join(path, "wavelet"), p["wavelet"], names)}
    if "role" in p:
        out["role"] = to_choice(join(path, "role"), p["role"], ROLES)
    return out


def to_choice_long(path: str, value: Any, names: list[str]) -> str:
    """Like ``to_choice`` for long lists: the message does not list every name."""
    if isinstance(value, str) and value in names:
        return value
    raise SpecError(
        f"{path}: must be a discrete PyWavelets wavelet (pywt.wavelist(kind='discrete'), "
        f"{len(names)} names); got {value!r}{did_you_mean(value, names)}"
    )


_VALIDATORS: Mapping[str, Callable[[str, Mapping[str, Any]], dict[str, Any]]] = {
    "taps": _v_taps,
    "wavelet": _v_wavelet,
    "firwin": _v_firwin,
    "firwin2": _v_firwin2,
    "remez": _v_remez,
    "firls": _v_firls,
    "kaiser": _v_kaiser,
}


def validate_params(design: str, params: Mapping[str, Any], path: str = "") -> dict[str, Any]:
    """Validate a design's parameters; return them normalised (lists as tuples).

    Examples
    --------
    >>> validate_params("firwin", {"numtaps": 8, "cutoff": 0.5})
    {'numtaps': 8, 'cutoff': (0.5,)}
    >>> validate_params("firwin", {"numtaps": 0, "cutoff": 0.5}, "filters.dec_lo")
    Traceback (most recent call last):
    ...
    filterbank.errors.SpecError: filters.dec_lo.numtaps: must be an integer in [1, 16384]; got 0
    """
    design = to_choice(join(path, "design"), design, DESIGNS)
    return _VALIDATORS[design](path, params)
