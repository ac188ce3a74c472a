"""Run the scipy.signal designs a spec names, on parameters `filterbank.spec.parameters` validated.

scipy is imported only when a design actually runs; its refusals become
`SpecError` s naming the spec's key path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from filterbank.errors import SpecError
from filterbank.spec._validate import fail, join
from filterbank.spec.parameters import LIMITS

__all__ = ["design_taps"]


def _scipy(path: str, design: str, call: Callable[[], Any]) -> Any:
    """Run a scipy design; its refusals and numeric failures become `SpecError` naming ``path``.

    Floating-point overflow inside scipy is not reported as a warning: a
    design that overflows produces non-finite taps, which the caller refuses.
    """
    try:
        with np.errstate(all="ignore"):
            out = call()
        return np.asarray(out, dtype=np.float64) if isinstance(out, np.ndarray) else out
    except (ValueError, OverflowError, ZeroDivisionError, FloatingPointError) as exc:  # LinAlgError is a ValueError
        # a rule scipy checks that we do not mirror, or arithmetic the parameters push out of range
        reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc)
        raise SpecError(f"{path or design}: scipy.signal.{design} refused the parameters: {reason}") from None


def design_taps(design: str, params: Mapping[str, Any], role: str = "dec_lo", path: str = "") -> np.ndarray:
    """Run a validated design; return float64 taps.

    Examples
    --------
    >>> design_taps("firwin", {"numtaps": 4, "cutoff": (0.5,)}).round(4).tolist()
    [0.0167, 0.4833, 0.4833, 0.0167]
    >>> design_taps("wavelet", {"wavelet": "haar"}, role="dec_hi").round(4).tolist()
    [-0.7071, 0.7071]
    """
    p = dict(params)
    if design == "taps":
        return np.asarray(p["taps"], dtype=np.float64)
    if design == "wavelet":
        import pywt

        return np.asarray(getattr(pywt.Wavelet(p["wavelet"]), p.get("role", role)), dtype=np.float64)
    from scipy import signal

    p["fs"] = float(p.get("fs", 2.0))  # one default for every design (scipy's remez alone defaults to 1)
    for key in ("cutoff", "freq", "gain", "bands", "desired", "weight"):
        if key in p:
            p[key] = list(p[key])
    if isinstance(p.get("window"), tuple):
        p["window"] = tuple(p["window"])
    if design == "firwin":
        cutoff = p.pop("cutoff")
        return _scipy(path, design, lambda: signal.firwin(p.pop("numtaps"), cutoff, **p))
    if design == "firwin2":
        return _scipy(path, design, lambda: signal.firwin2(p.pop("numtaps"), p.pop("freq"), p.pop("gain"), **p))
    if design == "remez":
        return _scipy(path, design, lambda: signal.remez(p.pop("numtaps"), p.pop("bands"), p.pop("desired"), **p))
    if design == "firls":
        return _scipy(path, design, lambda: signal.firls(p.pop("numtaps"), p.pop("bands"), p.pop("desired"), **p))
    # kaiser: kaiserord (width relative to Nyquist) then firwin with a Kaiser window
    fs = p["fs"]
    relative = p["width"] / (fs / 2)
    try:
        estimate = (p["ripple"] - 7.95) / 2.285 / (math.pi * relative) + 1
    except (OverflowError, ZeroDivisionError):
        estimate = math.inf
    if not estimate <= LIMITS["firwin"]:  # kaiserord's own formula, before it turns inf into an int
        raise fail(
            join(path, "width"),
            f"with this ripple needs {math.ceil(estimate) if math.isfinite(estimate) else 'an unbounded number of'} "
            f"taps, more than the limit {LIMITS['firwin']}; widen the transition",
            p["width"],
        )
    numtaps, beta = _scipy(path, "kaiserord", lambda: signal.kaiserord(p["ripple"], relative))
    pass_zero = p.get("pass_zero", True)
    zero = pass_zero if isinstance(pass_zero, bool) else pass_zero in ("lowpass", "bandstop")
    if (bool(len(p["cutoff"]) % 2) ^ zero) and numtaps % 2 == 0:
        numtaps += 1  # a filter passing Nyquist needs an odd length
    if numtaps > LIMITS["firwin"]:
        raise fail(
            join(path, "width"),
            f"with this ripple needs {numtaps} taps, more than the limit {LIMITS['firwin']}; widen the transition",
            p["width"],
        )
    return _scipy(
        path,
        design,
        lambda: signal.firwin(
            numtaps, p["cutoff"], window=("kaiser", beta), pass_zero=pass_zero, scale=p.get("scale", True), fs=fs
        ),
    )
