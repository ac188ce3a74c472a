"""numpy in, numpy out without copies: inputs shared with TensorFlow, results handed over.

Large C-contiguous inputs reach the engine through DLPack at any buffer
address (a window starting at the 64-byte boundary below the data), and the
engine's results become writable numpy arrays over TensorFlow's memory. These
tests pin that the shortcuts are taken and that they are invisible: same
values as PyWavelets, the input never written, results independent of each
other and of the input, alive after the tensors that made them are gone.
"""

from __future__ import annotations

import gc

import numpy as np
import pytest
import pywt
import scipy.signal

import filterbank as fb
from filterbank.backend.convert import prepare

RNG = np.random.default_rng(5)


def at_offset(shape: tuple[int, ...], dtype: type, elements: int) -> np.ndarray:
    """A C-contiguous array of ``shape`` whose first element is ``elements`` past a 64-byte boundary."""
    itemsize = np.dtype(dtype).itemsize
    size = int(np.prod(shape))
    raw = np.empty(size * itemsize + 128, dtype=np.uint8)
    start = (-raw.ctypes.data) % 64 + elements * itemsize
    x = raw[start : start + size * itemsize].view(dtype).reshape(shape)
    x[...] = RNG.standard_normal(shape)
    assert x.ctypes.data % 64 == elements * itemsize
    return x


# These tests are about TensorFlow's buffers, compiled or not (a test process may exceed the default budget).
TENSORFLOW = {"numpy_always_below": 0, "numpy_below": 0, "compile_budget": 1 << 40}


@pytest.fixture(autouse=True)
def _through_tensorflow():
    with fb.execution(**TENSORFLOW):
        yield


@pytest.mark.parametrize("compile", ["always", "never"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_windows_at_every_offset_match_pywavelets(dtype, compile):
    per_block = 64 // np.dtype(dtype).itemsize
    for k in range(per_block):
        x = at_offset((8, 4099), dtype, k)
        prep = prepare(x, window=True)
        assert prep.offset == (k or None)
        assert tuple(prep.tensor.shape) == ((8 * 4099 + k,) if k else (8, 4099))
        with fb.execution(**TENSORFLOW):
            ours = fb.wavedec(x, "db3", mode="smooth", level=3, compile=compile)
        ref = pywt.wavedec(x.astype(np.float64), "db3", mode="smooth", level=3)
        assert [c.shape for c in ours] == [c.shape for c in ref]
        tol = 1e-12 if dtype == np.float64 else 2e-6  # relative to the largest coefficient
        for a, b in zip(ours, ref):
            assert a.dtype == dtype
            np.testing.assert_allclose(a, b, rtol=0, atol=tol * np.abs(b).max())
        back = fb.waverec(ours, "db3", mode="smooth")
        np.testing.assert_allclose(back, x, rtol=0, atol=10 * tol * np.abs(x).max())


def test_windows_in_2d_along_the_first_axis():
    x = at_offset((3, 130, 70), np.float64, 5)
    with fb.execution(**TENSORFLOW):
        ours = fb.wavedec2(x, "sym4", mode="periodization", level=2, axes=(1, 2), compile="always")
    ref = pywt.wavedec2(x, "sym4", mode="periodization", level=2, axes=(1, 2))
    np.testing.assert_allclose(ours[0], ref[0], rtol=1e-12, atol=1e-12)
    for d_ours, d_ref in zip(ours[1:], ref[1:]):
        for a, b in zip(d_ours, d_ref):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_small_or_unwindowed_inputs_are_plain_tensors():
    x = at_offset((4, 4096), np.float32, 3)
    assert prepare(x).offset is None  # window=False: an unaligned array is copied
    assert tuple(prepare(x).tensor.shape) == (4, 4096)
    small = at_offset((64,), np.float64, 1)
    assert prepare(small, window=True).offset is None


def test_aligned_inputs_share_memory():
    x = at_offset((4, 8192), np.float64, 0)
    prep = prepare(x)
    assert prep.offset is None
    assert np.asarray(prep.tensor).ctypes.data == x.ctypes.data


def test_read_only_and_non_contiguous_inputs_are_left_alone():
    x = at_offset((16, 2048), np.float64, 2)
    before = x.copy()
    x.flags.writeable = False
    c = fb.wavedec(x, "db2", level=2)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(c[0], pywt.wavedec(before, "db2", level=2)[0], rtol=1e-12, atol=1e-12)
    strided = before[:, ::2]
    np.testing.assert_allclose(
        fb.wavedec(strided, "db2", level=2)[1], pywt.wavedec(strided, "db2", level=2)[1], rtol=1e-12, atol=1e-12
    )


def test_results_are_writable_and_independent():
    x = at_offset((8, 4096), np.float64, 2)
    first = fb.wavedec(x, "db4", level=3)
    second = fb.wavedec(x, "db4", level=3)
    expected = [c.copy() for c in second]
    for c in first:
        assert c.flags.writeable
        assert not np.shares_memory(c, x)
        c[...] = 7.0  # writes to one result touch neither the input, the others nor a later call
    assert all(not np.shares_memory(a, b) for i, a in enumerate(first) for b in first[i + 1 :])
    for got, want in zip(second, expected):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(fb.wavedec(x, "db4", level=3)[2], expected[2])


def test_level_zero_result_is_a_copy_of_the_input():
    x = at_offset((4, 4096), np.float32, 1)
    before = x.copy()
    c = fb.wavedec(x, "haar", level=0)
    assert c[0].flags.writeable and not np.shares_memory(c[0], x)
    c[0][...] = 0.0
    np.testing.assert_array_equal(x, before)


def test_results_outlive_the_tensors_that_made_them():
    x = at_offset((4, 8192), np.float64, 3)
    ref = pywt.wavedec(x, "coif2", level=2)
    c = fb.wavedec(x, "coif2", level=2)
    del x
    gc.collect()
    churn = [fb.wavedec(RNG.standard_normal((4, 8192)), "coif2", level=2) for _ in range(3)]
    for got, want in zip(c, ref):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    assert churn[0][0].shape == ref[0].shape


def test_round_trip_shares_the_coefficients():
    x = RNG.standard_normal((8, 8192))
    c = fb.wavedec(x, "db2", level=2)
    prep = prepare(c[1], "coefficients")
    assert np.asarray(prep.tensor).ctypes.data == c[1].ctypes.data
    np.testing.assert_allclose(fb.waverec(c, "db2"), x, rtol=0, atol=1e-12)


@pytest.mark.parametrize("dtype", [">f8", ">i4", np.longdouble, ">c16"])
def test_byte_order_and_long_double_follow_the_dtype_policy(dtype):
    # big-endian and long double data are computed in float64 (complex: float64 parts), as PyWavelets does
    x = (RNG.standard_normal((3, 50)) * 100).astype(dtype)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * x[:, ::-1]
    ref = pywt.wavedec(x.astype(np.complex128 if np.dtype(dtype).kind == "c" else np.float64), "db2", level=2)
    ours = fb.wavedec(x, "db2", level=2)
    for a, b in zip(ours, ref):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12 * np.abs(b).max())
    k = np.array([1.0, -2.0, 0.5], dtype=dtype if np.dtype(dtype).kind != "c" else ">f8")
    np.testing.assert_allclose(
        fb.convolve(x, k[None, :]), scipy.signal.convolve(x.astype(ref[0].dtype), k[None, :].astype(np.float64)),
        rtol=1e-12, atol=1e-12 * np.abs(x).max(),
    )
