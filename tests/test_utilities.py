"""PyWavelets' utilities, thresholding, integer modes and Wavelet attributes, against PyWavelets."""

from __future__ import annotations

import numpy as np
import pytest
import pywt

import filterbank as fb

RNG = np.random.default_rng(3)
DISCRETE = pywt.wavelist(kind="discrete")


def test_integer_modes_are_pywavelets_codes():
    for name in pywt.Modes.modes:
        assert fb.modes.check_mode(getattr(pywt.Modes, name)) == name
    x = RNG.normal(size=17)
    for name in pywt.Modes.modes:
        code = getattr(pywt.Modes, name)
        np.testing.assert_allclose(fb.wavedec(x, "db2", code, level=2)[0], pywt.wavedec(x, "db2", name, level=2)[0], rtol=1e-12)
    with pytest.raises(fb.InputError, match="codes 0 ... 8"):
        fb.modes.check_mode(9)


@pytest.mark.parametrize("name", DISCRETE)
def test_wavelet_attributes_and_wavefun_equal_pywt(name):
    bank, ref = fb.FilterBank.from_wavelet(name), pywt.Wavelet(name)
    for attr in ("filter_bank", "inverse_filter_bank", "dec_len", "rec_len", "orthogonal", "biorthogonal", "symmetry",
                 "family_name", "short_family_name", "vanishing_moments_psi", "vanishing_moments_phi", "number"):
        assert getattr(bank, attr) == getattr(ref, attr), attr
    for level in (1, 4):
        ours, theirs = bank.wavefun(level), ref.wavefun(level)
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-12 * max(1.0, np.abs(b).max()))


def test_custom_bank_attributes_and_wavefun():
    db2 = pywt.Wavelet("db2")
    bank = fb.FilterBank.from_taps(db2.dec_lo, name="mine")
    assert (bank.family_name, bank.symmetry, bank.vanishing_moments_psi) == ("", "unknown", None)
    ref = pywt.Wavelet("mine", filter_bank=bank.filter_bank)
    ref.orthogonal = True
    for a, b in zip(bank.wavefun(5), ref.wavefun(5)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    spec_bank = fb.load({"filterbank": 1, "name": "my-sym3", "wavelet": "sym3"})
    assert spec_bank.family_name == "Symlets" and spec_bank.number == 3
    with pytest.raises(fb.InputError, match="level must be an integer from 1 to 30"):
        bank.wavefun(0)


@pytest.mark.parametrize("fmt", ["wavedec", "wavedec2", "wavedecn"])
def test_coeffs_to_array_and_ravel_roundtrip_like_pywt(fmt):
    x = RNG.normal(size=(13, 14)) if fmt != "wavedec" else RNG.normal(size=37)
    ours = getattr(fb, fmt)(x, "db2", level=2)
    theirs = getattr(pywt, fmt)(x, "db2", level=2)
    arr, slices = fb.coeffs_to_array(ours)
    ref_arr, ref_slices = pywt.coeffs_to_array(theirs)
    np.testing.assert_allclose(arr, ref_arr, rtol=1e-12, atol=1e-12)
    assert slices == ref_slices
    back = fb.array_to_coeffs(arr, slices, output_format=fmt)
    np.testing.assert_array_equal(back[0], ours[0])
    flat, fsl, fsh = fb.ravel_coeffs(ours)
    ref_flat, ref_fsl, ref_fsh = pywt.ravel_coeffs(theirs)
    np.testing.assert_allclose(flat, ref_flat, rtol=1e-12, atol=1e-12)
    assert (fsl, fsh) == (ref_fsl, ref_fsh)
    again = fb.unravel_coeffs(flat, fsl, fsh, output_format=fmt)
    np.testing.assert_array_equal(again[0], ours[0])


def test_coefficient_utilities_refuse_bad_input():
    with pytest.raises(fb.CoefficientsError, match="non-empty list"):
        fb.coeffs_to_array([])
    with pytest.raises(fb.CoefficientsError, match="must be 1-D"):
        fb.coeffs_to_array([np.ones((2, 2))] * 2)
    with pytest.raises(fb.InputError, match="output_format must be one of"):
        fb.array_to_coeffs(np.ones(4), [slice(2)], output_format="foo")
    with pytest.raises(fb.CoefficientsError, match="cannot be packed tightly"):
        fb.coeffs_to_array(fb.wavedecn(np.ones((16, 16)), "db2", level=2), padding=None)


@pytest.mark.parametrize("mode", pywt.Modes.modes)
def test_shapes_sizes_lengths_like_pywt(mode):
    shape = (33, 20)
    assert fb.wavedecn_shapes(shape, "db3", mode, level=2) == pywt.wavedecn_shapes(shape, "db3", mode, level=2)
    assert fb.wavedecn_size(fb.wavedecn_shapes(shape, "db3", mode)) == pywt.wavedecn_size(pywt.wavedecn_shapes(shape, "db3", mode))
    assert fb.dwtn_max_level(shape, "db3") == pywt.dwtn_max_level(shape, "db3")
    for n in (1, 2, 7, 64):
        assert fb.dwt_coeff_len(n, "db3", mode) == pywt.dwt_coeff_len(n, pywt.Wavelet("db3"), mode)


@pytest.mark.parametrize("mode", pywt.Modes.modes)
def test_pad_like_pywt(mode):
    x = RNG.normal(size=(5, 6))
    for widths in (2, (1, 3), ((0, 7), (4, 1))):
        np.testing.assert_allclose(fb.pad(x, widths, mode), pywt.pad(x, widths, mode), rtol=1e-12, err_msg=str(widths))


@pytest.mark.parametrize("part", ["a", "d"])
@pytest.mark.parametrize("wavelet", ["haar", "db4", "bior3.5"])
def test_downcoef_upcoef_like_pywt_and_batched(part, wavelet):
    x = RNG.normal(size=(3, 41))
    for level in (1, 3):
        ours = fb.downcoef(part, x, wavelet, "smooth", level)
        for row in range(3):
            np.testing.assert_allclose(ours[row], pywt.downcoef(part, x[row], wavelet, "smooth", level), rtol=1e-12, atol=1e-12)
        up = fb.upcoef(part, x, wavelet, level, take=30)
        for row in range(3):
            np.testing.assert_allclose(up[row], pywt.upcoef(part, x[row], wavelet, level, take=30), rtol=1e-12, atol=1e-12)
    with pytest.raises(fb.InputError, match="part must be one of"):
        fb.upcoef("x", x, wavelet)
    with pytest.raises(fb.InputError, match="level must be >= 1"):
        fb.downcoef(part, x, wavelet, level=0)


@pytest.mark.parametrize("mode", ["soft", "hard", "garrote", "greater", "less"])
@pytest.mark.parametrize("substitute", [0, -1.5])
def test_threshold_like_pywt_and_on_tensors(mode, substitute):
    x = RNG.normal(size=50) * 3
    np.testing.assert_allclose(fb.threshold(x, 1.2, mode, substitute), pywt.threshold(x, 1.2, mode, substitute), rtol=1e-15)
    if mode in ("soft", "hard"):
        z = x + 1j * RNG.normal(size=50)
        np.testing.assert_allclose(fb.threshold(z, 1.2, mode), pywt.threshold(z, 1.2, mode), rtol=1e-15)
    tf = pytest.importorskip("tensorflow")
    t = fb.threshold(tf.constant(x), 1.2, mode, substitute)
    assert tf.is_tensor(t)
    np.testing.assert_allclose(t.numpy(), pywt.threshold(x, 1.2, mode, substitute), rtol=1e-14)


def test_threshold_firm_like_pywt_and_errors():
    x = np.linspace(-4, 4, 41)
    np.testing.assert_allclose(fb.threshold_firm(x, 1, 2), pywt.threshold_firm(x, 1, 2), rtol=1e-15)
    with pytest.raises(fb.InputError, match="value_low must be non-negative"):
        fb.threshold_firm(x, -1, 2)
    with pytest.raises(fb.InputError, match="mode must be one of"):
        fb.threshold(x, 1, "sfot")
    with pytest.raises(fb.InputError, match="real data only"):
        fb.threshold(x + 1j, 1, "greater")


def test_names_like_pywt():
    assert fb.wavelist() == pywt.wavelist()
    assert fb.wavelist("db", kind="discrete") == pywt.wavelist("db", kind="discrete")
    assert fb.families(short=False) == pywt.families(short=False)
    with pytest.raises(fb.InputError, match="family must be one of"):
        fb.wavelist("dbb")
