"""Keras layers against PyWavelets, inside models, through save/load and gradients."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import pywt
import tensorflow as tf

import filterbank as fb
from filterbank.keras import WaveletDecomposition, WaveletReconstruction
from filterbank.testing import assert_close

keras = pytest.importorskip("keras")
ROOT = Path(__file__).resolve().parents[1]


def test_decomposition_layer_equals_pywavelets_2d():
    x = np.random.default_rng(0).normal(size=(2, 16, 12, 3)).astype(np.float32)
    out = WaveletDecomposition("db2", level=2, mode="symmetric", axes=(1, 2))(x)
    ref = pywt.wavedec2(x.astype(np.float64), "db2", mode="symmetric", level=2, axes=(1, 2))
    assert len(out) == 3
    assert_close(out[0], ref[0], dtype="float32", terms=16)
    for got, want in zip(out[1:], ref[1:], strict=True):
        assert isinstance(got, tuple) and len(got) == 3
        for g, w in zip(got, want, strict=True):
            assert_close(g, w, dtype="float32", terms=16)


def test_decomposition_layer_one_and_three_axes():
    x = np.random.default_rng(1).normal(size=(2, 8, 12, 8)).astype(np.float32)
    one = WaveletDecomposition("sym3", level=1, mode="periodic", axes=2)(x)
    ref = pywt.wavedec(x.astype(np.float64), "sym3", mode="periodic", level=1, axis=2)
    for g, w in zip(one, ref, strict=True):
        assert_close(g, w, dtype="float32", terms=6)
    three = WaveletDecomposition("haar", level=1, axes=(1, 2, 3))(x)
    ref3 = pywt.wavedecn(x.astype(np.float64), "haar", mode="periodization", level=1, axes=(1, 2, 3))
    assert sorted(three[1]) == sorted(ref3[1])
    for key in ref3[1]:
        assert_close(three[1][key], ref3[1][key], dtype="float32", terms=8)


def test_functional_model_reconstructs_its_input_and_trains_through_the_transform():
    inputs = keras.Input(shape=(16, 16, 1))
    coeffs = WaveletDecomposition("db2", level=2, axes=(1, 2))(inputs)
    outputs = WaveletReconstruction("db2", axes=(1, 2))(coeffs)
    model = keras.Model(inputs, outputs)
    x = np.random.default_rng(2).normal(size=(4, 16, 16, 1)).astype(np.float32)
    assert_close(model(x), x, dtype="float32", terms=16)
    v = tf.Variable(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(v) ** 2)
    # an orthogonal bank with periodization: the round trip is the identity, gradient 2x
    assert_close(tape.gradient(loss, v), 2 * x, dtype="float32", terms=16)


def test_config_round_trip_and_saving_with_a_custom_bank(tmp_path):
    bank = fb.FilterBank.from_wavelet("bior2.2")
    layer = WaveletDecomposition(bank, level=2, mode="symmetric", axes=-1, name="dwt")
    clone = WaveletDecomposition.from_config(layer.get_config())
    assert clone.bank == bank and clone.level == 2 and clone.mode == "symmetric" and clone.axes == (-1,)
    inputs = keras.Input(shape=(32,))
    outputs = WaveletReconstruction(bank, mode="symmetric")(layer(inputs))
    model = keras.Model(inputs, outputs)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    x = np.random.default_rng(3).normal(size=(2, 32)).astype(np.float32)
    assert_close(loaded(x), model(x), dtype="float32", terms=6)
    assert_close(loaded(x), x, dtype="float32", terms=6)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"level": 0}, r"level must be an int >= 1; got 0"),
        ({"axes": (1, 1)}, r"axes must be one axis or distinct axes; got \(1, 1\)"),
        ({"axes": (0, 1)}, r"axes must not include 0, the batch axis of a Keras layer; got \(0, 1\)"),
        ({"mode": "periodisation"}, r"mode must be one of .*got 'periodisation' \(did you mean 'periodization'\?\)"),
    ],
)
def test_bad_layer_arguments(kwargs, match):
    with pytest.raises(fb.InputError, match=match):
        WaveletDecomposition("haar", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"length": 0}, r"length must be one int >= 1 per axis of axes \(-1,\); got 0"),
        ({"length": (4, 4)}, r"length must be one int >= 1 per axis of axes \(-1,\); got \(4, 4\)"),
        ({"length": 5, "axes": (1, 2)}, r"length must be one int >= 1 per axis of axes \(1, 2\); got 5"),
    ],
)
def test_bad_reconstruction_lengths(kwargs, match):
    with pytest.raises(fb.InputError, match=match):
        WaveletReconstruction("haar", **kwargs)


def test_reconstruction_layer_is_exact_on_odd_sizes_with_length_or_as_the_inverse(tmp_path):
    x = np.random.default_rng(5).normal(size=(3, 37)).astype(np.float32)
    dec = WaveletDecomposition("db2", level=2, mode="symmetric")
    coeffs = dec(x)
    plain = WaveletReconstruction("db2", mode="symmetric")(coeffs)
    ref = pywt.waverec(pywt.wavedec(x.astype(np.float64), "db2", mode="symmetric", level=2), "db2", mode="symmetric")
    assert tuple(plain.shape) == ref.shape == (3, 38)  # PyWavelets' length rule
    exact = WaveletReconstruction("db2", mode="symmetric", length=37)(coeffs)
    assert tuple(exact.shape) == (3, 37)
    assert_close(exact, x, dtype="float32", terms=8)
    assert_close(dec.inverse()(coeffs), x, dtype="float32", terms=8)
    with pytest.raises(fb.InputError, match=r"length 40 along axis -1 exceeds the reconstruction's length 38"):
        WaveletReconstruction("db2", mode="symmetric", length=40)(coeffs)

    inputs = keras.Input(shape=(11, 13))
    dec2 = WaveletDecomposition("sym3", level=1, mode="reflect", axes=(1, 2))
    coeffs2 = dec2(inputs)
    rec2 = dec2.inverse(name="idwt")
    assert (rec2.length, rec2.mode, rec2.axes, rec2.name) == ((11, 13), "reflect", (1, 2), "idwt")
    model = keras.Model(inputs, rec2(coeffs2))
    images = np.random.default_rng(6).normal(size=(2, 11, 13)).astype(np.float32)
    assert_close(model(images), images, dtype="float32", terms=12)
    assert WaveletReconstruction.from_config(rec2.get_config()).length == (11, 13)
    path = tmp_path / "exact.keras"
    model.save(path)
    assert_close(keras.models.load_model(path)(images), images, dtype="float32", terms=12)


def test_inverse_needs_a_built_layer():
    dec = WaveletDecomposition("haar", level=1)
    with pytest.raises(fb.InputError, match=r"inverse\(\): this decomposition has not seen its input yet; .*length="):
        dec.inverse()
    dec(keras.Input(shape=(9,)))
    assert dec.inverse().length == (9,)


QUIET_KERAS = """
import numpy as np
from filterbank.keras import WaveletDecomposition, WaveletReconstruction
dec = WaveletDecomposition("db2", level=2, mode="symmetric")
c = dec(np.ones((2, 37), "float32"))
print(tuple(dec.inverse()(c).shape))
"""

USER_IMPORTS_TENSORFLOW_FIRST = """
import sys
import numpy as np
import tensorflow as tf
tf.constant([1.0]) + 1  # the user's own first op: TensorFlow's device logs are theirs
print("--- filterbank from here", file=sys.stderr, flush=True)
import filterbank as fb
from filterbank.keras import WaveletDecomposition
x = tf.constant(np.ones((4, 1000), "float32"))
fb.wavedec(x, "db4", level=3, compile="always")  # XLA's one-time log lines would print here
print(len(WaveletDecomposition("haar", level=2)(np.ones((1, 64), "float32"))))
"""


def test_keras_import_and_use_print_no_tensorflow_log():
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, "-c", QUIET_KERAS], capture_output=True, text=True, env=env, timeout=300)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "(2, 37)\n", "")
    proc = subprocess.run([sys.executable, "-c", USER_IMPORTS_TENSORFLOW_FIRST], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0 and proc.stdout == "3\n", proc.stderr
    assert proc.stderr.endswith("--- filterbank from here\n"), proc.stderr


def test_model_fit_with_unknown_batch_size():
    # Training traces the model with batch size None: the layer must cope.
    inputs = keras.Input(shape=(32,))
    coeffs = WaveletDecomposition("db2", level=2, mode="symmetric")(inputs)
    outputs = keras.layers.Dense(1)(coeffs[0])
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    rng = np.random.default_rng(4)
    x = rng.normal(size=(24, 32)).astype(np.float32)
    y = pywt.wavedec(x, "db2", mode="symmetric", level=2)[0].sum(axis=1, keepdims=True).astype(np.float32)
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, batch_size=8, epochs=5, verbose=0)
    after = model.evaluate(x, y, verbose=0)
    assert np.isfinite(after) and after < before
