"""The packet Keras layers against PyWavelets' WaveletPacket: values, gradients, save / load, model.fit."""

from __future__ import annotations

import numpy as np
import pytest
import pywt
import tensorflow as tf

import filterbank as fb
from filterbank.keras import PacketDecomposition, PacketReconstruction
from filterbank.testing import assert_close

keras = pytest.importorskip("keras")


def _pywt_level(x: np.ndarray, wavelet: str, mode: str, level: int, order: str) -> np.ndarray:
    """PyWavelets' nodes of ``level`` (last axis), stacked on axis 1."""
    wp = pywt.WaveletPacket(x.astype(np.float64), wavelet, mode, maxlevel=level)
    return np.stack([n.data for n in wp.get_level(level, order)], axis=1)


@pytest.mark.parametrize(("wavelet", "mode", "order"), [("db2", "symmetric", "freq"), ("sym3", "periodization", "natural"),
                                                         ("bior2.2", "reflect", "freq")])
def test_packet_layer_equals_pywavelets_1d(wavelet, mode, order):
    x = np.random.default_rng(0).normal(size=(3, 45)).astype(np.float32)
    out = PacketDecomposition(wavelet, level=3, mode=mode, order=order)(x)
    assert_close(out, _pywt_level(x, wavelet, mode, 3, order), dtype="float32", terms=12)


def test_packet_layer_equals_pywavelets_2d_natural_and_inverts_channels_last_images():
    x = np.random.default_rng(1).normal(size=(2, 12, 20, 3)).astype(np.float32)
    dec = PacketDecomposition("db2", level=2, mode="symmetric", axes=(1, 2), order="natural")
    out = dec(x)
    assert tuple(out.shape) == (2, 16, 5, 7, 3)
    for b in range(2):
        for c in range(3):
            wp = pywt.WaveletPacket2D(x[b, :, :, c].astype(np.float64), "db2", "symmetric", maxlevel=2)
            ref = np.stack([n.data for n in wp.get_level(2)])
            assert_close(out[b, :, :, :, c], ref, dtype="float32", terms=16)
    assert_close(dec.inverse()(out), x, dtype="float32", terms=16)


def test_gradient_is_the_adjoint_pywavelets_reconstruction_for_an_orthogonal_bank():
    # For an orthogonal bank with periodization the packet transform W is orthogonal:
    # d<W x, g>/dx = W^T g = W^-1 g, which PyWavelets' reconstruction computes.
    rng = np.random.default_rng(2)
    x = tf.Variable(rng.normal(size=(1, 64)).astype(np.float32))
    g = rng.normal(size=(1, 8, 8)).astype(np.float32)
    layer = PacketDecomposition("db3", level=3, mode="periodization", order="natural")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x) * g)
    wp = pywt.WaveletPacket(None, "db3", "periodization", maxlevel=3)
    for k, path in enumerate(n.path for n in pywt.WaveletPacket(np.zeros(64), "db3", "periodization").get_level(3)):
        wp[path] = g[0, k].astype(np.float64)
    assert_close(tape.gradient(loss, x)[0], wp.reconstruct(update=False), dtype="float32", terms=24)


def test_saved_model_with_a_custom_bank_loads_and_trains_with_an_unknown_batch(tmp_path):
    bank = fb.FilterBank.from_wavelet("bior2.2")
    inputs = keras.Input(shape=(40,))
    dec = PacketDecomposition(bank, level=2, mode="symmetric", name="wp")
    nodes = dec(inputs)
    assert tuple(nodes.shape) == (None, 4, 13)
    model = keras.Model(inputs, dec.inverse(name="iwp")(nodes))
    x = np.random.default_rng(3).normal(size=(5, 40)).astype(np.float32)
    assert_close(model(x), x, dtype="float32", terms=8)
    path = tmp_path / "packets.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert_close(loaded(x), x, dtype="float32", terms=8)
    clone = PacketReconstruction.from_config(loaded.get_layer("iwp").get_config())
    assert (clone.bank, clone.mode, clone.order, clone.length) == (bank, "symmetric", "freq", (40,))

    energies = keras.layers.Lambda(lambda c: tf.reduce_mean(c**2, axis=-1))(nodes)
    head = keras.Model(inputs, keras.layers.Dense(1)(energies))
    head.compile(optimizer="sgd", loss="mse")
    y = _pywt_level(x, "bior2.2", "symmetric", 2, "freq")[:, 0].mean(axis=1, keepdims=True).astype(np.float32)
    x_fit, y_fit = np.tile(x, (4, 1)), np.tile(y, (4, 1))
    before = head.evaluate(x_fit, y_fit, verbose=0)
    head.fit(x_fit, y_fit, batch_size=6, epochs=4, verbose=0)  # batches of 6 and a last one of 2
    assert head.evaluate(x_fit, y_fit, verbose=0) < before


@pytest.mark.parametrize(
    ("cls", "kwargs", "match"),
    [
        (PacketDecomposition, {"level": 0}, r"level must be an int >= 1; got 0"),
        (PacketDecomposition, {"axes": (1, 2, 3)}, r"axes must name one or two axes for a packet layer; got \(1, 2, 3\)"),
        (PacketDecomposition, {"axes": (0,)}, r"axes must not include 0, the batch axis of a Keras layer"),
        (PacketDecomposition, {"order": "frequency"}, r"order must be one of 'natural', 'freq'; got 'frequency'"),
        (PacketReconstruction, {"length": (4, 4)}, r"length must be one int >= 1 per axis of axes \(-1,\); got \(4, 4\)"),
    ],
)
def test_bad_packet_layer_arguments(cls, kwargs, match):
    with pytest.raises(fb.InputError, match=match):
        cls("haar", **kwargs)


def test_packet_inverse_needs_a_built_layer():
    with pytest.raises(fb.InputError, match=r"inverse\(\): this decomposition has not seen its input yet"):
        PacketDecomposition("haar", level=1).inverse()
