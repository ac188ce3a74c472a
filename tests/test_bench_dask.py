"""``benchmarks/bench_dask.py``: the Zarr benchmark runs, and refuses results that differ from the reference."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("distributed")
pytest.importorskip("zarr")

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_dask.py"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(SCRIPT.parent))  # importable by name: the reference runs in a spawned process
    try:
        yield importlib.import_module(SCRIPT.stem)
    finally:
        sys.path.remove(str(SCRIPT.parent))


def test_a_small_run_agrees_with_pywavelets_and_reports_each_row(bench, tmp_path, capsys):
    assert bench.main(["--mib", "16", "--workers", "1", "--work", "SWT", "--dir", str(tmp_path / "z"),
                       "--chunks", "8,32768"]) == 0
    out = capsys.readouterr().out
    assert "input 16 x 131072 float64 = 0.02 GiB in chunks (8, 32768)" in out
    assert bench.CHUNK == (16, 65536)  # the default is back for the next caller
    rows = [line for line in out.splitlines() if line.startswith("| SWT")]
    assert [r.split(" | ")[1] for r in rows] == ["PyWavelets, 1 process", "filterbank + dask"]
    assert "agree to 1e-9 relative in every run" in out
    assert not (tmp_path / "z").exists()  # removed without --keep


def test_the_input_has_the_documented_layout(bench, tmp_path):
    import zarr

    assert bench.make_input(tmp_path / "x.zarr", 40) == (32, 131072)  # 40 MiB rounds down to whole 16-row bands
    z = zarr.open_array(str(tmp_path / "x.zarr"), mode="r")
    assert z.chunks == (16, 65536) and z.dtype == np.float64
    assert abs(float(np.std(z[:16, :4096])) - 1.0) < 0.05


def test_results_that_differ_from_the_reference_stop_the_benchmark(bench):
    ref = bench.Run("SWT", "PyWavelets, 1 process", 1, 1.0, 8, (1.0,), (1.0, 2.0))
    assert bench.check(bench.Run("SWT", "filterbank + dask", 1, 1.0, 8, (1.0,), (1.0, 2.0 + 1e-12)), ref) is None
    with pytest.raises(SystemExit, match=r"SWT: filterbank's energies \[1.0, 2.1\] differ from the reference's"):
        bench.check(bench.Run("SWT", "filterbank + dask", 1, 1.0, 8, (1.0,), (1.0, 2.1)), ref)
