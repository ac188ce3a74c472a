"""Every output goes through one atomic writer: no partial files, no clobbering, no temporaries left.

Full disks (a real one: ``RLIMIT_FSIZE``), races between threads and between
processes writing one new name, SIGINT and SIGTERM in the middle of a write,
the umask and stale temporaries. The hostile inputs that must not write
anything are in ``test_bad_inputs.py``.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from test_bad_inputs import ROOT, files, run

import filterbank as fb
from filterbank.cli._write import TEMP_SUFFIX, atomic_write


def test_a_write_that_fails_halfway_keeps_the_old_file(tmp_path):
    target = tmp_path / "t.bin"
    target.write_bytes(b"old and complete")

    def half(f):
        f.write(b"new but")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(fb.InputError, match=r"cannot write output .*t\.bin': No space left on device \(ENOSPC\)"):
        atomic_write(target, half, force=True)
    assert files(tmp_path) == {"t.bin": b"old and complete"}


def test_file_size_limit_is_a_real_full_disk(tmp_path):
    """RLIMIT_FSIZE makes the kernel refuse writes past 4 KiB (EFBIG), like a full disk."""
    resource = pytest.importorskip("resource")
    (tmp_path / "r.png").write_bytes(b"old")

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    proc = subprocess.run([sys.executable, "-m", "filterbank", "plot", "haar", "-o", str(tmp_path / "r.png"), "--force"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=limit,
                          timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == f"filterbank plot: error: cannot write output {str(tmp_path / 'r.png')!r}: File too large (EFBIG)"
    assert files(tmp_path) == {"r.png": b"old"}


@pytest.mark.parametrize("command", ["plot", "demo"])
def test_plot_and_demo_never_overwrite_without_force(command, tmp_path, capsys):
    target = tmp_path / ("r.png" if command == "plot" else "convolution-trap.png")
    target.write_bytes(b"precious")
    args = ["plot", "haar", "-o", str(target)] if command == "plot" else ["demo", "-o", str(tmp_path)]
    code, err = run(capsys, *args)
    assert code == 2 and f"output {str(target)!r} exists; pass --force to overwrite it" in err
    assert files(tmp_path) == {target.name: b"precious"}


def test_outputs_honour_the_umask(tmp_path):
    for mask, mode in ((0o022, 0o644), (0o077, 0o600), (0o002, 0o664)):
        old = os.umask(mask)
        try:
            path = atomic_write(tmp_path / f"m{mask:o}", lambda f: f.write(b"x"), force=False)
        finally:
            os.umask(old)
        assert path.stat().st_mode & 0o777 == mode


def test_temporary_names_are_recognisable_and_stale_ones_are_swept(tmp_path):
    stale = tmp_path / f".old.npz.999999999-abcd{TEMP_SUFFIX}"
    live = tmp_path / f".mine.npz.{os.getpid()}-abcd{TEMP_SUFFIX}"
    stale.write_bytes(b"left by a killed writer")
    live.write_bytes(b"being written")
    seen: list[str] = []
    atomic_write(tmp_path / "new.bin", lambda f: seen.extend(os.listdir(tmp_path)), force=False)
    temps = [n for n in seen if n.startswith(".new.bin.")]
    assert len(temps) == 1 and temps[0].endswith(TEMP_SUFFIX) and f".{os.getpid()}-" in temps[0]
    assert not stale.exists() and live.exists()
    live.unlink()


def test_no_clobber_race_between_threads_has_exactly_one_winner(tmp_path):
    barrier = threading.Barrier(2)
    for trial in range(150):
        target, results = tmp_path / f"t{trial}", {}

        def write(tag: str) -> None:
            barrier.wait()
            try:
                atomic_write(target, lambda f: f.write(tag.encode() * 1000), force=False)
                results[tag] = True
            except fb.InputError as exc:
                assert "exists; pass --force" in str(exc)
                results[tag] = False

        threads = [threading.Thread(target=write, args=(tag,)) for tag in "ab"]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [tag for tag, won in results.items() if won]
        assert len(winners) == 1, (trial, results)
        assert target.read_bytes() == winners[0].encode() * 1000
    assert len(files(tmp_path)) == 150


def _race_worker(barrier, folder: str, tag: str, trials: int, queue) -> None:  # runs in a spawned process
    for trial in range(trials):
        barrier.wait()
        try:
            atomic_write(Path(folder) / f"t{trial}", lambda f: f.write(tag.encode() * 4096), force=False)
            queue.put((trial, tag))
        except fb.InputError:
            pass


def test_no_clobber_race_between_processes_has_exactly_one_winner(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    barrier, queue, trials = ctx.Barrier(2), ctx.Queue(), 150
    procs = [ctx.Process(target=_race_worker, args=(barrier, str(tmp_path), tag, trials, queue)) for tag in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=240)
        assert p.exitcode == 0
    wins: dict[int, list[str]] = {}
    while not queue.empty():
        trial, tag = queue.get()
        wins.setdefault(trial, []).append(tag)
    assert sorted(wins) == list(range(trials)) and all(len(w) == 1 for w in wins.values()), wins
    for trial, (tag,) in wins.items():
        assert (tmp_path / f"t{trial}").read_bytes() == tag.encode() * 4096
    assert len(files(tmp_path)) == trials


SLOW_PLOT = """
import os, sys, time
from matplotlib.figure import Figure
real_save, real_replace = Figure.savefig, os.replace
def slow_save(self, f, **kw):
    f.write(b"partial")
    print("writing", flush=True)
    time.sleep(60)
def replace_then_interrupt(a, b):
    real_replace(a, b)
    if str(b) == sys.argv[2]:
        os.kill(os.getpid(), __import__("signal").SIGINT)
if sys.argv[1] == "slow":
    Figure.savefig = slow_save
else:
    os.replace = replace_then_interrupt
from filterbank.cli import main
sys.exit(main(["plot", "haar", "-o", sys.argv[2], "--force"]))
"""


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_interrupted_write_keeps_the_old_file_and_leaves_no_temporary(signum, code, tmp_path):
    target = tmp_path / "r.png"
    target.write_bytes(b"old")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_PLOT, "slow", str(target)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    with proc:
        assert proc.stdout.readline().strip() == "writing"
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(TEMP_SUFFIX)], "the temporary exists while writing"
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert files(tmp_path) == {"r.png": b"old"}


def test_sigint_after_the_file_is_replaced_still_exits_non_zero(tmp_path):
    target = tmp_path / "r.png"
    target.write_bytes(b"old")
    proc = subprocess.run([sys.executable, "-c", SLOW_PLOT, "replace", str(target)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.returncode == 130, proc.stderr
    assert files(tmp_path)["r.png"][:8] == b"\x89PNG\r\n\x1a\n"  # complete: the rename is atomic
