"""scipy's four convolution names: fill values, dtypes, swaps, any rank, NaN/inf, against scipy itself."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.signal as ss
import tensorflow as tf

import filterbank as fb
from filterbank.testing import assert_close

NAMES = {
    "convolve": (fb.convolve, lambda x, k, m: ss.convolve(x, k, m, method="direct")),
    "correlate": (fb.correlate, lambda x, k, m: ss.correlate(x, k, m, method="direct")),
    "convolve2d": (fb.convolve2d, ss.convolve2d),
    "correlate2d": (fb.correlate2d, ss.correlate2d),
}


def scale_of(x, k, fill=0.0) -> float:
    return float((max(np.max(np.abs(x)), abs(fill))) * np.sum(np.abs(k)))


def covers(a, b) -> bool:
    return all(p >= q for p, q in zip(a, b)) or all(q >= p for p, q in zip(a, b))


# --------------------------------------------------------------------------- fill values


@pytest.mark.parametrize("mode", ["full", "same"])
def test_fillvalue_keeps_float64(mode):
    rng = np.random.default_rng(0)
    x, k = rng.normal(size=(6, 7)), rng.normal(size=(3, 4))
    ref = ss.convolve2d(x, k, mode, "fill", 0.7)
    for got in (fb.convolve2d(x, k, mode, "fill", 0.7), fb.convolve(x, k, mode, boundary="fill", fillvalue=0.7)):
        assert got.dtype == np.float64
        assert_close(got, ref, dtype="float64", terms=k.size, scale=scale_of(x, k, 0.7))
        # the old defect: 0.7 rounded through float32 is off by ~2e-8 per tap
        assert np.abs(got - ref).max() < 1e-14


@pytest.mark.parametrize("fill", [0.3 - 1.7j, 2.5, 1j])
@pytest.mark.parametrize("kinds", [("c", "c"), ("r", "c"), ("c", "r")])
@pytest.mark.parametrize("name", ["convolve2d", "correlate2d"])
def test_complex_fillvalue_equals_scipy(name, kinds, fill):
    ours, theirs = NAMES[name]
    rng = np.random.default_rng(1)

    def draw(kind, shape):
        v = rng.normal(size=shape)
        return v + 1j * rng.normal(size=shape) if kind == "c" else v

    x, k = draw(kinds[0], (5, 6)), draw(kinds[1], (2, 3))
    for mode in ("full", "same"):
        ref = theirs(x, k, mode, "fill", fill)
        got = ours(x, k, mode, "fill", fill)
        assert got.dtype == ref.dtype == np.complex128
        assert_close(got, ref, dtype="float64", terms=2 * k.size, scale=2 * scale_of(x, k, abs(fill)))


def test_fillvalue_is_converted_as_scipy_converts_it():
    x, k = np.array([[1, 2]]), np.array([[1, 1]])
    np.testing.assert_array_equal(fb.convolve2d(x, k, fillvalue=1.7), ss.convolve2d(x, k, fillvalue=1.7))
    i8 = np.array([[1, 2]], np.int8)
    np.testing.assert_array_equal(fb.convolve2d(i8, i8, fillvalue=-1.5), ss.convolve2d(i8, i8, fillvalue=-1.5))
    c64 = np.array([[1.0, 2.0]], np.complex64)
    got, ref = fb.convolve2d(c64, c64, fillvalue=0.1 + 0.7j), ss.convolve2d(c64, c64, fillvalue=0.1 + 0.7j)
    assert got.dtype == ref.dtype == np.complex64
    np.testing.assert_array_equal(got, ref)  # the fill rounded to complex64, as scipy does
    with pytest.raises(fb.InputError, match=r"could not cast `fillvalue` directly to the output type uint8; got -1"):
        fb.convolve2d(np.ones((2, 2), np.uint8), np.ones((1, 1), np.uint8), fillvalue=-1)
    with pytest.raises(fb.InputError, match=r"could not cast `fillvalue` directly to the output type float64; got 1j"):
        fb.convolve(np.ones(3), np.ones(2), boundary="fill", fillvalue=1j)
    with pytest.raises(fb.InputError, match=r"`fillvalue` must be scalar or an array with one element; got shape \(0,\)"):
        fb.correlate2d([[1.0]], [[1.0, 2.0]], fillvalue=[])


# --------------------------------------------------------------------------- the four names


SHAPES = [((7, 8), (3, 3)), ((7, 8), (2, 4)), ((3, 14), (2, 5)), ((4, 5), (6, 7)), ((1, 6), (1, 1)), ((5, 1), (9, 1))]


@pytest.mark.parametrize("dtype", ["float64", "complex128", "int64"])
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("name", list(NAMES))
def test_four_names_equal_scipy_in_every_mode(name, shapes, dtype):
    ours, theirs = NAMES[name]
    rng = np.random.default_rng(2)

    def draw(shape):
        if dtype == "int64":
            return rng.integers(-9, 10, size=shape)
        v = rng.normal(size=shape)
        return v + 1j * rng.normal(size=shape) if dtype == "complex128" else v

    x, k = draw(shapes[0]), draw(shapes[1])
    boundaries = ("fill", "wrap", "symm") if name.endswith("2d") else ("fill",)
    for mode, boundary in itertools.product(("full", "same", "valid"), boundaries):
        if mode == "valid" and not covers(x.shape, k.shape):
            continue
        if name.endswith("2d"):
            ref, got = theirs(x, k, mode, boundary, 0), ours(x, k, mode, boundary, 0)
        else:
            ref, got = theirs(x, k, mode), ours(x, k, mode, "direct")
        assert got.dtype == ref.dtype, (mode, boundary)
        if dtype == "int64":
            np.testing.assert_array_equal(got, ref, err_msg=f"{mode} {boundary}")
        else:
            assert_close(got, ref, terms=2 * k.size, scale=2 * scale_of(x, k), err_msg=f"{mode} {boundary}")


def test_correlate2d_same_differs_from_correlate_for_even_kernels():
    rng = np.random.default_rng(9)
    x, k = rng.normal(size=(3, 14)), rng.normal(size=(2, 5))
    nd, two = fb.correlate(x, k, "same"), fb.correlate2d(x, k, "same")
    assert_close(nd, ss.correlate(x, k, "same"), terms=k.size, scale=scale_of(x, k))
    assert_close(two, ss.correlate2d(x, k, "same"), terms=k.size, scale=scale_of(x, k))
    assert np.abs(nd - two).max() > 0.5


@pytest.mark.parametrize(("a", "b"), [("int8", "int8"), ("uint8", "int16"), ("bool", "int8"), ("bool", "bool"),
                                      ("int32", "complex64"), ("uint64", "int64"), ("float32", "float64"),
                                      ("float16", "float16"), ("uint32", "uint32")])
def test_output_dtypes_and_integer_wrap_around_equal_scipy(a, b):
    rng = np.random.default_rng(3)
    x = (rng.integers(0, 2, size=40) if a == "bool" else rng.integers(-100, 120, size=40)).astype(a)
    k = (rng.integers(0, 2, size=6) if b == "bool" else rng.integers(-100, 120, size=6)).astype(b)
    for mode in ("full", "same", "valid"):
        for func, ref_func in (NAMES["convolve"], NAMES["correlate"]):
            ref, got = ref_func(x, k, mode), func(x, k, mode)
            assert got.dtype == ref.dtype, (func.__name__, mode)
            check_same_values(got, ref, x, k)
        if a != "bool" and a != "float16":  # scipy's convolve2d refuses bool and float16
            ref2 = ss.convolve2d(x[None], k[None], mode)
            check_same_values(fb.convolve2d(x[None], k[None], mode), ref2, x, k)


def check_same_values(got, ref, x, k):
    """Integers exactly (wrap-around included), floating values within their dtype's bound."""
    assert got.dtype == ref.dtype
    if ref.dtype.kind in "biu":
        np.testing.assert_array_equal(got, ref)
    else:
        x64, k64 = np.abs(x).astype(np.float64), np.abs(k).astype(np.float64)
        assert_close(got, ref, dtype=ref.dtype, terms=k.size, scale=scale_of(x64, k64))


@pytest.mark.parametrize("dtype", ["int64", "uint64"])
def test_integers_past_2_53_are_exact_with_scipy_wrap_around(dtype):
    big = np.array([2**62 + 12345, 3, 2**40 + 7, 2**33], dtype=dtype)
    k = np.array([2**31 + 5, 2**29 + 1, 9], dtype=dtype)
    for mode in ("full", "same", "valid"):
        np.testing.assert_array_equal(fb.convolve(big, k, mode), ss.convolve(big, k, mode, method="direct"))
        np.testing.assert_array_equal(fb.correlate(big, k, mode), ss.correlate(big, k, mode, method="direct"))
    np.testing.assert_array_equal(fb.convolve2d(big[None], k[None], "full", "fill", 2**35),
                                  ss.convolve2d(big[None], k[None], "full", "fill", 2**35))


def test_zero_rank_and_swapped_valid():
    assert fb.convolve(1289, 4567) == 1289 * 4567
    assert fb.correlate(3j, 4j) == ss.correlate(3j, 4j)
    a, b = np.array([[1 + 2j, 3 - 1j]]), np.array([[2 - 1j, 1 + 1j, 0.5j, 2]])
    for name in NAMES:
        ours, theirs = NAMES[name]
        for p, q in ((a, b), (b, a)):
            np.testing.assert_allclose(ours(p, q, "valid"), theirs(p, q, "valid"), rtol=1e-15, err_msg=name)


def test_batched_images_equal_scipy_per_image():
    rng = np.random.default_rng(4)
    imgs, k = rng.normal(size=(3, 9, 2, 8)), rng.normal(size=(4, 3))
    for func, ref_func in ((fb.convolve2d, ss.convolve2d), (fb.correlate2d, ss.correlate2d)):
        got = func(imgs, k, "same", "symm", axes=(1, 3))
        for i, j in itertools.product(range(3), range(2)):
            ref = ref_func(imgs[i, :, j, :], k, "same", "symm")
            assert_close(got[i, :, j, :], ref, terms=k.size, scale=scale_of(imgs, k))


# --------------------------------------------------------------------------- any rank


@pytest.mark.parametrize(("xs", "ks"), [((3, 4, 2, 5), (2, 3, 1, 2)), ((3, 2, 4, 2, 3), (2, 2, 3, 1, 2)),
                                        ((2, 3, 2, 2), (3, 4, 3, 2))])
def test_more_than_three_axes_equal_scipy(xs, ks):
    rng = np.random.default_rng(5)
    x, k = rng.normal(size=xs), rng.normal(size=ks)
    for mode in ("full", "same", "valid"):
        if mode == "valid" and not covers(xs, ks):
            continue
        for name in ("convolve", "correlate"):
            ours, theirs = NAMES[name]
            assert_close(ours(x, k, mode), theirs(x, k, mode), terms=k.size, scale=scale_of(x, k))
    # a boundary in 4-D: numpy's wrap padding, scipy's 'valid', cropped from (K - 1) // 2
    wrapped = fb.convolve(x, k, "same", boundary="wrap")
    full = ss.convolve(np.pad(x, [(m - 1, m - 1) for m in ks], mode="wrap"), k, "valid", method="direct")
    crop = tuple(slice((m - 1) // 2, (m - 1) // 2 + n) for m, n in zip(ks, xs))
    assert_close(wrapped, full[crop], terms=k.size, scale=scale_of(x, k))


# --------------------------------------------------------------------------- NaN and inf


def _same_nonfinite(got, ref, msg=""):
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref), err_msg=f"NaN {msg}")
    np.testing.assert_array_equal(np.where(np.isinf(ref), ref, 0), np.where(np.isinf(got), got, 0), err_msg=f"inf {msg}")
    finite = np.isfinite(ref)
    np.testing.assert_allclose(got[finite], ref[finite], rtol=1e-12, atol=1e-12, err_msg=msg)


def test_nan_kernel_tap_spreads_as_scipy_direct():
    x = np.arange(1.0, 257.0)
    got = fb.convolve(x, [np.nan, 1.0])
    assert np.isnan(got).sum() == 256 == np.isnan(ss.convolve(x, [np.nan, 1.0], method="direct")).sum()


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["x", "k", "both"])
@pytest.mark.parametrize(("n", "m"), [(9, 3), (9, 4), (3, 6), (5, 5)])
def test_nonfinite_placements_equal_scipy_direct_1d(value, where, n, m):
    rng = np.random.default_rng(n * m)
    for pos_x, pos_k in itertools.product((0, n // 2, n - 1), (0, m - 1)):
        x, k = rng.normal(size=n), rng.normal(size=m)
        x[1] = 0.0  # inf * 0 is NaN
        if where in ("x", "both"):
            x[pos_x] = value
        if where in ("k", "both"):
            k[pos_k] = -value if where == "both" else value
        for mode in ("full", "same", "valid"):
            for name in ("convolve", "correlate"):
                ours, theirs = NAMES[name]
                _same_nonfinite(ours(x, k, mode), theirs(x, k, mode), f"{name} {mode} x@{pos_x} k@{pos_k}")


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_nonfinite_placements_equal_scipy_direct_2d(value):
    rng = np.random.default_rng(6)
    for kshape in ((2, 3), (6, 7)):
        x, k = rng.normal(size=(4, 5)), rng.normal(size=kshape)
        x[2, 1], k[0, -1] = value, -value
        for mode in ("full", "same", "valid"):
            if mode == "valid" and not covers(x.shape, k.shape):
                continue
            for name, (ours, theirs) in NAMES.items():
                _same_nonfinite(ours(x, k, mode), theirs(x, k, mode), f"{name} {mode} {kshape}")


def test_nonfinite_kernel_inside_tf_function_and_batched():
    k = np.array([1.0, np.inf, 2.0])
    x = np.random.default_rng(7).normal(size=(3, 12))
    x[1, 4] = 0.0
    ref = np.stack([ss.convolve(row, k, "same", method="direct") for row in x])

    @tf.function
    def graph(t, taps):
        return fb.convolve(t, taps, "same", axes=-1)

    _same_nonfinite(graph(tf.constant(x), tf.constant(k)).numpy(), ref, "graph")
    _same_nonfinite(fb.convolve(x, k, "same", axes=-1), ref, "eager")


# --------------------------------------------------------------------------- refusals


def test_scipy_refusals_raise_our_errors():
    with pytest.raises(fb.InputError, match=r"method must be one of 'auto', 'direct', 'fft'; got 'bacon'"):
        fb.correlate([1.0], [2.0], method="bacon")
    with pytest.raises(fb.InputError, match=r"x and kernel must both be 2-D.*got x.ndim=1, kernel.ndim=1"):
        fb.convolve2d([3], [4])
    with pytest.raises(fb.InputError, match=r"boundary must be one of 'fill', 'pad', 'wrap', 'circular', 'symm', 'symmetric'; got 'reflect'"):
        fb.correlate2d([[1.0]], [[1.0]], boundary="reflect")
    np.testing.assert_array_equal(fb.convolve2d([[1.0, 2]], [[1, 1.0]], boundary="circular"), [[3.0, 3.0, 3.0]])
    with pytest.raises(fb.InputError, match=r"mode='valid' with a kernel larger than the image needs 2-D x without axes="):
        fb.convolve2d(np.ones((2, 3, 3)), np.ones((4, 4)), "valid", axes=(1, 2))


def test_valid_with_a_larger_kernel_on_a_batch_equals_scipy_per_row():
    rng = np.random.default_rng(8)
    x, k = rng.normal(size=(3, 4)) + 1j * rng.normal(size=(3, 4)), rng.normal(size=7) - 1j * rng.normal(size=7)
    k[2] = np.nan
    for name in ("convolve", "correlate"):
        ours, theirs = NAMES[name]
        got = ours(x, k, "valid", axes=-1)
        _same_nonfinite(got, np.stack([theirs(row, k, "valid") for row in x]), name)
