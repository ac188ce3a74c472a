"""Tests that kill sampled mutmut survivors of filterbank.swt, against PyWavelets."""

from __future__ import annotations

import numpy as np
import pytest
import pywt

import filterbank as fb


@pytest.mark.parametrize(("func", "inverse", "shape"), [("swt", "iswt", (32,)), ("swt2", "iswt2", (16, 16))])
def test_the_inverse_on_tensorflow_returns_numpy_for_numpy_input(func, inverse, shape):
    # numpy in, numpy out on every tier: here the TensorFlow one (the numpy tier switched off)
    x = np.random.default_rng(3).standard_normal(shape)
    coeffs = getattr(pywt, func)(x, "db2", level=2)
    want = getattr(pywt, inverse)(coeffs, "db2")
    with fb.execution(numpy_always_below=0, numpy_below=0):
        got = getattr(fb, inverse)(coeffs, "db2")
    assert type(got) is np.ndarray and got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got, x, rtol=0, atol=1e-12)
