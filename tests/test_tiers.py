"""Execution tiers: numpy, eager, compiled and traced runs of one plan give one answer.

References are PyWavelets' results; every tier is forced explicitly
(``executor=``, ``compile=``, :func:`filterbank.execution`), and promotion is
observed through the bounded caches (:func:`filterbank.cache_info`).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.backend import tiers

MODES = pywt.Modes.modes
TIERS = [  # (name, call options, process-wide options)
    ("numpy", {"executor": "numpy"}, {}),
    ("eager conv", {"compile": "never"}, {"numpy_always_below": 0, "numpy_below": 0}),
    ("eager shift", {"compile": "never", "executor": "shift"}, {"numpy_always_below": 0, "numpy_below": 0}),
    ("compiled", {"compile": "always"}, {"numpy_always_below": 0, "numpy_below": 0, "compile_budget": 1 << 40}),
]


def _room() -> int:
    """A compile budget with room for the compiles a test makes (earlier tests may have spent the default)."""
    return tiers.compile_spent() + (256 << 20)


def _compiled_entries() -> int:
    return fb.cache_info()["compiled"].entries


def _assert_coeffs_equal(got, ref, rel):
    """Every array of ``got`` equals ``ref`` within ``rel`` relative to ``ref``'s largest value."""
    assert len(got) == len(ref)
    for g, r in zip(got, ref):
        if isinstance(r, (tuple, list)):
            _assert_coeffs_equal(g, r, rel)
        elif isinstance(r, dict):
            assert sorted(g) == sorted(r)
            for k in r:
                _assert_close(g[k], r[k], rel)
        else:
            _assert_close(g, r, rel)


def _assert_close(got, want, rel=1e-12):
    assert np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=rel, atol=rel * np.abs(want).max())


# Every mode on every uncompiled tier; the compiled tier runs the "eager shift" code
# under XLA (plus the in-place extension and input windows), so three modes that
# exercise gathers, weights and the periodic coefficient extension stand for all.
CASES = [(t, m) for t in TIERS for m in MODES if t[0] != "compiled" or m in ("symmetric", "periodization", "antireflect")]


@pytest.mark.parametrize("tier, call, process, mode", [(*t, m) for t, m in CASES], ids=[f"{t[0]}-{m}" for t, m in CASES])
def test_every_tier_equals_pywavelets_in_float64(tier, call, process, mode):
    rng = np.random.default_rng(len(mode))
    x = rng.standard_normal((2, 37))
    image = rng.standard_normal((19, 12)) + 1j * rng.standard_normal((19, 12))
    wavelet = "db3" if mode != "periodization" else "sym4"
    with fb.execution(**process):
        c = fb.wavedec(x, wavelet, mode, level=2, **call)
        _assert_coeffs_equal(c, pywt.wavedec(x, wavelet, mode, level=2), 1e-12)
        _assert_close(fb.waverec(c, wavelet, mode, **call), x)
        ref = pywt.wavedec(x, wavelet, mode, level=2)
        _assert_close(fb.waverec(ref, wavelet, mode, **call), pywt.waverec(ref, wavelet, mode))
        c2 = fb.wavedec2(image, "bior1.3", mode, level=1, **call)
        _assert_coeffs_equal(c2, pywt.wavedec2(image, "bior1.3", mode, level=1), 1e-12)
        _assert_close(fb.waverec2(c2, "bior1.3", mode, **call), image)


@pytest.mark.parametrize("tier, call, process", TIERS[:2] + TIERS[3:], ids=["numpy", "eager", "compiled"])
def test_every_tier_equals_pywavelets_for_the_swt(tier, call, process):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 32))
    image = rng.standard_normal((16, 8))
    swt_call = {k: v for k, v in call.items() if k == "compile"}
    with fb.execution(**(process if tier != "numpy" else {"numpy_below": 1 << 20})):
        c = fb.swt(x, "db2", level=3, **swt_call)
        _assert_coeffs_equal(c, pywt.swt(x, "db2", level=3), 1e-12)
        _assert_close(fb.iswt(c, "db2", **swt_call), x)
        c2 = fb.swtn(image, "haar", level=2, **swt_call)
        _assert_coeffs_equal(c2, pywt.swtn(image, "haar", level=2), 1e-12)
        _assert_close(fb.iswtn(c2, "haar", **swt_call), image)


def test_float32_tiers_agree_within_the_documented_bound():
    x = np.random.default_rng(0).standard_normal((4, 1000)).astype(np.float32)
    ref = pywt.wavedec(x.astype(np.float64), "db8", level=4)
    scale = max(np.abs(r).max() for r in ref)
    bound = 1e-6 * np.sqrt(16 * 4) * scale  # 1e-6 sqrt(L level) of the largest coefficient (transform.py)
    for _, call, process in TIERS:
        with fb.execution(**process):
            got = fb.wavedec(x, "db8", level=4, **call)
        assert all(g.dtype == np.float32 for g in got)
        for g, r in zip(got, ref):
            np.testing.assert_allclose(g, r, rtol=0, atol=bound)


def test_a_shape_that_comes_back_is_compiled_and_then_served_compiled():
    x = np.random.default_rng(1).standard_normal((3, 300))
    fb.clear_caches()  # the compiled cache is bounded: start it empty so every new entry shows
    with fb.execution(
        numpy_always_below=0, numpy_below=0, promote_calls=2, promote_seconds=0.0, background=False, compile_budget=_room()
    ):
        before = _compiled_entries()
        first = fb.wavedec(x, "db2", level=2)
        assert _compiled_entries() == before  # a first call never compiles
        second = fb.wavedec(x, "db2", level=2)  # hot: compiled now (background=False)
        assert _compiled_entries() == before + 1
        third = fb.wavedec(x, "db2", level=2)
        assert _compiled_entries() == before + 1
    for a, b, c in zip(first, second, third):
        _assert_close(a, b)
        _assert_close(a, c)


def test_background_compiles_do_not_block_and_finish():
    x = np.random.default_rng(2).standard_normal((2, 301))
    fb.clear_caches()
    with fb.execution(
        numpy_always_below=0, numpy_below=0, promote_calls=2, promote_seconds=0.0, background=True, compile_budget=_room()
    ):
        before = _compiled_entries()
        fb.wavedec(x, "sym3", level=2)
        fb.wavedec(x, "sym3", level=2)  # hot: a background compile starts
        tiers.wait_for_compiles()
        assert _compiled_entries() == before + 1
        out = fb.wavedec(x, "sym3", level=2)
    _assert_coeffs_equal(out, pywt.wavedec(x, "sym3", level=2), 1e-12)


def test_compile_never_and_cold_shapes_never_compile():
    x = np.random.default_rng(3).standard_normal((2, 302))
    before = _compiled_entries()
    with fb.execution(numpy_always_below=0, numpy_below=0, promote_calls=1, promote_seconds=0.0, background=False):
        for _ in range(3):
            fb.wavedec(x, "db4", level=1, compile="never")
    with fb.execution(numpy_always_below=0, numpy_below=0, promote_calls=50, background=False):
        for _ in range(3):
            fb.wavedec(x, "db4", level=1)
    assert _compiled_entries() == before


def test_tensor_inputs_never_take_the_numpy_tier():
    import tensorflow as tf

    x = tf.constant(np.arange(16.0))
    out = fb.wavedec(x, "haar", level=2)
    assert all(tf.is_tensor(c) for c in out)
    with pytest.raises(fb.InputError, match="executor='numpy' runs on numpy arrays only; got a tf.Tensor"):
        fb.wavedec(x, "haar", level=2, executor="numpy")

    @tf.function
    def traced(t):
        return fb.waverec(fb.wavedec(t, "haar", level=2), "haar")

    _assert_close(traced(x).numpy(), np.arange(16.0))


def test_bad_compile_and_executor_arguments_are_refused():
    with pytest.raises(fb.InputError, match=r"compile must be one of 'auto', 'always', 'never'; got 'sometimes'"):
        fb.wavedec(np.ones(8), "haar", compile="sometimes")
    with pytest.raises(fb.InputError, match=r"executor must be one of .*; got 'gpu'"):
        fb.wavedec(np.ones(8), "haar", executor="gpu")
    with pytest.raises(fb.InputError, match=r"option must be one of .*; got 'numpy_threshold'"):
        fb.set_execution(numpy_threshold=3)
    with pytest.raises(fb.InputError, match=r"promote_calls must be a non-negative integer; got -1"):
        fb.set_execution(promote_calls=-1)


def _fresh_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
    )


def test_small_numpy_work_and_bad_calls_never_load_tensorflow():
    proc = _fresh_python(
        """
        import sys, numpy as np, filterbank as fb
        x = np.random.default_rng(0).standard_normal(1000)
        assert np.allclose(fb.waverec(fb.wavedec(x, "db4"), "db4"), x)
        assert np.allclose(fb.iswt(fb.swt(x[:512], "db2", level=3), "db2"), x[:512])
        assert np.allclose(fb.waverec2(fb.wavedec2(x.reshape(40, 25), "sym3"), "sym3"), x.reshape(40, 25))
        big = np.zeros((64, 65536))
        bad = [
            lambda: fb.wavedec(big, "db44"),
            lambda: fb.wavedec(big, "db4", mode="symetric"),
            lambda: fb.wavedec(big, "db4", level=-1),
            lambda: fb.wavedec(big, "db4", axis=2),
            lambda: fb.wavedec(np.array(["a", "b"]), "db4"),
            lambda: fb.wavedec2(big, "db4", axes=(0, 0)),
            lambda: fb.swt(big, "db4", level=40),
            lambda: fb.wavedec(big, "db4", compile="jit"),
            lambda: fb.waverec([big[:, :10], big[:, :11]], "db4"),
        ]
        for call in bad:
            try:
                call()
            except fb.FilterBankError as exc:
                print(type(exc).__name__)
            else:
                raise AssertionError("accepted")
        print("tensorflow" in sys.modules)
        """
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.split()
    assert lines[-1] == "False"
    assert lines[:-1] == ["InputError"] * 3 + ["AxisError", "FilterBankTypeError"] + ["InputError"] * 3 + ["CoefficientsError"]


def test_caches_are_bounded_by_count_and_can_be_cleared():
    plans = fb.cache_info()["plans"]
    try:
        fb.set_cache_limits("plans", max_entries=5)
        with fb.execution(numpy_below=1 << 20):
            for n in range(40, 60):
                fb.wavedec(np.ones(n), "db2", level=1)
        info = fb.cache_info()["plans"]
        assert info.entries <= 5 and info.evictions >= 15
        fb.clear_caches()
        assert all(i.entries == 0 for i in fb.cache_info().values())
    finally:
        fb.set_cache_limits("plans", max_entries=plans.max_entries, max_bytes=plans.max_bytes)
    with pytest.raises(fb.InputError, match=r"name must be one of .*; got 'plan'.*did you mean 'plans'"):
        fb.set_cache_limits("plan", max_entries=3)


def test_plans_hold_memory_of_the_filter_not_of_the_signal():
    small = fb.plan((1024,), "db4", "symmetric", 5)
    large = fb.plan((1 << 22,), "db4", "symmetric", 5)
    assert large.nbytes == small.nbytes < 16 * 1024


@pytest.mark.parametrize("transform", ["wavedec", "waverec", "swt", "iswt"])
def test_medium_numpy_inputs_start_on_numpy_and_are_compiled_when_hot(transform):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 64 + len(transform)))
    fb.clear_caches()
    calls = {
        "wavedec": (lambda: fb.wavedec(x, "db2", level=2), lambda: pywt.wavedec(x, "db2", level=2)),
        "waverec": (lambda: fb.waverec(pywt.wavedec(x, "db2"), "db2"), lambda: pywt.waverec(pywt.wavedec(x, "db2"), "db2")),
        "swt": (lambda: fb.swt(x[:, :64], "db2", level=2), lambda: pywt.swt(x[:, :64], "db2", level=2)),
        "iswt": (lambda: fb.iswt(pywt.swt(x[:, :64], "db2", 2), "db2"), lambda: pywt.iswt(pywt.swt(x[:, :64], "db2", 2), "db2")),
    }
    ours, ref = calls[transform]
    with fb.execution(
        numpy_always_below=10, numpy_below=1 << 20, promote_calls=2, promote_seconds=0.0, background=False,
        compile_budget=_room(),
    ):
        first = ours()
        assert _compiled_entries() == 0
        second = ours()  # hot: compiled in this call (background=False), served by numpy
        assert _compiled_entries() == 1
        third = ours()  # served compiled
        assert _compiled_entries() == 1 and fb.cache_info()["compiled"].hits >= 1
    for out in (first, second, third):
        if isinstance(out, np.ndarray):
            assert type(out) is np.ndarray
            _assert_close(out, ref())
        else:
            _assert_coeffs_equal(out, ref(), 1e-12)


def test_past_the_compile_budget_shapes_stay_uncompiled_and_correct():
    x = np.random.default_rng(5).standard_normal((2, 500))
    fb.clear_caches()
    spent = tiers.compile_spent()
    with fb.execution(
        numpy_always_below=0, numpy_below=0, compile_budget=spent, promote_calls=1, promote_seconds=0.0,
        background=False,
    ):
        hot = [fb.wavedec(x, "coif1", level=2) for _ in range(3)]  # hot at once, but no room left
        assert _compiled_entries() == 0
        assert fb.cache_info()["uncompiled"].entries == 1
        asked = fb.wavedec(x, "coif1", level=2, compile="always")  # an explicit request is honoured
        assert _compiled_entries() == 1 and tiers.compile_spent() > spent
    for out in (*hot, asked):
        _assert_coeffs_equal(out, pywt.wavedec(x, "coif1", level=2), 1e-12)


@pytest.mark.parametrize("dtype, scale", [(np.float32, 1e-40), (np.float32, 1e-36), (np.float64, 1e-305)])
@pytest.mark.parametrize("compile", ["never", "always"])
def test_subnormal_and_tiny_inputs_keep_their_precision_on_every_tier(dtype, scale, compile):
    # TensorFlow's CPU kernels flush subnormals to zero; PyWavelets keeps them.
    x = (np.random.default_rng(6).standard_normal((4, 600)) * scale).astype(dtype)
    ref = pywt.wavedec(x.astype(np.float64), "db2", level=3)
    largest = max(np.abs(r).max() for r in ref)
    assert largest > 0
    bound = 1e-12 if dtype == np.float64 else 2e-6
    # float32 subnormals are spaced 2**-149 apart: any float32 arithmetic (PyWavelets' too)
    # rounds each of the few dozen products and sums of a level to that spacing.
    floor = 64 * 2.0**-149 if dtype == np.float32 else 0.0
    with fb.execution(numpy_always_below=0, numpy_below=0, compile_budget=_room()):
        got = fb.wavedec(x, "db2", level=3, compile=compile)
        back = fb.waverec(got, "db2", compile=compile)
        swt = fb.swt(x[:, :512], "db2", level=2, compile=compile)
    for g, r in zip(got, ref):
        assert np.abs(g).max() > 0  # not flushed to zero
        np.testing.assert_allclose(g, r, rtol=0, atol=bound * largest + floor)
    np.testing.assert_allclose(back, x, rtol=0, atol=10 * bound * np.abs(x).max() + 4 * floor)
    swt_ref = pywt.swt(x[:, :512].astype(np.float64), "db2", level=2)
    for (ga, gd), (ra, rd) in zip(swt, swt_ref):
        np.testing.assert_allclose(ga, ra, rtol=0, atol=bound * np.abs(ra).max() + floor)
        np.testing.assert_allclose(gd, rd, rtol=0, atol=bound * np.abs(ra).max() + floor)


def test_levels_far_past_the_useful_depth_are_cheap_or_refused():
    x = np.random.default_rng(7).standard_normal(256)
    with pytest.warns(fb.FilterBankWarning, match="level 69 is too high"):
        deep = fb.wavedec(x, "db4", level=69)  # 5 useful + 64: allowed, on numpy, no compile
    with pytest.warns(UserWarning, match="Level value of 69 is too high"):
        ref = pywt.wavedec(x, "db4", level=69)
    _assert_coeffs_equal(deep, ref, 1e-12)
    with pytest.raises(fb.InputError, match=r"level 70 is far too deep .* levels beyond 69 \(the maximum useful level \+ 64\) are refused"):
        fb.wavedec(x, "db4", level=70)


@pytest.mark.parametrize("shape", [(1, 20), (1, 1, 21), (20,)])
def test_numpy_tier_keeps_unit_batch_axes_as_pywavelets(shape):
    x = np.random.default_rng(3).standard_normal(shape)
    ours = fb.wavedec(x, "db2", level=1)
    theirs = pywt.wavedec(x, "db2", level=1)
    for a, b in zip(ours, theirs):
        assert np.asarray(a).shape == b.shape
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_the_underflow_check_samples_then_scans_the_whole_array():
    """A sample's maximum only ever proves "no underflow"; anything else scans every element."""
    from filterbank.backend.engine import TINY, underflows

    tiny = np.full(100_000, TINY["float64"] / 4)
    assert underflows(tiny, "float64") and underflows(tiny[::3], "float64")  # contiguous and strided
    off_grid = tiny.copy()
    off_grid[12_345] = 1.0  # not on the sample's grid (every 97th element)
    assert not underflows(off_grid, "float64") and not underflows(-off_grid, "float64")
    assert not underflows(np.ones((300, 400), np.float32), "float32")
    assert underflows(np.zeros((300, 400), np.float32), "float32")


@pytest.mark.parametrize("start", [0, 1, 3])
def test_swt_of_a_shared_numpy_buffer_at_any_alignment(start):
    """Large numpy inputs reach the compiled SWT without a copy (a window of their buffer) at every offset."""
    raw = np.random.default_rng(8).standard_normal(8 * 4096 + 16)
    first = -raw.ctypes.data % 64 // 8 + start  # start = 0: aligned (shared whole); else a window
    x = raw[first:first + 8 * 4096].reshape(8, 4096)
    ref = pywt.swt(x, "db3", level=3)
    with fb.execution(numpy_always_below=0, numpy_below=0, compile_budget=_room()):
        for _ in range(2):
            got = fb.swt(x, "db3", level=3, compile="always")
            for (ga, gd), (ra, rd) in zip(got, ref):
                np.testing.assert_allclose(ga, ra, rtol=0, atol=1e-12 * np.abs(ra).max())
                np.testing.assert_allclose(gd, rd, rtol=0, atol=1e-12 * np.abs(ra).max())
    tiny = (x * 1e-310).astype(np.float64)  # subnormal: TensorFlow flushes them, the numpy tier does not
    with fb.execution(numpy_always_below=0, numpy_below=0, compile_budget=_room()):
        got = fb.swt(tiny, "db3", level=3, compile="always")
    assert np.abs(got[-1][1]).max() > 0


@pytest.mark.parametrize("start", [0, 1, 5])
@pytest.mark.parametrize("shape", [(8, 64, 64), (16, 61, 70)])  # odd lengths: PyWavelets' extra approximation sample
def test_compiled_inverse_reads_shared_coefficient_buffers_at_any_alignment(start, shape):
    """Coefficient arrays reach the compiled inverse as windows of their own buffers (no copies)."""
    x = np.random.default_rng(9).standard_normal(shape)
    ref = pywt.wavedec2(x, "db2", level=2)

    def moved(c: np.ndarray) -> np.ndarray:  # the same values 1 + start elements past a 64-byte boundary
        raw = np.empty(c.size + 16)
        first = -raw.ctypes.data % 64 // 8 + 1 + start
        out = raw[first:first + c.size].reshape(c.shape)
        out[...] = c
        return out

    coeffs = [moved(ref[0])] + [tuple(moved(d) for d in level) for level in ref[1:]]
    from filterbank.backend.convert import inspect, window_offset

    assert window_offset(inspect(coeffs[-1][0])) is not None  # the finest details are large enough to share
    with fb.execution(numpy_always_below=0, numpy_below=0, compile_budget=_room()):
        for _ in range(2):
            back = fb.waverec2(coeffs, "db2", compile="always")
            np.testing.assert_allclose(back, pywt.waverec2(ref, "db2"), rtol=0, atol=1e-12 * np.abs(x).max())
        mixed = [coeffs[0].astype(np.float32)] + coeffs[1:]  # two dtypes: converted, not shared
        np.testing.assert_allclose(fb.waverec2(mixed, "db2", compile="always"), pywt.waverec2(ref, "db2"),
                                   rtol=0, atol=1e-6 * np.abs(x).max())


def test_numpy_inputs_inside_a_tf_function_give_pywavelets_values():
    """A numpy array used inside a tf.function (a constant there) is transformed, not refused."""
    import tensorflow as tf

    x = np.random.default_rng(11).standard_normal((4, 512))
    coeffs = pywt.wavedec(x, "db2", level=2)
    got = tf.function(lambda: fb.wavedec(x, "db2", level=2), autograph=False)()
    for g, r in zip(got, coeffs):
        np.testing.assert_allclose(np.asarray(g), r, rtol=0, atol=1e-12 * np.abs(x).max())
    back = tf.function(lambda: fb.waverec(coeffs, "db2"), autograph=False)()
    np.testing.assert_allclose(np.asarray(back), pywt.waverec(coeffs, "db2"), rtol=0, atol=1e-12)
    swt = tf.function(lambda: fb.swt(x, "db2", level=2), autograph=False)()
    for (ga, gd), (ra, rd) in zip(swt, pywt.swt(x, "db2", level=2)):
        np.testing.assert_allclose(np.asarray(gd), rd, rtol=0, atol=1e-12 * np.abs(ra).max())
    nodes = tf.function(lambda: fb.wpdec(x, "db2", 2, order="natural"), autograph=False)()
    wp = pywt.WaveletPacket(x, "db2", "symmetric", maxlevel=2)
    ref = np.stack([n.data for n in wp.get_level(2, "natural")], axis=-2)
    np.testing.assert_allclose(np.asarray(nodes), ref, rtol=0, atol=1e-12 * np.abs(x).max())


def test_compiled_programs_for_windows_still_run_when_tensorflow_refuses_the_buffer(monkeypatch):
    """A buffer TensorFlow will not share is copied and put behind the window's offset: same program, same values."""
    from filterbank.backend import convert
    from filterbank.backend.convert import inspect, window_offset

    raw = np.random.default_rng(13).standard_normal(8 * 4096 + 16)
    first = -raw.ctypes.data % 64 // 8 + 3
    x = raw[first:first + 8 * 4096].reshape(8, 4096)
    assert window_offset(inspect(x)) == 3
    coeffs = pywt.wavedec2(x.reshape(8, 64, 64), "db2", level=1)
    with fb.execution(numpy_always_below=0, numpy_below=0, compile_budget=_room()):
        fb.swt(x, "db2", level=2, compile="always")  # compiled for the window first, while sharing works
        monkeypatch.setattr(convert, "_share", lambda arr, window: None)
        got = fb.swt(x, "db2", level=2, compile="always")
        back = fb.waverec2(coeffs, "db2", compile="always")
    for (ga, gd), (ra, rd) in zip(got, pywt.swt(x, "db2", level=2)):
        np.testing.assert_allclose(gd, rd, rtol=0, atol=1e-12 * np.abs(ra).max())
    np.testing.assert_allclose(back, pywt.waverec2(coeffs, "db2"), rtol=0, atol=1e-12)


def test_one_dimensional_signals_stay_on_numpy_up_to_the_signal_factor():
    # the block products beat the compiled call for 1-D signals up to SIGNAL_FACTOR x numpy_always_below;
    # a batch of the same size is compiled once hot
    rng = np.random.default_rng(9)
    size = tiers.SIGNAL_FACTOR * 64 - 16  # above numpy_always_below (64 below), within the factor
    signal, batch = rng.standard_normal(size), rng.standard_normal((2, size // 2))
    fb.clear_caches()
    with fb.execution(numpy_always_below=64, numpy_below=1 << 20, promote_calls=1, promote_seconds=0.0,
                      background=False, compile_budget=_room()):
        assert tiers.SIGNAL_FACTOR * 64 >= signal.size > 64 and batch.size == signal.size
        for _ in range(3):
            _assert_coeffs_equal(fb.wavedec(signal, "db2", level=2), pywt.wavedec(signal, "db2", level=2), 1e-12)
            coeffs = pywt.wavedec(signal, "db2", level=2)  # all of them within the factor too
            _assert_close(fb.waverec(coeffs, "db2"), pywt.waverec(coeffs, "db2"))
        assert _compiled_entries() == 0
        for _ in range(3):
            _assert_coeffs_equal(fb.wavedec(batch, "db2", level=2), pywt.wavedec(batch, "db2", level=2), 1e-12)
        assert _compiled_entries() == 1
        big = rng.standard_normal(tiers.SIGNAL_FACTOR * 64 + 1)
        for _ in range(3):
            _assert_coeffs_equal(fb.wavedec(big, "db2", level=2), pywt.wavedec(big, "db2", level=2), 1e-12)
        assert _compiled_entries() == 2


def test_the_signal_factor_never_passes_numpy_below():
    from filterbank.backend.convert import inspect

    signal = inspect(np.zeros(1500))
    with fb.execution(numpy_always_below=1000, numpy_below=1000):
        assert tiers.numpy_first(None, "auto", [signal], signal=True) is None  # above numpy_below: TensorFlow
    with fb.execution(numpy_always_below=1000, numpy_below=4000):
        assert tiers.numpy_first(None, "auto", [signal], signal=True) == "only"
        assert tiers.numpy_first(None, "auto", [signal]) == "first"
