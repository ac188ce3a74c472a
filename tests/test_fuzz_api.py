"""Hypothesis fuzzers (issue 11): malformed coefficients and random specs raise FilterBankErrors only.

* The inverse transforms get random nested structures (lists, tuples, dicts,
  generators of arrays, strings, numbers, None, objects) and valid
  decompositions with one random change (a leaf or a level swapped for junk, an
  item dropped or added, a key renamed, a container re-typed or wrapped).
* ``fb.load``, ``FilterBank.from_spec`` and ``Filter.from_spec`` get random spec
  dicts built from the format's own vocabulary, plus fully random values.

Every call returns or raises a :class:`filterbank.FilterBankError`; any other
exception, or no answer within ``TIME_LIMIT`` seconds, fails. The default
``ci`` profile runs its bounded number of examples (the module takes seconds);
``HYPOTHESIS_PROFILE=dev`` runs ``DEEP`` times the dev profile's count.
"""

from __future__ import annotations

import copy
import signal
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import filterbank as fb
from filterbank.spec.parameters import DESIGNS, ROLES, WINDOWS
from filterbank.spec.parameters import DERIVATIONS
from filterbank.modes import MODES
from filterbank.spec.schema import NORMALIZATIONS

DEEP = 10
TIME_LIMIT = 30.0
FUZZ = settings(max_examples=settings().max_examples * (DEEP if settings.get_current_profile_name() == "dev" else 1))


@contextmanager
def answered_within(seconds: float) -> Iterator[None]:
    """Fail (TimeoutError, not a FilterBankError) if the body takes longer than ``seconds``."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def hung(signum: int, frame: Any) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def only_filterbank_errors(call: Callable[[], Any]) -> None:
    """Run ``call``; a FilterBankError (or a result) passes, anything else propagates and fails."""
    with answered_within(TIME_LIMIT), warnings.catch_warnings():
        warnings.simplefilter("ignore", fb.FilterBankWarning)
        try:
            call()
        except fb.FilterBankError:
            pass


# ---------------------------------------------------------------- coefficient structures

ARRAYS = [
    np.ones(4), np.arange(8.0), np.ones(16), np.ones((4, 4)), np.ones((8, 8)), np.ones((4, 4, 4)), np.ones((2, 4)),
    np.zeros(0), np.float64(1.0), np.array(["a", "b"]), np.array([None, 1.0], dtype=object),
    np.ones(4, dtype=np.complex64), np.arange(4, dtype=np.int8), np.ones(4, dtype=bool), np.full(4, np.nan),
]
KEYS = st.one_of(st.sampled_from(["a", "d", "aa", "ad", "da", "dd", "xx", "aad", "ddd", "", "AD"]), st.integers(-1, 2), st.none())
LEAVES = st.one_of(
    st.sampled_from(ARRAYS),
    st.none(),
    st.text(max_size=3),
    st.integers(-2, 2),
    st.floats(-10, 10),
    st.builds(object),
    st.lists(st.floats(-10, 10), max_size=5),
)


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(KEYS, children, max_size=4),
        st.lists(children, max_size=3).map(iter),
    )


STRUCTURES = st.recursive(LEAVES, containers, max_leaves=12)

X = np.arange(16.0)
IMG = np.arange(64.0).reshape(8, 8)
INVERSES: dict[str, tuple[Callable[[Any], Any], Callable[[], Any]]] = {
    "waverec": (lambda c: fb.waverec(c, "db2"), lambda: fb.wavedec(X, "db2", level=2)),
    "waverec2": (lambda c: fb.waverec2(c, "haar"), lambda: fb.wavedec2(IMG, "haar", level=2)),
    "waverecn": (lambda c: fb.waverecn(c, "haar"), lambda: fb.wavedecn(IMG, "haar", level=2)),
    "idwt": (lambda c: fb.idwt(*c, "haar") if isinstance(c, (list, tuple)) and len(c) == 2 else fb.idwt(c, None, "haar"),
             lambda: list(fb.dwt(X, "haar"))),
    "idwt2": (lambda c: fb.idwt2(c, "haar"), lambda: fb.dwt2(IMG, "haar")),
    "idwtn": (lambda c: fb.idwtn(c, "haar"), lambda: fb.dwtn(IMG, "haar")),
    "iswt": (lambda c: fb.iswt(c, "haar"), lambda: fb.swt(X, "haar", level=2)),
    "iswt trim": (lambda c: fb.iswt(c, "haar"), lambda: fb.swt(X, "haar", level=2, trim_approx=True)),
    "iswt2": (lambda c: fb.iswt2(c, "haar"), lambda: fb.swt2(IMG, "haar", level=2)),
    "iswt2 trim": (lambda c: fb.iswt2(c, "haar"), lambda: fb.swt2(IMG, "haar", level=2, trim_approx=True)),
    "iswtn": (lambda c: fb.iswtn(c, "haar"), lambda: fb.swtn(IMG, "haar", level=2)),
    "iswtn trim": (lambda c: fb.iswtn(c, "haar"), lambda: fb.swtn(IMG, "haar", level=2, trim_approx=True)),
}


def mutate(obj: Any, data: st.DataObject) -> Any:
    """A copy of ``obj`` with one random change at a random depth (``obj`` itself is untouched)."""
    inner = isinstance(obj, (list, tuple, dict)) and len(obj) > 0
    if inner and data.draw(st.booleans(), label="go deeper"):
        key = data.draw(st.sampled_from(list(obj) if isinstance(obj, dict) else list(range(len(obj)))))
        changed = mutate(obj[key], data)
        if isinstance(obj, tuple):
            return tuple(changed if i == key else v for i, v in enumerate(obj))
        out = copy.copy(obj)  # keeps a Coefficients list's input_shape
        out[key] = changed
        return out
    op = data.draw(st.sampled_from(["replace", "drop", "extra", "rename", "wrap", "retype"]), label="change")
    if op == "replace" or not isinstance(obj, (list, tuple, dict)):
        return data.draw(STRUCTURES if op == "replace" else st.one_of(LEAVES, st.just((obj,)), st.just([obj, obj])))
    items = dict(obj) if isinstance(obj, dict) else list(obj)
    if op == "drop" and items:
        del items[data.draw(st.sampled_from(list(items) if isinstance(items, dict) else list(range(len(items)))))]
    elif op == "extra":
        if isinstance(items, dict):
            items[data.draw(KEYS)] = data.draw(LEAVES)
        else:
            items.append(data.draw(st.one_of(st.sampled_from(ARRAYS), STRUCTURES)))
    elif op == "rename" and isinstance(items, dict) and items:
        items[data.draw(KEYS)] = items.pop(data.draw(st.sampled_from(list(items))))
    elif op == "wrap":
        return data.draw(st.sampled_from([(obj,), [obj], {"ad": obj}]))
    elif op == "retype":
        return list(items.values()) if isinstance(items, dict) else tuple(items) if isinstance(obj, list) else items
    return items if not isinstance(obj, tuple) else tuple(items)


@pytest.mark.parametrize("name", sorted(INVERSES))
@FUZZ
@given(coeffs=STRUCTURES)
def test_inverses_on_random_structures_raise_only_filterbank_errors(name, coeffs):
    inverse, _ = INVERSES[name]
    only_filterbank_errors(lambda: inverse(coeffs))


@pytest.mark.parametrize("name", sorted(INVERSES))
@FUZZ
@given(data=st.data())
def test_inverses_on_mutated_decompositions_raise_only_filterbank_errors(name, data):
    inverse, forward = INVERSES[name]
    coeffs = mutate(forward(), data)
    only_filterbank_errors(lambda: inverse(coeffs))


# ---------------------------------------------------------------- specs

WORDS = ["db2", "haar", "sym8", "bior4.4", "coif3", "firwin-qmf", "db99", "bank", "filter", "lowpass", "highpass",
         "bandpass", "differentiator", "hilbert", "1", "", *DESIGNS, *ROLES, *DERIVATIONS, *MODES, *NORMALIZATIONS,
         *list(WINDOWS)[:6]]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 70),
    st.sampled_from([0, 1, 2, 16384, 16385, 10**6, 2**63, -(10**30), 10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-2, 2),
    st.text(max_size=5),
    st.sampled_from(WORDS),
)
PARAMS = ["design", "numtaps", "cutoff", "width", "window", "pass_zero", "scale", "fs", "ripple", "freq", "gain",
          "nfreqs", "antisymmetric", "bands", "desired", "weight", "type", "maxiter", "grid_density", "taps",
          "wavelet", "role", "normalize"]
VALUES = st.recursive(
    SCALARS,
    lambda c: st.lists(c, max_size=5) | st.dictionaries(st.sampled_from(PARAMS) | st.text(max_size=3), c, max_size=4),
    max_leaves=10,
)
FRACTIONS = st.floats(0, 1) | st.lists(st.floats(0, 1), min_size=1, max_size=6).map(sorted)
NEAR = {  # plausible values first: they get past the first checks into the designs
    "numtaps": st.integers(-1, 80), "cutoff": FRACTIONS, "width": st.floats(0, 1), "ripple": st.floats(0, 400),
    "window": st.sampled_from(list(WINDOWS)) | st.tuples(st.sampled_from(list(WINDOWS)), st.floats(-1e3, 1e3)).map(list),
    "pass_zero": st.booleans() | st.sampled_from(["lowpass", "highpass", "bandpass", "bandstop"]), "scale": st.booleans(),
    "fs": st.floats(-1, 10), "freq": FRACTIONS, "gain": FRACTIONS, "nfreqs": st.integers(-1, 600),
    "antisymmetric": st.booleans(), "bands": FRACTIONS, "desired": FRACTIONS, "weight": FRACTIONS,
    "type": st.sampled_from(["bandpass", "differentiator", "hilbert"]), "maxiter": st.integers(-1, 60),
    "grid_density": st.integers(-1, 32), "taps": st.lists(st.floats(-1e3, 1e3) | SCALARS, max_size=12),
    "wavelet": st.sampled_from(WORDS), "role": st.sampled_from(list(ROLES)), "normalize": st.sampled_from(list(NORMALIZATIONS)),
}
FILTERS = st.fixed_dictionaries(
    {"design": st.sampled_from(list(DESIGNS)) | SCALARS},
    optional={k: v | SCALARS for k, v in NEAR.items()},
) | st.lists(st.floats(-2, 2), max_size=8) | VALUES
BANK_SPECS = st.fixed_dictionaries(
    {"filterbank": st.just(1) | SCALARS},
    optional={
        "kind": st.just("bank") | SCALARS, "name": st.text(max_size=8) | SCALARS, "description": SCALARS,
        "wavelet": st.sampled_from(WORDS) | SCALARS,
        "filters": st.dictionaries(st.sampled_from(list(ROLES)) | st.text(max_size=3), FILTERS, max_size=4) | SCALARS,
        "derive": st.sampled_from(list(DERIVATIONS)) | SCALARS, "align": st.booleans() | SCALARS,
        "perfect_reconstruction": st.booleans() | SCALARS, "tolerance": st.floats(0, 1) | SCALARS,
        "mode": st.sampled_from(list(MODES)) | SCALARS, "level": st.integers(-1, 8) | SCALARS,
    },
)
FILTER_SPECS = st.fixed_dictionaries(
    {"filterbank": st.just(1) | SCALARS, "kind": st.just("filter"), "filter": FILTERS},
    optional={"name": st.text(max_size=8), "description": SCALARS},
)
SPECS = BANK_SPECS | FILTER_SPECS | VALUES


@FUZZ
@given(spec=SPECS, verify=st.booleans())
def test_random_specs_raise_only_filterbank_errors(spec, verify):
    only_filterbank_errors(lambda: fb.load(spec, verify=verify))
    if isinstance(spec, dict):
        only_filterbank_errors(lambda: fb.FilterBank.from_spec(spec, verify=verify))
        only_filterbank_errors(lambda: fb.Filter.from_spec(spec))
