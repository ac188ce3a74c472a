"""The benchmark harness runs end to end (tiny sizes); timings are never asserted."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from filterbank import bench


def test_run_one_workload_and_format(monkeypatch):
    tiny = [bench.Workload("W1", "wavedec2", (2, 32, 32), "db2", 2), bench.Workload("W4", "waverec2", (2, 32, 32), "db2", 2),
            bench.Workload("W2", "wavedec", (4, 256), "db8", 2)]
    monkeypatch.setattr(bench, "workloads", lambda quick=False: tiny)
    results = bench.run(repeat=1)
    assert [r.workload.name for r in results] == ["W1", "W4", "W2"]
    for r in results:
        assert r.pywt_s > 0 and r.fb_numpy_s > 0 and r.compile_s > 0
        assert np.isfinite(r.speedup)
        assert r.fb_peak is not None and r.fb_peak >= 0
        assert r.pywt_peak is None or r.pywt_peak >= 0
    table = bench.format_table(results)
    assert table.splitlines()[0].startswith("workload  transform")
    assert "2x32x32" in table and "db8" in table
    only = bench.run(repeat=1, names=["W2"])
    assert [r.workload.name for r in only] == ["W2"]


def test_memory_column_shows_a_dash_when_unmeasured():
    w = bench.Workload("W2", "wavedec", (4, 256), "db8", 2)
    line = bench.format_table([bench.Result(w, 0.01, 0.002, 0.001, 0.5, None, 3 * 2**20)]).splitlines()[1]
    assert line.split()[-2:] == ["-", "3"]


def test_peak_memory_sees_an_allocation_of_known_size():
    import tensorflow as tf

    fb_peak, method = bench.filterbank_peak(lambda: tf.fill((4096, 4096), 1.0))  # 64 MiB of float32
    assert method in ("allocator", "rss")
    assert fb_peak is not None and 60 * 2**20 <= fb_peak <= 140 * 2**20
    pywt_peak = bench._process_peak(lambda: np.ones(8 * 2**20))  # 64 MiB of float64, touched
    assert pywt_peak is not None and 60 * 2**20 <= pywt_peak <= 80 * 2**20


@pytest.mark.parametrize("bfc", ["true", "false"])
def test_peak_memory_is_measured_with_and_without_the_bfc_allocator(bfc):
    # TensorFlow's CPU allocator keeps statistics only when it is the BFC allocator;
    # either way the bench reports a figure, and says how it measured it.
    code = (
        "import tensorflow as tf; from filterbank import bench; "
        "peak, method = bench.filterbank_peak(lambda: tf.fill((4096, 4096), 1.0)); print(peak, method)"
    )
    env = {**os.environ, "TF_CPU_ALLOCATOR_USE_BFC": bfc, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    peak, method = proc.stdout.split()
    assert method == ("allocator" if bfc == "true" else "rss")
    assert 60 * 2**20 <= int(peak) <= 140 * 2**20


def test_first_call_table_and_memory_rows_format():
    rows = [bench.FirstCall("2-D, new shape", (67, 45), "db4", 0.0123, 0.0004, "numpy")]
    growth = [bench.MemoryGrowth("eager, 2 calls each", 1000, 42 * 2**20, 3)]
    lines = bench.format_first_calls(rows, growth).splitlines()
    assert lines[1].split() == ["2-D,", "new", "shape", "67x45", "db4", "12.3", "0.4", "numpy"]
    assert lines[2] == "memory: RSS grew 42 MiB over 1000 new shapes (eager, 2 calls each); 3 compiled functions cached"


def test_bench_help_names_every_workload_it_runs(capsys):
    from filterbank.cli import build_parser

    with pytest.raises(SystemExit, match="0"):
        build_parser().parse_args(["bench", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "W1-W4 (wavedec2, wavedec, waverec2), S1 (swt) and C1 (cwt)" in text
    for w in bench.workloads():
        assert w.name.split()[0] in text and w.kind in text


def test_cwt_workload_runs_side_by_side(monkeypatch):
    tiny = [bench.Workload("C1", "cwt", (4, 512), "cmor1.5-1.0", 8)]
    monkeypatch.setattr(bench, "workloads", lambda quick=False: tiny)
    (r,) = bench.run(repeat=1, names=["C1"])
    assert r.workload.kind == "cwt" and r.pywt_s > 0 and r.fb_numpy_s > 0 and r.fb_tensor_s > 0
    assert r.fb_peak_method == "rss" and np.isfinite(r.speedup)
    assert "cmor1.5-1.0" in bench.format_table([r]) and "4x512" in bench.format_table([r])
    assert [w.name for w in bench.workloads()][-1] == "C1"
