"""The compile stage: kernel orientation, lengths, caching and the readable description."""

from __future__ import annotations

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.errors import CoefficientsError, InputError
from filterbank.plans.decimated import analysis_plan, synthesis_plan
from filterbank.plans.lengths import dwt_coeff_len, dwt_max_level


@pytest.mark.parametrize("name", ["haar", "db4", "sym5", "coif2", "bior3.5", "rbio2.8", "dmey"])
def test_analysis_kernels_are_the_reversed_pywt_filters(name):
    w = pywt.Wavelet(name)
    p = fb.plan((64,), name)
    np.testing.assert_array_equal(p.analysis_lo, np.asarray(w.dec_lo)[::-1])
    np.testing.assert_array_equal(p.analysis_hi, np.asarray(w.dec_hi)[::-1])
    np.testing.assert_array_equal(p.synthesis_lo, w.rec_lo)
    np.testing.assert_array_equal(p.synthesis_hi, w.rec_hi)
    assert not p.analysis_lo.flags.writeable


@pytest.mark.parametrize("executor", ["conv", "shift", "numpy"])
def test_one_level_through_each_executor_equals_pywt_dwt(executor):
    # The orientation proof: kernels stored flipped + TF correlation == pywt convolution.
    # One plan serves every executor (plans name none).
    from filterbank.backend import engine
    from filterbank.backend.convert import inspect

    x = np.random.default_rng(0).standard_normal((3, 29))
    for name in ("db3", "bior2.4", "sym4"):
        p = analysis_plan(fb.as_filterbank(name), x.shape, "float64", "symmetric", 1, (1,))
        if executor == "numpy":
            a, details = engine.forward_numpy(p, x)
        else:
            a, details = engine.forward(p, inspect(x), executor, "always", p)
        cA, cD = pywt.dwt(x, name, "symmetric")
        np.testing.assert_allclose(a, cA, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(details[0]["d"], cD, rtol=1e-12, atol=1e-13)
        # and unflipped kernels would be wrong: the trap is real
        flipped = np.array([np.correlate(row, np.asarray(pywt.Wavelet(name).dec_lo), "full")[1::2] for row in x])
        assert not np.allclose(flipped[:, : cA.shape[1]], cA)


@pytest.mark.parametrize("mode", fb.MODES)
@pytest.mark.parametrize("n", [1, 2, 5, 8, 13])
def test_coefficient_lengths_follow_pywt(mode, n):
    for L in (2, 4, 10):
        assert dwt_coeff_len(n, L, mode) == pywt.dwt_coeff_len(n, L, mode)


def test_max_level_follows_pywt():
    for n in [1, 2, 3, 7, 8, 100, 1000, 65536]:
        for L in [2, 4, 8, 16, 62]:
            assert dwt_max_level(n, L) == pywt.dwt_max_level(n, L), (n, L)


def test_plans_are_cached_and_described():
    bank = fb.as_filterbank("db2")
    p1 = analysis_plan(bank, (7,), "float64", "symmetric", 2)
    p2 = analysis_plan(fb.as_filterbank("db2"), (7,), "float64", "symmetric", 2)
    assert p1 is p2
    assert analysis_plan(bank, (7,), "float32", "symmetric", 2) is not p1
    text = str(p1)
    assert "Plan 'db2': shape (7,) float64, mode 'symmetric', level 2" in text
    assert "level 2 axis 0: 5 -> 4 coefficients" in text
    assert p1.coeff_shape(2) == (4,)
    assert bank.plan((7,), level=2) is fb.plan((7,), "db2", level=2)


def test_periodization_lengths_and_synthesis_checks():
    p = fb.plan((9, 5), "db4", "periodization", 1, axes=(0, 1))
    assert p.coeff_shape(1) == (5, 3)
    with pytest.raises(CoefficientsError, match=r"too short for a filter of length 8"):
        synthesis_plan(fb.as_filterbank("db4"), (4,), (((4, 2),),), "float64", "symmetric", (0,))
    with pytest.raises(CoefficientsError, match=r"cannot reconstruct 9 samples from 4 coefficients"):
        synthesis_plan(fb.as_filterbank("haar"), (9,), (((9, 4),),), "float64", "symmetric", (0,))
    with pytest.raises(InputError, match=r"axes must be unique; got \(0, -2\)"):
        fb.plan((4, 4), "haar", axes=(0, -2))
    with pytest.raises(InputError, match=r"mode must be one of .*; got 'symetric'"):
        fb.plan((4,), "haar", "symetric")


def test_coefficients_too_short_for_the_filter_say_what_to_do():
    # PyWavelets' length rule: idwt_len = 2 n - L + 2 = 2 * 2 - 8 + 2 = -2 for db4 (L = 8)
    with pytest.raises(fb.CoefficientsError, match=r"^coefficient arrays of length 2 are too short for a filter of length 8 "
                       r"in mode 'symmetric' \(the inverse would have length -2\); use the wavelet and mode of the decomposition$"):
        fb.idwt(np.ones(2), np.ones(2), "db4")
