"""``filterbank decompose`` on many files: per-file errors, ``--resume`` and ``--workers`` (Dask).

Every written output is compared with ``pywt.wavedec`` on the same array, so
that a batch that "keeps going" is also a batch that is right.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import pywt

from filterbank.cli import main
from filterbank.cli import _batch
from filterbank.cli._archive import read_coefficients
from tests.test_cli_files import ROOT, cli, one_line_error


def assert_equals_pywavelets(out: Path, x: np.ndarray, wavelet: str = "db2", level: int = 2) -> None:
    c = read_coefficients(out)
    ref = pywt.wavedec(x, wavelet, mode="symmetric", level=level, axis=-1)
    assert len(c.coeffs) == len(ref)
    scale = np.abs(x).max()
    np.testing.assert_allclose(c.coeffs[0], ref[0], rtol=0, atol=1e-12 * scale)
    for ours, theirs in zip(c.coeffs[1:], ref[1:]):
        np.testing.assert_allclose(ours["d"], theirs, rtol=0, atol=1e-12 * scale)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """Five good arrays of two shapes, a file that is not an array, and an archive with a string member."""
    d = tmp_path / "in"
    d.mkdir()
    rng = np.random.default_rng(11)
    for i in range(5):
        np.save(d / f"s{i}.npy", rng.normal(size=(3, 64 if i % 2 else 50)))
    (d / "broken.npy").write_bytes(b"this is not an array")
    np.savez(d / "mixed.npz", good=rng.normal(size=40), words=np.array(["a", "b"]))
    return d


def outputs(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


def test_a_batch_keeps_going_past_bad_inputs_and_exits_1(folder, tmp_path):
    out = tmp_path / "out"
    proc = cli("decompose", "db2", str(folder), "-o", str(out), "--level", "2", "--batch-size", "2")
    assert proc.returncode == 1, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error:" in line]
    assert len(errors) == 2, proc.stderr
    assert "broken.npy" in errors[0] and "is not a .npy array" in errors[0]
    assert "mixed.npz:words" in errors[1] and "must hold bool, signed integer" in errors[1]
    assert "Traceback" not in proc.stderr
    assert "decomposed 6 inputs with db2" in proc.stdout and "2 inputs failed (errors above)" in proc.stdout
    assert outputs(out) == ["mixed-good.npz"] + [f"s{i}.npz" for i in range(5)]
    for i in range(5):
        assert_equals_pywavelets(out / f"s{i}.npz", np.load(folder / f"s{i}.npy"))
    with np.load(folder / "mixed.npz") as z:
        assert_equals_pywavelets(out / "mixed-good.npz", z["good"])


def test_one_input_alone_still_stops_with_a_one_line_error(folder, tmp_path):
    one_line_error(cli("decompose", "db2", str(folder / "broken.npy"), "-o", str(tmp_path / "b.npz")),
                   "is not a .npy array")
    assert not (tmp_path / "b.npz").exists()


def test_resume_skips_finished_outputs_and_writes_the_rest(folder, tmp_path):
    (folder / "broken.npy").unlink()
    (folder / "mixed.npz").unlink()
    out = tmp_path / "out"
    assert cli("decompose", "db2", str(folder), "-o", str(out), "--level", "2").returncode == 0
    stamps = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()}
    (out / "s3.npz").unlink()

    one_line_error(cli("decompose", "db2", str(folder), "-o", str(out), "--level", "2"),
                   "s0.npz' exists; pass --force to overwrite it, or --resume")
    proc = cli("decompose", "db2", str(folder), "-o", str(out), "--level", "2", "--resume")
    assert proc.returncode == 0, proc.stderr
    assert "decomposed 1 input with db2" in proc.stdout and "skipped 4 finished outputs (--resume)" in proc.stdout
    for name, (mtime, data) in stamps.items():
        if name != "s3.npz":
            assert (out / name).stat().st_mtime_ns == mtime and (out / name).read_bytes() == data
    assert_equals_pywavelets(out / "s3.npz", np.load(folder / "s3.npy"))

    # other settings, or a file that is not ours, are not "finished": refused, never skipped or overwritten
    one_line_error(cli("decompose", "db2", str(folder), "-o", str(out), "--level", "1", "--resume"),
                   "is not a finished output of", "pass --force")
    one_line_error(cli("decompose", "db4", str(folder), "-o", str(out), "--level", "2", "--resume"),
                   "is not a finished output of")
    (out / "s1.npz").write_bytes(b"precious")
    one_line_error(cli("decompose", "db2", str(folder), "-o", str(out), "--level", "2", "--resume"),
                   "s1.npz' exists but is not a finished output")
    assert (out / "s1.npz").read_bytes() == b"precious"
    one_line_error(cli("decompose", "db2", str(folder), "-o", str(out), "--resume", "--force"),
                   "not allowed with argument")


def test_an_interrupted_run_leaves_only_whole_outputs_and_resume_completes_it(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    rng = np.random.default_rng(12)
    for i in range(40):
        np.save(src / f"t{i:02d}.npy", rng.normal(size=(16, 4096)))
    env_cmd = [sys.executable, "-m", "filterbank", "decompose", "db2", str(src), "-o", str(out), "--level", "2",
               "--batch-size", "1", "-q"]
    proc = subprocess.Popen(env_cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not (out.exists() and any(out.glob("*.npz"))):
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=120)
    for p in out.iterdir():  # whatever the moment of the signal: no partial file under a final name
        assert p.suffix == ".npz", p.name
        read_coefficients(p)
    done = len(list(out.iterdir()))
    resumed = cli("decompose", "db2", str(src), "-o", str(out), "--level", "2", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert f"decomposed {40 - done} input" in resumed.stdout
    assert outputs(out) == [f"t{i:02d}.npz" for i in range(40)]
    for i in (0, 39):
        assert_equals_pywavelets(out / f"t{i:02d}.npz", np.load(src / f"t{i:02d}.npy"))


def test_workers_give_the_same_outputs_and_the_same_errors(folder, tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    proc = cli("decompose", "db2", str(folder), "-o", str(out), "--level", "2", "--workers", "2")
    assert proc.returncode == 1, proc.stderr
    errors = sorted(line for line in proc.stderr.splitlines() if "error:" in line)
    assert len(errors) == 2 and "broken.npy" in errors[0] and "mixed.npz:words" in errors[1], proc.stderr
    assert "100%" in proc.stderr and "Traceback" not in proc.stderr
    assert outputs(out) == ["mixed-good.npz"] + [f"s{i}.npz" for i in range(5)]
    for i in range(5):
        assert_equals_pywavelets(out / f"s{i}.npz", np.load(folder / f"s{i}.npy"))
    (out / "s2.npz").unlink()
    again = cli("decompose", "db2", str(folder), "-o", str(out), "--level", "2", "--workers", "2", "--resume")
    assert again.returncode == 1 and "decomposed 1 input" in again.stdout and "skipped 5" in again.stdout
    assert_equals_pywavelets(out / "s2.npz", np.load(folder / "s2.npy"))


def test_worker_arguments_are_checked(folder, tmp_path, monkeypatch, capsys):
    one_line_error(cli("decompose", "db2", str(folder), "-o", str(tmp_path / "o"), "--workers", "999"),
                   "--workers must be at most 256", "got 999")
    one_line_error(cli("decompose", "db2", str(folder), "-o", str(tmp_path / "o"), "--workers", "-1"),
                   "--workers: must be an integer >= 0; got -1")
    pytest.importorskip("distributed")
    monkeypatch.setattr(_batch, "CONNECT_TIMEOUT", "1s")
    code = main(["decompose", "db2", str(folder / "s0.npy"), "-o", str(tmp_path / "o.npz"),
                 "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2
    assert "--scheduler 'tcp://127.0.0.1:9': no Dask scheduler answered" in capsys.readouterr().err
    assert not (tmp_path / "o.npz").exists()


def test_worker_environment_shares_the_cores_out():
    env = _batch.worker_env(3, cores=8)
    assert (env["TF_NUM_INTRAOP_THREADS"], env["OMP_NUM_THREADS"], env["TF_NUM_INTEROP_THREADS"]) == ("2", "2", "1")
    chunks = _batch._chunks([_batch.Unit(str(i), {}) for i in range(10)], workers=2, batch_size=32)
    assert [len(c) for c in chunks] == [2, 2, 2, 2, 2]
    assert [u.path for c in chunks for u in c] == [str(i) for i in range(10)]
