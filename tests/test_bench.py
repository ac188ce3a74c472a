"""The benchmark harness runs end to end (tiny sizes) and counts the floor's work right; timings are never asserted."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import pywt

from filterbank import bench
from filterbank.bench import floor, registry, scaling
from filterbank.bench._timing import process_peak
from filterbank.errors import InputError

RATES = {"float32": 1e10, "float64": 5e9}  # given, so no test measures the BLAS rate


def test_run_one_workload_and_format():
    tiny = [bench.Workload("W4", "waverec2", (2, 16, 16), "haar", 1), bench.Workload("W2", "wavedec", (4, 256), "db8", 2)]
    results = bench.run(repeat=1, cases=tiny, flops=RATES)
    assert [r.workload.name for r in results] == ["W4", "W2"]
    for r in results:
        assert r.pywt_s > 0 and r.fb_numpy_s > 0 and r.compile_s > 0
        assert np.isfinite(r.speedup)
        assert r.fb_peak is not None and r.fb_peak >= 0
        assert r.pywt_peak is None or r.pywt_peak >= 0
        assert r.floor is not None and r.floor.flops == 1e10 and r.floor.copy_s > 0
    w2 = results[1].floor
    # W2 here: 4 signals of 256, db8 (16 taps), 2 levels: 2 bands x 135 x 16, then 2 x 75 x 16, per signal
    assert w2.macs == 4 * (2 * 135 * 16 + 2 * 75 * 16)
    assert w2.in_bytes == 4 * 256 * 4 and w2.out_bytes == 4 * (75 + 75 + 135) * 4
    w4 = results[0].floor  # waverec2 takes 4 bands of 8x8 per image and gives back the image
    assert w4.in_bytes == 2 * 4 * 8 * 8 * 4 and w4.out_bytes == 2 * 16 * 16 * 4
    assert w4.macs == 2 * (2 * 16 * 8 * 2 + 16 * 16 * 2)
    table = bench.format_table(results)
    assert table.splitlines()[0].startswith("workload  transform")
    assert "floor ms  fb / floor" in table.splitlines()[0]
    assert "2x16x16" in table and "db8" in table
    only = bench.run(repeat=1, names=["W2"], cases=tiny, flops=RATES)
    assert [r.workload.name for r in only] == ["W2"]


@pytest.mark.parametrize("mode", ["symmetric", "zero", "periodization"])
def test_the_floor_counts_coefficients_as_pywavelets_does(mode):
    for n in (1, 2, 7, 8, 100, 1023):
        for length in (2, 4, 8, 16, 32):
            assert floor.dwt_len(n, length, mode) == pywt.dwt_coeff_len(n, length, mode)


def test_the_floor_counts_the_multiply_adds_of_known_small_transforms():
    # wavedec of 8 samples, haar, 2 levels: level 1 gives 2 bands of 4, each sample 2 taps; level 2, 2 bands of 2
    assert floor.analysis_macs((8,), (-1,), 2, 2) == 2 * 4 * 2 + 2 * 2 * 2 == 24
    # wavedec2 of a 4x4 image, haar, 1 level: rows give 2 arrays 4x2, columns 4 arrays 2x2
    assert floor.analysis_macs((4, 4), (-2, -1), 2, 1) == 2 * 8 * 2 + 4 * 4 * 2 == 64
    # the same with db2 (4 taps): bands of (4 + 3) // 2 = 3
    assert floor.analysis_macs((4, 4), (-2, -1), 4, 1) == 2 * 4 * 3 * 4 + 4 * 3 * 3 * 4 == 240
    # swt keeps every sample: 3 levels x 2 bands x 16 x 4 taps
    assert floor.analysis_macs((16,), (-1,), 4, 3, stationary=True) == 384
    # waverec2 of the 4x4 haar image: columns merge 4 arrays 2x2 into 2 arrays 4x2, rows 2 into one 4x4
    assert floor.synthesis_macs((4, 4), (-2, -1), 2, 1) == 2 * 8 * 2 + 16 * 2 == 64
    # a 2-level packet tree of 8 samples splits the root (16) and both children (8 each)
    assert bench.packets.macs((8,), (-1,), 2, 2) == 32
    # a radix-2 FFT of 8 points: 5 * 8 * 3 flops, 60 multiply-adds
    assert floor.fft_macs(8) == 60 and floor.fft_macs(8, real=True) == 30


def test_the_floor_is_the_larger_of_copy_and_arithmetic():
    f = floor.Floor(in_bytes=100, out_bytes=200, macs=5e8, copy_s=0.05, flops=1e10)  # 1e9 flops: 0.1 s
    assert f.arithmetic_s == pytest.approx(0.1) and f.seconds == pytest.approx(0.1) and f.bound == "arithmetic"
    g = floor.Floor(in_bytes=100, out_bytes=200, macs=5e8, copy_s=0.25, flops=1e10)
    assert g.seconds == 0.25 and g.bound == "memory"
    assert floor.ratio_cell(0.5, g) == "2.0x" and floor.floor_cell(g) == "250.0 M"


def test_the_copy_floor_reads_the_input_and_writes_the_output():
    assert floor.copy_seconds(1000, 3500, repeat=1) > 0
    assert floor.copy_seconds(3500, 1000, repeat=1) > 0  # a smaller output: the input is still read through


def test_memory_column_shows_a_dash_when_unmeasured():
    w = bench.Workload("W2", "wavedec", (4, 256), "db8", 2)
    line = bench.format_table([bench.Result(w, 0.01, 0.002, 0.001, 0.5, None, 3 * 2**20)]).splitlines()[1]
    assert line.split()[-2:] == ["-", "3"]
    assert line.split()[9:11] == ["-", "-"]  # no floor measured: floor ms and fb / floor


def test_peak_memory_sees_an_allocation_of_known_size():
    import tensorflow as tf

    fb_peak, method = bench.filterbank_peak(lambda: tf.fill((4096, 4096), 1.0))  # 64 MiB of float32
    assert method in ("allocator", "rss")
    assert fb_peak is not None and 60 * 2**20 <= fb_peak <= 140 * 2**20
    pywt_peak = process_peak(lambda: np.ones(8 * 2**20))  # 64 MiB of float64, touched
    assert pywt_peak is not None and 60 * 2**20 <= pywt_peak <= 80 * 2**20


def test_peak_memory_is_measured_with_and_without_the_bfc_allocator():
    # TensorFlow's CPU allocator keeps statistics only when it is the BFC allocator;
    # either way the bench reports a figure, and says how it measured it (both processes at once)
    code = (
        "import tensorflow as tf; from filterbank.bench._timing import filterbank_peak; "
        "peak, method = filterbank_peak(lambda: tf.fill((4096, 4096), 1.0)); print(peak, method)"
    )
    procs = {
        bfc: subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "TF_CPU_ALLOCATOR_USE_BFC": bfc, "TF_CPP_MIN_LOG_LEVEL": "3"})
        for bfc in ("true", "false")
    }
    for bfc, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        peak, method = out.split()
        # without BFC, TensorFlow builds may or may not keep allocator statistics; RSS is the fallback
        assert method == "allocator" if bfc == "true" else method in ("allocator", "rss")
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
    for name in ("T1", "P1", "P2", "--scaling", "--first-calls"):
        assert name in text
    assert "M1" not in text.split("--only")[0]  # template matching is T1; M1 is the M-channel workload


def test_cwt_workload_runs_side_by_side():
    tiny = [bench.Workload("C1", "cwt", (4, 512), "cmor1.5-1.0", 8)]
    (r,) = bench.run(repeat=1, names=["C1"], cases=tiny, flops=RATES)
    assert r.workload.kind == "cwt" and r.pywt_s > 0 and r.fb_numpy_s > 0 and r.fb_tensor_s > 0
    assert r.fb_peak_method == "rss" and np.isfinite(r.speedup)
    assert r.floor.out_bytes >= 4 * 8 * 512 * 8  # complex64 scalogram, one row per scale
    assert r.floor.macs == 4 * (1.25 * 512 * 9 + 8 * (4 * 512 + 2.5 * 512 * 9))
    assert "cmor1.5-1.0" in bench.format_table([r]) and "4x512" in bench.format_table([r])
    assert [w.name for w in bench.workloads()][-1] == "C1"


def test_template_matching_is_t1_and_agrees_with_skimage():
    r = bench.run_match(quick=True, repeat=1, flops=RATES)
    assert r.max_diff < 1e-4 and r.shape == (4, 256, 256) and r.template_shape == (16, 16)
    # direct: 4 images x 241 x 241 scores x 256 taps; by FFT fewer: 4 x (2 x 1.25 x 65536 x 16 + 2 x 65536)
    assert r.floor.macs == min(4 * 241 * 241 * 256, 4 * (2 * 1.25 * 65536 * 16 + 2 * 65536))
    lines = bench.format_match(r).splitlines()
    assert lines[1].split()[:4] == ["T1", "4x256x256", "16x16", r.method]
    assert r.fb_graph_s > 0 and "fb ms (tf.function)" in lines[0]


def test_packet_workloads_run_and_format():
    rows = bench.run_packets(quick=True, repeat=1, flops=RATES)
    assert [r.name for r in rows] == ["P1", "P2"] and all(r.pywt_s > 0 and r.fb_s > 0 for r in rows)
    assert rows[0].floor.flops == 5e9  # float64 workloads use the float64 rate
    assert rows[1].floor.in_bytes == 16 * 64 * 64 * 8  # quick: sizes above 16 divided by 4
    assert bench.format_packets(rows).splitlines()[0].split() == ["workload", "pywt", "ms", "fb", "ms", "speed-up", "floor", "ms", "fb", "/", "floor"]


def test_scaling_rows_and_their_arithmetic(monkeypatch):
    monkeypatch.setattr(scaling, "scaling_shapes", lambda quick=False: [("one signal", (512,)), ("batch x 1024", (2, 1024))])
    rows = bench.run_scaling(quick=True, repeat=1)
    assert [r.shape for r in rows] == [(512,), (2, 1024)] and [r.samples for r in rows] == [512, 2048]
    x_bytes = 2 * 1024 * 4
    assert rows[1].io_bytes == x_bytes + 4 * sum(c.size for c in pywt.wavedec(np.zeros((2, 1024), np.float32), "db4", level=3))
    assert all(r.tier in ("numpy", "eager", "compiled") for r in rows)
    row = bench.ScalingRow("one signal", (1000,), 2e-6, 1e-6, "numpy", 8000, 4000, 16000)
    cells = bench.format_scaling([row]).splitlines()[1].split()
    assert cells[2:] == ["1000", "1000", "2.0", "1.0", "2.00x", "numpy", "0.5", "2.0"]


def test_scaling_sizes_span_the_issue_range():
    full = scaling.scaling_shapes()
    assert [s for series, s in full if series == "one signal"] == [(2**p,) for p in range(8, 25)]
    assert [s[0] for series, s in full if series != "one signal"] == [2**r for r in range(13)]
    assert len(scaling.scaling_shapes(quick=True)) < len(full) / 2


def test_header_names_the_machine_and_the_settings():
    text = bench.header(3, RATES)
    from importlib import metadata

    assert f"{os.cpu_count()} core(s)" in text and f"PyWavelets {metadata.version('PyWavelets')}" in text
    import tensorflow as tf

    assert f"TensorFlow {tf.__version__}" in text and "oneDNN " in text and "XLA:" in text and "intra-op" in text
    assert "float32 10.0 GFLOP/s, float64 5.0 GFLOP/s" in text
    with open("/proc/cpuinfo") as f:
        model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    assert text.startswith(f"machine: {model}, ")


def test_a_workload_module_plugs_in_with_one_table_entry():
    seen = {}

    def run_x(*, quick, repeat, seed, flops):
        seen.update(quick=quick, repeat=repeat, flops=flops)
        return [("X1", 0.5)]

    table = registry.Table(("X1",), "example", run_x, lambda rows: f"{rows[0][0]} {rows[0][1]}")
    assert table(quick=True, repeat=2, flops=RATES) == "X1 0.5" and seen == {"quick": True, "repeat": 2, "flops": RATES}
    plain = registry.Table(("X2",), "example", lambda *, quick, repeat, seed: [quick], str)
    assert plain(quick=False, repeat=1, flops=RATES) == "[False]"  # a run without ``flops`` is not given it
    assert [t.names for t in registry.selected(["W3", "P2"])] == [bench.engine.NAMES, ("P1", "P2")]


def test_unknown_workload_names_are_refused(capsys):
    with pytest.raises(InputError, match=r"--only: each workload must be one of .*got 'T2'"):
        bench.main(["--only", "T2"])
    with pytest.raises(InputError, match=r"--repeat must be >= 1; got 0"):
        bench.main(["--repeat", "0"])


def test_a_quick_run_prints_the_header_and_the_chosen_table(capsys):
    assert bench.main(["--quick", "--repeat", "1", "--only", "P1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("machine: ") and "floor: numpy BLAS matmul float32" in out
    assert "[wavelet packets against PyWavelets (float64)]" in out and "[engine" not in out
