"""Hypothesis strategies for valid filter and filter-bank specs (plain dicts).

Every dict drawn here passes validation, and every bank spec loads without a
warning: wavelet and explicit-taps banks are perfect-reconstruction, and
designed QMF banks declare ``perfect_reconstruction: false`` with a tolerance
that covers their (non-zero) error.

Examples
--------
>>> from hypothesis import given
>>> import filterbank as fb
>>> @given(bank_specs())
... def test_loads(data):
...     assert fb.FilterBankSpec.from_dict(data).to_dict() == fb.FilterBankSpec.from_dict(data).to_dict()
>>> test_loads()
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from filterbank.testing.banks import biorthogonal_banks, orthogonal_banks
from filterbank.spec.parameters import ROLES

__all__ = ["bank_specs", "filter_specs"]

_PLAIN_WINDOWS = ("hamming", "hann", "blackman", "boxcar", "bartlett", "nuttall", "flattop")


def _names() -> list[str]:
    import pywt

    return [n for n in pywt.wavelist(kind="discrete") if n != "dmey"]  # dmey is only near-PR


def _fraction(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 6))


@st.composite
def _firwin(draw: st.DrawFn) -> dict[str, Any]:
    fs = draw(st.sampled_from([2.0, 1.0, 48000.0]))
    d: dict[str, Any] = {
        "design": "firwin",
        "numtaps": draw(st.integers(1, 40)) * 2 + 1,
        "cutoff": draw(_fraction(0.05, 0.95)) * fs / 2,
        "window": draw(st.sampled_from(_PLAIN_WINDOWS)),
    }
    if fs != 2.0:
        d["fs"] = fs
    return d


@st.composite
def _kaiser(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "design": "kaiser",
        "ripple": draw(_fraction(20.0, 80.0)),
        "width": draw(_fraction(0.05, 0.3)),
        "cutoff": draw(_fraction(0.35, 0.65)),
    }


@st.composite
def _firwin2(draw: st.DrawFn) -> dict[str, Any]:
    edge = draw(_fraction(0.2, 0.8))
    return {
        "design": "firwin2",
        "numtaps": draw(st.integers(2, 40)) * 2 + 1,
        "freq": [0.0, edge, 1.0],
        "gain": [1.0, draw(_fraction(0.0, 1.0)), 0.0],
    }


@st.composite
def _bands(draw: st.DrawFn, design: str) -> dict[str, Any]:
    stop = draw(_fraction(0.3, 0.8))
    passband = round(stop - draw(_fraction(0.1, 0.25)), 6)
    bands = [0.0, passband, stop, 1.0]
    desired = [1.0, 0.0] if design == "remez" else [1.0, 1.0, 0.0, 0.0]
    return {"design": design, "numtaps": draw(st.integers(4, 30)) * 2 + 1, "bands": bands, "desired": desired}


def filter_specs() -> st.SearchStrategy[Any]:
    """Valid filter entries: bare tap lists, wavelet filters and scipy designs.

    Examples
    --------
    >>> from hypothesis import given
    >>> from filterbank.spec import FilterSpec
    >>> @given(filter_specs())
    ... def test_valid(data):
    ...     FilterSpec.from_dict(data)
    >>> test_valid()
    """
    taps = st.lists(_fraction(-2.0, 2.0), min_size=1, max_size=32)
    wavelet = st.builds(
        lambda name, role: {"wavelet": name, "role": role},
        st.sampled_from(_names()),
        st.sampled_from(ROLES),
    )
    return st.one_of(
        taps,
        taps.map(lambda t: {"taps": t}),
        wavelet,
        _firwin(),
        _kaiser(),
        _firwin2(),
        _bands("remez"),
        _bands("firls"),
    )


def _taps(bank: Any, roles: tuple[str, ...]) -> dict[str, Any]:
    return {r: {"taps": getattr(bank, r).tolist()} for r in roles}


@st.composite
def bank_specs(draw: st.DrawFn) -> dict[str, Any]:
    """Valid bank specs that load without an error or a warning.

    Drawn from: a PyWavelets wavelet; the low-pass of a random orthogonal
    lattice bank (completed by the alternating flip); the four taps of a
    random lifting bank; a windowed ``firwin`` QMF bank (near-PR, declared
    so). Optional ``name``, ``mode`` and ``level`` are added.

    Examples
    --------
    >>> from hypothesis import given
    >>> import filterbank as fb
    >>> @given(bank_specs())
    ... def test_pr(data):
    ...     assert fb.load(data).check().ok
    >>> test_pr()
    """
    from filterbank.modes import MODES

    source = draw(st.sampled_from(("wavelet", "orthogonal", "biorthogonal", "qmf")))
    spec: dict[str, Any] = {"filterbank": 1}
    if draw(st.booleans()):
        spec["name"] = draw(st.from_regex(r"[a-z][a-z0-9_.+-]{0,15}", fullmatch=True))
    if source == "wavelet":
        spec["wavelet"] = draw(st.sampled_from(_names()))
    elif source == "orthogonal":
        spec["filters"] = _taps(draw(orthogonal_banks()), ("dec_lo",))
    elif source == "biorthogonal":
        spec["filters"] = _taps(draw(biorthogonal_banks()), ROLES)
    else:
        spec["filters"] = {
            "dec_lo": {
                "design": "firwin",
                "numtaps": draw(st.integers(4, 32)) * 2,
                "cutoff": draw(_fraction(0.45, 0.6)),
                "window": draw(st.sampled_from(("hamming", "hann", "blackman"))),
            }
        }
        spec["derive"] = "qmf"
        spec["perfect_reconstruction"] = False
        spec["tolerance"] = 1.0
    if draw(st.booleans()):
        spec["mode"] = draw(st.sampled_from(MODES))
    if draw(st.booleans()):
        spec["level"] = draw(st.integers(1, 8))
    return spec
