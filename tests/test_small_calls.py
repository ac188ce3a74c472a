"""Repeated small numpy calls: the stored runner gives the first call's answer, PyWavelets' answer.

A call's checks are done once per signature (`filterbank.transforms._calls`);
these tests make sure a repeat is never answered differently from a first call.
"""

from __future__ import annotations

import types

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.backend import numpy_blocks, numpy_executors


def _close(got, want):
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12 * np.abs(want).max())


@pytest.mark.parametrize("mode", ["symmetric", "periodization", "smooth", "zero"])
def test_repeats_equal_pywavelets_and_are_served_from_the_call_cache(mode):
    rng = np.random.default_rng(0)
    x, image = rng.standard_normal(1024), rng.standard_normal((64, 63))
    hits = fb.cache_info()["calls"].hits
    for _ in range(3):
        for g, r in zip(fb.wavedec(x, "db4", mode, level=3), pywt.wavedec(x, "db4", mode, level=3)):
            _close(g, r)
        ref = pywt.wavedec(x, "db4", mode, level=3)
        _close(fb.waverec(ref, "db4", mode), pywt.waverec(ref, "db4", mode))
        c2 = fb.wavedec2(image, "db4", mode, level=2)
        for g, r in zip(c2[1:], pywt.wavedec2(image, "db4", mode, level=2)[1:]):
            for a, b in zip(g, r):
                _close(a, b)
        _close(fb.waverec2(c2, "db4", mode), image)
    for (ga, gd), (ra, rd) in zip(fb.swt(x, "db4", level=3), pywt.swt(x, "db4", level=3)):
        _close(ga, ra)
        _close(gd, rd)
    assert fb.cache_info()["calls"].hits >= hits + 8


def test_a_repeat_with_another_dtype_shape_or_none_band_is_not_confused():
    x = np.random.default_rng(1).standard_normal(256)
    fb.wavedec(x, "db2", level=2)
    got = fb.wavedec(x.astype(np.float32), "db2", level=2)
    assert all(c.dtype == np.float32 for c in got)
    assert fb.wavedec(x[:200], "db2", level=2)[-1].shape == pywt.wavedec(x[:200], "db2", level=2)[-1].shape
    ref = pywt.wavedec(x, "db2", level=2)
    fb.waverec(ref, "db2")
    ref[1] = None
    _close(fb.waverec(ref, "db2"), pywt.waverec(ref, "db2"))


def test_warnings_and_errors_repeat_on_every_call():
    x = np.random.default_rng(2).standard_normal(64)
    for _ in range(2):
        with pytest.warns(fb.FilterBankWarning, match="level 5 is too high"):
            fb.wavedec(x, "db4", level=5)
        with pytest.raises(fb.InputError, match="level must be a non-negative integer"):
            fb.wavedec(x, "db4", level=-1)


def test_a_new_execution_policy_is_honoured_by_repeats():
    x = np.random.default_rng(3).standard_normal(128)
    fb.wavedec(x, "haar", level=2)
    fb.wavedec(x, "haar", level=2)
    with fb.execution(numpy_always_below=0, numpy_below=0, compile="never"):
        before = fb.cache_info()["calls"].entries
        out = fb.wavedec(x, "haar", level=2)  # eager TensorFlow now, not the stored numpy runner
        assert fb.cache_info()["calls"].entries == before  # a TensorFlow call stores nothing
    for g, r in zip(out, pywt.wavedec(x, "haar", level=2)):
        _close(g, r)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_both_numpy_synthesis_forms_agree(dtype, monkeypatch):
    # Small steps are one gather and one product; large ones a convolution of zero-stuffed rows.
    x = np.random.default_rng(4).standard_normal((3, 301)).astype(dtype)
    c = pywt.wavedec(x.astype(np.float64), "sym5", "periodization", level=2)
    small = fb.waverec(c, "sym5", "periodization", executor="numpy")
    fb.clear_caches()
    monkeypatch.setattr(numpy_executors, "_SMALL_PRODUCT", 0)
    large = fb.waverec(c, "sym5", "periodization", executor="numpy")
    fb.clear_caches()
    _close(small, pywt.waverec(c, "sym5", "periodization"))
    _close(large, small)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("form", ["windows", "polyphase", "correlation"])
def test_every_numpy_step_form_equals_pywavelets(dtype, form, monkeypatch):
    # Analysis: strided-window product (one small signal), polyphase correlation (large), plain correlation;
    # synthesis: window product, gather product, polyphase convolutions; one signal past the window
    # limits is a block product.
    limits = {"windows": (1 << 15, 1 << 40, 1 << 17), "polyphase": (0, 0, 0), "correlation": (0, 1 << 40, 0)}[form]
    monkeypatch.setattr(numpy_executors, "_SMALL_WINDOWS", limits[0])
    monkeypatch.setattr(numpy_executors, "_POLYPHASE", limits[1])
    monkeypatch.setattr(numpy_executors, "_SMALL_PRODUCT", limits[2])
    fb.clear_caches()
    rel = 1e-12 if dtype == np.float64 else 1e-5
    rng = np.random.default_rng(5)
    for shape, axis in [((301,), -1), ((3, 301), -1), ((40, 5), 0)]:
        x = rng.standard_normal(shape).astype(dtype)
        for mode in ("symmetric", "periodization", "antireflect"):
            ref = pywt.wavedec(x.astype(np.float64), "sym5", mode, level=2, axis=axis)
            got = fb.wavedec(x, "sym5", mode, level=2, axis=axis)
            for g, r in zip(got, ref):
                np.testing.assert_allclose(g, r, rtol=0, atol=rel * np.abs(r).max())
            want = pywt.waverec(ref, "sym5", mode, axis=axis)
            np.testing.assert_allclose(fb.waverec(ref, "sym5", mode, axis=axis), want, rtol=0, atol=rel * np.abs(want).max())
    fb.clear_caches()


def test_idwt_and_iswt_repeats_are_served_from_the_call_cache():
    x = np.random.default_rng(6).standard_normal(512)
    cA, cD = pywt.dwt(x, "db4")
    sw = pywt.swt(x, "db4", level=3)
    hits = fb.cache_info()["calls"].hits
    for _ in range(3):
        _close(fb.idwt(cA, cD, "db4"), pywt.idwt(cA, cD, "db4"))
        _close(fb.idwt(None, cD, "db4"), pywt.idwt(None, cD, "db4"))
        _close(fb.iswt(sw, "db4"), pywt.iswt(sw, "db4"))
    assert fb.cache_info()["calls"].hits >= hits + 6


@pytest.mark.parametrize("wavelet", ["haar", "db2", "db4", "sym9", "db20"])
def test_one_short_synthesis_op_serves_every_dtype_with_its_own_rows(wavelet):
    # the op is cached by step and shape, not dtype; its rows are 64 bytes of each dtype (P of 8
    # pairs for float32, 4 for float64, or more where the filter is longer), so a repeat with another
    # dtype must take that dtype's matrix, windows and offset, with one band missing too
    rng = np.random.default_rng(8)
    x = rng.standard_normal(600) + 1j * rng.standard_normal(600)
    c128 = pywt.dwt(x, wavelet, "reflect")
    for _ in range(2):
        for dtype, rel in ((np.float32, 2e-6), (np.float64, 1e-12), (np.complex64, 2e-6), (np.complex128, 1e-12)):
            a, d = (c.astype(dtype) if np.iscomplexobj(np.zeros(1, dtype)) else c.real.astype(dtype) for c in c128)
            for pair in ((a, d), (None, d), (a, None)):
                want = pywt.idwt(*(None if c is None else c.astype(np.complex128) for c in pair), wavelet, "reflect")
                got = fb.idwt(*pair, wavelet, "reflect")
                assert got.dtype == dtype and got.shape == want.shape
                np.testing.assert_allclose(got, want, rtol=0, atol=rel * np.abs(want).max())
    w = pywt.Wavelet(wavelet)
    k = types.SimpleNamespace(filter_length=w.dec_len, synthesis_lo=np.array(w.rec_lo), synthesis_hi=np.array(w.rec_hi))
    rows = {char: numpy_blocks._synthesis_blocks(k, pairs)[2] for char, pairs in numpy_blocks._ROW_PAIRS.items()}
    L = w.dec_len
    assert rows == {c: max(2 * pairs, L - 2) for c, pairs in {"f": 8, "F": 8, "d": 4, "D": 4}.items()}


def test_float32_small_signals_meet_pywavelets_own_reconstruction_bound():
    # PyWavelets' test_perfect_reconstruction: rms error below 6e-7 in float32, every wavelet and mode;
    # 'smooth' extrapolates two samples over 41 for db21, where float32 BLAS sums once missed it
    rng = np.random.default_rng(12345)
    for wavelet in ("db21", "db29", "coif16"):
        for n in (2, 3, 6, 11, 40):
            x = rng.random(n).astype(np.float32)
            a, d = fb.dwt(x, wavelet, "smooth")
            pa, pd = pywt.dwt(x, wavelet, "smooth")
            assert a.dtype == np.float32
            np.testing.assert_allclose(a, pa, rtol=0, atol=2e-6 * np.abs(pa).max())
            rec = fb.idwt(a, d, wavelet, "smooth")[:n]
            assert np.sqrt(np.mean((x - rec) ** 2)) < 6e-7, (wavelet, n)


def test_a_nested_approximation_is_refused_or_answered_never_a_crash():
    c = [np.arange(8.0), np.ones(8)]
    try:
        out = fb.idwt((c,), None, "haar")
    except fb.FilterBankError:
        return
    np.testing.assert_allclose(out, pywt.idwt(np.asarray((c,)), None, "haar"), rtol=0, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_long_single_signals_are_block_products_equal_to_pywavelets(dtype, monkeypatch):
    # One long 1-D signal: products of blocks of a reshaped buffer (not the window product of a short one)
    calls = []
    product = numpy_blocks._block_product

    def counted(*args):
        calls.append(args[0].shape)
        return product(*args)

    monkeypatch.setattr(numpy_blocks, "_block_product", counted)
    fb.clear_caches()
    rng = np.random.default_rng(7)
    for wavelet, n in [("haar", 40001), ("db2", 9000), ("db4", 50001), ("sym5", 9001), ("bior3.5", 12000), ("coif3", 9002)]:
        x = rng.standard_normal(n)
        L = pywt.Wavelet(wavelet).dec_len
        rel = 1e-12 if dtype == np.float64 else 1e-6 * np.sqrt(L * 3)  # the float32 bound of transform.py
        for mode in ("symmetric", "periodization", "smooth", "zero", "antireflect"):
            ref = pywt.wavedec(x, wavelet, mode, level=3)
            got = fb.wavedec(x.astype(dtype), wavelet, mode, level=3)
            scale = max(np.abs(r).max() for r in ref)
            for g, r in zip(got, ref):
                assert g.dtype == dtype and g.flags.c_contiguous
                np.testing.assert_allclose(g, r, rtol=0, atol=rel * scale)
            coeffs = [c.astype(dtype) for c in ref]
            coeffs[-1] = None  # an absent band, as PyWavelets allows
            want = pywt.waverec([None if c is None else c.astype(np.float64) for c in coeffs], wavelet, mode)
            back = fb.waverec(coeffs, wavelet, mode)
            assert back.dtype == dtype
            np.testing.assert_allclose(back, want, rtol=0, atol=rel * np.abs(want).max())
            want = pywt.idwt(None, ref[-1], wavelet, mode)
            back = fb.idwt(None, ref[-1].astype(dtype), wavelet, mode)
            np.testing.assert_allclose(back, want, rtol=0, atol=rel * np.abs(want).max())
    assert len(calls) >= 12
    fb.clear_caches()


def test_long_signals_in_several_threads_do_not_share_scratch_buffers():
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(8)
    signals = [rng.standard_normal(30000) for _ in range(8)]
    refs = [pywt.wavedec(x, "db4", level=3) for x in signals]
    fb.waverec(refs[0], "db4")

    def run(i):
        return fb.wavedec(signals[i], "db4", level=3), fb.waverec(refs[i], "db4")

    for _ in range(3):
        with ThreadPoolExecutor(4) as pool:
            for i, (got, back) in enumerate(pool.map(run, range(8))):
                for g, r in zip(got, refs[i]):
                    _close(g, r)
                _close(back, pywt.waverec(refs[i], "db4"))


@pytest.mark.parametrize("n", [1024, 20000, 65536, (16, 1024), (3, 5000)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_nan_and_inf_stay_where_pywavelets_puts_them(n, dtype):
    """Block products (one signal, or a batch laid end to end) would spread a NaN through the zeros of their
    matrices, a batch's into its neighbour rows too; the result must not."""
    x = np.random.default_rng(12).standard_normal(n).astype(dtype)
    flat = x.reshape(-1)
    flat[flat.size // 3], flat[flat.size // 2] = np.nan, np.inf
    with np.errstate(invalid="ignore"):
        for got, ref in [
            (fb.wavedec(x, "db4", level=3), pywt.wavedec(x, "db4", level=3)),
            (fb.dwt(x, "sym5"), pywt.dwt(x, "sym5")),
            ([fb.waverec(pywt.wavedec(x, "db4", level=3), "db4")], [pywt.waverec(pywt.wavedec(x, "db4", level=3), "db4")]),
            ([fb.idwt(*pywt.dwt(x, "db2"), "db2")], [pywt.idwt(*pywt.dwt(x, "db2"), "db2")]),
        ]:
            for g, r in zip(got, ref):
                assert g.flags.c_contiguous  # the exact fallback's strided results are copied too
                np.testing.assert_array_equal(np.isnan(g), np.isnan(r))
                np.testing.assert_array_equal(np.isinf(g), np.isinf(r))
                finite = np.isfinite(r)
                np.testing.assert_allclose(g[finite], r[finite], rtol=0, atol=1e-5 * np.abs(r[finite]).max())


@pytest.mark.parametrize("shape", [(64, 64), (17, 40), (3, 30, 30)])
@pytest.mark.parametrize("mode", ["symmetric", "periodization", "zero"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_nan_and_inf_stay_where_pywavelets_puts_them_in_2d(shape, mode, dtype):
    """A small n-d synthesis step is one dense product (its zeros meet every sample); a NaN or inf must not spread."""
    x = np.random.default_rng(13).standard_normal(shape).astype(dtype)
    x.reshape(-1)[x.size // 3], x.reshape(-1)[x.size // 2] = np.nan, -np.inf
    with np.errstate(invalid="ignore"):
        c = pywt.wavedec2(x, "db4", mode, level=min(2, pywt.dwt_max_level(min(shape[-2:]), "db4")))
        pairs = [
            (fb.waverec2(c, "db4", mode), pywt.waverec2(c, "db4", mode)),
            (fb.idwt2(pywt.dwt2(x, "db2", mode), "db2", mode), pywt.idwt2(pywt.dwt2(x, "db2", mode), "db2", mode)),
            (fb.idwt(c[0], None, "db4", mode), pywt.idwt(c[0], None, "db4", mode)),  # along the last axis, one band
        ]
        for g, r in pairs:
            np.testing.assert_array_equal(np.isnan(g), np.isnan(r))
            np.testing.assert_array_equal(np.isinf(g), np.isinf(r))
            finite = np.isfinite(r)
            np.testing.assert_allclose(g[finite], r[finite], rtol=0, atol=1e-5 * np.abs(r[finite]).max())


@pytest.mark.parametrize("wavelet", ["haar", "db4", "sym5", "coif2", "bior3.5"])
@pytest.mark.parametrize("mode", ["symmetric", "periodization", "zero", "smooth", "periodic", "reflect", "antireflect"])
def test_small_2d_synthesis_equals_pywavelets(wavelet, mode):
    """The dense synthesis matrices (extension folded in) give PyWavelets' values, with one band or both."""
    rng = np.random.default_rng(14)
    for shape in [(64, 64), (9, 33), (2, 5, 20)]:
        x = rng.standard_normal(shape)
        level = min(2, pywt.dwt_max_level(min(shape[-2:]), wavelet))
        c = pywt.wavedec2(x, wavelet, mode, level=level)
        np.testing.assert_allclose(fb.waverec2(c, wavelet, mode), pywt.waverec2(c, wavelet, mode), rtol=1e-12, atol=1e-12 * np.abs(x).max())
        cA, (cH, cV, cD) = pywt.dwt2(x, wavelet, mode)
        for coeffs in [(cA, (None, cV, None)), (None, (cH, None, cD))]:
            r = pywt.idwt2(coeffs, wavelet, mode)
            np.testing.assert_allclose(fb.idwt2(coeffs, wavelet, mode), r, rtol=1e-12, atol=1e-12 * np.abs(r).max())
        x32 = x.astype(np.float32)
        c32 = pywt.wavedec2(x32, wavelet, mode, level=level)
        r32 = pywt.waverec2(c32, wavelet, mode)
        g32 = fb.waverec2(c32, wavelet, mode)
        assert g32.dtype == r32.dtype
        np.testing.assert_allclose(g32, r32, rtol=0, atol=1e-5 * np.abs(r32).max())


@pytest.mark.parametrize("wavelet", ["haar", "db4", "db21", "coif16", "bior6.8"])
def test_float32_short_synthesis_is_as_close_as_pywavelets_float32(wavelet):
    # short synthesis sums float32 bands in float32: its error against the float64 result stays
    # within twice PyWavelets' own float32 error for random coefficients (every mode, lengths from
    # 2 to 1000), and within 6 float32 ulps of the largest sample for coefficients spread over e+-8
    rng = np.random.default_rng(7)
    for mode in pywt.Modes.modes:
        for n in (2, 3, 11, 40, 1000):
            a, d = pywt.dwt(rng.random(n).astype(np.float32), wavelet, mode)
            exact = pywt.idwt(a.astype(np.float64), d.astype(np.float64), wavelet, mode)
            ours, theirs = fb.idwt(a, d, wavelet, mode), pywt.idwt(a, d, wavelet, mode)
            assert ours.dtype == np.float32 and ours.shape == exact.shape
            scale = np.abs(exact).max()
            bound = 2 * np.abs(theirs - exact).max() + 2 * np.finfo(np.float32).eps * scale
            assert np.abs(ours - exact).max() <= bound, (mode, n)
            spread = rng.standard_normal(n) * np.exp(rng.uniform(-8, 8, n))
            a, d = (c.astype(np.float32) for c in pywt.dwt(spread, wavelet, mode))
            exact = pywt.idwt(a.astype(np.float64), d.astype(np.float64), wavelet, mode)
            error = np.abs(fb.idwt(a, d, wavelet, mode) - exact).max()
            assert error <= 6 * np.finfo(np.float32).eps * np.abs(exact).max(), (mode, n)


def test_a_stored_call_never_answers_a_bool_for_an_int():
    # True == 1 and False == 0 hash alike: a repeat with a bool must take the full path and its checks
    x = np.random.default_rng(8).standard_normal(64)
    for _ in range(3):
        fb.wavedec(x, "db2", level=1)
        fb.dwt(x, "db2", axis=0)
        fb.idwt(*pywt.dwt(x, "db2"), "db2", axis=0)
    with pytest.raises(ValueError, match="level must be a non-negative integer or None; got True"):
        fb.wavedec(x, "db2", level=True)
    with pytest.raises(ValueError, match="axes must contain integers; got False"):
        fb.dwt(x, "db2", axis=False)
    with pytest.raises(ValueError, match="must contain integers; got False"):
        fb.idwt(*pywt.dwt(x, "db2"), "db2", axis=False)
    ca, cd = pywt.dwt(x, "db2")
    _close(fb.idwt(ca, cd, "db2", axis=0), pywt.idwt(ca, cd, "db2"))


@pytest.mark.parametrize("shape", [(2, 1024), (16, 1024), (5, 3, 777), (128, 1024), (3, 40000)])
@pytest.mark.parametrize("wavelet", ["haar", "db2", "db4", "sym7", "bior3.5", "db20"])
def test_batches_along_the_last_axis_as_one_signal_equal_pywavelets(shape, wavelet):
    # a batch's block products lay its rows end to end: every row's coefficients equal PyWavelets' alone
    x = np.random.default_rng(13).standard_normal(shape)
    for mode in ("symmetric", "periodization", "smooth", "zero"):
        for _ in range(2):  # the product kept between calls must not leak into the next call's answer
            got = fb.wavedec(x, wavelet, mode, level=2)
            ref = pywt.wavedec(x, wavelet, mode, level=2)
            for g, r in zip(got, ref):
                assert g.shape == r.shape and g.flags.c_contiguous
                _close(g, r)
            back, want = fb.waverec(ref, wavelet, mode), pywt.waverec(ref, wavelet, mode)
            assert back.shape == want.shape and back.flags.c_contiguous
            _close(back, want)
            _close(fb.idwt(ref[1], None, wavelet, mode), pywt.idwt(ref[1], None, wavelet, mode))  # one band absent
            x = x[..., ::-1].copy()


@pytest.mark.parametrize("shape", [(16, 1023), (40000,)])
@pytest.mark.parametrize("wavelet", ["db20", "coif17", "dmey"])
def test_float32_smooth_block_products_are_as_close_as_pywavelets(shape, wavelet):
    # 'smooth' extrapolates the edges linearly; block products sum float32 in float64 there
    x = np.random.default_rng(14).standard_normal(shape).astype(np.float32)
    exact = pywt.wavedec(x.astype(np.float64), wavelet, "smooth", level=2)
    scale = max(np.abs(c).max() for c in exact)

    def error(coeffs):
        return max(np.abs(c - e).max() for c, e in zip(coeffs, exact)) / scale

    ours = fb.wavedec(x, wavelet, "smooth", level=2)
    assert all(c.dtype == np.float32 and c.flags.c_contiguous for c in ours)
    assert error(ours) <= 1.2 * error(pywt.wavedec(x, wavelet, "smooth", level=2))
