"""The benchmark harness runs end to end (tiny sizes); timings are never asserted."""

from __future__ import annotations

import numpy as np

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

    fb_peak = bench._tensorflow_peak(lambda: tf.fill((1024, 1024), 1.0))  # 4 MiB of float32
    assert fb_peak is not None and 4 * 2**20 <= fb_peak <= 8 * 2**20
    pywt_peak = bench._process_peak(lambda: np.ones(8 * 2**20))  # 64 MiB of float64, touched
    if pywt_peak is not None:  # Linux with /proc/self/clear_refs
        assert 60 * 2**20 <= pywt_peak <= 80 * 2**20
