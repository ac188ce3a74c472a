"""filterbank.testing's helpers for a user's own bank: levels, bank_cases, the three properties, profiles."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
import pywt
from hypothesis import given, settings
from hypothesis import strategies as st

import filterbank as fb
from filterbank.testing import (
    BankCase,
    assert_matches_pywavelets,
    assert_round_trip,
    bank_cases,
    bank_properties,
    lattice_lowpass,
    levels,
    pywt_wavelet,
    register_profiles,
    round_trip_tolerance,
)

ROOT = Path(__file__).resolve().parents[1]
LATTICE = fb.FilterBank.from_taps(lattice_lowpass([0.4, -0.7, np.pi / 4 + 0.3]), name="lattice6")
BANKS = ["haar", "db3", "bior3.5", "coif2", "johnston-qmf", str(ROOT / "examples" / "firwin_qmf.yaml"), LATTICE]
few = settings(max_examples=15)


@pytest.mark.parametrize("bank", BANKS, ids=lambda b: getattr(b, "name", Path(str(b)).name))
@pytest.mark.parametrize("prop", ["round_trip", "pywavelets_parity", "aliasing"])
def test_bank_properties_pass_for_perfect_and_declared_near_pr_banks(bank, prop):
    test = getattr(bank_properties(bank), prop)
    assert test.__name__.startswith(f"test_{prop}_")
    few(test)()


@given(st.sampled_from(["haar", "db4", "sym7", "bior6.8", "johnston-qmf"]), st.integers(1, 300), st.data())
def test_levels_never_draw_a_level_either_library_warns_about(name, n, data):
    bank = fb.as_filterbank(name)
    level = data.draw(levels(bank, n))
    wavelet = pywt_wavelet(bank)
    assert 0 <= level <= pywt.dwt_max_level(n, wavelet.dec_len)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = fb.wavedec(np.ones(n), bank, level=level)
        theirs = pywt.wavedec(np.ones(n), wavelet, level=level)
    assert len(ours) == len(theirs) == level + 1


@given(st.integers(1, 200), st.data())
def test_levels_deep_draws_past_the_maximum_only_when_asked(n, data):
    top = pywt.dwt_max_level(n, 8)
    level = data.draw(levels("db4", n, deep=2))
    assert min(1, top) <= level <= top + 2


@given(bank_cases("sym4", max_length=40, max_batch_dims=2))
def test_bank_cases_build_the_signal_they_describe(case):
    x = case.signal()
    assert x.shape == case.shape and x.dtype == case.dtype and x.shape[case.axis] == case.length
    assert 1 <= case.length <= 40 and len(case.shape) <= 3
    assert eval(repr(case), {"BankCase": BankCase}) == case  # prints as a call that rebuilds it


def test_round_trip_tolerance_is_the_declared_tolerance_plus_rounding():
    # haar: sum|dec_lo| = sqrt(2), polyphase sum|rec| = 1/sqrt(2) -> gain 1, so one level is
    # tol + 4 tolerance(dtype, 2) sqrt(2), and three levels three times that
    eps = float(np.finfo(np.float32).eps)
    one = 1e-9 + 4 * eps * (8 * np.sqrt(2) + 1) * np.sqrt(2)
    assert round_trip_tolerance("haar", 1, "float32") == pytest.approx(one, rel=1e-12)
    assert round_trip_tolerance("haar", 3, "float32") == pytest.approx(3 * one, rel=1e-12)
    assert round_trip_tolerance("johnston-qmf", 1, "float64") == pytest.approx(1e-2, rel=1e-6)


def test_the_assertions_catch_a_bank_that_is_off_by_more_than_it_declares():
    w = pywt.Wavelet("db2")
    shifted = fb.FilterBank(name="db2-shifted", dec_lo=w.dec_lo, dec_hi=w.dec_hi, rec_lo=np.roll(w.rec_lo, 1),
                            rec_hi=np.roll(w.rec_hi, 1), verify=False)
    case = BankCase(shape=(16,), axis=0, level=1, mode="periodization", dtype="float64", seed=3)
    with pytest.raises(AssertionError, match=r"^bank 'db2-shifted': round trip error .* > bound .*level 1, mode 'periodization'"):
        assert_round_trip(shifted, case)
    assert_matches_pywavelets(shifted, case)  # same taps as PyWavelets: equal, broken or not


def test_pywt_wavelet_has_the_bank_taps():
    w = pywt_wavelet(LATTICE)
    assert w.name == "lattice6" and w.dec_len == 6
    for role in ("dec_lo", "dec_hi", "rec_lo", "rec_hi"):
        np.testing.assert_array_equal(getattr(w, role), getattr(LATTICE, role))
    assert pywt_wavelet("dmey") is not None and pywt_wavelet("dmey").name == "dmey"


def test_register_profiles_ships_a_bounded_and_a_deep_profile():
    assert register_profiles() == ("filterbank-ci", "filterbank-dev")
    ci, dev = settings.get_profile("filterbank-ci"), settings.get_profile("filterbank-dev")
    assert ci.derandomize and ci.max_examples == 40 and ci.deadline is None
    assert not dev.derandomize and dev.max_examples == 300 and dev.deadline is None
