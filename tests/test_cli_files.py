"""``filterbank decompose / reconstruct / info`` end to end, through a real subprocess.

Coefficients are compared with ``pywt.wavedecn`` on the same arrays, and the
round trip with the input itself (shape, dtype and values).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest
import pywt
import yaml

import filterbank as fb
from filterbank.cli._archive import read_coefficients, write_coefficients

ROOT = Path(__file__).resolve().parents[1]
#: The metadata decompose records for a 1-D input of 4 float64 samples, haar level 1.
META = {"level": 1, "mode": "symmetric", "axes": [0], "spec": {"name": "haar"},
        "input": {"shape": [4], "dtype": "float64", "image": False}}

def cli(*args: str, cwd: Path | None = None, exe: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env["PYTHONPATH"] = str(ROOT)
    cmd = (exe or [sys.executable, "-m", "filterbank"]) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from PIL import Image

    d = tmp_path_factory.mktemp("inputs")
    rng = np.random.default_rng(6)
    np.save(d / "odd.npy", rng.normal(size=(37, 41)))
    np.save(d / "single.npy", rng.normal(size=(37, 41)).astype(np.float32))
    Image.fromarray(pywt.data.camera()[:101, :99]).save(d / "cam.png")
    Image.fromarray(rng.integers(0, 256, size=(40, 34, 3), dtype=np.uint8)).save(d / "rgb.png")
    np.savez(d / "pair.npz", x=np.arange(45.0), y=rng.integers(-99, 99, size=(9, 11)).astype(np.int16))
    (d / "notes.txt").write_text("ignored by folder expansion")
    return d


@pytest.mark.parametrize("command", ["decompose", "reconstruct", "info", "demo"])
def test_every_command_has_help(command):
    proc = cli(command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"usage: filterbank {command}")
    assert "``" not in proc.stdout


def test_info_reports_versions_devices_and_tf32():
    proc = cli("info", "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    info = json.loads(proc.stdout)
    assert info["filterbank"] == fb.__version__
    assert info["packages"]["PyWavelets"] == metadata.version("PyWavelets")
    assert info["packages"]["numpy"] == np.__version__
    assert any(d["type"] == "CPU" for d in info["devices"])
    assert isinstance(info["tf32"], bool)
    table = cli("info")
    assert table.returncode == 0
    assert "TF32" in table.stdout and "devices" in table.stdout


def test_decompose_refuses_bad_arguments_before_any_work(inputs, tmp_path):
    one_line_error(cli("decompose", "db2", str(inputs / "odd.npy"), "-o", str(tmp_path / "o.npz"), "--mode", "symetric"),
                   "mode must be one of", "did you mean 'symmetric'")
    one_line_error(cli("decompose", "db2", str(tmp_path / "missing.npy"), "-o", str(tmp_path / "o.npz")),
                   "missing.npy' does not exist")
    one_line_error(cli("decompose", "db2", str(inputs / "notes.txt"), "-o", str(tmp_path / "o.npz")),
                   "unsupported type", ".npy")
    one_line_error(cli("decompose", "db2", str(tmp_path / "*.npy"), "-o", str(tmp_path / "o")), "matches no files")
    one_line_error(cli("decompose", "db2", str(inputs / "odd.npy"), "-o", str(tmp_path / "o.npz"), "--axes", "0;1"),
                   "--axes must be comma-separated integers")
    one_line_error(cli("decompose", "db99", str(inputs / "odd.npy"), "-o", str(tmp_path / "o.npz")), "db99")
    taps = {k: np.array([0.5, 0.5]) for k in ("dec_lo", "dec_hi", "rec_lo", "rec_hi")}
    coeffs = write_coefficients(tmp_path / "c.npz", [np.ones(2), {"d": np.ones(2)}], META, taps, force=False)
    one_line_error(cli("decompose", "db2", str(coeffs), "-o", str(tmp_path / "o.npz")),
                   "is a coefficient file; invert it with filterbank reconstruct")
    coeffs.unlink()
    assert not list(tmp_path.iterdir()), "nothing may be written when arguments are bad"


def test_usage_errors_are_one_line_too(tmp_path):
    one_line_error(cli("decompose", "db2", "x.npy"), "required: -o/--output", "see filterbank decompose --help")
    one_line_error(cli("decompose", "db2", "x.npy", "-o", str(tmp_path / "o"), "--level", "-1"),
                   "argument --level: must be an integer >= 0; got -1")
    one_line_error(cli("reconstruct", "c.npz", "-o", "x.npy", "--frobnicate"), "unrecognized arguments: --frobnicate")


def test_decompose_never_overwrites_without_force(inputs, tmp_path):
    target = tmp_path / "exists.npz"
    target.write_bytes(b"precious")
    one_line_error(cli("decompose", "haar", str(inputs / "odd.npy"), "-o", str(target)), "exists; pass --force")
    assert target.read_bytes() == b"precious"


def test_reconstruct_rejects_foreign_and_truncated_archives(tmp_path):
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, x=np.ones(4))
    one_line_error(cli("reconstruct", str(foreign), "-o", str(tmp_path / "x.npy")),
                   "not a readable filterbank coefficient file", "written by another program")
    good = tmp_path / "good.npz"
    taps = {k: np.array([0.5, 0.5]) for k in ("dec_lo", "dec_hi", "rec_lo", "rec_hi")}
    write_coefficients(good, [np.ones(8), {"d": np.zeros(8)}], META, taps, force=False)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[:-100])
    one_line_error(cli("reconstruct", str(truncated), "-o", str(tmp_path / "t.npy")), "truncated or corrupt")
    one_line_error(cli("reconstruct", str(tmp_path / "nothere.npz"), "-o", str(tmp_path / "t.npy")), "does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["foreign.npz", "good.npz", "truncated.npz"]


def test_archive_checks_subbands_against_its_metadata(tmp_path):
    taps = {k: np.array([0.5, 0.5]) for k in ("dec_lo", "dec_hi", "rec_lo", "rec_hi")}
    path = write_coefficients(tmp_path / "c.npz", [np.ones(3), {"d": np.zeros(3)}], META, taps, force=False)
    with np.load(path) as z:
        arrays = dict(z)
    arrays["d1_d"] = np.zeros(5)
    np.savez(tmp_path / "edited.npz", **arrays)
    with pytest.raises(fb.CoefficientsError, match=r"subband 'd1_d' has shape \(5,\), metadata says \(3,\)"):
        read_coefficients(tmp_path / "edited.npz")
    del arrays["d1_d"]
    np.savez(tmp_path / "missing.npz", **arrays)
    with pytest.raises(fb.CoefficientsError, match="subband 'd1_d' is missing"):
        read_coefficients(tmp_path / "missing.npz")


def test_folder_round_trip_equals_pywavelets_and_the_input(inputs, tmp_path):
    from PIL import Image

    out, back = tmp_path / "coeffs", tmp_path / "back"
    proc = cli("decompose", "db2", str(inputs), "-o", str(out), "--level", "2", "--batch-size", "2")
    assert proc.returncode == 0, proc.stderr
    assert "100%" in proc.stderr  # the progress bar
    assert "decomposed 6 inputs with db2 (mode symmetric; arrays 1-D along the last axis (--2d or --axes for " \
           "others), images 2-D over axes 0,1)" in proc.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == ["cam.npz", "odd.npz", "pair-x.npz", "pair-y.npz", "rgb.npz", "single.npz"]

    odd = np.load(inputs / "odd.npy")
    c = read_coefficients(out / "odd.npz")
    ref = pywt.wavedecn(odd, "db2", mode="symmetric", level=2, axes=(-1,))  # pywt.wavedec's axis
    np.testing.assert_allclose(c.coeffs[0], ref[0], rtol=0, atol=1e-12 * np.abs(ref[0]).max())
    for ours, theirs in zip(c.coeffs[1:], ref[1:]):
        assert sorted(ours) == sorted(theirs)
        for key in theirs:
            np.testing.assert_allclose(ours[key], theirs[key], rtol=0, atol=1e-12 * np.abs(ref[0]).max())
    assert c.meta["input"] == {"source": str(inputs / "odd.npy"), "shape": [37, 41], "dtype": "float64", "image": False}
    assert (c.meta["mode"], c.meta["level"], c.meta["axes"], c.meta["dtype"]) == ("symmetric", 2, [1], "float64")
    assert c.meta["spec"]["name"] == "db2" and c.meta["filterbank_version"] == fb.__version__
    assert fb.FilterBank.from_spec(fb.FilterBankSpec.from_dict(yaml.safe_load(c.meta["spec"]["yaml"]))) == fb.load("db2")
    np.testing.assert_array_equal(c.taps["dec_lo"], pywt.Wavelet("db2").dec_lo)

    assert read_coefficients(out / "cam.npz").meta["axes"] == [0, 1]
    rgb = read_coefficients(out / "rgb.npz")
    assert rgb.meta["axes"] == [0, 1] and rgb.coeffs[0].shape[-1] == 3  # colour channels are not transformed
    assert read_coefficients(out / "single.npz").coeffs[0].dtype == np.float32

    proc = cli("reconstruct", str(out), "-o", str(back))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in back.iterdir()) == [
        "cam.png", "odd.npy", "pair-x.npy", "pair-y.npy", "rgb.png", "single.npy"]
    np.testing.assert_allclose(np.load(back / "odd.npy"), odd, rtol=0, atol=1e-12)
    single = np.load(back / "single.npy")
    assert single.dtype == np.float32
    np.testing.assert_allclose(single, np.load(inputs / "single.npy"), rtol=0, atol=1e-5)
    for name in ("cam.png", "rgb.png"):
        np.testing.assert_array_equal(np.array(Image.open(back / name)), np.array(Image.open(inputs / name)))
    with np.load(inputs / "pair.npz") as pair:
        y = np.load(back / "pair-y.npy")
        assert y.dtype == np.int16
        np.testing.assert_array_equal(y, pair["y"])
        np.testing.assert_allclose(np.load(back / "pair-x.npy"), pair["x"], rtol=0, atol=1e-11)


def test_single_file_with_axes_mode_and_console_script(inputs, tmp_path):
    exe = Path(sys.executable).parent / "filterbank"
    runner = [str(exe)] if exe.exists() else None
    x = np.random.default_rng(3).normal(size=(5, 30, 7))
    np.save(tmp_path / "cube.npy", x)
    proc = cli("decompose", "sym3", str(tmp_path / "cube.npy"), "-o", str(tmp_path / "cube"), "--axes", "-2",
               "--mode", "periodization", "--level", "1", exe=runner)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    c = read_coefficients(tmp_path / "cube.npz")
    cA, cD = pywt.wavedec(x, "sym3", mode="periodization", level=1, axis=1)
    np.testing.assert_allclose(c.coeffs[0], cA, atol=1e-12)
    np.testing.assert_allclose(c.coeffs[1]["d"], cD, atol=1e-12)
    again = cli("decompose", "sym3", str(tmp_path / "cube.npy"), "-o", str(tmp_path / "cube.npz"), "--level", "1",
                "--force", "--axes", "1", "--mode", "periodization", "--dtype", "float32")
    assert again.returncode == 0, again.stderr
    assert read_coefficients(tmp_path / "cube.npz").coeffs[0].dtype == np.float32
    proc = cli("reconstruct", str(tmp_path / "cube.npz"), "-o", str(tmp_path / "cube-back"), exe=runner)
    assert proc.returncode == 0, proc.stderr
    back = np.load(tmp_path / "cube-back.npy")
    assert back.dtype == np.float64 and back.shape == x.shape
    np.testing.assert_allclose(back, x, atol=1e-5)


def test_arrays_default_to_the_last_axis_and_2d_takes_the_last_two(tmp_path):
    stack = np.random.default_rng(8).normal(size=(3, 20, 26))
    np.save(tmp_path / "stack.npy", stack)
    proc = cli("decompose", "db2", str(tmp_path / "stack.npy"), "-o", str(tmp_path / "one.npz"), "--level", "2")
    assert proc.returncode == 0, proc.stderr
    assert "arrays 1-D along the last axis" in proc.stdout and proc.stdout.rstrip().endswith("one.npz")
    c = read_coefficients(tmp_path / "one.npz")
    ref = pywt.wavedec(stack, "db2", mode="symmetric", level=2)  # PyWavelets' default: axis=-1
    assert c.meta["axes"] == [2]
    np.testing.assert_allclose(c.coeffs[0], ref[0], rtol=0, atol=1e-12)
    for ours, theirs in zip(c.coeffs[1:], ref[1:]):
        np.testing.assert_allclose(ours["d"], theirs, rtol=0, atol=1e-12)

    proc = cli("decompose", "db2", str(tmp_path / "stack.npy"), "-o", str(tmp_path / "two.npz"), "--level", "2", "--2d")
    assert proc.returncode == 0, proc.stderr
    assert "arrays 2-D over their last two axes" in proc.stdout
    c = read_coefficients(tmp_path / "two.npz")
    ref2 = pywt.wavedec2(stack, "db2", mode="symmetric", level=2)
    assert c.meta["axes"] == [1, 2]
    np.testing.assert_allclose(c.coeffs[0], ref2[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(c.coeffs[1]["dd"], ref2[1][2], rtol=0, atol=1e-12)

    one_line_error(cli("decompose", "db2", str(tmp_path / "stack.npy"), "-o", str(tmp_path / "x.npz"), "--2d",
                       "--axes", "0"), "--axes: not allowed with argument --2d")
    np.save(tmp_path / "line.npy", np.arange(9.0))
    one_line_error(cli("decompose", "db2", str(tmp_path / "line.npy"), "-o", str(tmp_path / "x.npz"), "--2d"),
                   "--2d needs arrays of at least 2 axes", "has shape (9,)")
    assert not (tmp_path / "x.npz").exists()


def test_output_names_say_what_is_written(inputs, tmp_path):
    from PIL import Image

    proc = cli("decompose", "haar", str(inputs / "cam.png"), "-o", str(tmp_path / "cam"), "--level", "1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith(f"-> {tmp_path / 'cam.npz'}")
    one_line_error(cli("reconstruct", str(tmp_path / "cam.npz"), "-o", str(tmp_path / "out.txt")),
                   "output", "out.txt' must end in .npy or an image suffix (.png, .jpg", "got '.txt'")
    assert not (tmp_path / "out.txt").exists()
    proc = cli("reconstruct", str(tmp_path / "cam.npz"), "-o", str(tmp_path / "back"))  # an 8-bit image: PNG
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith(f"-> {tmp_path / 'back.png'}")
    np.testing.assert_array_equal(np.array(Image.open(tmp_path / "back.png")), np.array(Image.open(inputs / "cam.png")))
    proc = cli("reconstruct", str(tmp_path / "cam.npz"), "-o", str(tmp_path / "back.npy"))
    assert proc.returncode == 0 and np.load(tmp_path / "back.npy").dtype == np.uint8
