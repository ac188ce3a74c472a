"""Tests that kill sampled mutmut survivors of the numpy executor and the TensorFlow executors.

Every result is compared with PyWavelets.
"""

from __future__ import annotations

import numpy as np
import pytest
import pywt

import filterbank as fb


@pytest.mark.parametrize("mode", ["symmetric", "periodization", "zero"])
def test_a_complex_signal_round_trips_as_in_pywavelets_on_the_numpy_tier(mode):
    # one small complex signal: the numpy executor's single-signal loops (complex128 throughout)
    rng = np.random.default_rng(5)
    x = rng.standard_normal(23) + 1j * rng.standard_normal(23)
    want = pywt.wavedec(x, "db3", mode, level=2)
    got = fb.wavedec(x, "db3", mode, level=2)
    for g, w in zip(got, want):
        assert g.dtype == np.complex128
        np.testing.assert_allclose(g, w, rtol=0, atol=1e-12)
    back = fb.waverec(want, "db3", mode)
    np.testing.assert_allclose(back, pywt.waverec(want, "db3", mode), rtol=0, atol=1e-12)
    assert np.abs(back.imag).max() > 0.1
