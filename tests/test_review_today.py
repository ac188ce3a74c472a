"""Review of today's zero-copy paths: windows of numpy buffers, pooled results, against PyWavelets."""

from __future__ import annotations

import numpy as np
import pytest
import pywt

import filterbank as fb

tf = pytest.importorskip("tensorflow")


def _at(shape, lead, seed):
    """A C-contiguous float64 view into a larger buffer, starting ``lead`` elements past a 64-byte boundary."""
    n = int(np.prod(shape))
    buf = np.empty(n + 16)
    start = (-buf.ctypes.data % 64) // 8 + lead
    x = buf[start : start + n].reshape(shape)
    x[...] = np.random.default_rng(seed).standard_normal(shape)
    assert x.ctypes.data % 64 == 8 * lead and x.nbytes >= 1 << 16  # large enough to be shared as a window
    return x


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12 * max(1.0, float(np.max(np.abs(b)))))


def test_swt_windows_of_two_shapes_with_one_flat_length_equal_pywavelets():
    # (4, 4096) and (2, 8192) at one offset have the same flat window: the compiled program of the first
    # must not serve the second (its shape lives in the window, not in the plan)
    for shape, seed in (((4, 4096), 0), ((2, 8192), 1)):
        x = _at(shape, 2, seed)
        ours = fb.swt(x, "db2", level=2, compile="always")
        ref = pywt.swt(x, "db2", level=2)
        for (oa, od), (ra, rd) in zip(ours, ref):
            assert oa.shape == ra.shape == shape
            _close(oa, ra)
            _close(od, rd)


def test_swt_window_offset_and_length_trade_off_equal_pywavelets():
    # offset 2 + 8194 samples and offset 4 + 8192 samples: one flat length, different data
    for shape, lead, seed in (((1, 8194), 2, 2), ((1, 8192), 4, 3)):
        x = _at(shape, lead, seed)
        ours, ref = fb.swt(x, "haar", level=1, compile="always"), pywt.swt(x, "haar", level=1)
        assert ours[0][0].shape == shape
        _close(ours[0][0], ref[0][0])
        _close(ours[0][1], ref[0][1])


def test_large_cwt_of_numpy_inside_tf_function_equals_pywavelets():
    # a result of 32 MiB or more is taken from TensorFlow's pool when TensorFlow is loaded; while a
    # tf.function traces, that pool cannot be read from numpy
    x = np.random.default_rng(4).standard_normal((8, 16384))
    scales = np.arange(1, 33)
    ref, _ = pywt.cwt(x, scales, "mexh", method="fft")

    @tf.function
    def traced():
        return tf.constant(fb.cwt(x, scales, "mexh", method="fft")[0])

    _close(traced().numpy(), ref)


def test_fresh_array_in_a_cpu_scope_and_while_a_function_traces():
    from filterbank.backend.convert import POOLED_BYTES, fresh_array

    with tf.device("/CPU:0"):
        a = fresh_array((POOLED_BYTES // 8,), np.float64)
    a[:3] = [1.0, 2.0, 3.0]
    assert a.flags.writeable and a.ctypes.data % 64 == 0
    np.testing.assert_array_equal(a[:3], [1.0, 2.0, 3.0])

    @tf.function
    def traced():
        return tf.constant(fresh_array((POOLED_BYTES // 8,), np.float64)[:2] * 0)

    np.testing.assert_array_equal(traced().numpy(), [0.0, 0.0])
