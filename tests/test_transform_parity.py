"""float64 parity with PyWavelets: every discrete wavelet x every mode, short and odd lengths.

Each sweep runs twice: on TensorFlow, eagerly (``tf.config.run_functions_eagerly``,
so hundreds of distinct shapes do not each pay a compile; the compiled paths
are covered by ``test_transform.py`` and ``test_tiers.py``), and on the numpy
executor that serves small numpy inputs. Each call transforms a small batch of
signals at once.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import pywt

import filterbank as fb

WAVELETS = pywt.wavelist(kind="discrete")
RTOL = 1e-12


@pytest.fixture(autouse=True, scope="module")
def eager():
    import tensorflow as tf

    tf.config.run_functions_eagerly(True)
    yield
    tf.config.run_functions_eagerly(False)


@pytest.fixture(params=["conv", "numpy"])
def executor(request):
    """Each sweep runs on TensorFlow (eager conv ops) and on the numpy executor."""
    return request.param


def close(got, want, what, scale=None):
    """Equal within 1e-12 relative to ``scale`` (default: ``want``'s largest value, at least 1).

    The documented bound is relative to the largest coefficient of the whole
    decomposition: pass it as ``scale`` for a multi-level list, whose deep
    details can be cancellations of much larger approximations.
    """
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != pywt {want.shape}"
    scale = max(1.0, float(np.abs(want).max(initial=0.0)) if scale is None else scale)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=RTOL * scale, err_msg=what)


def pywt_or_error(fn, *args, **kw):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args, **kw), None
    except ValueError as exc:
        return None, exc


@pytest.mark.parametrize("name", WAVELETS)
def test_dwt_every_mode_every_length_class(name, executor):
    L = pywt.Wavelet(name).dec_len
    rng = np.random.default_rng(len(name))
    for mode in fb.MODES:
        for n in sorted({1, 2, L - 1, L + 3, 2 * L + 2}):
            x = rng.standard_normal((2, n))
            want, err = pywt_or_error(pywt.dwt, x, name, mode)
            if err is not None:
                with pytest.raises(fb.FilterBankError, match="length >= 2"):
                    fb.dwt(x, name, mode, executor=executor)
                continue
            cA, cD = fb.dwt(x, name, mode, executor=executor)
            close(cA, want[0], f"{name} {mode} n={n} cA")
            close(cD, want[1], f"{name} {mode} n={n} cD")
            rec = fb.idwt(cA, cD, name, mode, executor=executor)
            close(rec, pywt.idwt(want[0], want[1], name, mode), f"{name} {mode} n={n} idwt")


@pytest.mark.parametrize("name", WAVELETS)
def test_wavedec_waverec_every_mode_all_levels(name, executor):
    L = pywt.Wavelet(name).dec_len
    n = 4 * L + 3  # odd; the max level's list holds every level below it, max + 1 is too deep
    x = np.random.default_rng(7).standard_normal((2, n))
    max_level = pywt.dwt_max_level(n, L)
    for mode in fb.MODES:
        for level in (max_level, max_level + 1):
            deep = level > max_level
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = pywt.wavedec(x, name, mode, level)
            if deep:
                with pytest.warns(fb.FilterBankWarning, match=f"level {level} is too high"):
                    got = fb.wavedec(x, name, mode, level, executor=executor)
            else:
                got = fb.wavedec(x, name, mode, level, executor=executor)
            assert len(got) == len(want)
            largest = max(float(np.abs(w).max()) for w in want)
            for j, (g, w) in enumerate(zip(got, want)):
                close(g, w, f"{name} {mode} level {level} coeffs[{j}]", largest)
            # PyWavelets' list: treated as PyWavelets does (odd length comes back + 1)
            rec = pywt.waverec(want, name, mode)
            close(fb.waverec(want, name, mode, executor=executor), rec, f"{name} {mode} waverec")
            # our coefficients: exactly the input shape back, no trimming by the caller
            close(fb.waverec(got, name, mode, executor=executor), rec[:, :n], f"{name} {mode} level {level} exact")


TWO_D = ["haar", "db2", "sym3", "coif1", "bior2.2", "rbio3.1"]


@pytest.mark.parametrize("name", TWO_D)
@pytest.mark.parametrize("mode", fb.MODES)
def test_wavedec2_waverec2(name, mode, executor):
    x = np.random.default_rng(3).standard_normal((2, 13, 10))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # level 2 is too deep for some of these filters
        want = pywt.wavedec2(x, name, mode, level=2)
        got = fb.wavedec2(x, name, mode, level=2, executor=executor)
    close(got[0], want[0], "cA")
    for j in (1, 2):
        for g, w in zip(got[j], want[j]):
            close(g, w, f"details {j}")
    rec = pywt.waverec2(want, name, mode)
    close(fb.waverec2(want, name, mode, executor=executor), rec, "pywt list")
    close(fb.waverec2(got, name, mode, executor=executor), rec[:, :13, :10], "exact shape")
    cA, (cH, cV, cD) = fb.dwt2(x, name, mode, axes=(2, 1), executor=executor)
    pA, (pH, pV, pD) = pywt.dwt2(x, name, mode, axes=(2, 1))
    for g, w in [(cA, pA), (cH, pH), (cV, pV), (cD, pD)]:
        close(g, w, "dwt2 axes (2, 1)")
    close(fb.idwt2((pA, (pH, pV, pD)), name, mode, axes=(2, 1), executor=executor),
          pywt.idwt2((pA, (pH, pV, pD)), name, mode, axes=(2, 1)), "idwt2")


@pytest.mark.parametrize("name", ["db2", "bior1.3"])
@pytest.mark.parametrize("mode", fb.MODES)
def test_dwtn_wavedecn_3d(name, mode, executor):
    x = np.random.default_rng(4).standard_normal((7, 6, 9))
    want = pywt.dwtn(x, name, mode, axes=(0, 2))
    got = fb.dwtn(x, name, mode, axes=(0, 2), executor=executor)
    assert sorted(got) == sorted(want)
    for k in want:
        close(got[k], want[k], f"dwtn {k}")
    rec = pywt.idwtn(want, name, mode, axes=(0, 2))
    close(fb.idwtn(want, name, mode, axes=(0, 2), executor=executor), rec, "idwtn")
    close(fb.idwtn(got, name, mode, axes=(0, 2), executor=executor), rec[:7, :, :9], "idwtn exact shape")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wantn = pywt.wavedecn(x, name, mode, level=2)
        gotn = fb.wavedecn(x, name, mode, level=2, executor=executor)
    close(gotn[0], wantn[0], "wavedecn cA")
    for gd, wd in zip(gotn[1:], wantn[1:]):
        assert sorted(gd) == sorted(wd)
        for k in wd:
            close(gd[k], wd[k], f"wavedecn {k}")
    rec = pywt.waverecn(wantn, name, mode)
    close(fb.waverecn(wantn, name, mode, executor=executor), rec, "waverecn pywt list")
    close(fb.waverecn(gotn, name, mode, executor=executor), rec[:7, :6, :9], "waverecn exact")


PER_AXIS = [
    (("db2", "sym3", "haar"), ("symmetric", "periodization", "smooth")),
    (("bior2.2", "coif1", "db1"), ("zero", "antireflect", "reflect")),
    (("rbio3.1", "db3", "dmey"), "constant"),
    ("sym2", ("antisymmetric", "periodic", "symmetric")),
]


@pytest.mark.filterwarnings("ignore::UserWarning")  # level 2 is deep for dmey and the 9-sample axis
@pytest.mark.parametrize(("wavelets", "modes"), PER_AXIS)
def test_a_wavelet_and_a_mode_per_axis(wavelets, modes):
    x = np.random.default_rng(3).standard_normal((2, 13, 30, 9))
    axes = (1, 2, 3)
    ref, err = pywt_or_error(pywt.wavedecn, x, wavelets, modes, level=2, axes=axes)
    assert err is None
    ours = fb.wavedecn(x, wavelets, modes, level=2, axes=axes)
    close(ours[0], ref[0], "cA")
    for j, (d_ours, d_ref) in enumerate(zip(ours[1:], ref[1:])):
        assert sorted(d_ours) == sorted(d_ref)
        for key in d_ref:
            close(d_ours[key], d_ref[key], f"level {2 - j} {key}")
    back = fb.waverecn(ours, wavelets, modes, axes=axes)
    close(back, pywt.waverecn(ref, wavelets, modes, axes=axes)[:, :13, :30, :9], "waverecn")
    close(fb.waverecn(ref, wavelets, modes, axes=axes), pywt.waverecn(ref, wavelets, modes, axes=axes), "pywt list")
    single = fb.dwtn(x, wavelets, modes, axes=axes)
    single_ref = pywt.dwtn(x, wavelets, modes, axes=axes)
    for key in single_ref:
        close(single[key], single_ref[key], f"dwtn {key}")
    close(fb.idwtn(single, wavelets, modes, axes=axes), pywt.idwtn(single_ref, wavelets, modes, axes=axes)[:, :13, :30, :9], "idwtn")


def test_two_dimensional_functions_take_a_wavelet_per_axis():
    x = np.random.default_rng(4).standard_normal((3, 41, 40))
    w, m = ("db4", "haar"), ("periodization", "symmetric")
    ref = pywt.wavedec2(x, w, m, level=2)
    ours = fb.wavedec2(x, w, m, level=2)
    close(ours[0], ref[0], "cA")
    for d_ours, d_ref in zip(ours[1:], ref[1:]):
        for a, b in zip(d_ours, d_ref):
            close(a, b, "details")
    close(fb.waverec2(ours, w, m), x, "round trip")
    close(fb.waverec2(ref, w, m), pywt.waverec2(ref, w, m), "pywt list")
    cA, (cH, cV, cD) = fb.dwt2(x, w, m)
    rA, (rH, rV, rD) = pywt.dwt2(x, w, m)
    for a, b in ((cA, rA), (cH, rH), (cV, rV), (cD, rD)):
        close(a, b, "dwt2")
    close(fb.idwt2(fb.dwt2(x, w, m), w, m), x, "idwt2")


def test_the_default_level_is_limited_by_the_longest_filter():
    x = np.zeros((64, 64))
    w = ("haar", "db8")
    assert len(fb.wavedec2(x, w)) == len(pywt.wavedec2(x, w)) == 3  # db8 on 64 samples: 2 levels
    with pytest.warns(fb.FilterBankWarning, match=r"axis of length 64 and a filter of length 16 \(maximum useful level 2\)"):
        fb.wavedec2(x, w, level=3)


def test_per_axis_sequences_must_match_the_axes():
    x = np.zeros((8, 8))
    with pytest.raises(fb.InputError, match=r"wavelet: a sequence must give one entry per transformed axis \(2\); got 3"):
        fb.wavedec2(x, ("db1", "db2", "db3"))
    with pytest.raises(fb.InputError, match=r"mode: a sequence must give one entry per transformed axis \(1\); got 2"):
        fb.wavedec(x, "db1", ("zero", "smooth"))
    with pytest.raises(fb.InputError, match=r"mode must be one of .* got 'smoth' \(did you mean 'smooth'\?\)"):
        fb.dwt2(x, "db1", ("zero", "smoth"))
    p = fb.plan((8, 8), ("db1", "db2"), ("zero", "smooth"), axes=(0, 1))
    assert p.modes == ("zero", "smooth") and [k.filter_length for k in p.kernels] == [2, 4]
    with pytest.raises(fb.InputError, match=r"plan.filter_length: this plan uses a different bank per axis"):
        p.filter_length
    with pytest.raises(fb.InputError, match=r"plan.mode: this plan uses a mode per axis, \('zero', 'smooth'\)"):
        p.mode
    assert fb.plan((8, 8), ("db2", "db2"), "zero", axes=(0, 1)).filter_length == 4
