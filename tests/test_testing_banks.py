"""The bank strategies of filterbank.testing generate perfect-reconstruction banks."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from filterbank.testing import (
    bank_specs,
    biorthogonal_banks,
    lattice_lowpass,
    orthogonal_banks,
)


@given(orthogonal_banks())
def test_orthogonal_banks_check_as_pr_and_orthogonal(bank):
    report = bank.check()
    assert report.ok, report.problem()
    assert report.orthogonal and report.biorthogonal
    assert report.delay == report.expected_delay == bank.dec_len - 1
    assert np.isclose(bank.dec_lo.sum(), np.sqrt(2))
    assert report.vanishing_moments[0] >= 1


@given(biorthogonal_banks())
def test_biorthogonal_banks_check_as_pr(bank):
    report = bank.check()
    assert report.ok, report.problem()
    assert report.biorthogonal
    assert report.aliasing_error < 1e-12
    assert len({bank.dec_lo.size, bank.dec_hi.size, bank.rec_lo.size, bank.rec_hi.size}) == 1


def test_lattice_matches_db2():
    # db2's low-pass is the length-4 lattice with angles (pi/3, -pi/12) (Vaidyanathan's
    # factorisation): check against PyWavelets' taps, reversed order is rec_lo.
    import pywt

    h = lattice_lowpass([np.pi / 3, np.pi / 4 - np.pi / 3])
    want = np.array(pywt.Wavelet("db2").rec_lo)
    assert np.allclose(h, want, atol=1e-12) or np.allclose(h, want[::-1], atol=1e-12)


@given(bank_specs())
def test_generated_bank_specs_load_silently_and_check_ok(data):
    import warnings

    import filterbank as fb

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bank = fb.load(data)
    report = bank.check()
    assert report.ok, report.problem()
    assert report.aliasing_error < 1e-12
    assert bank.mode == data.get("mode") and bank.level == data.get("level")
