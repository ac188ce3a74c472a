"""Derivation rules against PyWavelets' filters and hand-derived cases."""

from __future__ import annotations

import numpy as np
import pytest
import pywt

from filterbank.design.derive import (
    align,
    alternating_flip,
    analysis_from_synthesis,
    biorthogonal,
    distortion,
    modulate,
    qmf,
    synthesis_from_analysis,
    time_reversal,
)
from filterbank.errors import SpecError

ORTHOGONAL = [n for n in pywt.wavelist(kind="discrete") if pywt.Wavelet(n).orthogonal]
BIORTHOGONAL = [n for n in pywt.wavelist(kind="discrete") if n.startswith(("bior", "rbio"))]


def _same(bank, wavelet):
    for got, want in zip(bank, pywt.Wavelet(wavelet).filter_bank):
        np.testing.assert_array_equal(got, np.asarray(want))


@pytest.mark.parametrize("name", ORTHOGONAL)
def test_alternating_flip_reproduces_pywt(name):
    _same(alternating_flip(np.array(pywt.Wavelet(name).dec_lo)), name)


@pytest.mark.parametrize("name", ORTHOGONAL)
def test_time_reversal_reproduces_pywt(name):
    w = pywt.Wavelet(name)
    _same(time_reversal(np.array(w.dec_lo), np.array(w.dec_hi)), name)


@pytest.mark.parametrize("name", BIORTHOGONAL + ORTHOGONAL[:5])
@pytest.mark.parametrize("rule", ["biorthogonal", "synthesis", "analysis"])
def test_biorthogonal_rules_reproduce_pywt(name, rule):
    w = pywt.Wavelet(name)
    bank = {
        "biorthogonal": lambda: biorthogonal(np.array(w.dec_lo), np.array(w.rec_lo)),
        "synthesis": lambda: synthesis_from_analysis(np.array(w.dec_lo), np.array(w.dec_hi)),
        "analysis": lambda: analysis_from_synthesis(np.array(w.rec_lo), np.array(w.rec_hi)),
    }[rule]()
    _same(bank, name)


def test_modulate_is_h_of_minus_z():
    h = np.array([1.0, 2.0, 3.0, 4.0])
    z = np.exp(0.7j)
    # H(-z) evaluated directly equals the modulated filter evaluated at z
    direct = np.sum(h * (-z) ** -np.arange(4))
    np.testing.assert_allclose(np.sum(modulate(h) * z ** -np.arange(4)), direct)


def test_qmf_hand_derived_distortion():
    # T(z) = (H0(z)^2 - H0(-z)^2) / 2 keeps the odd powers of H0(z)^2
    h = np.array([0.1, 0.6, 0.6, 0.1]) * np.sqrt(2) / 1.4
    t, a = distortion(qmf(h))
    sq = np.convolve(h, h)
    want = np.where(np.arange(sq.size) % 2 == 1, sq, 0.0)
    np.testing.assert_allclose(t, want, atol=1e-15)
    np.testing.assert_allclose(a, 0.0, atol=1e-15)


def test_qmf_haar_is_pywt_haar():
    _same(qmf(np.array(pywt.Wavelet("haar").dec_lo)), "haar")


@pytest.mark.parametrize("rule", [alternating_flip, qmf])
def test_odd_length_rejected(rule):
    with pytest.raises(SpecError, match=r"derive: the \w+ rule needs an even number of taps; got 3"):
        rule(np.ones(3))


def test_align_moves_delay_to_length_minus_one():
    w = pywt.Wavelet("bior2.2")
    trimmed = [np.trim_zeros(np.array(f)) for f in w.filter_bank]
    bank = align(tuple(trimmed))
    assert len({f.size for f in bank}) == 1
    t, a = distortion(bank)
    assert int(np.argmax(np.abs(t))) == bank[0].size - 1
    np.testing.assert_allclose(np.abs(t).sum(), 1.0, atol=1e-14)
    np.testing.assert_allclose(a, 0.0, atol=1e-15)


def test_align_is_identity_on_pywt_layout():
    w = pywt.Wavelet("bior4.4")
    _same(align(tuple(np.array(f) for f in w.filter_bank)), "bior4.4")


def test_align_keeps_one_tap_filters_at_their_tap():
    # zero padding around one tap on both filters of a pair: trimmed to that tap, not to the first sample
    from filterbank.design.derive import align

    got = align((np.array([0.0, 1.0, 0.0]), np.array([0.0, -1.0, 0.0]), np.array([0.0, 1.0, 0.0]), np.array([0.0, 1.0, 0.0])))
    assert [t.tolist() for t in got] == [[1.0], [-1.0], [1.0], [1.0]]


def test_time_reversal_returns_float64_taps_for_integer_input():
    from filterbank.design.derive import time_reversal

    got = time_reversal([1, 2], [2, -1])
    assert [t.dtype for t in got] == [np.float64] * 4
    assert [t.tolist() for t in got] == [[1.0, 2.0], [2.0, -1.0], [2.0, 1.0], [-1.0, 2.0]]
