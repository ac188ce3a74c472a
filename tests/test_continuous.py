"""Continuous wavelets as values: samples, integrals, frequencies and names against PyWavelets."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.design.continuous import as_continuous_wavelet

NAMES = ("morl", "mexh", *(f"gaus{n}" for n in range(1, 9)), *(f"cgau{n}" for n in range(1, 9)),
         "shan1.5-1.0", "shan1-1.5", "fbsp1-1.5-1.0", "fbsp2-1-1.5", "fbsp3-1.5-1.2", "cmor1.5-1.0", "cmor1-4",
         "cmor1.5-1.2", "fbsp1.0-1.5-1", "shan0.3-2.5")
ATTRIBUTES = ("name", "family_name", "short_family_name", "lower_bound", "upper_bound", "center_frequency",
              "bandwidth_frequency", "fbsp_order", "complex_cwt", "symmetry", "orthogonal", "biorthogonal")


@pytest.mark.parametrize("name", NAMES)
def test_attributes_equal_pywt(name):
    ours, theirs = fb.ContinuousWavelet(name), pywt.ContinuousWavelet(name)
    for attr in ATTRIBUTES:
        assert getattr(ours, attr) == getattr(theirs, attr), attr


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("level", [4, 8, 12])
def test_wavefun_equals_pywt(name, level):
    psi, x = fb.ContinuousWavelet(name).wavefun(level)
    ref, xr = pywt.ContinuousWavelet(name).wavefun(level)
    assert psi.dtype == ref.dtype and x.dtype == xr.dtype
    np.testing.assert_array_equal(x, xr)
    assert np.abs(psi - ref).max() <= 1e-14 * np.abs(ref).max() + 1e-15


@pytest.mark.parametrize("name", ["morl", "gaus4", "cgau5", "cmor1.5-1.0", "fbsp2-1-1.5"])
def test_float32_wavelets(name):
    psi, x = fb.ContinuousWavelet(name, np.float32).wavefun(10)
    ref, xr = pywt.ContinuousWavelet(name, np.float32).wavefun(10)
    assert psi.dtype == ref.dtype and x.dtype == xr.dtype == np.float32
    assert np.abs(psi - ref).max() <= 1e-6 * np.abs(ref).max()
    int_psi, xi = fb.integrate_wavelet(fb.ContinuousWavelet(name, np.float32))
    assert int_psi.real.dtype == xi.dtype == np.float32


def test_moved_bounds_and_length():
    ours, theirs = fb.ContinuousWavelet("cmor1.5-1.0"), pywt.ContinuousWavelet("cmor1.5-1.0")
    for w in (ours, theirs):
        w.lower_bound, w.upper_bound = -3, 5
    a, xa = ours.wavefun(length=77)
    b, xb = theirs.wavefun(length=77)
    np.testing.assert_array_equal(xa, xb)
    assert np.abs(a - b).max() < 1e-15


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("precision", [6, 8, 12])
def test_integrals_and_frequencies_equal_pywt(name, precision):
    a, xa = fb.integrate_wavelet(name, precision=precision)
    b, xb = pywt.integrate_wavelet(name, precision=precision)
    np.testing.assert_array_equal(xa, xb)
    assert np.abs(a - b).max() <= 1e-14 * np.abs(b).max()
    cf = fb.central_frequency(name, precision=precision)
    assert cf == pywt.central_frequency(name, precision=precision)
    scales = np.array([1.0, 3.5, 20.0])
    np.testing.assert_array_equal(fb.scale2frequency(name, scales, precision=precision),
                                  pywt.scale2frequency(name, scales, precision=precision))
    np.testing.assert_array_equal(fb.frequency2scale(name, 0.1, precision=precision),
                                  pywt.frequency2scale(name, 0.1, precision=precision))


def test_gaussian_normalisation_by_hand():
    # gaus1 = (2/pi)^(1/4) d/dx exp(-x^2) = -2 x (2/pi)^(1/4) exp(-x^2); unit energy
    psi, x = fb.ContinuousWavelet("gaus1").wavefun(length=9)
    np.testing.assert_allclose(psi, -2 * x * (2 / np.pi) ** 0.25 * np.exp(-x**2), rtol=1e-15, atol=1e-300)
    psi, x = fb.ContinuousWavelet("cgau3").wavefun(length=1 << 14)
    assert abs(np.sum(np.abs(psi) ** 2) * (x[1] - x[0]) - 1) < 1e-6


def test_parameters_are_float32_like_pywt():
    w = fb.ContinuousWavelet("cmor1.5-1.2")
    assert w.center_frequency == float(np.float32(1.2)) == pywt.ContinuousWavelet("cmor1.5-1.2").center_frequency
    w.center_frequency = 2.2
    assert w.center_frequency == float(np.float32(2.2))


@pytest.mark.parametrize(("name", "match"), [
    ("cmor1.0", r"cmor needs its parameters in the name as cmorB-C, e.g. cmor1.5-1.0; got 'cmor1.0'"),
    ("cmorB-C", r"cmor needs its parameters in the name as cmorB-C"),
    ("shan1.0-1.0-1.0", r"shan needs its parameters in the name as shanB-C"),
    ("fbsp1.5-1-1", r"fbsp spline order M must be an integer; got 'fbsp1.5-1-1'"),
    ("fbsp1.0-0.4", r"fbsp needs its parameters in the name as fbspM-B-C \(M an integer\)"),
    ("fbsp1-1-1-1", r"fbsp needs its parameters"),
    ("gaus9", r"gaus order must be 1 to 8; got 'gaus9'"),
    ("morlet", r"got 'morlet' \(did you mean 'morl'\?\)"),
    ("cmor0-1", r"bandwidth_frequency must be > 0; got 0.0"),
])
def test_bad_names(name, match):
    with pytest.raises(fb.InputError, match=match):
        fb.ContinuousWavelet(name)


def test_bad_dtype_and_attributes():
    with pytest.raises(fb.InputError, match=r"dtype must be float32 or float64 .*got complex64"):
        fb.ContinuousWavelet("gaus5", np.complex64)
    with pytest.raises(fb.InputError, match=r"dtype must be float32 or float64 .*got int64"):
        fb.ContinuousWavelet("gaus5", np.int64)
    w = fb.ContinuousWavelet("morl")
    with pytest.raises(fb.InputError, match=r"center_frequency applies to shan, cmor and fbsp wavelets; 'morl'"):
        w.center_frequency = 1.0
    with pytest.raises(fb.InputError, match=r"upper_bound must be a finite number; got inf"):
        w.upper_bound = np.inf
    with pytest.raises(fb.InputError, match=r"level must be an integer from 0 to 30; got 31"):
        w.wavefun(31)
    with pytest.raises(fb.InputError, match=r"precision must be an integer from 1 to 24 \(2\*\*precision samples\); got 0"):
        fb.integrate_wavelet(w, precision=0)


@pytest.mark.parametrize("name", ["shan", "fbsp", "cmor"])
def test_bare_names_warn_and_mean_pywts_defaults(name):
    with pytest.warns(FutureWarning, match=rf"wavelet '{name}': parameters belong in the name"):
        ours = fb.ContinuousWavelet(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        theirs = pywt.ContinuousWavelet(name)
    for attr in ATTRIBUTES:
        assert getattr(ours, attr) == getattr(theirs, attr), attr


@pytest.mark.parametrize("name", NAMES)
def test_dict_round_trip_and_pickle(name):
    w = fb.ContinuousWavelet(name)
    back = fb.ContinuousWavelet.from_dict(w.to_dict())
    assert back == w and hash(back) == hash(w)
    np.testing.assert_array_equal(back.wavefun(8)[0], w.wavefun(8)[0])
    again = pickle.loads(pickle.dumps(w))
    assert again == w and again.name == w.name


def test_dict_with_bounds_and_errors():
    w = fb.ContinuousWavelet.from_dict({"family": "gaus", "order": 2, "lower_bound": -4, "upper_bound": 4})
    assert (w.name, w.lower_bound, w.upper_bound) == ("gaus2", -4.0, 4.0)
    with pytest.raises(fb.SpecError, match=r"^wavelet.family: must be one of .*got 'cmr' \(did you mean 'cmor'\?\)"):
        fb.ContinuousWavelet.from_dict({"family": "cmr"})
    with pytest.raises(fb.SpecError, match=r"wavelet.fbsp_order: must be an integer >= 1; got 1.5"):
        fb.ContinuousWavelet.from_dict({"family": "fbsp", "fbsp_order": 1.5, "bandwidth_frequency": 1,
                                        "center_frequency": 1})
    with pytest.raises(fb.SpecError, match=r"w.upper_bound: must exceed lower_bound; got \[4, -4\]"):
        fb.ContinuousWavelet.from_dict({"family": "morl", "lower_bound": 4, "upper_bound": -4}, path="w")
    with pytest.raises(fb.SpecError, match=r"wavelet: must be a mapping with a 'family' key; got 'morl'"):
        fb.ContinuousWavelet.from_dict("morl")


def test_cwt_scales_give_the_frequencies_asked_for():
    scales = fb.cwt_scales("cmor1.5-1.0", 1.0, 100.0, 64, fs=250.0)
    _, freqs = fb.cwt(np.zeros(16), scales, "cmor1.5-1.0", 1 / 250)
    np.testing.assert_allclose(freqs, np.geomspace(1.0, 100.0, 64), rtol=1e-13)
    assert np.all(np.diff(scales) < 0)
    with pytest.raises(fb.InputError, match=r"frequencies must satisfy 0 < fmin <= fmax <= fs/2 = 125; got fmin=1, fmax=200"):
        fb.cwt_scales("morl", 1, 200, 8, fs=250.0)
    with pytest.raises(fb.InputError, match=r"num must be an integer >= 1; got 0"):
        fb.cwt_scales("morl", 1, 2, 0, fs=250.0)


def test_pywt_objects_are_accepted():
    theirs = pywt.ContinuousWavelet("fbsp2-1-1.5")
    theirs.upper_bound = 10
    w = as_continuous_wavelet(theirs)
    assert (w.name, w.upper_bound, w.fbsp_order) == ("fbsp2-1-1.5", 10.0, 2)
    with pytest.raises(fb.InputError, match=r"wavelet must be a continuous wavelet .*got 'db2'"):
        as_continuous_wavelet(pywt.Wavelet("db2"))
