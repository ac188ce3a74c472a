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
    table = bench.format_table(results)
    assert table.splitlines()[0].startswith("workload  transform")
    assert "2x32x32" in table and "db8" in table
    only = bench.run(repeat=1, names=["W2"])
    assert [r.workload.name for r in only] == ["W2"]
