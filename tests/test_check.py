"""bank.check(): figures against PyWavelets' own metadata and hand-derived cases."""

from __future__ import annotations

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.spec.parameters import DEFAULT_TOLERANCE
from filterbank.design.check import check_bank, symmetry, vanishing_moments

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


# ------------------------------------------------------------------ figures a mutant would move


def _db2_with_rec_lo_nudged(delta: float) -> fb.FilterBank:
    w = pywt.Wavelet("db2")
    rec_lo = np.array(w.rec_lo)
    rec_lo[0] += delta
    return fb.FilterBank(name="db2-nudged", dec_lo=w.dec_lo, dec_hi=w.dec_hi, rec_lo=rec_lo, rec_hi=w.rec_hi)


def test_a_reconstruction_error_between_1e9_and_1e6_fails_the_default_tolerance_only():
    # nudging rec_lo[0] by d adds d * (down-up-sampled dec_lo * x): on the two phase impulses
    # every dec_lo tap is kept once, so the PR error is at least d * max|dec_lo| (and of that order)
    delta = 1e-8
    bank = _db2_with_rec_lo_nudged(delta)
    report = bank.check()
    floor = delta * np.max(np.abs(pywt.Wavelet("db2").dec_lo))
    assert floor * (1 - 1e-6) <= report.pr_error < 1e-6
    assert report.pr_error > DEFAULT_TOLERANCE and not report.ok
    assert bank.check(tolerance=1e-6).ok and bank.check(tolerance=1e-6).pr_error == report.pr_error
    assert report.problem().startswith(f"bank 'db2-nudged' does not reconstruct perfectly: PR error {report.pr_error:.3g} > tolerance 1e-09")
    # the nudge adds d/2 H0(-z) to A(z) and d/2 H0(z) to T(z); max |H0| = sqrt(2)
    assert report.aliasing_error == pytest.approx(delta / np.sqrt(2), rel=1e-6)
    assert report.amplitude_distortion == pytest.approx(delta / np.sqrt(2), rel=1e-6)
    with pytest.raises(fb.PerfectReconstructionError, match=r"^bank 'db2-nudged' does not reconstruct perfectly: PR error"):
        fb.wavedec(np.ones(16), bank)
    taps = {r: getattr(bank, r) for r in ("dec_lo", "dec_hi", "rec_lo", "rec_hi")}
    with pytest.raises(fb.PerfectReconstructionError, match=r"PR error .* > tolerance 1e-09"):
        fb.FilterBank.from_taps(**taps, align=False, derive="none")
    loose = fb.FilterBank.from_taps(**taps, align=False, derive="none", tolerance=1e-6)  # within: silent
    x = np.random.default_rng(0).standard_normal(32)
    y = np.asarray(fb.waverec(fb.wavedec(x, loose, "periodization", 2), loose, "periodization"))
    assert 1e-12 < np.max(np.abs(y - x)) < 1e-6  # a real round trip shows the error the check measured


def _haar_with_dec_hi_scaled(eps: float) -> fb.FilterBank:
    w = pywt.Wavelet("haar")
    return fb.FilterBank(name="haar-alias", dec_lo=w.dec_lo, dec_hi=(1 + eps) * np.array(w.dec_hi),
                         rec_lo=w.rec_lo, rec_hi=w.rec_hi, verify=False)


def test_aliasing_figure_of_an_aliasing_bank_equals_a_real_round_trip():
    # hand-derived: scaling Haar's dec_hi by (1 + eps) leaves A(z) = eps/2 F1(z) H1(-z), and
    # |F1(e^jw)| |H1(-e^jw)| = 2 |sin(w/2) cos(w/2)| = |sin w|: max |A| = eps / 2, at w = pi/2
    eps = 0.1
    bank = _haar_with_dec_hi_scaled(eps)
    report = bank.check()
    assert report.aliasing_error == pytest.approx(eps / 2, rel=1e-12)
    assert not report.ok
    # the real transform: periodization on N samples is y = T x + A (M x), M x = (-1)^n x; the alias
    # term is (y(x) - shift^-1 y(shift x)) / 2. A tone whose mirror M x sits at w = pi/2 shows max|A|.
    n = 64
    x = np.cos(2 * np.pi * (n // 4) * np.arange(n) / n + 0.3)

    def round_trip(v):
        return np.asarray(fb.idwt(*fb.dwt(v, bank, "periodization"), bank, "periodization"))

    alias = (round_trip(x) - np.roll(round_trip(np.roll(x, 1)), -1)) / 2
    assert np.linalg.norm(alias) / np.linalg.norm(x) == pytest.approx(report.aliasing_error, rel=1e-9)
    from filterbank.testing import BankCase, assert_aliasing_within

    assert_aliasing_within(bank, BankCase(shape=(3, 40), axis=1, level=1, mode="zero", dtype="float64", seed=4))
    assert_aliasing_within(_haar_with_dec_hi_scaled(0.0), BankCase((40,), 0, 1, "zero", "float32", 4))


def test_h0_and_h1_each_orthonormal_but_not_orthogonal_to_each_other():
    # h1 = h0 = Haar's low-pass: each is orthonormal to its even shifts, rec = dec[::-1], but
    # sum h0[n] h1[n] = 1 where orthogonality needs 0: the error is exactly 1
    h = np.full(2, np.sqrt(0.5))
    report = fb.FilterBank(name="twins", dec_lo=h, dec_hi=h, rec_lo=h, rec_hi=h).check()
    assert report.orthogonality_error == pytest.approx(1.0, abs=1e-15)
    assert not report.orthogonal and not report.ok
    # biorthogonality: (f_a * h_b)[1 + 2k] = delta(a, b) delta(k) fails by 1 on both cross terms
    assert report.biorthogonality_error == pytest.approx(1.0, abs=1e-15)


def test_check_figures_are_measured_once_and_only_the_verdict_follows_the_tolerance():
    bank = _db2_with_rec_lo_nudged(1e-8)
    first = bank.check()
    assert bank.check() is first
    loose = bank.check(tolerance=1e-6)
    assert loose.tolerance == 1e-6 and loose.pr_error == first.pr_error and loose.ok
    rebuilt = _db2_with_rec_lo_nudged(1e-8)  # equal name and taps: the bounded cache answers
    assert rebuilt.check() == first
    assert "checks" in fb.cache_info()


def test_the_report_table_says_exceeds_and_not_orthogonal_for_a_broken_bank():
    table = str(_db2_with_rec_lo_nudged(1e-8).check())
    assert "(EXCEEDS tolerance 1.0e-09)" in table and "(not orthogonal)" in table
    good = str(fb.FilterBank.from_wavelet("db2").check())
    assert "(within tolerance 1.0e-09)" in good and "(orthogonal)" in good and "(biorthogonal)" in good


def test_the_report_classifies_each_filter_symmetry():
    # Haar: the low-passes are [1, 1] / sqrt(2) (symmetric), the high-passes +-[1, -1] (antisymmetric)
    report = fb.FilterBank.from_wavelet("haar").check()
    assert [f.symmetry for f in report.filters] == ["symmetric", "antisymmetric", "symmetric", "antisymmetric"]


def test_check_bank_never_raises_floating_point_errors_whatever_the_callers_errstate():
    h = np.array([1e308, 1e308])
    bank = fb.FilterBank(name="huge", dec_lo=h, dec_hi=h, rec_lo=h, rec_hi=h)
    with np.errstate(all="raise"):
        report = check_bank(bank)  # the check sets its own errstate: overflow becomes figures, not errors
    assert not report.ok and report.non_finite
