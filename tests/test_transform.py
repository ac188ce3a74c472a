"""Transforms as a user meets them: executors, dtypes, TensorFlow integration, errors."""

from __future__ import annotations

import warnings
import numpy as np
import pytest
import pywt
import tensorflow as tf

import filterbank as fb

RNG = np.random.default_rng(11)


@pytest.mark.parametrize("mode", fb.MODES)
def test_executors_agree_and_match_pywt_compiled(mode):
    x = RNG.standard_normal((3, 4, 37))
    want = pywt.wavedec(x, "db3", mode, level=2, axis=1 if False else -1)
    for executor in ("shift", "conv"):
        got = fb.wavedec(x, "db3", mode, level=2, executor=executor)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(fb.waverec(got, "db3", mode, executor=executor), x, atol=1e-11)


def test_executors_agree_in_2d_float32_on_odd_shapes():
    x = RNG.standard_normal((2, 33, 30)).astype(np.float32)
    a = fb.wavedec2(x, "sym4", "periodization", level=2, executor="shift")
    b = fb.wavedec2(x, "sym4", "periodization", level=2, executor="conv")
    np.testing.assert_allclose(a[0], b[0], rtol=1e-5, atol=1e-5)
    for da, db in zip(a[1:], b[1:]):
        for u, v in zip(da, db):
            assert u.dtype == np.float32
            np.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-5)
    ya = fb.waverec2(a, "sym4", "periodization", executor="shift")
    yb = fb.waverec2(b, "sym4", "periodization", executor="conv")
    assert ya.shape == x.shape
    np.testing.assert_allclose(ya, yb, atol=1e-5)


@pytest.mark.parametrize("name,level", [("haar", 5), ("db4", 3), ("db16", 2), ("bior4.4", 3)])
def test_float32_error_bound(name, level):
    # float32 results stay within ~1e-6 * sqrt(L * level) relative to the float64 PyWavelets result.
    x = RNG.standard_normal((4, 1024))
    got = fb.wavedec(x.astype(np.float32), name, level=level)
    want = pywt.wavedec(x, name, level=level)
    L = pywt.Wavelet(name).dec_len
    bound = 1e-6 * np.sqrt(L * level)
    for g, w in zip(got, want):
        assert g.dtype == np.float32
        assert np.abs(g - w).max() <= bound * np.abs(w).max()
    y = fb.waverec(got, name)
    assert np.abs(y - x).max() <= 2 * bound * np.abs(x).max()


def test_dtypes_follow_the_input():
    x = RNG.standard_normal((2, 16))
    assert fb.dwt(x.astype(np.float16), "db2")[0].dtype == np.float32
    assert fb.dwt(np.arange(16), "db2")[0].dtype == np.float64
    z = x + 1j * RNG.standard_normal((2, 16))
    cA, cD = fb.dwt(z, "db2")
    pA, pD = pywt.dwt(z, "db2")
    assert cA.dtype == np.complex128
    np.testing.assert_allclose(cA, pA, atol=1e-12)
    np.testing.assert_allclose(cD, pD, atol=1e-12)
    c = fb.wavedec(z.astype(np.complex64), "db2", level=2)
    assert c[0].dtype == np.complex64
    np.testing.assert_allclose(fb.waverec(c, "db2"), z, atol=1e-5)
    bf = tf.constant(x, dtype=tf.bfloat16)
    out = fb.dwt(bf, "haar")[0]
    assert isinstance(out, tf.Tensor) and out.dtype == tf.float32


def test_tensor_in_tensor_out_with_batch_dims_and_axis():
    x = RNG.standard_normal((3, 20, 5))
    coeffs = fb.wavedec(tf.constant(x), "db2", level=2, axis=1)
    assert all(isinstance(c, tf.Tensor) for c in coeffs)
    want = pywt.wavedec(x, "db2", level=2, axis=1)
    for g, w in zip(coeffs, want):
        np.testing.assert_allclose(g.numpy(), w, atol=1e-12)
    y = fb.waverec(coeffs, "db2", axis=1)
    assert isinstance(y, tf.Tensor) and tuple(y.shape) == x.shape


def test_tf_function_traces_once_and_jit_compiles():
    traces = []

    @tf.function
    def roundtrip(x):
        traces.append(1)
        c = fb.wavedec2(x, "db2", "symmetric", level=2)
        return fb.waverec2(c, "db2", "symmetric")

    x = RNG.standard_normal((2, 17, 12)).astype(np.float32)
    for _ in range(3):
        y = roundtrip(tf.constant(x))
    assert len(traces) == 1
    np.testing.assert_allclose(y.numpy(), x, atol=1e-5)

    jitted = tf.function(lambda t: fb.wavedec(t, "sym3", "periodization", level=2)[0], jit_compile=True)
    s = RNG.standard_normal(41).astype(np.float32)
    np.testing.assert_allclose(
        jitted(tf.constant(s)).numpy(), pywt.wavedec(s, "sym3", "periodization", level=2)[0], atol=1e-5
    )


@pytest.mark.parametrize("executor", ["shift", "conv"])
def test_gradient_of_coefficient_energy_is_twice_the_signal(executor):
    x = tf.constant(RNG.standard_normal((2, 64)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        coeffs = fb.wavedec(x, "db4", "periodization", level=3, executor=executor)
        energy = tf.add_n([tf.reduce_sum(c**2) for c in coeffs])
    grad = tape.gradient(energy, x)
    np.testing.assert_allclose(grad.numpy(), 2 * x.numpy(), atol=1e-10)
    np.testing.assert_allclose(energy.numpy(), tf.reduce_sum(x**2).numpy(), rtol=1e-12)


@pytest.mark.parametrize("mode", ["symmetric", "smooth", "antireflect"])
def test_gradients_agree_between_executors_and_with_the_adjoint(mode):
    # shift (XLA) extends its input in place, with a custom gradient; conv concatenates
    x = tf.constant(RNG.standard_normal((3, 37)))
    w = [RNG.standard_normal(s) for s in [c.shape for c in pywt.wavedec(np.zeros((3, 37)), "db3", mode, level=2)]]
    grads = {}
    for executor in ("shift", "conv"):
        with tf.GradientTape() as tape:
            tape.watch(x)
            coeffs = fb.wavedec(x, "db3", mode, level=2, executor=executor)
            objective = tf.add_n([tf.reduce_sum(c * wc) for c, wc in zip(coeffs, w)])
        grads[executor] = tape.gradient(objective, x).numpy()
    # the transform is linear: the gradient of <w, A x> is A^T w, built column by column from PyWavelets
    adjoint = np.zeros(37)
    for i in range(37):
        e = np.zeros(37)
        e[i] = 1.0
        adjoint[i] = sum(np.dot(c, wc[0]) for c, wc in zip(pywt.wavedec(e, "db3", mode, level=2), w))
    np.testing.assert_allclose(grads["shift"][0], adjoint, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads["shift"], grads["conv"], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("split_inner", [2, 1 << 30])
@pytest.mark.parametrize("mode", fb.MODES)
def test_compiled_input_read_in_place_along_outer_axes_matches_pywt(mode, split_inner, monkeypatch):
    # Under XLA the shift executor reads the interior outputs of the input's first pass straight from
    # the caller's buffer and extends only the edge ones (along an axis with samples after it); with a
    # huge threshold every axis is extended first. Both must equal PyWavelets: outer axes, one sample
    # after the axis (always extended), filters with zero taps (bior2.2), signals too short for an interior.
    from filterbank.backend import tf_executors

    split = tf_executors._split_analysis
    monkeypatch.setattr(tf_executors, "SPLIT_INNER", split_inner)
    fb.clear_caches()  # the compiled programs' keys do not hold the threshold: trace them afresh
    calls = []
    monkeypatch.setattr(tf_executors, "_split_analysis", lambda *a: calls.append(1) or split(*a))
    cases = [("db3", (3, 37, 5), 1), ("bior2.2", (2, 41, 16), 1), ("sym8", (4, 6, 9), 1), ("haar", (40, 3), 0),
             ("db2", (2, 41, 1), 1), ("coif2", (23, 2, 3), 0)]
    for name, shape, axis in cases:
        x = RNG.standard_normal(shape)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sym8 is too long for 6 samples: every output is an edge one
            want = pywt.wavedec(x, name, mode, level=2, axis=axis)
            got = fb.wavedec(tf.constant(x), name, mode, level=2, axis=axis, compile="always")
        for g, w in zip(got, want):
            np.testing.assert_allclose(g.numpy(), w, rtol=1e-12, atol=1e-12 * np.abs(w).max())
    x = RNG.standard_normal((2, 45, 34))
    want = pywt.wavedec2(x, "db4", mode, level=2)
    got = fb.wavedec2(tf.constant(x), "db4", mode, level=2, compile="always")
    np.testing.assert_allclose(got[0].numpy(), want[0], rtol=1e-12, atol=1e-12)
    for dg, dw in zip(got[1:], want[1:]):
        for g, w in zip(dg, dw):
            np.testing.assert_allclose(g.numpy(), w, rtol=1e-12, atol=1e-12)
    assert bool(calls) == (split_inner == 2)  # the path under test is the one that ran
    fb.clear_caches()  # no program traced under the patched threshold outlives the test


@pytest.mark.parametrize("mode", ["symmetric", "smooth", "periodization"])
def test_gradient_under_xla_along_an_outer_axis_is_the_adjoint(mode):
    # the split read of the input (interior slices, edge blocks, concatenation) differentiates to A^T w
    x = RNG.standard_normal((27, 6))
    w = [RNG.standard_normal(c.shape) for c in pywt.wavedec(x, "db3", mode, level=2, axis=0)]

    @tf.function(jit_compile=True)
    def grad(t):
        with tf.GradientTape() as tape:
            tape.watch(t)
            coeffs = fb.wavedec(t, "db3", mode, level=2, axis=0)
            objective = tf.add_n([tf.reduce_sum(c * wc) for c, wc in zip(coeffs, w)])
        return tape.gradient(objective, t)

    adjoint = np.zeros_like(x)
    for i in range(x.shape[0]):
        e = np.zeros_like(x)
        e[i] = 1.0
        adjoint[i] = sum(np.sum(c * wc, axis=0) for c, wc in zip(pywt.wavedec(e, "db3", mode, level=2, axis=0), w))
    np.testing.assert_allclose(grad(tf.constant(x)).numpy(), adjoint, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("executor", ["shift", "conv"])
def test_batch_axes_of_unknown_size_inside_tf_function(executor):
    # one trace serves every batch size; only the transformed axes need static sizes
    @tf.function(input_signature=[tf.TensorSpec([None, None, 37], tf.float64)], jit_compile=executor == "shift")
    def round_trip(t):
        c = fb.wavedec(t, "db3", "smooth", level=2, executor=executor)
        return c, fb.waverec(c, "db3", "smooth", executor=executor)

    for batch in [(1, 1), (4, 3)]:
        x = RNG.standard_normal(batch + (37,))
        coeffs, back = round_trip(tf.constant(x))
        for ours, ref in zip(coeffs, pywt.wavedec(x, "db3", "smooth", level=2)):
            np.testing.assert_allclose(ours.numpy(), ref, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(back.numpy(), x, rtol=1e-12, atol=1e-12)
    assert round_trip.experimental_get_tracing_count() == 1

    @tf.function(input_signature=[tf.TensorSpec([None, 3, 32, 32], tf.float64)])
    def images(t):
        c = fb.wavedec2(t, "bior2.2", "periodization", level=2, executor=executor)
        return c, fb.waverec2(c, "bior2.2", "periodization", executor=executor)

    x = RNG.standard_normal((2, 3, 32, 32))
    coeffs, back = images(tf.constant(x))
    ref = pywt.wavedec2(x, "bior2.2", "periodization", level=2)
    np.testing.assert_allclose(coeffs[0].numpy(), ref[0], rtol=1e-12, atol=1e-12)
    for ours, theirs in zip(coeffs[1], ref[1]):
        np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(back.numpy(), x, rtol=1e-12, atol=1e-12)


def test_transformed_axes_of_unknown_size_are_refused():
    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float64)])
    def along_unknown(t):
        return fb.wavedec(t, "haar", level=1)

    with pytest.raises(fb.InputError, match=r"data: transformed axes must have a known size; axis 1 of shape \(None, None\)"):
        along_unknown(tf.ones((2, 8), tf.float64))

    @tf.function(input_signature=[tf.TensorSpec(None, tf.float64)])
    def unknown_rank(t):
        return fb.dwt(t, "haar")

    with pytest.raises(fb.InputError, match=r"data must have a known number of dimensions; got shape <unknown>"):
        unknown_rank(tf.ones((2, 8), tf.float64))


def test_filterbank_methods_and_inverse_exact_shape():
    bank = fb.FilterBank.from_wavelet("coif1")
    x = RNG.standard_normal((11, 13, 15))
    c = bank.wavedecn(x, level=1)
    assert c.input_shape == (11, 13, 15)
    np.testing.assert_allclose(bank.waverecn(c), x, atol=1e-10)
    c2 = bank.dwt2(x)
    assert np.shape(bank.idwt2(c2)) == x.shape
    cA, cD = bank.dwt(x[0, 0])
    np.testing.assert_allclose(bank.idwt(cA, cD)[:15], x[0, 0], atol=1e-10)
    np.testing.assert_allclose(bank.waverec(bank.wavedec(x, level=1)), x, atol=1e-10)
    assert fb.dwt_max_level(1000, pywt.Wavelet("db4")) == pywt.dwt_max_level(1000, 8)


def test_none_details_count_as_zeros_like_pywt():
    x = RNG.standard_normal(40)
    c = pywt.wavedec(x, "db2", level=2)
    want = pywt.waverec([c[0], None, c[2]], "db2")
    np.testing.assert_allclose(fb.waverec([c[0], None, c[2]], "db2"), want, atol=1e-12)
    d = pywt.dwtn(x.reshape(5, 8), "haar")
    d["dd"] = None
    np.testing.assert_allclose(fb.idwtn(d, "haar"), pywt.idwtn(d, "haar"), atol=1e-12)


def test_level_zero_returns_the_data():
    x = RNG.standard_normal(10)
    c = fb.wavedec(x, "db1", level=0)
    assert len(c) == 1
    np.testing.assert_array_equal(c[0], x)
    assert fb.waverec(c, "db1") is c[0]


class TestBadInput:
    def test_level_too_high_warns_and_negative_raises(self):
        with pytest.warns(fb.FilterBankWarning, match=r"level 5 is too high .* length 16 .* filter of length 8"):
            fb.wavedec(np.ones(16), "db4", level=5)
        with pytest.raises(fb.InputError, match=r"level must be a non-negative integer or None; got -1"):
            fb.wavedec(np.ones(16), "db4", level=-1)
        with pytest.raises(fb.InputError, match=r"level must be a non-negative integer or None; got 1.5"):
            fb.wavedec(np.ones(16), "db4", level=1.5)

    def test_unknown_mode_and_executor(self):
        with pytest.raises(fb.InputError, match=r"mode must be one of .* got 'periodisation' \(did you mean 'periodization'\?\)"):
            fb.wavedec(np.ones(16), "db2", "periodisation")
        with pytest.raises(fb.InputError, match=r"executor must be one of 'auto', 'conv', 'numpy', 'shift'; got 'cuda'"):
            fb.dwt(np.ones(8), "db2", executor="cuda")

    def test_empty_and_scalar_input(self):
        with pytest.raises(fb.InputError, match=r"data must not be empty; got shape \(3, 0\)"):
            fb.wavedec(np.ones((3, 0)), "haar")
        with pytest.raises(fb.InputError, match=r"data must have at least one dimension; got a 0-d"):
            fb.dwt(np.float64(3.0), "haar")
        with pytest.raises(fb.FilterBankTypeError, match=r"data must be numeric .* got dtype <U1"):
            fb.dwt(np.array(["a", "b"]), "haar")

    def test_bad_axes(self):
        with pytest.raises(fb.InputError, match=r"axis 2 is out of range for data with 2 dimension"):
            fb.wavedec(np.ones((4, 4)), "haar", axis=2)
        with pytest.raises(fb.InputError, match=r"axes must be unique; got \(0, -2\)"):
            fb.wavedec2(np.ones((4, 4)), "haar", axes=(0, -2))
        with pytest.raises(fb.InputError, match=r"axes must name exactly two axes .* got \(0,\)"):
            fb.dwt2(np.ones((4, 4)), "haar", axes=(0,))

    def test_mismatched_coefficient_lists(self):
        c = fb.wavedec(np.arange(32.0), "db2", level=3)
        with pytest.raises(fb.CoefficientsError, match=r"coefficient shape mismatch: level 2 has length"):
            fb.waverec([c[0], c[1], c[3]], "db2")
        with pytest.raises(fb.CoefficientsError, match=r"waverec: coeffs must be a non-empty list \[cA_n, details_n, ..., details_1\]; got an empty list"):
            fb.waverec([], "db2")
        with pytest.raises(fb.CoefficientsError, match=r"waverec2: coeffs\[1\] must be a \(cH, cV, cD\) tuple"):
            fb.waverec2([np.ones((4, 4)), np.ones((4, 4))], "haar")
        with pytest.raises(fb.CoefficientsError, match=r"idwt: cA and cD must have the same shape"):
            fb.idwt(np.ones(4), np.ones(5), "haar")
        with pytest.raises(fb.CoefficientsError, match=r"idwt: at least one of cA and cD must be given"):
            fb.idwt(None, None, "haar")
        with pytest.raises(fb.CoefficientsError, match=r"the detail arrays of level 1 must share one shape"):
            fb.waverec2([np.ones((4, 4)), (np.ones((4, 4)), np.ones((4, 5)), np.ones((4, 4)))], "haar")
        with pytest.raises(fb.CoefficientsError, match=r"idwtn: coeffs: subband keys are strings of 'a' and 'd', one letter per axis; got 'ax'$"):
            fb.idwtn({"aa": np.ones((2, 2)), "ax": np.ones((2, 2))}, "haar")
        with pytest.raises(fb.FilterBankTypeError, match=r"waverec: coeffs\[1\] must be numeric .* got dtype <U1"):
            fb.waverec([np.ones(4), np.array(["a"] * 4)], "haar")
        with pytest.raises(fb.CoefficientsError, match=r"too short for a filter of length 8"):
            fb.idwt(np.ones(2), np.ones(2), "db4")


def test_demo_decomposes_the_camera_image():
    import pywt.data

    from filterbank.cli.demo import run_wavelet

    image = pywt.data.camera().astype(np.float64)
    r = run_wavelet(image, "db4", 3)
    assert r["shape"] == image.shape
    assert r["err_reconstruction"] < 1e-12 * 255 * 10
    assert r["err_pywt"] < 1e-12 * 255 * 20  # coefficients grow to ~2**3 * 255


def test_coefficients_can_be_returned_from_tf_function():
    @tf.function
    def decompose(x):
        return fb.wavedec(x, "db2", level=2), fb.dwt2(x, "haar"), fb.dwtn(x, "haar")

    x = RNG.standard_normal((6, 40))
    c, c2, cn = decompose(tf.constant(x))
    want = pywt.wavedec(x, "db2", level=2)
    for g, w in zip(c, want):
        np.testing.assert_allclose(g.numpy(), w, atol=1e-12)
    np.testing.assert_allclose(fb.waverec(c, "db2").numpy(), pywt.waverec(want, "db2"), atol=1e-12)
    np.testing.assert_allclose(c2[0].numpy(), pywt.dwt2(x, "haar")[0], atol=1e-12)
    assert sorted(cn) == ["aa", "ad", "da", "dd"]


def test_executor_follows_the_device():
    from filterbank.backend.engine import choose_executor

    class OnGPU:
        device = "/job:localhost/replica:0/task:0/device:GPU:0"

    assert choose_executor(None, tf.constant([1.0])) == "shift"  # this CPU
    assert choose_executor("auto", OnGPU()) == "conv"
    assert choose_executor("conv", tf.constant([1.0])) == "conv"


@pytest.mark.parametrize("first, second", [(np.float32, np.float64), (np.float64, np.float32)])
def test_inverse_of_a_float32_and_float64_mix_is_float64_as_in_pywavelets(first, second):
    x = np.random.default_rng(5).standard_normal(21)
    cA, cD = pywt.dwt(x, "db3")
    a, d = cA.astype(first), cD.astype(second)  # one array rounded to float32, the other not
    want = pywt.idwt(a, d, "db3")
    got = fb.idwt(a, d, "db3")
    assert want.dtype == np.float64 and np.asarray(got).dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)  # float64 arithmetic, not float32's 1e-7
    coeffs = pywt.wavedec(x, "db3", level=2)
    mixed = [coeffs[0].astype(first), coeffs[1].astype(second), coeffs[2].astype(first)]
    want = pywt.waverec(mixed, "db3")
    got = fb.waverec(mixed, "db3")
    assert np.asarray(got).dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
