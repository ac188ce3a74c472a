"""MRA and the fully separable transform against PyWavelets (float64, 1e-12), batched, on tensors."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
import pywt

import filterbank as fb

RNG = np.random.default_rng(7)


def close(ours, theirs, tol=1e-12):
    """Equal within ``tol`` relative to the largest value (PyWavelets' and our rounding differ there)."""
    theirs = np.asarray(theirs)
    np.testing.assert_allclose(np.asarray(ours), theirs, rtol=0, atol=tol * max(1.0, float(np.abs(theirs).max())))


@pytest.mark.parametrize("wavelet", ["haar", "db3", "sym4", "bior2.4", "coif2"])
@pytest.mark.parametrize("transform", ["swt", "dwt"])
def test_mra_equals_pywt(wavelet, transform):
    x = RNG.normal(size=128)
    mode = "periodization" if transform == "swt" else "smooth"
    warns = transform == "swt" and not pywt.Wavelet(wavelet).orthogonal  # both warn: norm=True loses energy
    with pytest.warns(UserWarning, match="orthogonal") if warns else contextlib.nullcontext():
        ours = fb.mra(x, wavelet, level=3, transform=transform, mode=mode)
    with pytest.warns(UserWarning, match="orthogonal") if warns else contextlib.nullcontext():
        theirs = pywt.mra(x, wavelet, level=3, transform=transform, mode=mode)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        close(a, b)
    close(fb.imra(ours), x, 1e-10)  # the bank's own reconstruction error


@pytest.mark.parametrize("transform", ["swt2", "dwt2", "swt", "dwt"])
def test_mra2_equals_pywt(transform):
    x = RNG.normal(size=(16, 24))
    ours = fb.mra2(x, "db2", level=2, transform=transform)
    theirs = pywt.mra2(x, "db2", level=2, transform=transform + ("2" if len(transform) == 3 else ""))
    close(ours[0], theirs[0])
    for a, b in zip(ours[1:], theirs[1:]):
        for u, v in zip(a, b):
            close(u, v)
    close(fb.imra2(ours), x, 1e-10)  # the bank's own reconstruction error


@pytest.mark.parametrize("transform", ["swtn", "dwtn"])
def test_mran_equals_pywt(transform):
    x = RNG.normal(size=(8, 8, 8))
    ours = fb.mran(x, "haar", level=2, transform=transform)
    theirs = pywt.mran(x, "haar", level=2, transform=transform)
    close(ours[0], theirs[0])
    for a, b in zip(ours[1:], theirs[1:]):
        assert sorted(a) == sorted(b)
        for k in a:
            close(a[k], b[k])
    close(fb.imran(ours), x, 1e-10)  # the bank's own reconstruction error


def test_mra_batched_and_on_tensors():
    tf = pytest.importorskip("tensorflow")
    x = RNG.normal(size=(3, 32))
    ours = fb.mra(x, "db2", level=2)
    for row in range(3):
        for a, b in zip(ours, pywt.mra(x[row], "db2", level=2)):
            close(a[row], b)
    tensors = fb.mra(tf.constant(x), "db2", level=2, transform="dwt", mode="symmetric")
    assert all(tf.is_tensor(t) for t in tensors)
    for a, b in zip(tensors, fb.mra(x, "db2", level=2, transform="dwt", mode="symmetric")):
        close(a.numpy(), b)


def test_mra_refuses_bad_transform_and_mode():
    with pytest.raises(fb.InputError, match="transform must be one of"):
        fb.mra(np.ones(8), "haar", transform="cwt")
    with pytest.raises(fb.InputError, match="only mode='periodization'"):
        fb.mra(np.ones(8), "haar", mode="symmetric")


@pytest.mark.parametrize("levels", [None, 1, (2, 1)])
def test_fswavedecn_equals_pywt(levels):
    x = RNG.normal(size=(16, 12))
    ours = fb.fswavedecn(x, ("db2", "haar"), ("symmetric", "periodization"), levels=levels)
    theirs = pywt.fswavedecn(x, ("db2", "haar"), ("symmetric", "periodization"), levels=levels)
    close(ours.coeffs, theirs.coeffs)
    assert ours.coeff_slices == theirs.coeff_slices
    assert ours.detail_keys() == theirs.detail_keys()
    assert ours.levels == list(theirs.levels) and ours.modes == theirs.modes
    for k in ours.detail_keys():
        close(ours[k], theirs[k])
    close(fb.fswaverecn(ours), x, 1e-10)


def test_fswaverecn_keeps_odd_shapes_and_batches():
    x = RNG.normal(size=(2, 7, 9))
    r = fb.fswavedecn(x, "db2", axes=(1, 2))
    assert fb.fswaverecn(r).shape == x.shape
    close(fb.fswaverecn(r), x)


def test_fswavedecn_on_tensors():
    tf = pytest.importorskip("tensorflow")
    x = RNG.normal(size=(8, 8))
    r = fb.fswavedecn(tf.constant(x), "haar")
    assert tf.is_tensor(r.coeffs)
    close(r.coeffs.numpy(), pywt.fswavedecn(x, "haar").coeffs)
    close(fb.fswaverecn(r).numpy(), x)


def test_fswavedecnresult_setitem_checks():
    r = fb.fswavedecn(np.ones((32, 32)), "sym2", levels=(1, 2))
    k = r.detail_keys()[-1]
    r[k] = np.zeros_like(r[k])
    with pytest.raises(fb.CoefficientsError, match="has shape"):
        r[k] = np.zeros((1, 1))
    with pytest.warns(fb.FilterBankWarning, match="dtype mismatch"):
        r[k] = np.zeros_like(r[k]).astype(np.float32)
    with pytest.raises(fb.CoefficientsError, match="exceeds the levels"):
        r[(5, 0)]
    with pytest.raises(fb.InputError, match="levels must give one level"):
        fb.fswavedecn(np.ones((8, 8)), "haar", levels=(1, 1, 1))
