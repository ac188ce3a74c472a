"""fb.cwt against pywt.cwt (every continuous wavelet, both methods, both executors) and against scipy."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import pywt
import scipy.signal
from hypothesis import given
from hypothesis import strategies as st

import filterbank as fb

ROOT = Path(__file__).resolve().parents[1]

WAVELETS = ("morl", "mexh", *(f"gaus{n}" for n in range(1, 9)), *(f"cgau{n}" for n in range(1, 9)),
            "shan1.5-1.0", "shan1-1.5", "fbsp1-1.5-1.0", "fbsp2-1-1.5", "fbsp3-1.5-1.2", "cmor1.5-1.0", "cmor1-4")
SCALES = np.array([0.3, 1.0, 2.5, 7.0, 40.0])


def relerr(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-300))


@pytest.mark.parametrize("wavelet", WAVELETS)
@pytest.mark.parametrize("method", ["conv", "fft"])
@pytest.mark.parametrize("n", [63, 200])
def test_equals_pywt_float64_numpy_tier(wavelet, method, n):
    x = np.random.default_rng(n).standard_normal(n)
    ref, f_ref = pywt.cwt(x, SCALES, wavelet, 0.004, method=method)
    got, f_got = fb.cwt(x, SCALES, wavelet, 0.004, method=method)
    assert got.dtype == ref.dtype and got.shape == ref.shape == (len(SCALES), n)
    assert relerr(got, ref) < 1e-10
    np.testing.assert_array_equal(f_got, f_ref)


@pytest.mark.parametrize("wavelet", ["morl", "gaus3", "cgau2", "shan1.5-1.0", "fbsp2-1-1.5", "cmor1.5-1.0"])
@pytest.mark.parametrize("method", ["conv", "fft"])
def test_equals_pywt_float64_tensorflow(wavelet, method):
    x = np.random.default_rng(1).standard_normal((2, 150))
    ref, _ = pywt.cwt(x, SCALES, wavelet, method=method)
    got, _ = fb.cwt(x, SCALES, wavelet, method=method, executor="tensorflow")
    assert got.dtype.name == ref.dtype.name and tuple(got.shape) == ref.shape
    assert relerr(got.numpy(), ref) < 1e-10


@pytest.mark.parametrize("executor", ["numpy", "tensorflow"])
@pytest.mark.parametrize("method", ["conv", "fft"])
@pytest.mark.parametrize("wavelet", ["mexh", "cmor1.5-1.0"])
def test_float32_keeps_its_precision(executor, method, wavelet):
    x = np.random.default_rng(2).standard_normal(300).astype(np.float32)
    ref, _ = pywt.cwt(x, SCALES, wavelet, method=method)
    got, _ = fb.cwt(x, SCALES, wavelet, method=method, executor=executor)
    got = np.asarray(got)
    assert got.dtype == ref.dtype
    assert relerr(got, ref) < 2e-5


@pytest.mark.parametrize("executor", ["numpy", "tensorflow"])
@pytest.mark.parametrize("method", ["conv", "fft"])
def test_complex_data(executor, method):
    x = np.random.default_rng(3).standard_normal((2, 120)) + 1j * np.random.default_rng(4).standard_normal((2, 120))
    for wavelet in ("morl", "cgau1"):
        ref, _ = pywt.cwt(x, SCALES, wavelet, method=method)
        got, _ = fb.cwt(x, SCALES, wavelet, method=method, executor=executor)
        assert np.asarray(got).dtype == np.complex128
        assert relerr(np.asarray(got), ref) < 1e-10


@pytest.mark.parametrize("axis", [0, 1, -1, 2])
@pytest.mark.parametrize("executor", ["numpy", "tensorflow"])
def test_batch_axes_and_axis(axis, executor):
    x = np.random.default_rng(5).standard_normal((3, 70, 4))
    ref, _ = pywt.cwt(x, SCALES[1:], "cmor1.5-1.0", method="fft", axis=axis)
    got, _ = fb.cwt(x, SCALES[1:], "cmor1.5-1.0", method="fft", axis=axis, executor=executor)
    assert tuple(got.shape) == ref.shape == (4,) + x.shape
    assert relerr(np.asarray(got), ref) < 1e-10


def test_scalar_scale_and_pywt_wavelet_object():
    x = np.random.default_rng(6).standard_normal(90)
    w = pywt.ContinuousWavelet("shan1.5-1.0")
    w.lower_bound, w.upper_bound = -10, 10
    ref, f_ref = pywt.cwt(x, 3.0, w)
    got, f_got = fb.cwt(x, 3.0, w)
    assert got.shape == (1, 90) and relerr(got, ref) < 1e-10
    np.testing.assert_array_equal(f_got, f_ref)


@pytest.mark.parametrize("hop", [2, 3, 8])
@pytest.mark.parametrize("method", ["conv", "fft"])
@pytest.mark.parametrize("executor", ["numpy", "tensorflow"])
def test_hop_is_decimation(hop, method, executor):
    x = np.random.default_rng(hop).standard_normal((2, 101))
    full, _ = pywt.cwt(x, SCALES[1:], "cmor1.5-1.0", method="fft")
    got, _ = fb.cwt(x, SCALES[1:], "cmor1.5-1.0", method=method, hop=hop, executor=executor)
    assert tuple(got.shape) == (4, 2, -(-101 // hop))
    assert relerr(np.asarray(got), full[..., ::hop]) < 1e-10


def test_impulse_response_is_the_true_convolution_kernel():
    # Hand-derived: coefs_s = x * h_s ("same"), h_s = -sqrt(s) diff(int_psi[j][::-1]) with zeros around.
    int_psi, xg = pywt.integrate_wavelet("gaus1", precision=12)
    s = 5.0
    step = xg[1] - xg[0]
    j = (np.arange(s * (xg[-1] - xg[0]) + 1) / (s * step)).astype(int)
    k = int_psi[j[j < int_psi.size]][::-1]
    h = -np.sqrt(s) * np.diff(np.concatenate([[0.0], k, [0.0]]))
    x = np.zeros(128)
    x[40] = 1.0
    for executor in ("numpy", "tensorflow"):
        for method in ("conv", "fft"):
            got, _ = fb.cwt(x, [s], "gaus1", method=method, executor=executor)
            expected = scipy.signal.convolve(x, h, "same")
            assert np.abs(np.asarray(got)[0] - expected).max() < 1e-12
    # the trap: without the flip, TensorFlow correlates: the time-reversed kernel, (nearly) the negated answer
    tf = pytest.importorskip("tensorflow")
    c = len(h) // 2
    padded = np.pad(x, (c, len(h) - 1 - c))
    naive = tf.nn.conv1d(padded[None, :, None], h[:, None, None], 1, "VALID")[0, :, 0].numpy()
    assert np.abs(naive - scipy.signal.correlate(padded, h, "valid")).max() < 1e-12
    assert np.abs(naive - expected).max() > 0.5 * np.abs(expected).max()


@given(n=st.integers(4, 90), scale=st.floats(0.2, 30.0), wavelet=st.sampled_from(WAVELETS),
       method=st.sampled_from(["conv", "fft"]), seed=st.integers(0, 2**16))
def test_property_equals_pywt(n, scale, wavelet, method, seed):
    x = np.random.default_rng(seed).standard_normal(n)
    ref, _ = pywt.cwt(x, [scale], wavelet, method="conv")
    got, _ = fb.cwt(x, [scale], wavelet, method=method)
    assert relerr(got, ref) < 1e-10


@given(n=st.integers(8, 60), scales=st.lists(st.floats(0.5, 12.0), min_size=1, max_size=4),
       wavelet=st.sampled_from(["morl", "gaus2", "cgau3", "cmor1.5-1.0"]), seed=st.integers(0, 2**16))
def test_property_tensorflow_conv_equals_scipy(n, scales, wavelet, seed):
    # the reversed tf.nn.conv1d kernels against scipy's true convolution with the same filters
    from filterbank.plans.continuous import kernels as _kernels

    x = np.random.default_rng(seed).standard_normal(n)
    kern = _kernels(fb.ContinuousWavelet(wavelet), np.asarray(scales), 12, np.dtype(np.float64))
    got, _ = fb.cwt(x, scales, wavelet, executor="tensorflow")
    for i, (h, c) in enumerate(zip(kern.filters, kern.centres)):
        expected = scipy.signal.convolve(x, h)[c:c + n]
        assert np.abs(got.numpy()[i] - expected).max() <= 1e-10 * max(np.abs(expected).max(), 1e-12)


def test_linear_in_the_data():
    rng = np.random.default_rng(7)
    a, b = rng.standard_normal(80), rng.standard_normal(80)
    ca, _ = fb.cwt(a, SCALES, "cmor1.5-1.0", method="fft")
    cb, _ = fb.cwt(b, SCALES, "cmor1.5-1.0", method="fft")
    cab, _ = fb.cwt(2 * a - 3 * b, SCALES, "cmor1.5-1.0", method="fft")
    assert relerr(cab, 2 * ca - 3 * cb) < 1e-12


def test_tf_function_jit_and_gradients():
    tf = pytest.importorskip("tensorflow")
    x = np.random.default_rng(8).standard_normal((3, 64)).astype(np.float32)
    ref, _ = pywt.cwt(x, SCALES[1:], "cmor1.5-1.0", method="fft")

    for method in ("conv", "fft"):
        @tf.function(input_signature=[tf.TensorSpec([None, 64], tf.float32)], jit_compile=method == "fft")
        def power(t, method=method):
            c, _ = fb.cwt(t, SCALES[1:], "cmor1.5-1.0", method=method)
            return tf.math.abs(c)

        assert relerr(power(tf.constant(x)).numpy(), np.abs(ref)) < 2e-5
        t = tf.Variable(x)
        with tf.GradientTape() as tape:
            c, _ = fb.cwt(t, SCALES[1:], "cmor1.5-1.0", method=method)
            loss = tf.reduce_sum(tf.math.real(c))
        g = tape.gradient(loss, t).numpy()
        # d/dx sum_s sum_n Re(coefs) is the sum of the reversed real kernels, as scipy says
        from filterbank.plans.continuous import for_length, kernels as _kernels

        kern = for_length(_kernels(fb.ContinuousWavelet("cmor1.5-1.0"), SCALES[1:], 12, np.dtype(np.float32)), 64)
        expected = sum(scipy.signal.correlate(np.ones(64), h.real)[len(h) - 1 - c:len(h) - 1 - c + 64]
                       for h, c in zip(kern.filters, kern.centres))
        assert np.abs(g[0] - expected).max() < 1e-4 * np.abs(expected).max()


@pytest.mark.parametrize("wavelet, axis, hop, complex_data", [
    ("cmor1.5-1.0", -1, 1, False), ("mexh", -1, 1, False), ("mexh", 0, 3, False), ("cgau2", 1, 2, True)])
def test_eager_tensor_takes_the_numpy_run_with_the_tensorflow_gradient(monkeypatch, wavelet, axis, hop, complex_data):
    tf = pytest.importorskip("tensorflow")
    if tf.config.list_logical_devices("GPU"):
        pytest.skip("with a GPU, tensors stay on TensorFlow")
    import filterbank.backend.cwt as backend

    rng = np.random.default_rng(10)
    x = rng.standard_normal((3, 90, 2)) + (1j * rng.standard_normal((3, 90, 2)) if complex_data else 0)
    ref, _ = pywt.cwt(x, SCALES[1:], wavelet, method="fft", axis=axis)
    def decimated(c: np.ndarray) -> np.ndarray:
        time_axis = axis + 1 if axis >= 0 else axis
        return np.moveaxis(np.moveaxis(c, time_axis, -1)[..., ::hop], -1, time_axis)

    ref = decimated(ref)
    traced = []
    real_run_tf = backend.run_tf
    monkeypatch.setattr(backend, "run_tf", lambda *a: traced.append(1) or real_run_tf(*a))
    t = tf.Variable(x)
    with tf.GradientTape(persistent=True) as tape:
        got, _ = fb.cwt(t, SCALES[1:], wavelet, method="fft", axis=axis, hop=hop)
        assert traced == []  # the forward pass is the numpy run
        ops, _ = fb.cwt(t, SCALES[1:], wavelet, method="fft", axis=axis, hop=hop, executor="tensorflow")
        loss, loss_ops = (tf.reduce_sum(tf.math.abs(c) ** 2) for c in (got, ops))
    assert isinstance(got, tf.Tensor) and got.dtype == ops.dtype and tuple(got.shape) == ref.shape
    assert relerr(got.numpy(), ref) < 1e-10
    g, g_ops = tape.gradient(loss, t), tape.gradient(loss_ops, t)
    assert relerr(g.numpy(), g_ops.numpy()) < 1e-12
    x32 = x.astype(np.complex64 if complex_data else np.float32)  # PyWavelets samples the wavelet in float32 too
    ref32 = decimated(pywt.cwt(x32, SCALES[1:], wavelet, method="fft", axis=axis)[0])
    got32, _ = fb.cwt(tf.constant(x32), SCALES[1:], wavelet, method="fft", axis=axis, hop=hop)
    assert got32.dtype.name == ref32.dtype.name and relerr(got32.numpy(), ref32) < 2e-5
    traced.clear()
    power = tf.function(lambda v: tf.math.abs(fb.cwt(v, SCALES[1:], wavelet, method="fft", axis=axis, hop=hop)[0]))
    assert relerr(power(t).numpy(), np.abs(ref)) < 1e-10 and traced  # a graph traces the TensorFlow run
    empty, _ = fb.cwt(tf.zeros((0, 50)), SCALES[1:], wavelet, method="fft")
    assert tuple(empty.shape) == (4, 0, 50)


def test_chunks_keep_memory_near_the_output(monkeypatch):
    import filterbank.plans.continuous as mod

    monkeypatch.setattr(mod, "_CHUNK_MIN", 1)  # force many chunks
    x = np.random.default_rng(9).standard_normal((4, 500))
    scales = np.geomspace(1, 60, 17)
    ref, _ = pywt.cwt(x, scales, "cmor1.5-1.0", method="fft")
    assert mod.chunk_size(17, 4, 1024, 16, ref.nbytes) < 17
    got, _ = fb.cwt(x, scales, "cmor1.5-1.0", method="fft")
    assert relerr(got, ref) < 1e-10
    tf_got, _ = fb.cwt(x, scales, "cmor1.5-1.0", method="fft", executor="tensorflow")
    assert relerr(tf_got.numpy(), ref) < 1e-10


def test_executor_numpy_refuses_a_tensor():
    import tensorflow as tf

    with pytest.raises(fb.InputError, match=r"executor='numpy' runs on numpy arrays only; got a tf.Tensor"):
        fb.cwt(tf.zeros((2, 16)), [1.0], "morl", executor="numpy")


def test_large_numpy_outputs_from_tensorflows_pool_are_plain_writable_arrays(monkeypatch):
    """With TensorFlow loaded, a large output is a pooled tensor's memory seen by numpy: same values, owned."""
    import gc

    import tensorflow as tf

    import filterbank.backend.convert as mod

    assert tf.executing_eagerly()
    monkeypatch.setattr(mod, "POOLED_BYTES", 1)  # every output pooled
    x = np.random.default_rng(10).standard_normal((3, 400))
    ref, _ = pywt.cwt(x, SCALES, "cmor1.5-1.0", method="fft")
    got, _ = fb.cwt(x, SCALES, "cmor1.5-1.0", method="fft")
    gc.collect()
    scratch = [fb.cwt(x * 0, SCALES, "cmor1.5-1.0", method="fft")[0] for _ in range(3)]  # reuse would show
    assert isinstance(got, np.ndarray) and got.flags.writeable and not np.any(scratch[0])
    assert relerr(got, ref) < 1e-10
    got[0, 0, 0] = 7.0  # the caller owns it
    assert got[0, 0, 0] == 7.0


def test_small_scales_like_pywt():
    got, _ = fb.cwt(np.zeros(32), 0.1, "mexh")  # a 2-sample kernel is fine
    assert got.shape == (1, 32) and not got.any()
    with pytest.raises(fb.InputError, match=r"scale 0.01 is too small for 'mexh'"):
        fb.cwt(np.zeros(32), 0.01, "mexh")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"scales": [0, 1]}, r"scales must only include finite positive values; got \[0, 1\]"),
    ({"scales": [-1.0]}, r"scales must only include finite positive values"),
    ({"scales": [[1.0]]}, r"scales must be a positive number or a 1-D sequence"),
    ({"scales": "abc"}, r"scales must be a positive number"),
    ({"method": "fftw"}, r"method must be one of 'conv', 'fft'; got 'fftw' \(did you mean 'fft'\?\)"),
    ({"wavelet": "db4"}, r"wavelet must be a continuous wavelet .*got 'db4'"),
    ({"wavelet": "cmr1.5-1.0"}, r"did you mean 'cmor'\?"),
    ({"precision": 30}, r"precision must be an integer from 1 to 24; got 30"),
    ({"hop": 0}, r"hop must be an integer >= 1; got 0"),
    ({"axis": 2}, r"axis 2 is out of range for data with 2 dimension\(s\)"),
    ({"sampling_period": 0}, r"sampling_period must be a finite number > 0; got 0"),
    ({"executor": "gpu"}, r"executor must be one of 'auto', 'numpy', 'tensorflow'; got 'gpu'"),
])
def test_bad_input_is_refused(kwargs, match):
    args = {"data": np.zeros((2, 16)), "scales": [1.0], "wavelet": "morl", **kwargs}
    with pytest.raises(fb.InputError, match=match):
        fb.cwt(**args)


def test_non_numeric_data_is_a_type_error():
    with pytest.raises(fb.FilterBankTypeError, match=r"data must be numeric .*got dtype <U1"):
        fb.cwt(np.array(["a", "b"]), [1.0], "morl")


def test_numpy_first_answer_and_errors_without_tensorflow():
    code = (
        "import sys, numpy as np, filterbank as fb\n"
        "c, f = fb.cwt(np.ones(64), [1.0, 2.0], 'cmor1.5-1.0', method='fft')\n"
        "try:\n    fb.cwt(np.ones(8), [0.0], 'morl')\nexcept fb.InputError as e:\n    print(e)\n"
        "print(c.shape, any(m.startswith('tensorflow') for m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["scales must only include finite positive values; got [0.0]", "(2, 64) False"]


def test_bare_family_name_warns_like_pywt():
    with pytest.warns(FutureWarning, match=r"parameters belong in the name, cmor1.0-0.5 here"):
        got, _ = fb.cwt(np.ones(40), [2.0], "cmor")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        ref, _ = pywt.cwt(np.ones(40), [2.0], "cmor")
    assert relerr(got, ref) < 1e-10
