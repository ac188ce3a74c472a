"""Stationary wavelet transforms: parity with PyWavelets' swt family, inverses, errors.

The sweeps run TensorFlow eagerly (as in ``test_transform_parity.py``) so the
hundreds of distinct filter banks do not each pay an XLA compile; the
compiled path has its own tests at the end.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import pywt
import tensorflow as tf

import filterbank as fb

WAVELETS = pywt.wavelist(kind="discrete")
RNG = np.random.default_rng(21)


@pytest.fixture(params=["tensorflow", "numpy"])
def eager(request):
    """Run on TensorFlow ops eagerly (no compile per shape), then on the numpy executor."""
    if request.param == "numpy":
        yield
        return
    tf.config.run_functions_eagerly(True)
    with fb.execution(numpy_always_below=0, numpy_below=0):
        yield
    tf.config.run_functions_eagerly(False)


def flat(coeffs):
    """Every array of a swt / swt2 / swtn result, in order."""
    out = []
    for c in coeffs:
        if isinstance(c, dict):
            out += [c[k] for k in sorted(c)]
        elif isinstance(c, tuple):
            for part in c:
                out += list(part) if isinstance(part, tuple) else [part]
        else:
            out.append(c)
    return out


def same(ours, theirs, rtol=1e-12):
    a, b = flat(ours), flat(theirs)
    assert len(a) == len(b)
    scale = max(1.0, *(float(np.abs(v).max()) for v in b))
    for u, v in zip(a, b):
        assert np.shape(u) == np.shape(v)
        np.testing.assert_allclose(u, v, rtol=0, atol=rtol * scale)


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # norm=True with biorthogonal wavelets warns in both libraries
        return fn(*args, **kwargs)


@pytest.mark.usefixtures("eager")
@pytest.mark.parametrize("name", WAVELETS)
def test_swt_and_iswt_equal_pywavelets(name):
    x = RNG.standard_normal((3, 32))
    for start in (0, 1):
        for trim in (False, True):
            for norm in (False, True):
                ref = quiet(pywt.swt, x, name, level=2, start_level=start, trim_approx=trim, norm=norm)
                ours = quiet(fb.swt, x, name, level=2, start_level=start, trim_approx=trim, norm=norm)
                same(ours, ref)
    # the inverse (pywt's iswt is 1-D only: compare row by row); dmey is not PR, and still equal
    for trim in (False, True):
        coeffs = pywt.swt(x, name, level=3, trim_approx=trim)
        ours = fb.iswt(coeffs, name)
        for i in range(3):
            row = [c[i] for c in coeffs] if trim else [(a[i], d[i]) for a, d in coeffs]
            want = pywt.iswt(row, name)
            np.testing.assert_allclose(ours[i], want, rtol=0, atol=1e-12 * max(1.0, np.abs(want).max()))


@pytest.mark.usefixtures("eager")
@pytest.mark.parametrize("wavelet", ["haar", ("db2", "sym3"), ("bior2.2", "coif1")])
@pytest.mark.parametrize("trim", [False, True])
def test_swt2_and_swtn_equal_pywavelets(wavelet, trim):
    x = RNG.standard_normal((4, 16, 24))
    ref = pywt.swt2(x, wavelet, level=2, trim_approx=trim, axes=(1, 2))
    ours = fb.swt2(x, wavelet, level=2, trim_approx=trim, axes=(1, 2))
    same(ours, ref)
    np.testing.assert_allclose(
        fb.iswt2(ref, wavelet, axes=(1, 2)), pywt.iswt2(ref, wavelet, axes=(1, 2)), rtol=0, atol=1e-11
    )
    per_axis = wavelet if isinstance(wavelet, str) else (*wavelet, "db1")
    ref_n = pywt.swtn(x, per_axis, level=1, start_level=1, trim_approx=trim)
    same(fb.swtn(x, per_axis, level=1, start_level=1, trim_approx=trim), ref_n)
    ref_n0 = pywt.swtn(x, per_axis, level=2, trim_approx=trim)
    np.testing.assert_allclose(fb.iswtn(ref_n0, per_axis), pywt.iswtn(ref_n0, per_axis), rtol=0, atol=1e-11)


@pytest.mark.usefixtures("eager")
def test_norm_trim_and_an_orthogonal_wavelet_preserve_energy():
    x = RNG.standard_normal((4, 64))
    coeffs = fb.swt(x, "db4", level=3, trim_approx=True, norm=True)
    energy = sum(np.sum(c**2, axis=-1) for c in coeffs)
    np.testing.assert_allclose(energy, np.sum(x**2, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(fb.iswt(coeffs, "db4", norm=True), x, rtol=0, atol=1e-12)


@pytest.mark.usefixtures("eager")
def test_complex_input_and_batch_axis_zero():
    x = RNG.standard_normal((16, 3)) + 1j * RNG.standard_normal((16, 3))
    ours = fb.swt(x, "db2", level=2, axis=0)
    ref = pywt.swt(x, "db2", level=2, axis=0)
    same(ours, ref)
    assert ours[0][0].dtype == np.complex128
    np.testing.assert_allclose(fb.iswt(ours, "db2", axis=0), x, rtol=0, atol=1e-12)


def test_compiled_float32_tensors_and_unknown_batch():
    x = RNG.standard_normal((5, 64)).astype(np.float32)
    ref = pywt.swt(x.astype(np.float64), "db4", level=3)
    ours = fb.swt(tf.constant(x), "db4", level=3)
    assert isinstance(ours[0][0], tf.Tensor) and ours[0][0].dtype == tf.float32
    scale = max(np.abs(a).max() for a in flat(ref))
    for u, v in zip(flat(ours), flat(ref)):
        np.testing.assert_allclose(u.numpy(), v, rtol=0, atol=2e-6 * scale)

    @tf.function(input_signature=[tf.TensorSpec([None, 64], tf.float64)])
    def round_trip(t):
        return fb.iswt(fb.swt(t, "db4", level=3, trim_approx=True), "db4")

    for batch in (1, 4):
        y = RNG.standard_normal((batch, 64))
        np.testing.assert_allclose(round_trip(tf.constant(y)).numpy(), y, rtol=0, atol=1e-12)
    assert round_trip.experimental_get_tracing_count() == 1


def test_gradient_of_normalised_energy_is_twice_the_signal():
    x = tf.constant(RNG.standard_normal((2, 32)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        coeffs = fb.swt(x, "db3", level=2, trim_approx=True, norm=True)
        energy = tf.add_n([tf.reduce_sum(c**2) for c in coeffs])
    np.testing.assert_allclose(tape.gradient(energy, x).numpy(), 2 * x.numpy(), rtol=1e-12, atol=1e-12)


def test_max_level_and_defaults():
    assert fb.swt_max_level(96) == pywt.swt_max_level(96) == 5
    assert fb.swt_max_level((64, 48)) == 4
    x = RNG.standard_normal(24)
    assert len(fb.swt(x, "haar")) == len(pywt.swt(x, "haar")) == 3
    assert fb.swt(x, "haar", level=0) == [] and len(fb.swt(x, "haar", level=0, trim_approx=True)) == 1


def test_max_level_warns_as_pywavelets_when_no_level_is_possible():
    with pytest.warns(UserWarning):
        theirs = pywt.swt_max_level(11)
    with pytest.warns(fb.FilterBankWarning, match=r"^swt_max_level: input length 11 is odd, so no SWT level is possible"):
        assert fb.swt_max_level(11) == theirs == 0
    with pytest.warns(fb.FilterBankWarning, match=r"input length 5 is odd"):
        assert fb.swt_max_level((16, 5)) == 0
    for n in (2, 12, 16, 48):  # no warning (filterwarnings = error)
        assert fb.swt_max_level(n) == pywt.swt_max_level(n)
    assert fb.swt(np.ones(11), "haar", level=0) == []  # the transforms do not warn


class TestBadInput:
    def test_levels(self):
        with pytest.raises(fb.InputError, match=r"level 2 from start_level 1 is too deep for axis lengths \[12\]: level \+ start_level must be at most 2"):
            fb.swt(np.ones(12), "haar", level=2, start_level=1)
        with pytest.raises(fb.InputError, match=r"start_level must be a non-negative integer; got -1"):
            fb.swt(np.ones(8), "haar", level=1, start_level=-1)
        with pytest.raises(fb.InputError, match=r"level must be a non-negative integer or None; got 1.5"):
            fb.swt(np.ones(8), "haar", level=1.5)
        with pytest.raises(fb.InputError, match=r"input_len must be a positive integer or a sequence of them; got 0"):
            fb.swt_max_level(0)

    def test_coefficients(self):
        c = fb.swt(np.ones(8), "haar", level=2)
        with pytest.raises(fb.CoefficientsError, match=r"iswt: every coefficient array must have the input's shape"):
            fb.iswt([(np.ones(8), np.ones(8)), (np.ones(8), np.ones(4))], "haar")
        with pytest.raises(fb.CoefficientsError, match=r"iswt: coeffs must be a non-empty list made by the forward transform; got an empty list"):
            fb.iswt([], "haar")
        with pytest.raises(fb.CoefficientsError, match=r"iswt: 4 levels need axis lengths divisible by 2\*\*4; got shape \(8,\)"):
            fb.iswt(c + c, "haar")
        with pytest.raises(fb.CoefficientsError, match=r"iswt2: coeffs\[1\] must be a \(cH, cV, cD\) tuple; got an array of shape \(4, 4\)$"):
            fb.iswt2([np.ones((4, 4)), np.ones((4, 4))], "haar")
        with pytest.raises(fb.InputError, match=r"wavelet: a sequence must give one entry per transformed axis \(2\); got 3"):
            fb.swt2(np.ones((8, 8)), ("db1", "db2", "db3"), level=1)

    def test_transformed_axes_of_unknown_size(self):
        @tf.function(input_signature=[tf.TensorSpec([2, None], tf.float64)])
        def forward(t):
            return fb.swt(t, "haar", level=1)

        with pytest.raises(fb.InputError, match=r"swt: transformed axes must have a known size; axis 1 of shape \(2, None\)"):
            forward(tf.ones((2, 8), tf.float64))

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float64)] * 2)
        def inverse(a, d):
            return fb.iswt([(a, d)], "haar")

        with pytest.raises(fb.InputError, match=r"iswt: transformed axes must have a known size; axis 0 of shape \(None,\)"):
            inverse(tf.ones(8, tf.float64), tf.ones(8, tf.float64))

    def test_norm_with_a_biorthogonal_wavelet_warns(self):
        with pytest.warns(fb.FilterBankWarning, match=r"swt: norm=True with a wavelet that is not orthogonal"):
            fb.swt(np.ones(8), "bior2.2", level=1, norm=True)


@pytest.mark.parametrize("wavelets", [("db2", "bior2.2"), ("bior2.2", "db2")])
def test_norm_with_one_non_orthogonal_axis_warns_and_still_equals_pywavelets(wavelets):
    import warnings

    x = RNG.standard_normal((8, 12))
    with pytest.warns(fb.FilterBankWarning, match=r"^swtn: norm=True with a wavelet that is not orthogonal"):
        ours = fb.swtn(x, wavelets, level=1, norm=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "norm=True, but the wavelets used are not orthogonal", UserWarning)
        ref = pywt.swtn(x, wavelets, level=1, norm=True)
    for key in ref[0]:
        np.testing.assert_allclose(ours[0][key], ref[0][key], rtol=0, atol=1e-12, err_msg=key)
    with pytest.warns(fb.FilterBankWarning, match=r"^iswtn: norm=True with a wavelet that is not orthogonal"):
        back = fb.iswtn(ours, wavelets, norm=True)
    np.testing.assert_allclose(back, x, rtol=0, atol=1e-12)  # the scalings cancel on every axis


def test_norm_with_orthogonal_wavelets_on_every_axis_is_silent():
    import warnings

    x = RNG.standard_normal((8, 12))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = fb.swtn(x, ("db2", "sym3"), level=1, norm=True)
        ref = pywt.swtn(x, ("db2", "sym3"), level=1, norm=True)
    for key in ref[0]:
        np.testing.assert_allclose(ours[0][key], ref[0][key], rtol=0, atol=1e-12, err_msg=key)
    energy = sum(np.sum(np.asarray(c) ** 2) for c in ours[0].values())
    assert energy == pytest.approx(np.sum(x**2), rel=1e-10)  # norm=True: energy preserved (to the taps' accuracy)


def test_iswt2_refuses_a_detail_tuple_of_two():
    details = (np.ones((4, 4)), np.ones((4, 4)))
    with pytest.raises(fb.CoefficientsError, match=r"^iswt2: coeffs\[0\]\[1\] must be a \(cH, cV, cD\) tuple; got a tuple of 2 item\(s\)$"):
        fb.iswt2([(np.ones((4, 4)), details)], "haar")
