"""The CWT's tools: the scalogram plot, the ``filterbank cwt`` command and the Keras layer."""

from __future__ import annotations

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.cli import main
from filterbank.plot import scalogram


def test_scalogram_axes_and_errors(tmp_path):
    coefs, freqs = fb.cwt(np.sin(np.arange(300) / 3.0), fb.cwt_scales("morl", 1, 40, 12, fs=100), "morl", 0.01)
    fig = scalogram(coefs, freqs, fs=100, scale="db", title="t", path=tmp_path / "s.png")
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "time (s)" and ax.get_ylabel() == "frequency (Hz)"
    assert ax.get_xlim()[1] == pytest.approx(2.995, abs=0.01)
    assert (tmp_path / "s.png").stat().st_size > 1000
    with pytest.raises(fb.InputError, match=r"frequencies must be 12 positive numbers .*got shape \(11,\)"):
        scalogram(coefs, freqs[1:])
    with pytest.raises(fb.InputError, match=r"coefs must be 2-D .*got shape \(300,\)"):
        scalogram(coefs[0], freqs)


def test_cli_cwt_one_file_and_plot(tmp_path, capsys):
    x = pywt.data.ecg().astype(np.float64)[:512]
    np.save(tmp_path / "ecg.npy", x)
    code = main(["cwt", str(tmp_path / "ecg.npy"), "-o", str(tmp_path / "out.npz"), "--freqs", "1:100:16",
                 "--fs", "360", "--plot", str(tmp_path / "s.png")])
    assert code == 0
    assert capsys.readouterr().out.startswith("transformed 1 input with cmor1.5-1.0 at 16 frequencies")
    with np.load(tmp_path / "out.npz") as z:
        scales = fb.cwt_scales("cmor1.5-1.0", 1, 100, 16, fs=360)
        ref, f = pywt.cwt(x, scales, "cmor1.5-1.0", 1 / 360, method="fft")
        assert np.abs(z["coefs"] - ref).max() < 1e-10 * np.abs(ref).max()
        np.testing.assert_allclose(z["frequencies"], np.geomspace(1, 100, 16), rtol=1e-12)
        assert str(z["wavelet"]) == "cmor1.5-1.0"
    assert (tmp_path / "s.png").exists()
    assert main(["cwt", str(tmp_path / "ecg.npy"), "-o", str(tmp_path / "out.npz")]) == 2  # exists, no --force


def test_cli_cwt_folder_and_bad_arguments(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    for i in range(3):
        np.save(tmp_path / "in" / f"s{i}.npy", np.random.default_rng(i).standard_normal((2, 128)))
    assert main(["cwt", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--freqs", "2:50:8", "--hop", "4", "-q"]) == 0
    with np.load(tmp_path / "out" / "s1.npz") as z:
        assert z["coefs"].shape == (8, 2, 32)
    capsys.readouterr()
    assert main(["cwt", str(tmp_path / "in"), "-o", str(tmp_path / "o2"), "--freqs", "1:100"]) == 2
    assert "--freqs must be FMIN:FMAX:N" in capsys.readouterr().err
    assert main(["cwt", str(tmp_path / "in" / "s0.npy"), "-o", str(tmp_path / "x.npz"), "--freqs", "1:200:4"]) == 2
    assert "fmax <= fs/2 = 125" in capsys.readouterr().err
    assert main(["cwt", str(tmp_path / "in" / "s0.npy"), "-o", str(tmp_path / "x.npz"), "--wavelet", "db4"]) == 2
    assert "wavelet must be a continuous wavelet" in capsys.readouterr().err


def test_keras_scalogram_layer():
    tf = pytest.importorskip("tensorflow")
    from filterbank.keras import Scalogram

    x = np.random.default_rng(0).standard_normal((3, 96)).astype(np.float32)
    scales = [2.0, 5.0, 11.0]
    ref, _ = pywt.cwt(x, scales, "cmor1.5-1.0", method="fft")
    layer = Scalogram(scales, "cmor1.5-1.0", output="complex")
    got = layer(x).numpy()
    assert got.shape == (3, 3, 96)
    assert np.abs(got - np.moveaxis(ref, 0, 1)).max() < 1e-5 * np.abs(ref).max()
    power = Scalogram(scales, output="power", hop=2)
    model = tf.keras.Sequential([tf.keras.Input((96,)), power])
    assert np.abs(model(x).numpy() - np.abs(np.moveaxis(ref, 0, 1)[..., ::2]) ** 2).max() < 1e-4 * np.abs(ref).max() ** 2
    again = Scalogram.from_config(power.get_config())
    assert (again.scales, again.output_kind, again.hop, again.wavelet) == ((2.0, 5.0, 11.0), "power", 2, "cmor1.5-1.0")
    t = tf.Variable(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(Scalogram(scales)(t))
    assert np.isfinite(tape.gradient(loss, t).numpy()).all()
    with pytest.raises(fb.InputError, match=r"output must be one of 'magnitude', 'power', 'complex'; got 'abs'"):
        Scalogram(scales, output="abs")


def test_example_ecg_scalogram_finds_the_three_beats(tmp_path):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "examples" / "ecg_scalogram.py"
    spec = importlib.util.spec_from_file_location("example_ecg_scalogram", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    beats, power, freqs = module.detect_beats(pywt.data.ecg().astype(np.float64))
    assert len(beats) == 3 and np.all(np.abs(np.diff(beats) - 325) < 20)  # ~66 beats per minute at 360 Hz
    assert module.main([str(tmp_path / "ecg.png")]) == 0 and (tmp_path / "ecg.png").exists()
