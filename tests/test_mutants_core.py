"""Tests that kill sampled mutmut survivors in plan, check, derive and dtypes (tools/mutate.py).

Each asserts a value derived by hand or taken from PyWavelets, never our own output.
"""

from __future__ import annotations

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.design import derive
from filterbank.dtypes import compute_dtype, is_complex, numpy_compute_dtype

DB2 = pywt.Wavelet("db2")


def db2_named(name: str) -> fb.FilterBank:
    return fb.FilterBank(name=name, dec_lo=DB2.dec_lo, dec_hi=DB2.dec_hi, rec_lo=DB2.rec_lo, rec_hi=DB2.rec_hi)


# --------------------------------------------------------------------------- plan


def test_a_plan_of_two_equal_banks_under_different_names_reads_as_one_bank():
    # Kernels.same_as compares the filters, not the objects: two banks with db2's taps are one
    # bank for plan.filter_length / analysis_lo, which refuse only when the axes really differ
    p = fb.plan((8, 8), (db2_named("a"), db2_named("b")), axes=(0, 1))
    assert p.name == "a x b" and p.filter_length == 4
    np.testing.assert_array_equal(p.analysis_lo, np.array(DB2.dec_lo)[::-1])
    np.testing.assert_array_equal(p.synthesis_hi, np.array(DB2.rec_hi))
    with pytest.raises(fb.InputError, match=r"^plan.filter_length: this plan uses a different bank per axis"):
        fb.plan((8, 8), ("db2", "haar"), axes=(0, 1)).filter_length


def test_describe_names_the_axis_of_a_kernel_only_when_the_axes_differ():
    # db2 along both axes: one kernel block, no axis named; L=4, 8 -> floor((8 + 3) / 2) = 5, pads 2 + 8 + 2
    lines = fb.plan((8, 8), "db2", axes=(0, 1)).describe().splitlines()
    assert lines[1] == "  analysis kernels (reversed dec_lo / dec_hi, L=4):"
    assert lines[-2:] == ["  level 1 axis 0: 8 -> 5 coefficients, pad 2 + 8 + 2",
                          "  level 1 axis 1: 8 -> 5 coefficients, pad 2 + 8 + 2"]
    mixed = fb.plan((8, 8), ("db2", "haar"), axes=(0, 1)).describe().splitlines()
    assert "  analysis kernels axis 0, db2 (reversed dec_lo / dec_hi, L=4):" in mixed
    assert "  analysis kernels axis 1, haar (reversed dec_lo / dec_hi, L=2):" in mixed


# --------------------------------------------------------------------------- check


def test_an_all_zero_filter_has_no_support():
    h = np.sqrt(0.5) * np.ones(2)
    bank = fb.FilterBank(name="zero-highpass", dec_lo=h, dec_hi=[0.0, 0.0], rec_lo=h, rec_hi=[0.0, 0.0], verify=False)
    report = bank.check()
    assert [f.support for f in report.filters] == [2, 0, 2, 0]
    assert [f.length for f in report.filters] == [2, 2, 2, 2]


def test_a_one_tap_bank_loses_the_even_samples_and_its_pr_error_is_one():
    # With L = 1 the delay is 0. Analysis keeps the odd samples only, so the unit impulse at
    # phase 0 comes back as 0 where it should be 1: the PR error is exactly 1.
    bank = fb.FilterBank(name="one-tap", dec_lo=[1.0], dec_hi=[1.0], rec_lo=[1.0], rec_hi=[0.0], verify=False)
    report = bank.check()
    assert report.expected_delay == 0
    assert report.pr_error == 1.0


# --------------------------------------------------------------------------- derive


def test_odd_taps_name_the_alternating_flip_rule():
    with pytest.raises(fb.SpecError, match=r"^derive: the alternating_flip rule needs an even number of taps; got 3 "):
        fb.FilterBank.from_taps([1.0, 1.0, 1.0], derive="alternating_flip")


@pytest.mark.parametrize(
    ("rule", "want"),
    [
        # rec_lo = -m(dec_hi), rec_hi = m(dec_lo) for dec_lo = [1, 1], dec_hi = [-1, 1]
        (derive.synthesis_from_analysis, [[1, 1], [-1, 1], [1, 1], [1, -1]]),
        # dec_lo = m(rec_hi), dec_hi = -m(rec_lo) for rec_lo = [1, 1], rec_hi = [1, -1]
        (derive.analysis_from_synthesis, [[1, 1], [-1, 1], [1, 1], [1, -1]]),
    ],
)
def test_rules_return_float64_taps_for_integer_input(rule, want):
    got = rule([1, 1], [-1, 1]) if rule is derive.synthesis_from_analysis else rule([1, 1], [1, -1])
    for g, w in zip(got, want):
        assert g.dtype == np.float64
        np.testing.assert_array_equal(g, w)


def test_align_returns_float64_taps_for_integer_input():
    # the docstring's Haar bank, delayed by three samples, given as integers (times 2 for rec)
    bank = ([0, 0, 0, 1, 1], [0, 0, 0, -1, 1], [1, 1], [1, -1])
    got = derive.align(bank)
    assert [g.dtype for g in got] == [np.float64] * 4
    assert [g.tolist() for g in got] == [[1, 1], [-1, 1], [1, 1], [1, -1]]


# --------------------------------------------------------------------------- dtypes


def test_long_double_names_are_complex_or_real_as_numpy_says():
    # numpy's clongdouble is complex (np.clongdouble(1j).imag == 1); longdouble is real
    assert np.iscomplexobj(np.clongdouble(1j)) and not np.iscomplexobj(np.longdouble(1))
    assert is_complex("clongdouble") and is_complex("complex256") and is_complex(np.dtype(np.clongdouble))
    assert not is_complex("longdouble") and not is_complex("float128")
    assert numpy_compute_dtype("clongdouble") == "complex128"
    assert compute_dtype("clongdouble") == "float64"


def test_a_non_numeric_dtype_names_data_by_default():
    with pytest.raises(fb.FilterBankTypeError, match=r"^data must be numeric \(bool, int, float or complex\); got dtype <U1$"):
        compute_dtype(np.dtype("U1"))


def test_the_kernel_cache_counts_four_float64_filters_per_bank():
    # db2: four filters of 4 taps, 8 bytes each
    fb.clear_caches()
    fb.plan((16,), "db2")
    assert fb.cache_info()["kernels"].bytes == 4 * 4 * 8
    fb.clear_caches()
