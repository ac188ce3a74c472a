"""Hypothesis properties of the transforms: perfect reconstruction, linearity, energy, pywt parity.

Random orthogonal and biorthogonal banks come from :mod:`filterbank.testing.banks`
(perfect reconstruction by construction), so a failure points at the engine.
TensorFlow runs eagerly here: every draw has a new shape, and compiling each
one would dominate the run time; the compiled paths are tested elsewhere.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pytest
import pywt
from hypothesis import given
from hypothesis import strategies as st

import filterbank as fb
from filterbank.testing import pywt_wavelet
from filterbank.testing.banks import biorthogonal_banks, orthogonal_banks

MODES = st.sampled_from(fb.MODES)
WAVELETS = st.sampled_from(pywt.wavelist(kind="discrete"))


@pytest.fixture(autouse=True, scope="module")
def eager():
    import tensorflow as tf

    tf.config.run_functions_eagerly(True)
    yield
    tf.config.run_functions_eagerly(False)


def signal(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


class Refused(Exception):
    """filterbank refused a call and PyWavelets was shown to refuse the same call."""


def _theirs(value):
    if isinstance(value, fb.FilterBank):
        return pywt_wavelet(value)
    if isinstance(value, tuple):
        return tuple(_theirs(v) for v in value)
    return value


def quiet(fn, *args, **kw):
    """``fn(*args, **kw)`` without warnings; a one-sample reflect refusal must be PyWavelets' too."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args, **kw)
        except fb.InputError as exc:
            if "length >= 2" not in str(exc):
                raise
            # reflect / antireflect refuse a level whose input has one sample: so must PyWavelets
            reference = getattr(pywt, fn.__name__)
            with pytest.raises(ValueError, match=r"greater than 1 for \[anti\]reflect mode"):
                reference(*(_theirs(a) for a in args), **{k: v for k, v in kw.items() if k != "executor"})
            raise Refused(str(exc)) from None


def refusals_checked(test):
    """Run a property; an example both libraries refuse (asserted in `quiet`) ends there."""

    @functools.wraps(test)
    def run(*args, **kw):
        try:
            test(*args, **kw)
        except Refused:
            pass

    return run


@given(bank=orthogonal_banks(max_length=12), mode=MODES, n=st.integers(2, 40), level=st.integers(1, 3),
       seed=st.integers(0, 2**16))
@refusals_checked
def test_perfect_reconstruction_orthogonal(bank, mode, n, level, seed):
    x = signal(seed, (2, n))
    c = quiet(fb.wavedec, x, bank, mode, level, executor="conv")
    y = fb.waverec(c, bank, mode, executor="conv")
    assert y.shape == x.shape
    np.testing.assert_allclose(y, x, atol=1e-9 * max(1.0, np.abs(x).max()))


@given(bank=biorthogonal_banks(), mode=MODES, n=st.integers(2, 40), level=st.integers(1, 3),
       seed=st.integers(0, 2**16))
@refusals_checked
def test_perfect_reconstruction_biorthogonal(bank, mode, n, level, seed):
    x = signal(seed, (n, 3))
    c = quiet(fb.wavedec, x, bank, mode, level, axis=0, executor="conv")
    y = fb.waverec(c, bank, mode, axis=0, executor="conv")
    assert y.shape == x.shape
    scale = max(1.0, max(float(np.abs(a).max()) for a in c))
    np.testing.assert_allclose(y, x, atol=1e-9 * scale)


@given(wavelet=WAVELETS, mode=MODES, n=st.integers(1, 30), a=st.floats(-3, 3), b=st.floats(-3, 3),
       seed=st.integers(0, 2**16))
@refusals_checked
def test_linearity(wavelet, mode, n, a, b, seed):
    if n == 1 and mode in ("reflect", "antireflect"):
        n = 2
    x, y = signal(seed, (n,)), signal(seed + 1, (n,))
    cx, cy, cz = (quiet(fb.wavedec, s, wavelet, mode, 2, executor="conv") for s in (x, y, a * x + b * y))
    for u, v, w in zip(cx, cy, cz):
        np.testing.assert_allclose(w, a * u + b * v, atol=1e-10 * (1 + np.abs(w).max()))


@given(bank=orthogonal_banks(max_length=16), level=st.integers(1, 4), blocks=st.integers(1, 4),
       seed=st.integers(0, 2**16))
@refusals_checked
def test_energy_preserved_orthogonal_periodization(bank, level, blocks, seed):
    x = signal(seed, (3, blocks * 2**level * 2))
    c = quiet(fb.wavedec, x, bank, "periodization", level, executor="conv")
    energy = sum(float(np.sum(np.square(t))) for t in c)
    np.testing.assert_allclose(energy, float(np.sum(x * x)), rtol=1e-11)


@given(wavelet=WAVELETS, mode=MODES, shape=st.tuples(st.integers(1, 3), st.integers(2, 24), st.integers(2, 24)),
       level=st.integers(0, 3), seed=st.integers(0, 2**16), executor=st.sampled_from(["conv", "shift"]))
@refusals_checked
def test_parity_with_pywt_2d(wavelet, mode, shape, level, seed, executor):
    x = signal(seed, shape)
    got = quiet(fb.wavedec2, x, wavelet, mode, level, executor=executor)
    want = quiet(pywt.wavedec2, x, wavelet, mode, level)
    assert len(got) == len(want)
    # 1e-12 relative to the largest coefficient: elementwise relative error is
    # meaningless for subbands that cancel to ~1e-13.
    flat_want = [want[0], *[a for d in want[1:] for a in d]]
    flat_got = [got[0], *[a for d in got[1:] for a in d]]
    scale = max(1.0, max(float(np.abs(a).max()) for a in flat_want))
    for u, v in zip(flat_got, flat_want):
        np.testing.assert_allclose(u, v, rtol=1e-12, atol=1e-12 * scale)
    rec = pywt.waverec2(want, wavelet, mode)
    np.testing.assert_allclose(fb.waverec2(want, wavelet, mode, executor=executor), rec, atol=1e-12 * scale)


@given(wavelets=st.tuples(WAVELETS, WAVELETS), modes=st.tuples(MODES, MODES),
       shape=st.tuples(st.integers(1, 2), st.integers(2, 24), st.integers(2, 24)),
       level=st.integers(0, 2), seed=st.integers(0, 2**16))
@refusals_checked
def test_parity_with_pywt_per_axis(wavelets, modes, shape, level, seed):
    x = signal(seed, shape)
    got = quiet(fb.wavedecn, x, wavelets, modes, level, axes=(1, 2))
    want = quiet(pywt.wavedecn, x, wavelets, modes, level, axes=(1, 2))
    assert len(got) == len(want)
    scale = max(1.0, float(np.abs(want[0]).max()), *[float(np.abs(a).max()) for d in want[1:] for a in d.values()])
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12, atol=1e-12 * scale)
    for d_got, d_want in zip(got[1:], want[1:]):
        for key in d_want:
            np.testing.assert_allclose(d_got[key], d_want[key], rtol=1e-12, atol=1e-12 * scale)
    rec = quiet(pywt.waverecn, want, wavelets, modes, axes=(1, 2))
    np.testing.assert_allclose(quiet(fb.waverecn, want, wavelets, modes, axes=(1, 2)), rec, atol=1e-12 * scale)
