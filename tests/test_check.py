"""bank.check(): figures against PyWavelets' own metadata and hand-derived cases."""

from __future__ import annotations

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.check import check_bank, symmetry, vanishing_moments

ALL = pywt.wavelist(kind="discrete")


@pytest.mark.parametrize("name", [n for n in ALL if n != "dmey"])
def test_every_pywt_wavelet_checks_as_pr(name):
    w = pywt.Wavelet(name)
    report = fb.FilterBank.from_wavelet(name).check()
    assert report.ok, report.problem()
    assert report.delay == report.expected_delay == w.dec_len - 1
    assert report.aliasing_error < 1e-12
    assert report.amplitude_distortion < 1e-9
    # pywt flags bior1.1 / rbio1.1 as not orthogonal, but their taps are Haar's
    haar = w.dec_len == 2 and np.allclose(w.dec_lo, pywt.Wavelet("haar").dec_lo, rtol=0, atol=1e-15)
    assert report.orthogonal == (bool(w.orthogonal) or haar)
    assert report.biorthogonal
    for f, role in zip(report.filters, ("dec_lo", "dec_hi", "rec_lo", "rec_hi")):
        taps = np.asarray(getattr(w, role))
        assert f.role == role and f.length == taps.size
        assert f.dc_gain == pytest.approx(taps.sum(), abs=1e-15)
    assert report.filters[0].dc_gain == pytest.approx(np.sqrt(2), abs=1e-9)
    assert report.filters[1].dc_gain == pytest.approx(0.0, abs=1e-9)


def test_dmey_is_reported_as_only_near_pr():
    # PyWavelets' discrete Meyer is an FIR approximation: its error is real, and we say so
    report = fb.FilterBank.from_wavelet("dmey").check()
    assert not report.ok
    assert 1e-3 < report.pr_error < 1e-2
    assert not report.orthogonal and report.orthogonality_error == pytest.approx(2.24e-3, rel=1e-2)


MOMENTS = [
    n
    for n in ALL
    if pywt.Wavelet(n).vanishing_moments_psi is not None
    and not n.startswith("rbio")
    and n not in {"bior5.5", *(f"db{k}" for k in range(33, 39)), "coif17"}
]


@pytest.mark.parametrize("name", MOMENTS)
def test_vanishing_moments_match_pywt(name):
    w = pywt.Wavelet(name)
    report = fb.FilterBank.from_wavelet(name).check()
    assert report.vanishing_moments[0] == w.vanishing_moments_psi
    if w.orthogonal:
        assert report.vanishing_moments == (w.vanishing_moments_psi,) * 2


@pytest.mark.parametrize("name", [n for n in ALL if n.startswith("bior")])
def test_reverse_biorthogonal_swaps_the_moments(name):
    bior = fb.FilterBank.from_wavelet(name).check().vanishing_moments
    rbio = fb.FilterBank.from_wavelet("rbio" + name[4:]).check().vanishing_moments
    assert rbio == bior[::-1]


def test_vanishing_moments_hand_derived():
    # (1 - z^-1)^3 has exactly three zeros at z = 1
    assert vanishing_moments(np.array([1.0, -3.0, 3.0, -1.0])) == 3
    assert vanishing_moments(np.convolve([1.0, -2.0, 1.0], [1.0, 0.5])) == 2
    assert vanishing_moments(np.array([2.0])) == 0


@pytest.mark.parametrize("name", [n for n in ALL if n.startswith(("bior", "rbio"))])
def test_symmetric_families_are_symmetric(name):
    report = fb.FilterBank.from_wavelet(name).check()
    kinds = {f.role: f.symmetry for f in report.filters}
    assert kinds["dec_lo"] == kinds["rec_lo"] == "symmetric"
    assert {kinds["dec_hi"], kinds["rec_hi"]} <= {"symmetric", "antisymmetric"}
    assert pywt.Wavelet(name).symmetry == "symmetric"


def test_symmetry_ignores_zero_padding():
    assert symmetry(np.array([0.0, 0.0, 1.0, 3.0, 1.0, 0.0])) == "symmetric"
    assert symmetry(np.array([0.0, -1.0, 0.0, 1.0])) == "antisymmetric"
    assert symmetry(np.array(pywt.Wavelet("db3").dec_lo)) == "asymmetric"


def test_haar_figures_by_hand():
    report = check_bank(fb.FilterBank.from_wavelet("haar"))
    assert report.pr_error < 1e-15 and report.delay == 1
    gains = [(f.dc_gain, f.nyquist_gain) for f in report.filters]
    np.testing.assert_allclose(gains, [(2**0.5, 0), (0, -(2**0.5)), (2**0.5, 0), (0, 2**0.5)], atol=1e-15)
    assert report.vanishing_moments == (1, 1)


def test_non_pr_bank_figures():
    # analysis = synthesis = a plain average: aliasing is not cancelled
    avg = fb.FilterBank(name="avg", dec_lo=[0.5, 0.5], dec_hi=[0.5, -0.5], rec_lo=[0.5, 0.5], rec_hi=[0.5, -0.5])
    report = avg.check()
    assert not report.ok and not report.orthogonal and not report.biorthogonal
    # A(z) = (F0(z) H0(-z) + F1(z) H1(-z)) / 2 = (1 - z^-2) / 4 + (1 - z^-2) / 4 -> max |A| = 0.5 at w = pi/2
    assert report.aliasing_error == pytest.approx(0.5)
    # impulse at phase 0 comes out as [0, 0, 0.5] instead of [0, 1, 0]: error exactly 1;
    # the random-signal part can only add to that
    assert 1.0 <= report.pr_error < 2.0
    with pytest.raises(fb.PerfectReconstructionError, match=r"^bank 'avg' does not reconstruct perfectly"):
        report.raise_for_pr()


def test_table_lists_every_figure():
    text = str(fb.load("bior4.4").check())
    for needle in (
        "filter bank 'bior4.4'",
        "reconstruction error",
        "within tolerance 1.0e-09",
        "delay                    9 samples (transforms assume 9)",
        "aliasing error",
        "orthogonality error",
        "(not orthogonal)",
        "(biorthogonal)",
        "vanishing moments        dec_hi 4, rec_hi 4",
        "dec_lo     10        9   1.41421",
        "rec_lo     10        7   1.41421",
        "symmetric",
    ):
        assert needle in text, needle


def test_check_of_a_maximal_bank_is_bounded():
    # 16384 taps is the spec limit: FFT convolutions and a 65-column moment basis keep it fast and small
    import time

    h = np.random.default_rng(7).standard_normal(16384)
    start = time.perf_counter()
    report = fb.FilterBank(name="huge", dec_lo=h, dec_hi=h, rec_lo=h, rec_hi=h).check()
    assert time.perf_counter() - start < 20  # about 0.5 s
    assert not report.ok and report.filters[0].length == 16384
