"""fb.convolve / fb.correlate against scipy.signal and explicit numpy references."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal as ss
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st

import filterbank as fb
from filterbank.testing import assert_close, conv_cases, signals

NP_PAD = {"fill": "constant", "wrap": "wrap", "symm": "symmetric"}


def scale_of(x, k) -> float:
    """max|x| * sum|k|: the natural magnitude of a convolution output."""
    return float(np.max(np.abs(x)) * np.sum(np.abs(k)))


def padded_reference(x, k, mode, boundary, fillvalue, *, flip=True):
    """Extend x with numpy's padding, convolve 'valid' with scipy, crop scipy's window.

    The full convolution at index m uses x[m - K + 1 .. m]; padding K - 1 on each
    side with the boundary rule and convolving 'valid' yields the full result, of
    which 'same' and 'valid' are scipy's centred crops. 'valid' lags see no
    boundary at all (scipy swaps the operands when the kernel is larger).
    """
    if mode == "valid":
        boundary, fillvalue = "fill", 0.0
    pads = [(s - 1, s - 1) for s in k.shape]
    kwargs = {"constant_values": fillvalue} if boundary == "fill" else {}
    xe = np.pad(x, pads, mode=NP_PAD[boundary], **kwargs)
    kk = k if flip else np.conj(k[tuple(slice(None, None, -1) for _ in k.shape)])
    full = ss.convolve(xe, kk, mode="valid", method="direct")
    index = []
    for n, m in zip(x.shape, k.shape):
        win = fb.ops.output_window(n, m, mode)
        index.append(slice(win.start, win.start + win.length))
    return full[tuple(index)]


# --------------------------------------------------------------------------- scipy parity


@given(conv_cases(boundaries=("fill",), dtype=st.sampled_from(["float64", "float32"])))
def test_convolve_equals_scipy_convolve(case):
    # conv_cases draws a nonzero fillvalue only in 2-D, where scipy's convolve2d takes one:
    # every example is compared with scipy
    x64, k64 = case.x.astype(np.float64), case.kernel.astype(np.float64)
    if case.fillvalue == 0.0:
        ref = ss.convolve(x64, k64, case.mode, method="direct")
        got = fb.convolve(case.x, case.kernel, case.mode)
    else:
        assert case.x.ndim == 2 and case.mode != "valid"
        ref = ss.convolve2d(x64, k64, case.mode, boundary="fill", fillvalue=case.fillvalue)
        got = fb.convolve2d(case.x, case.kernel, case.mode, boundary="fill", fillvalue=case.fillvalue)
    assert got.dtype == case.x.dtype
    scale = scale_of(case.x, case.kernel) + abs(case.fillvalue) * np.sum(np.abs(k64))
    assert_close(got, ref, terms=case.kernel.size, scale=scale)


@given(conv_cases(ndim=2, boundaries=("fill",), dtype=st.sampled_from(["complex128", "complex64"])))
def test_complex_input_with_a_fillvalue_equals_scipy_convolve2d(case):
    # the fill is complex too (v - 0.5j): both its parts must reach the border
    x, k = case.x.astype(np.complex128), case.kernel.astype(np.complex128)
    scale = scale_of(x, k) + abs(case.fillvalue) * np.sum(np.abs(k))
    for ours, theirs in ((fb.convolve2d, ss.convolve2d), (fb.correlate2d, ss.correlate2d)):
        got = ours(case.x, case.kernel, case.mode, boundary="fill", fillvalue=case.fillvalue)
        ref = theirs(x, k, case.mode, boundary="fill", fillvalue=case.fillvalue)
        assert got.dtype == case.x.dtype
        assert_close(got, ref, terms=case.kernel.size, scale=scale, err_msg=ours.__name__)


def test_complex_fillvalue_reaches_the_border_with_both_parts():
    # hand-derived: a 1 x 1 signal 0 and a 1 x 2 kernel [1, 1], 'full': y = [fill + 0, 0 + fill]
    x = np.zeros((1, 1), np.complex128)
    got = fb.convolve2d(x, np.ones((1, 2)), "full", boundary="fill", fillvalue=1.5 - 0.5j)
    np.testing.assert_array_equal(got, [[1.5 - 0.5j, 1.5 - 0.5j]])
    assert got.dtype == np.complex128


@given(conv_cases(fillvalues=(1.5, -2.0)))
def test_conv_cases_draw_a_fillvalue_only_where_it_is_read(case):
    assert case.fillvalue == 0.0 or (case.boundary == "fill" and case.mode != "valid")


@given(conv_cases(boundaries=("fill",), dtype=st.sampled_from(["float64", "float32"])))
def test_correlate_equals_scipy_correlate(case):
    ref = ss.correlate(case.x.astype(np.float64), case.kernel.astype(np.float64), case.mode, method="direct")
    got = fb.correlate(case.x, case.kernel, case.mode)
    assert got.dtype == case.x.dtype
    assert_close(got, ref, terms=case.kernel.size, scale=scale_of(case.x, case.kernel))


@given(conv_cases(dtype=st.sampled_from(["float64", "float32", "complex128"]), fillvalues=(1.5, -2.0)))
def test_every_boundary_equals_numpy_padding_reference(case):
    wide = np.complex128 if case.x.dtype.kind == "c" else np.float64
    x64, k64 = case.x.astype(wide), case.kernel.astype(wide)
    for func, flip in ((fb.convolve, True), (fb.correlate, False)):
        got = func(case.x, case.kernel, case.mode, boundary=case.boundary, fillvalue=case.fillvalue)
        ref = padded_reference(x64, k64, case.mode, case.boundary, case.fillvalue, flip=flip)
        scale = scale_of(case.x, case.kernel) + abs(case.fillvalue) * np.sum(np.abs(k64))
        assert_close(got, ref, terms=case.kernel.size, scale=scale, err_msg=func.__name__)


@pytest.mark.parametrize("boundary", ["fill", "wrap", "symm"])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("kshape", [(3, 3), (3, 5), (2, 4), (4, 3), (1, 1), (9, 11)])
def test_convolve2d_boundaries_equal_scipy(boundary, mode, kshape):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(8, 7))
    k = rng.normal(size=kshape)
    if mode == "valid" and not (k.shape[0] <= 8 and k.shape[1] <= 7 or k.shape[0] >= 8 and k.shape[1] >= 7):
        pytest.skip("valid needs one operand to cover the other")
    ref = ss.convolve2d(x, k, mode, boundary=boundary, fillvalue=0.75)
    got = fb.convolve(x, k, mode, boundary=boundary, fillvalue=0.75)
    assert_close(got, ref, terms=k.size, scale=scale_of(x, k) + 0.75 * np.abs(k).sum())


@pytest.mark.parametrize("boundary", ["fill", "wrap", "symm"])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("kshape", [(3, 3), (3, 5), (1, 7), (5, 1)])
def test_correlate2d_boundaries_equal_scipy_odd_kernels(boundary, mode, kshape):
    rng = np.random.default_rng(8)
    x = rng.normal(size=(9, 10))
    k = rng.normal(size=kshape)
    ref = ss.correlate2d(x, k, mode, boundary=boundary, fillvalue=-1.25)
    got = fb.correlate(x, k, mode, boundary=boundary, fillvalue=-1.25)
    assert_close(got, ref, terms=k.size, scale=scale_of(x, k) + 1.25 * np.abs(k).sum())


@pytest.mark.parametrize("boundary", ["fill", "wrap", "symm"])
@pytest.mark.parametrize("kshape", [(2, 2), (4, 3), (2, 5)])
def test_correlate2d_same_even_kernel_centring(boundary, kshape):
    # scipy.signal.correlate2d crops 'same' from K // 2 of the full correlation,
    # scipy.signal.correlate from (K - 1) // 2: they differ for even kernels.
    # fb.correlate follows scipy.signal.correlate, fb.correlate2d follows
    # scipy.signal.correlate2d; prepending a zero to the even axes turns one into the other.
    rng = np.random.default_rng(9)
    x = rng.normal(size=(7, 8)) + 1j * rng.normal(size=(7, 8))
    k = rng.normal(size=kshape) + 1j * rng.normal(size=kshape)
    pad = [((s + 1) % 2, 0) for s in kshape]
    ref = ss.correlate2d(x, k, "same", boundary=boundary)
    got = fb.correlate(x, np.pad(k, pad), "same", boundary=boundary)
    assert_close(got, ref, terms=k.size, scale=scale_of(x, k))
    assert_close(fb.correlate2d(x, k, "same", boundary), ref, terms=k.size, scale=scale_of(x, k))
    nd = fb.correlate(x, k, "same")
    assert_close(nd, ss.correlate(x, k, "same", method="direct"), terms=k.size, scale=scale_of(x, k))
    assert np.abs(nd - ref).max() > 0.1


def test_boundaries_wider_than_the_signal_repeat_the_rule():
    # A kernel much longer than the signal: the extension wraps / mirrors repeatedly.
    x = np.array([[1.0, 2.0, 3.0]])
    delta = np.zeros((1, 9))
    delta[0, 0] = 1.0
    np.testing.assert_array_equal(
        fb.convolve(x, delta, boundary="symm"), [[1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2]]
    )
    np.testing.assert_array_equal(fb.convolve(x, delta, boundary="wrap"), [[1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2]])
    np.testing.assert_array_equal(
        fb.convolve(x, delta, boundary="symm"), ss.convolve2d(x, delta, boundary="symm")
    )


# --------------------------------------------------------------------------- the seed


def test_seed_example_conv2d_correlates_and_fb_convolve_convolves():
    np.random.seed(789456)
    rimg = np.random.normal(size=[2, 5, 5, 2])
    rk = np.random.normal(size=[3, 3, 2, 1])
    cout = tf.nn.conv2d(rimg, rk, strides=[1, 1, 1, 1], padding="SAME").numpy()
    for b in range(2):
        corr = sum(ss.correlate2d(rimg[b, :, :, c], rk[:, :, c, 0], mode="same") for c in range(2))
        conv = sum(ss.convolve2d(rimg[b, :, :, c], rk[:, :, c, 0], mode="same") for c in range(2))
        np.testing.assert_allclose(cout[b, :, :, 0], corr, rtol=1e-12, atol=1e-12)
        assert np.mean(np.abs(cout[b, :, :, 0] - conv)) > 0.1
        ours = fb.convolve(rimg, rk, "same", channels=True)
        assert ours.shape == (2, 5, 5, 1)
        assert_close(ours[b, :, :, 0], conv, terms=18, scale=scale_of(rimg, rk))
        flipped = fb.correlate(rimg, rk, "same", channels=True)
        assert_close(flipped[b, :, :, 0], corr, terms=18, scale=scale_of(rimg, rk))


# --------------------------------------------------------------------------- properties


@given(conv_cases(max_side=16, fillvalues=(1.5, -2.0)))
def test_convolve_is_correlate_with_flipped_kernel(case):
    flipped = case.kernel[tuple(slice(None, None, -1) for _ in case.kernel.shape)]
    a = fb.convolve(case.x, case.kernel, "full", boundary=case.boundary, fillvalue=case.fillvalue)
    b = fb.correlate(case.x, flipped, "full", boundary=case.boundary, fillvalue=case.fillvalue)
    assert_close(a, b, terms=case.kernel.size, scale=scale_of(case.x, case.kernel) + abs(case.fillvalue) * np.abs(case.kernel).sum())


COEFFS = st.integers(-300, 300).map(lambda i: i / 100)  # no underflowing scalars


@given(conv_cases(max_side=16), COEFFS, COEFFS)
def test_linearity(case, alpha, beta):
    y = np.random.default_rng(case.x.size).normal(size=case.x.shape)
    kw = {"boundary": case.boundary}
    lhs = fb.convolve(alpha * case.x + beta * y, case.kernel, case.mode, **kw)
    rhs = alpha * fb.convolve(case.x, case.kernel, case.mode, **kw) + beta * fb.convolve(y, case.kernel, case.mode, **kw)
    scale = (abs(alpha) * np.abs(case.x).max() + abs(beta) * np.abs(y).max()) * np.abs(case.kernel).sum()
    assert_close(lhs, rhs, terms=case.kernel.size, scale=scale)


@given(conv_cases(max_side=20, boundaries=("fill",)))
def test_full_convolution_commutes(case):
    assert_close(
        fb.convolve(case.x, case.kernel, "full"),
        fb.convolve(case.kernel, case.x, "full"),
        terms=max(case.x.size, case.kernel.size),
        scale=scale_of(case.x, case.kernel),
    )


@given(signals(ndim=(1, 3), max_side=12), st.data())
def test_wrap_boundary_is_shift_equivariant(x, data):
    k = data.draw(signals(ndim=x.ndim, max_side=5))
    shift = tuple(data.draw(st.integers(-n, n)) for n in x.shape)
    axes = tuple(range(x.ndim))
    a = fb.convolve(np.roll(x, shift, axis=axes), k, "same", boundary="wrap")
    b = np.roll(fb.convolve(x, k, "same", boundary="wrap"), shift, axis=axes)
    assert_close(a, b, terms=k.size, scale=scale_of(x, k))


@given(signals(ndim=(1, 3), max_side=20), st.sampled_from(["fill", "wrap", "symm"]))
def test_identity_kernel_returns_input(x, boundary):
    for func in (fb.convolve, fb.correlate):
        out = func(x, np.ones((1,) * x.ndim), "same", boundary=boundary)
        np.testing.assert_array_equal(out, x)
    odd = np.zeros((3,) * x.ndim)
    odd[(1,) * x.ndim] = 1.0
    np.testing.assert_array_equal(fb.convolve(x, odd, "same", boundary=boundary), x)


# --------------------------------------------------------------------------- layouts


def test_axes_filter_chosen_axes_and_keep_batch_axes():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 9, 3, 11))
    k = rng.normal(size=(5, 4))
    got = fb.convolve(x, k, "same", axes=(1, 3))
    assert got.shape == (4, 9, 3, 11)
    for i in range(4):
        for j in range(3):
            ref = ss.convolve(x[i, :, j, :], k, "same", method="direct")
            assert_close(got[i, :, j, :], ref, terms=k.size, scale=scale_of(x, k))
    # axes given in the other order pair the kernel's axes accordingly
    swapped = fb.convolve(x, k.T, "same", axes=(3, 1))
    assert_close(swapped, got, terms=k.size, scale=scale_of(x, k))
    one = fb.correlate(x, np.array([1.0, -2.0, 0.5]), "valid", axes=-1)
    ref = np.apply_along_axis(lambda v: np.correlate(v, [1.0, -2.0, 0.5], "valid"), -1, x)
    assert_close(one, ref, terms=3, scale=scale_of(x, [1, 2, 0.5]))


@pytest.mark.parametrize("spatial", [1, 2, 3])
def test_channels_layout_sums_over_input_channels(spatial):
    rng = np.random.default_rng(spatial)
    sizes = (7, 6, 5)[:spatial]
    ksizes = (3, 2, 4)[:spatial]
    x = rng.normal(size=(2, *sizes, 3))
    k = rng.normal(size=(*ksizes, 3, 4))
    got = fb.convolve(x, k, "full", channels=True)
    assert got.shape == (2, *[n + m - 1 for n, m in zip(sizes, ksizes)], 4)
    for b in range(2):
        for co in range(4):
            ref = sum(ss.convolve(x[b, ..., ci], k[..., ci, co], "full", method="direct") for ci in range(3))
            assert_close(got[b, ..., co], ref, terms=k.size, scale=scale_of(x, k) * 3)


# --------------------------------------------------------------------------- dtypes


def test_dtypes_follow_scipy_for_arrays_and_x_for_tensors():
    x = np.arange(10.0)
    k = np.array([1.0, 2.0, -1.0])
    ref = np.convolve(x, k)
    # arrays: scipy's numpy.result_type of the two operands
    assert fb.convolve(x.astype(np.float32), k.astype(np.float32)).dtype == np.float32
    assert fb.convolve(x.astype(np.float32), k).dtype == np.float64 == ss.convolve(x.astype(np.float32), k).dtype
    assert fb.convolve(x, k.astype(np.float32)).dtype == np.float64
    half = fb.convolve(x.astype(np.float16), k.astype(np.float16))
    assert half.dtype == np.float16
    assert_close(half, ref, dtype="float16", terms=3)
    ints = fb.convolve(np.arange(10), np.array([1, 2, -1]))
    assert ints.dtype == np.int64
    np.testing.assert_array_equal(ints, ref)
    long = fb.convolve(x.astype(np.longdouble), k)
    assert long.dtype == np.longdouble
    assert_close(long.astype(np.float64), ref, terms=3)
    # tensors: TensorFlow's rule, the data's floating dtype sets the precision
    f32 = fb.convolve(tf.constant(x, dtype=tf.float32), k)
    assert f32.dtype == tf.float32
    assert fb.convolve(tf.constant(np.arange(10)), k).dtype == tf.float64
    bf = fb.convolve(tf.constant(x, dtype=tf.bfloat16), k)
    assert bf.dtype == tf.bfloat16
    assert_close(tf.cast(bf, tf.float64), ref, dtype="bfloat16", terms=3)


@given(conv_cases(max_side=12, dtype=st.sampled_from(["complex64", "complex128"])))
def test_complex_inputs_equal_scipy(case):
    for func, ref_func in ((fb.convolve, ss.convolve), (fb.correlate, ss.correlate)):
        got = func(case.x, case.kernel, case.mode)
        assert got.dtype == case.x.dtype
        ref = ref_func(case.x.astype(np.complex128), case.kernel.astype(np.complex128), case.mode, method="direct")
        assert_close(got, ref, terms=2 * case.kernel.size, scale=2 * scale_of(case.x, case.kernel))


def test_real_signal_complex_kernel():
    x = np.arange(6.0)
    k = np.array([1 + 2j, -1j])
    assert_close(fb.correlate(x, k), ss.correlate(x, k), terms=2)
    assert_close(fb.convolve(x, k), np.convolve(x, k), terms=2)


def test_float32_error_bound_holds_for_long_kernels():
    # The documented float32 bound: 8 * eps32 * sqrt(K) + eps32 of max|x| * sum|k|.
    rng = np.random.default_rng(11)
    x = rng.normal(size=(3, 4096)).astype(np.float32)
    k = rng.normal(size=(1, 255)).astype(np.float32)
    got = fb.convolve(x, k, "same")
    ref = ss.convolve(x.astype(np.float64), k.astype(np.float64), "same", method="direct")
    assert_close(got, ref, terms=k.size, scale=scale_of(x, k))
    with pytest.raises(AssertionError, match="max error"):
        assert_close(got, ref, dtype="float64", scale=scale_of(x, k))


# --------------------------------------------------------------------------- TensorFlow


def test_numpy_in_numpy_out_tensor_in_tensor_out():
    x = np.linspace(0, 1, 8)
    k = np.array([0.25, 0.5, 0.25])
    assert isinstance(fb.convolve(x, k), np.ndarray)
    out = fb.convolve(tf.constant(x), k)
    assert tf.is_tensor(out) and out.dtype == tf.float64
    assert out.device == tf.constant(x).device
    assert tf.is_tensor(fb.convolve(x, tf.constant(k)))


def test_inside_tf_function_and_xla():
    x = np.random.default_rng(1).normal(size=(2, 16, 16)).astype(np.float32)
    k = np.random.default_rng(2).normal(size=(3, 4)).astype(np.float32)
    ref = fb.convolve(x, k, "same", axes=(1, 2), boundary="symm")

    @tf.function
    def graph(t):
        return fb.convolve(t, k, "same", axes=(1, 2), boundary="symm")

    xla = tf.function(graph.python_function, jit_compile=True)
    assert_close(graph(tf.constant(x)), ref, terms=k.size)
    assert_close(xla(tf.constant(x)), ref, terms=k.size)


def test_dynamic_batch_inside_tf_function():
    k = np.array([1.0, -1.0])

    @tf.function(input_signature=[tf.TensorSpec([None, 10], tf.float64)])
    def f(t):
        return fb.convolve(t, k, "valid", axes=-1)

    x = np.arange(30.0).reshape(3, 10)
    np.testing.assert_array_equal(f(tf.constant(x)).numpy(), np.ones((3, 9)))


def test_gradients_are_the_adjoint_convolutions():
    # y = correlate(x, k, 'valid'):  dL/dx = convolve(g, k, 'full'), dL/dk = correlate(x, g, 'valid').
    rng = np.random.default_rng(5)
    x = tf.Variable(rng.normal(size=(12, 10)))
    k = tf.Variable(rng.normal(size=(3, 4)))
    g = rng.normal(size=(10, 7))
    with tf.GradientTape() as tape:
        y = fb.correlate(x, k, "valid")
        loss = tf.reduce_sum(y * g)
    dx, dk = tape.gradient(loss, [x, k])
    assert_close(dx, ss.convolve(g, k.numpy(), "full"), terms=12)
    assert_close(dk, ss.correlate(x.numpy(), g, "valid"), terms=70)
    # and for convolve 'full': dL/dx = correlate(h, k, 'valid')
    h = rng.normal(size=(14, 13))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(fb.convolve(x, k, "full") * h)
    assert_close(tape.gradient(loss, x), ss.correlate(h, k.numpy(), "valid"), terms=12)


# --------------------------------------------------------------------------- NaN / inf


def test_nan_and_inf_propagate_like_scipy():
    x = np.arange(12.0)
    x[4] = np.nan
    x[9] = np.inf
    k = np.array([1.0, 2.0, 3.0])
    for mode in ("full", "same", "valid"):
        got = fb.convolve(x, k, mode)
        ref = ss.convolve(x, k, mode, method="direct")
        np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
        np.testing.assert_array_equal(np.isinf(got), np.isinf(ref))


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"mode": "smae"}, r"mode must be one of 'full', 'same', 'valid'; got 'smae' \(did you mean 'same'\?\)"),
        ({"boundary": "symmetric"}, r"boundary must be one of 'fill', 'wrap', 'symm'; got 'symmetric'"),
        ({"boundary": "wrp"}, r"got 'wrp' \(did you mean 'wrap'\?\)"),
        ({"axes": (0, 0)}, r"axes must be unique; got \(0, 0\)"),
        ({"axes": 5}, r"axes: axis 5 is out of range for data with 2 dimension\(s\) \(valid: -2 to 1\)"),
        ({"axes": "x"}, r"axes must be an integer or a sequence of integers; got 'x'"),
        ({"axes": (0.5,)}, r"axes must contain integers; got 0.5"),
        ({"axes": (0, 1), "channels": True}, r"axes must be None when channels=True"),
    ],
)
def test_bad_options_raise_with_names(kwargs, match):
    with pytest.raises(fb.InputError, match=match):
        fb.convolve(np.ones((4, 4)), np.ones((2, 2)), **kwargs)


def test_bad_arrays_raise_with_names():
    with pytest.raises(fb.InputError, match=r"kernel must have the same rank as x when axes is None.*x.ndim=2, kernel.ndim=1"):
        fb.convolve(np.ones((4, 4)), np.ones(3))
    with pytest.raises(fb.InputError, match=r"kernel must have one axis per entry of axes; got kernel.ndim=2, axes=\(0,\)"):
        fb.correlate(np.ones((4, 4)), np.ones((2, 2)), axes=(0,))
    with pytest.raises(fb.InputError, match=r"x must have at least one axis; got a 0-d scalar"):
        fb.convolve(3.0, np.ones(2))
    with pytest.raises(fb.InputError, match=r"kernel must have at least one axis; got a 0-d scalar"):
        fb.convolve(np.ones(3), 2.0)
    with pytest.raises(fb.InputError, match=r"x and kernel must not be empty; got x shape \(0,\)"):
        fb.convolve(np.ones(0), np.ones(2))
    with pytest.raises(fb.InputError, match=r"x and kernel must not be empty; got x shape \(3, 2\), kernel shape \(0, 1\)"):
        fb.correlate(np.ones((3, 2)), np.ones((0, 1)))
    with pytest.raises(fb.FilterBankTypeError, match=r"x must be numeric \(bool, int, float or complex\); got dtype <U\d"):
        fb.convolve(np.array(["a", "b"]), np.ones(2))
    with pytest.raises(fb.FilterBankTypeError, match=r"kernel must be numeric.*got dtype object"):
        fb.convolve(np.ones(3), np.array([None, 1], dtype=object))
    with pytest.raises(fb.InputError, match=r"mode='valid' needs x at least as large as kernel.*x sizes \(3, 5\), kernel sizes \(4, 2\)"):
        fb.convolve(np.ones((3, 5)), np.ones((4, 2)), "valid")
    with pytest.raises(fb.InputError, match=r"x's last axis \(c_in\) must equal kernel.shape\[-2\]"):
        fb.convolve(np.ones((1, 5, 5, 2)), np.ones((3, 3, 3, 1)), channels=True)
    with pytest.raises(fb.InputError, match=r"kernel must be \(\*spatial, c_in, c_out\) when channels=True"):
        fb.convolve(np.ones((1, 5, 2)), np.ones((3, 2)), channels=True)


def test_errors_are_value_and_type_errors_too():
    with pytest.raises(ValueError, match="mode must be one of"):
        fb.convolve(np.ones(3), np.ones(2), "bogus")
    with pytest.raises(TypeError, match="x must be numeric"):
        fb.convolve(np.array(["a"]), np.ones(1))


def test_zero_dimensional_tensor_operands_multiply_as_in_scipy():
    # scipy: two 0-d operands give their product (x * conj(k) for a correlation)
    got = fb.convolve(tf.constant(2.0, tf.float64), np.float64(3.0))
    assert isinstance(got, tf.Tensor) and float(got) == 6.0
    corr = fb.correlate(tf.constant(2.0 + 1j), np.complex128(1j))
    assert complex(corr) == complex(ss.correlate(np.complex128(2.0 + 1j), np.complex128(1j)))
