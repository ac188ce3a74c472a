"""Property-test your own TensorFlow filter and your own filter bank with ``filterbank.testing``: copy this file.

``my_filter`` below stands for *your* code: a causal FIR low-pass written with
raw ``tf.nn.conv1d``, the way one writes it inside a model. Property tests
check it against scipy on hundreds of random signals of every length, with a
tolerance that scales with the dtype and the number of taps (``assert_close``),
and check the properties a low-pass must have. Change ``my_filter`` (remove the
``[::-1]`` flip, say) and watch the first test fail with a shrunk example.

``firwin_qmf.yaml`` stands for *your* bank: ``bank_properties`` turns it into
three tests in one line (round trip within its declared tolerance, the same
coefficients as PyWavelets given the same taps, aliasing within what
``filterbank check`` reports). They run on filterbank's numpy tier, so a
counterexample shrinks in seconds; a failure prints a ``BankCase(...)`` to
paste into ``assert_round_trip(BANK, ...)``.

Run it with::

    python -m pytest examples/test_my_filter.py -q
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import scipy.signal  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import filterbank as fb  # noqa: E402
from filterbank.testing import assert_close, bank_properties, dtypes, load_profile, signals  # noqa: E402

load_profile()  # filterbank-ci unless $HYPOTHESIS_PROFILE says otherwise (filterbank-dev: the deep run)

#: An asymmetric (minimum-phase) low-pass, so that a missing flip cannot hide.
TAPS = scipy.signal.minimum_phase(scipy.signal.firwin(31, 0.2), method="homomorphic")

fast = settings(max_examples=int(os.environ.get("MY_FILTER_EXAMPLES", "60")), deadline=None)

#: The bank under test: a 40-tap Kaiser-windowed QMF bank, declared near-PR within 1e-2.
BANK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "firwin_qmf.yaml")
bank = bank_properties(BANK, dtypes=("float64", "float32"))
test_my_bank_round_trip = fast(bank.round_trip)
test_my_bank_matches_pywavelets = fast(bank.pywavelets_parity)
test_my_bank_aliasing = fast(bank.aliasing)


def my_filter(x: np.ndarray) -> np.ndarray:
    """The code under test: y[n] = sum_j TAPS[j] x[n - j] (scipy's lfilter(TAPS, 1, x)), on TensorFlow."""
    import tensorflow as tf

    kernel = tf.constant(TAPS[::-1].reshape(-1, 1, 1), dtype=x.dtype)  # conv1d correlates: flip the taps
    padded = tf.pad(tf.constant(x)[None, :, None], [[0, 0], [TAPS.size - 1, 0], [0, 0]])
    return tf.nn.conv1d(padded, kernel, stride=1, padding="VALID")[0, :, 0].numpy()


@fast
@given(signals(ndim=1, max_side=300, dtype=dtypes()))
def test_equals_scipy_lfilter(x):
    expected = scipy.signal.lfilter(TAPS, [1.0], x.astype(np.float64))
    assert_close(my_filter(x), expected, terms=TAPS.size, scale=np.abs(x).max() * np.abs(TAPS).sum())


@fast
@given(signals(ndim=1, max_side=300))
def test_equals_filterbank_convolve(x):
    # fb.convolve is scipy's convolution on TensorFlow; a causal filter is its first len(x) samples
    assert_close(my_filter(x), fb.convolve(x, TAPS, "full")[: x.size], terms=TAPS.size)


@fast
@given(signals(ndim=1, min_side=1, max_side=200), signals(ndim=1, min_side=1, max_side=200),
       st.floats(-10, 10), st.floats(-10, 10))
def test_is_linear(x, y, a, b):
    n = min(x.size, y.size)
    x, y = x[:n], y[:n]
    assert_close(my_filter(a * x + b * y), a * my_filter(x) + b * my_filter(y), terms=2 * TAPS.size,
                 scale=(abs(a) + abs(b) + 1) * max(np.abs(x).max(), np.abs(y).max()) * np.abs(TAPS).sum())


@fast
@given(st.integers(TAPS.size, 400), st.floats(-100, 100))
def test_passes_dc_once_the_taps_are_filled(n, level):
    y = my_filter(np.full(n, level))
    np.testing.assert_allclose(y[TAPS.size - 1:], level * TAPS.sum(), rtol=1e-12, atol=1e-12)
    assert abs(TAPS.sum() - 1.0) < 1e-2  # firwin scales the pass band to unit gain


def test_scales_the_nyquist_tone_by_the_frequency_response():
    # for x[n] = (-1)**n the filled output is (-1)**n * H(pi), H(pi) = sum_j TAPS[j] (-1)**j
    n = np.arange(256)
    y = my_filter((-1.0) ** n)
    h_nyquist = np.sum(TAPS * (-1.0) ** np.arange(TAPS.size))
    np.testing.assert_allclose(y[TAPS.size - 1:], h_nyquist * (-1.0) ** n[TAPS.size - 1:], rtol=1e-12, atol=1e-14)
    assert abs(h_nyquist) < 0.05  # a low-pass: the stop band is at least 26 dB down at Nyquist
