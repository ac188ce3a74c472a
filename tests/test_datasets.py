"""tf.data and tf.distribute (issue 17): coefficient datasets, MirroredStrategy, MultiWorkerMirroredStrategy."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.datasets import coefficient_dataset, list_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def npy_folder(tmp_path):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((16, 12)) for _ in range(5)]
    for i, a in enumerate(arrays):
        np.save(tmp_path / f"x{i}.npy", a)
    return tmp_path, arrays


def test_npy_files_become_wavedec2_coefficients_equal_to_pywt(npy_folder):
    folder, arrays = npy_folder
    ds = coefficient_dataset(folder, "wavedec2", wavelet="db2", level=2, mode="symmetric", dtype="float64")
    want0 = pywt.wavedec2(arrays[0], "db2", "symmetric", 2)
    assert tuple(ds.element_spec[0].shape) == want0[0].shape  # static shapes, known before reading
    elements = list(ds)
    assert len(elements) == 5
    for got, a in zip(elements, arrays, strict=True):
        want = pywt.wavedec2(a, "db2", "symmetric", 2)
        np.testing.assert_allclose(got[0].numpy(), want[0], rtol=1e-12, atol=1e-12)
        for g, w in zip(got[1:], want[1:], strict=True):
            for x, y in zip(g, w, strict=True):
                np.testing.assert_allclose(x.numpy(), y, rtol=1e-12, atol=1e-12)


def test_glob_batches_paths_and_float32(npy_folder):
    folder, arrays = npy_folder
    ds = coefficient_dataset(str(folder / "x[0-3].npy"), "wavedec", wavelet="haar", level=1, axis=0,
                             batch_size=2, with_paths=True)
    batches = list(ds)
    assert len(batches) == 2
    paths, (cA, cD) = batches[1]
    assert [Path(p.decode()).name for p in paths.numpy()] == ["x2.npy", "x3.npy"]
    assert cA.dtype.name == "float32" and tuple(cA.shape) == (2, 8, 12)
    want = pywt.wavedec(np.stack(arrays[2:4]).astype(np.float32), "haar", level=1, axis=1)
    np.testing.assert_allclose(cD.numpy(), want[1], rtol=1e-5, atol=1e-5)


def test_images_are_decoded_and_transformed_over_height_and_width(tmp_path):
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(1)
    images = [rng.integers(0, 256, (10, 14, 3), dtype=np.uint8) for _ in range(3)]
    for i, im in enumerate(images):
        (tmp_path / f"im{i}.png").write_bytes(tf.io.encode_png(im).numpy())
    ds = coefficient_dataset(tmp_path, "dwt2", wavelet="haar", dtype="float64")
    for (cA, (cH, cV, cD)), im in zip(ds, images, strict=True):
        want = pywt.dwt2(im.astype(np.float64), "haar", axes=(0, 1))
        assert tuple(cA.shape) == (5, 7, 3)
        np.testing.assert_allclose(cA.numpy(), want[0], rtol=1e-12)
        np.testing.assert_allclose(cD.numpy(), want[1][2], rtol=1e-12, atol=1e-12)
    grey = next(iter(coefficient_dataset(tmp_path, "dwt2", wavelet="haar", channels=1, dtype="float64")))
    assert tuple(grey[0].shape) == (5, 7, 1)
    (tmp_path / "im9.png").write_bytes(tf.io.encode_png(images[0][:8]).numpy())
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"(?s)first image.{1,3}s shape \(10, 14, 3\).*im9\.png"):
        list(coefficient_dataset(tmp_path, "dwt2", wavelet="haar"))


def test_bad_arguments_and_mismatched_files(npy_folder, tmp_path):
    folder, _ = npy_folder
    with pytest.raises(fb.InputError, match=r"^files: no file matches '.*nothing\*\.npy'$"):
        coefficient_dataset(str(folder / "nothing*.npy"))
    with pytest.raises(fb.InputError, match=r"transform.*'wavedec2'"):
        coefficient_dataset(folder, "wavedec3")
    with pytest.raises(fb.InputError, match=r"dtype.*'float64'"):
        coefficient_dataset(folder, dtype="int8")
    with pytest.raises(fb.InputError, match=r"batch_size"):
        coefficient_dataset(folder, batch_size=0)
    with pytest.raises(fb.InputError, match=r"level"):
        coefficient_dataset(folder, "wavedec2", wavelet="haar", level=99)
    (tmp_path / "empty").mkdir()
    with pytest.raises(fb.InputError, match=r"holds no \.npy or image file"):
        list_files(tmp_path / "empty")
    np.save(folder / "x9.npy", np.zeros((3, 3)))
    ds = coefficient_dataset(folder, "dwt2", wavelet="haar")
    with pytest.raises(Exception, match=r"x9\.npy' has shape \(3, 3\); the first file had \(16, 12\)"):
        list(ds)


def _run(code: str, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.Popen[str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", **(env or {})}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=full_env)


_MODEL = """
    import json, numpy as np, pywt
    from filterbank.keras import WaveletDecomposition
    def build(keras):
        inputs = keras.Input(shape=(32,))
        coeffs = WaveletDecomposition("db2", level=2, mode="symmetric")(inputs)
        outputs = keras.layers.Dense(1, kernel_initializer="zeros")(coeffs[0])
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
        return model, keras.Model(inputs, coeffs[0])
    rng = np.random.default_rng(4)
    x = rng.normal(size=(64, 32)).astype(np.float32)
    y = pywt.wavedec(x, "db2", mode="symmetric", level=2)[0].sum(axis=1, keepdims=True).astype(np.float32)
"""


def test_keras_layers_under_mirrored_strategy_on_two_logical_cpus():
    proc = _run(_MODEL + """
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    strategy = tf.distribute.MirroredStrategy([d.name for d in tf.config.list_logical_devices("CPU")])
    import keras
    with strategy.scope():
        model, features = build(keras)
    before = model.evaluate(x, y, verbose=0, batch_size=16)
    model.fit(x, y, batch_size=16, epochs=4, verbose=0)
    after = model.evaluate(x, y, verbose=0, batch_size=16)
    cA = features.predict(x, verbose=0, batch_size=16)
    err = float(np.abs(cA - pywt.wavedec(x, "db2", mode="symmetric", level=2)[0]).max())
    print(json.dumps({"replicas": strategy.num_replicas_in_sync, "before": before, "after": after, "err": err}))
    """)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert result["replicas"] == 2
    assert result["after"] < 0.5 * result["before"]
    assert result["err"] < 1e-5  # the layer's coefficients, computed on the replicas, equal PyWavelets (float32)


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def test_multi_worker_mirrored_strategy_with_two_localhost_processes():
    # Keras 3's model.fit does not run under MultiWorkerMirroredStrategy (keras-team/keras#20585), so this is
    # TensorFlow's custom-loop recipe: the layer runs in each worker's replica, gradients are all-reduced.
    ports = _free_ports(2)
    cluster = {"worker": [f"localhost:{p}" for p in ports]}
    code = _MODEL + """
    import tensorflow as tf
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    layer = WaveletDecomposition("db2", level=2, mode="symmetric")
    with strategy.scope():
        w = tf.Variable(tf.zeros((10, 1)))
    task = json.loads(__import__("os").environ["TF_CONFIG"])["task"]["index"]
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    dist = strategy.experimental_distribute_dataset(ds)

    @tf.function
    def step(xb, yb):
        def replica(xb, yb):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((layer(xb)[0] @ w - yb) ** 2)
            grad = tape.gradient(loss, w)
            grad = tf.distribute.get_replica_context().all_reduce("MEAN", grad)
            w.assign_sub(0.05 * grad)
            return loss
        return strategy.reduce("MEAN", strategy.run(replica, args=(xb, yb)), axis=None)

    losses = [float(step(xb, yb)) for _ in range(3) for xb, yb in dist]
    print(json.dumps({"replicas": strategy.num_replicas_in_sync, "task": task, "w": w.numpy().ravel().tolist(),
                      "first": losses[0], "last": losses[-1]}))
    """
    procs = [_run(code, {"TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}})})
             for i in range(2)]
    results = []
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err[-3000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for proc in procs:
            proc.kill()
            proc.communicate()
    assert [r["replicas"] for r in results] == [2, 2] and [r["task"] for r in results] == [0, 1]
    # synchronous all-reduce: both workers end with the same, trained weights
    np.testing.assert_allclose(results[0]["w"], results[1]["w"], rtol=1e-6)
    assert np.abs(results[0]["w"]).sum() > 0 and results[0]["last"] < results[0]["first"]
