"""Responses and cascade functions against numpy / PyWavelets; figures drawn headless."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import pywt
from scipy import signal

import filterbank as fb
from filterbank.plot import cascade, frequency_response, plot_bank


@pytest.mark.parametrize("length, points", [(6, 64), (6, 2), (300, 17), (5000, 1024)])
def test_frequency_response_matches_scipy_freqz(length, points):
    # longer than 2 * (points - 1) exercises the folding
    h = np.random.default_rng(length).standard_normal(length)
    w, resp = frequency_response(h, points=points)
    _, ref = signal.freqz(h, worN=w)
    np.testing.assert_allclose(resp, ref, rtol=1e-10, atol=1e-10 * np.abs(h).sum())


@pytest.mark.parametrize("name", ["db2", "sym4", "coif3", "db10"])
def test_cascade_equals_pywt_wavefun_for_orthogonal(name):
    w = pywt.Wavelet(name)
    phi_ref, psi_ref, _ = w.wavefun(level=8)
    phi, psi, t = cascade(w.rec_lo, w.rec_hi, level=8)
    # PyWavelets' samples start one step earlier (a leading zero)
    n = min(phi_ref.size - 1, phi.size)
    np.testing.assert_allclose(phi[:n], phi_ref[1 : n + 1], atol=1e-12)
    np.testing.assert_allclose(psi[:n], psi_ref[1 : n + 1], atol=1e-12)
    assert t[1] == 2.0**-8


@pytest.mark.parametrize("name", ["bior2.2", "bior4.4"])
def test_cascade_equals_pywt_wavefun_for_biorthogonal_up_to_psi_sign(name):
    w = pywt.Wavelet(name)
    phi_d, psi_d, phi_r, psi_r, _ = w.wavefun(level=7)
    phi, psi, _ = cascade(w.rec_lo, w.rec_hi, level=7)
    dphi, dpsi, _ = cascade(w.dec_lo[::-1], w.dec_hi[::-1], level=7)
    n = min(phi_r.size - 1, phi.size)
    np.testing.assert_allclose(phi[:n], phi_r[1 : n + 1], atol=1e-12)
    np.testing.assert_allclose(-psi[:n], psi_r[1 : n + 1], atol=1e-12)  # PyWavelets negates bior psi
    np.testing.assert_allclose(dphi[:n], phi_d[1 : n + 1], atol=1e-11)
    np.testing.assert_allclose(-dpsi[:n], psi_d[1 : n + 1], atol=1e-11)


def test_long_filters_plot_quickly_without_functions():
    import time

    h = np.random.default_rng(1).standard_normal(16384)
    start = time.perf_counter()
    fig = plot_bank(fb.FilterBank(name="long", dec_lo=h, dec_hi=h, rec_lo=h, rec_hi=h))
    assert time.perf_counter() - start < 20  # about 1 s; a dense outer product would need 4 GB
    assert len(fig.axes) == 2


def test_plot_single_filter():
    flt = fb.load({"filterbank": 1, "kind": "filter", "name": "lp", "filter": {"design": "firwin", "numtaps": 31, "cutoff": 0.3}})
    fig = plot_bank(flt)
    assert [ax.get_title() for ax in fig.axes] == ["magnitude", "phase"]
    assert [line.get_label() for line in fig.axes[0].lines] == ["lp"]
    # the plotted magnitude is the filter's: -6 dB at the firwin cutoff
    x, y = fig.axes[0].lines[0].get_data()
    assert np.interp(0.3, x, y) == pytest.approx(20 * np.log10(0.5), abs=0.1)


def test_plot_draws_functions_only_where_they_exist(tmp_path):
    fig = plot_bank(fb.load("bior4.4"), tmp_path / "b.svg")
    assert [ax.get_title() for ax in fig.axes] == ["magnitude", "phase", "scaling functions", "wavelet functions"]
    assert len(fig.axes[2].lines) == 2  # synthesis and analysis dual for a biorthogonal bank
    assert (tmp_path / "b.svg").read_text().lstrip().startswith("<?xml")
    fig = plot_bank(fb.load("firwin-qmf"))
    assert [ax.get_title() for ax in fig.axes] == ["magnitude", "phase"]
    assert [line.get_label() for line in fig.axes[0].lines] == ["dec_lo = rec_lo", "dec_hi = rec_hi"]


def test_coinciding_curves_share_an_entry_and_the_others_are_dashed_for_synthesis():
    db4 = plot_bank(fb.load("db4"))
    mag, pha = db4.axes[:2]
    assert [line.get_label() for line in mag.lines] == ["dec_lo = rec_lo", "dec_hi = rec_hi"]
    # time reversal keeps the magnitude but not the phase: four phase curves, synthesis dashed
    assert [(line.get_label(), line.get_linestyle()) for line in pha.lines] == [
        ("dec_lo", "-"), ("dec_hi", "-"), ("rec_lo", "--"), ("rec_hi", "--")]
    bior = plot_bank(fb.load("bior2.2"))
    assert [(line.get_label(), line.get_linestyle()) for line in bior.axes[0].lines] == [
        ("dec_lo", "-"), ("dec_hi", "-"), ("rec_lo", "--"), ("rec_hi", "--")]
    x, y = mag.lines[0].get_data()  # the merged curve is the filters' own magnitude
    _, h = frequency_response(pywt.Wavelet("db4").rec_lo, points=x.size)
    np.testing.assert_allclose(y, 20 * np.log10(np.maximum(np.abs(h), 1e-12)), atol=1e-9)


AUDIO_LOWPASS = {"filterbank": 1, "kind": "filter", "name": "audio-lp",
                 "filter": {"design": "firwin", "numtaps": 63, "cutoff": 5000, "fs": 44100}}


def test_frequency_is_in_hz_when_the_spec_gives_fs():
    fig = plot_bank(fb.load(AUDIO_LOWPASS))
    assert {ax.get_xlabel() for ax in fig.axes} == {"frequency (Hz, fs = 44100)"}
    x, y = fig.axes[0].lines[0].get_data()
    assert x[-1] == pytest.approx(22050) and fig.axes[0].get_xlim() == pytest.approx((0, 22050))
    assert np.interp(5000, x, y) == pytest.approx(20 * np.log10(0.5), abs=0.1)  # -6 dB at the cutoff, in Hz
    bank = fb.load({"filterbank": 1, "name": "audio-qmf", "filters": {"dec_lo": {
        "design": "firwin", "numtaps": 32, "cutoff": 11600, "fs": 44100}}, "derive": "qmf",
        "perfect_reconstruction": False, "tolerance": 0.05})
    assert plot_bank(bank).axes[0].get_xlabel() == "frequency (Hz, fs = 44100)"
    assert plot_bank(fb.load("db4"), fs=8000).axes[1].get_xlim() == pytest.approx((0, 4000))
    assert plot_bank(fb.load("db4")).axes[0].get_xlabel() == "frequency (x pi rad / sample)"
    with pytest.raises(fb.InputError, match=r"fs must be a finite sampling frequency > 0; got -1"):
        plot_bank(fb.load("db4"), fs=-1)


def test_plot_does_not_import_pyplot_or_tensorflow():
    import subprocess
    from pathlib import Path

    code = (
        "import sys; import filterbank as fb; from filterbank.plot import plot_bank; "
        "plot_bank(fb.FilterBank.from_wavelet('haar')); "
        "print(sorted(m for m in ('matplotlib.pyplot', 'tensorflow') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=root, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
