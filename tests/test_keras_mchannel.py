"""The PQMF Keras layers (issue 16) against scipy's upfirdn: values, inverse, gradients, save / load, model.fit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import upfirdn

import filterbank as fb
from filterbank.keras import PQMFAnalysis, PQMFSynthesis
from filterbank.transforms.mchannel import as_mchannel

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")


def test_analysis_bands_equal_upfirdn_and_synthesis_the_sum_of_upfirdn():
    bank = as_mchannel("pqmf4")
    x = np.random.default_rng(0).standard_normal((3, 2, 200))
    bands = PQMFAnalysis("pqmf4")(x.astype(np.float32)).numpy()
    assert bands.shape == (3, 2, 4, 66) and tuple(PQMFAnalysis("pqmf4").compute_output_shape((None, 2, 200))) == (None, 2, 4, 66)
    for k, h in enumerate(bank.analysis):
        np.testing.assert_allclose(bands[..., k, :], upfirdn(h, x, 1, 4, axis=-1), rtol=0, atol=2e-6)
    y = PQMFSynthesis("pqmf4", length=200, dtype="float64")(bands.astype(np.float64)).numpy()
    ref = sum(upfirdn(g, bands[..., k, :].astype(np.float64), 4, 1, axis=-1) for k, g in enumerate(bank.synthesis))
    np.testing.assert_allclose(y, ref[..., bank.delay:bank.delay + 200], rtol=0, atol=1e-12)
    assert y.dtype == np.float64


def test_two_levels_split_every_band_and_dft_bank_reconstructs():
    x = np.random.default_rng(1).standard_normal((2, 512))
    bands = PQMFAnalysis("pqmf4", level=2, dtype="float64")(x).numpy()
    want = fb.mdec(x, "pqmf4", level=2, split="every")
    assert bands.shape[-2] == 16 == len(want)
    np.testing.assert_allclose(bands, np.stack(want, axis=-2), rtol=0, atol=1e-12)
    back = PQMFSynthesis("dft8", length=512, dtype="float64")(PQMFAnalysis("dft8", dtype="float64")(x)).numpy()
    np.testing.assert_allclose(back, x, rtol=0, atol=1e-9)  # dft8 is perfect reconstruction


def test_gradients_are_the_adjoint_of_band_one():
    bank = as_mchannel("pqmf4")
    n = 16
    x = tf.constant(np.random.default_rng(2).standard_normal((1, n)))
    w = np.random.default_rng(3).standard_normal((1, 4, (n + 62 + 3) // 4))
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(PQMFAnalysis("pqmf4", dtype="float64")(x) * w)
    grad = tape.gradient(loss, x).numpy()[0]
    eye = np.eye(n)
    want = [sum(np.sum(w[0, k] * upfirdn(h, eye[i], 1, 4)) for k, h in enumerate(bank.analysis)) for i in range(n)]
    np.testing.assert_allclose(grad, want, rtol=0, atol=1e-12)


def test_model_with_unknown_batch_saves_loads_and_trains(tmp_path):
    custom = {"filterbank": 1, "kind": "mchannel", "channels": 4, "design": "cosine_modulated",
              "prototype": {"numtaps": 31, "cutoff": 0.15197372693, "beta": 5.0}, "perfect_reconstruction": False,
              "tolerance": 0.05}
    inputs = keras.Input(shape=(128,))
    bands = PQMFAnalysis(custom)(inputs)
    weighted = keras.layers.Dense(bands.shape[-1])(bands)
    outputs = PQMFSynthesis(custom, length=128)(weighted)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    rng = np.random.default_rng(4)
    x = rng.standard_normal((20, 128)).astype(np.float32)
    before = model.evaluate(x, x, verbose=0)
    model.fit(x, x, batch_size=6, epochs=3, verbose=0)  # last batch of 2: the batch size is unknown when traced
    assert model.evaluate(x, x, verbose=0) < before
    # saving: the layers alone (Keras warns on numpy 2 when it saves a Dense kernel, which is not ours to test)
    plain = keras.Model(inputs, PQMFSynthesis(custom, length=128)(PQMFAnalysis(custom)(inputs)))
    path = tmp_path / "pqmf.keras"
    plain.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), plain.predict(x, verbose=0), rtol=0, atol=1e-6)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), x, rtol=0, atol=0.1)  # near-perfect reconstruction
    assert loaded.layers[1].get_config()["bank"]["prototype"]["numtaps"] == 31


@pytest.mark.parametrize(("make", "match"), [
    (lambda: PQMFAnalysis("pqmf4", level=0), r"level"),
    (lambda: PQMFAnalysis("pqmf5"), r"pqmf5"),
    (lambda: PQMFSynthesis("pqmf4", length=0), r"length"),
    (lambda: PQMFSynthesis("pqmf4")(np.zeros((2, 3, 10), np.float32)), r"bands = 4; got shape \(2, 3, 10\)"),
])
def test_bad_layer_arguments_are_refused(make, match):
    with pytest.raises((fb.InputError, fb.SpecError, fb.FilterBankTypeError), match=match):
        make()


def test_pqmf_audio_example_finds_each_tone_in_its_band_and_reconstructs():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "examples" / "pqmf_audio.py"
    spec = importlib.util.spec_from_file_location("pqmf_audio", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    r = module.run(fast=True)
    shares = r["band shares"]
    assert np.argmax(shares[1000.0]) == 0 and shares[1000.0][0] > 0.99  # 1 kHz in band 0 (0-2 kHz at 16 kHz)
    assert np.argmax(shares[5000.0]) == 2 and shares[5000.0][2] > 0.99  # 5 kHz in band 2 (4-6 kHz)
    assert r["band 0 vs upfirdn"] < 1e-5  # float32 against scipy in float64
    assert r["snr db"] > 60


def test_bench_m1_quick_rows_agree_with_scipy():
    from filterbank.bench.mchannel import format_mchannel, run_mchannel

    rows = run_mchannel(quick=True, repeat=1)
    assert rows[0].name.startswith("scipy") and len(rows) >= 4
    assert all(r.seconds > 0 and r.max_rel_diff < 1e-5 for r in rows)
    assert "scipy" in format_mchannel(rows)
