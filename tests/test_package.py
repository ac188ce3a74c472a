"""The package as a user meets it: import cost, public API, README, command line."""

from __future__ import annotations

import doctest
import inspect
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

import pytest

import filterbank as fb

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def test_import_does_not_import_tensorflow():
    proc = run_python(
        "import sys, filterbank, filterbank.testing, filterbank.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_all_is_sorted_explicit_and_documented():
    assert list(fb.__all__) == sorted(fb.__all__)
    assert len(set(fb.__all__)) == len(fb.__all__)
    for name in fb.__all__:
        obj = getattr(fb, name)
        if callable(obj) or inspect.isclass(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"


def test_optional_arguments_are_keyword_only_after_the_data():
    # PyWavelets-style positional names (x, kernel, mode / data, wavelet, mode, level)
    # may be positional; everything else is keyword-only.
    positional_ok = {"x", "kernel", "mode", "data", "wavelet", "level", "coeffs", "cA", "cD", "path", "source", "self"}
    # scipy.signal's own positions, so that scipy calls port unchanged
    scipy_positional = {
        "convolve": {"method"},
        "correlate": {"method"},
        "convolve2d": {"boundary", "fillvalue"},
        "correlate2d": {"boundary", "fillvalue"},
        # pywt.cwt's own positions (its tests pass the sampling period positionally)
        "cwt": {"sampling_period", "method", "axis"},
    }
    # PyWavelets' utilities whose own tests pass these positionally, so that pywt calls port unchanged
    pywt_positional = {
        "threshold": {"value", "substitute"},
        "coeffs_to_array": {"padding", "axes"},
        "ravel_coeffs": {"axes"},
        "array_to_coeffs": {"output_format"},
        "unravel_coeffs": {"output_format"},
        "upcoef": {"take"},
        "wavedecn_shapes": {"axes"},
        "dwtn_max_level": {"axes"},
        "wavelist": {"family", "kind"},
        "families": {"short"},
    }
    for name in fb.__all__:
        obj = getattr(fb, name)
        if not inspect.isfunction(obj):
            continue
        allowed = positional_ok | scipy_positional.get(name, set()) | pywt_positional.get(name, set())
        for p in inspect.signature(obj).parameters.values():
            if p.default is not inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD:
                assert p.name in allowed, f"{name}({p.name}=...) should be keyword-only"


def test_package_is_mypy_clean(tmp_path):
    api = pytest.importorskip("mypy.api")
    out, err, status = api.run(
        [str(ROOT / "filterbank"), "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path)]
    )
    assert status == 0, out + err


def test_readme_examples_run():
    failures, tried = doctest.testfile(
        str(ROOT / "README.md"), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert tried > 5
    assert failures == 0


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "<!-- test-command -->" in readme
    assert "<!-- test-command -->" in ci
    block = readme.split("<!-- test-command -->", 1)[1].split("```bash", 1)[1].split("```", 1)[0].strip()
    assert block.startswith("python3 -m venv .venv") and "pytest" in block
    assert readme.count("```bash") == 2, "the quickstart has exactly two commands"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "filterbank", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


def test_cli_help_and_unknown_command():
    proc = cli("--help")
    assert proc.returncode == 0
    assert "demo" in proc.stdout
    bad = cli("nosuchcommand")
    assert bad.returncode == 2
    assert "invalid choice" in bad.stderr


def test_demo_shows_the_trap_and_the_wavelets_quietly(tmp_path):
    # no wall-clock bound here: times are measured in benchmarks, never asserted (they move 2-10x with load)
    proc = cli("demo", "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", "the demo must not print TensorFlow log noise"
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line.startswith("  ")}
    raw_err = float(lines["raw"].split()[2])
    ours_err = float(lines["filterbank.convolve"].split()[1])
    assert raw_err > 10.0
    assert ours_err < 1e-9
    # wavelet rows: signal, shape, level, reconstruction error, error against PyWavelets, times
    camera = lines["camera"].split()
    assert camera[1:4] == ["(512,", "512)", "3"]
    assert float(camera[4]) < 1e-9 and float(camera[5]) < 1e-9
    ecg = lines["ecg"].split()
    assert ecg[1:3] == ["(1024,)", "5"]
    assert float(ecg[3]) < 1e-9 and float(ecg[4]) < 1e-9
    for name in ("convolution-trap.png", "wavelet-mosaic.png", "ecg-scalogram.png"):
        assert (tmp_path / "out" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_mosaic_places_subbands_like_pywavelets():
    import pywt

    from filterbank.cli.demo import mosaic

    x = np.random.default_rng(1).normal(size=(16, 16))
    c = pywt.wavedec2(x, "haar", level=2)
    ours = mosaic(c)
    # pywt.coeffs_to_array lays the same subbands out; compare where each one is (scaling aside)
    theirs, slices = pywt.coeffs_to_array(c)
    assert ours.shape == theirs.shape
    for level, keys in enumerate(slices[1:], start=1):
        for key, where in keys.items():
            band = theirs[where]
            np.testing.assert_allclose(ours[where], np.abs(band) / np.abs(band).max(), err_msg=f"{level} {key}")


def test_mosaic_layout_names_every_subband_where_pywavelets_puts_it():
    import pywt

    from filterbank.cli.demo import mosaic_layout

    c = pywt.wavedec2(np.random.default_rng(2).normal(size=(16, 16)), "haar", level=2)
    _, boxes = mosaic_layout(c)
    array, slices = pywt.coeffs_to_array(c)
    where = {"cA2": slices[0]}
    for j, keys in zip((2, 1), slices[1:]):
        where.update({f"cH{j}": keys["da"], f"cV{j}": keys["ad"], f"cD{j}": keys["dd"]})
    assert sorted(name for name, *_ in boxes) == sorted(where)
    for name, row, col, height, width in boxes:
        rows, cols = (range(*part.indices(n)) for part, n in zip(where[name], array.shape))
        assert (rows.start, cols.start, len(rows), len(cols)) == (row, col, height, width)


def test_demo_pictures_show_the_difference_name_the_subbands_and_have_colour_bars(tmp_path, monkeypatch):
    import pywt.data

    from filterbank.cli import demo

    figures = {}
    monkeypatch.setattr(demo, "_save", lambda fig, path, force: figures.setdefault(path.name, fig))
    image = pywt.data.camera()[::8, ::8].astype(np.float64)
    result = demo.run_trap(image, demo.demo_kernel())
    demo._write_trap_png(tmp_path, image, result, False)
    trap = figures["convolution-trap.png"]
    titles = [ax.get_title() for ax in trap.axes]
    assert f"raw tf.nn.conv2d - scipy\nmax |err| {result['err_tf_conv2d']:.3g}" in titles
    difference = trap.axes[titles.index(f"raw tf.nn.conv2d - scipy\nmax |err| {result['err_tf_conv2d']:.3g}")]
    np.testing.assert_array_equal(difference.images[0].get_array(), result["tf_conv2d"] - result["scipy"])
    assert [ax.get_ylabel() for ax in trap.axes if ax.get_ylabel()] == ["difference (image units, 0..255)"] * 2

    coeffs = pywt.wavedec2(image, "db2", level=2)
    demo._write_mosaic_png(tmp_path, coeffs, "db2", False)
    mosaic_axes = figures["wavelet-mosaic.png"].axes
    assert sorted(t.get_text() for t in mosaic_axes[0].texts) == sorted(
        ["cA2", "cH2", "cV2", "cD2", "cH1", "cV1", "cD1"])
    assert len(mosaic_axes) == 2 and "subband max" in mosaic_axes[1].get_ylabel()  # the colour bar

    ecg = pywt.data.ecg()[:256].astype(np.float64)
    demo._write_scalogram_png(tmp_path, ecg, pywt.wavedec(ecg, "db2", level=3), "db2", 4, False)
    assert [ax.get_ylabel() for ax in figures["ecg-scalogram.png"].axes][-1] == "|cD| / level max"


@pytest.mark.parametrize("module", ["filterbank.errors", "filterbank.modes", "filterbank.ops"])
def test_modules_have_docstrings(module):
    mod = __import__(module, fromlist=["_"])
    assert inspect.getdoc(mod)


def test_import_stays_light():
    # scipy.signal alone takes about a second to import; `import filterbank` must not pay it
    proc = run_python("import sys, filterbank; print('scipy.signal' in sys.modules, 'tensorflow' in sys.modules)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False"]


def test_autograph_calls_filterbank_as_plain_python():
    # Inside a user's tf.function, AutoGraph must not rewrite filterbank's code (or PyYAML's, which
    # a named bank loads while tracing): converted, one trace of `mdec` on "pqmf4" took 1.8 s, not 0.1 s.
    from filterbank.backend._tf import tf

    tf()
    from tensorflow.python.autograph.impl.conversion import is_allowlisted
    import yaml.scanner

    assert is_allowlisted(fb.wavedec) and is_allowlisted(fb.mdec) and is_allowlisted(yaml.scanner.Scanner.get_token)
    assert not is_allowlisted(test_import_stays_light)  # user code is still converted


def test_is_tensor_answers_plain_values_itself_and_asks_tensorflow_otherwise():
    from filterbank.backend._tf import is_tensor, tf

    TF = tf()
    for value in (np.zeros(3), [TF.constant(1.0)], (1, 2), {"a": 1}, 1, 1.5, 2j, True, "x", None):
        assert is_tensor(value) is False
    masked = np.ma.masked_array(np.zeros(3))  # a subclass: TensorFlow is asked, and says no
    assert is_tensor(masked) is False and is_tensor(np.float64(1.0)) is False
    for value in (TF.constant([1.0]), TF.Variable(1.0), TF.ragged.constant([[1.0], []])):
        assert is_tensor(value) is True
