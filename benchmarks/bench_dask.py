"""Decompose a Zarr array of about 2 GB on disk with Dask workers, beside PyWavelets/scipy in one process.

The input is ``(rows, 131072)`` float64 noise in uncompressed Zarr chunks of
``(16, 65536)``, so every row spans two chunks and the transforms along the
last axis exchange halos. Two workloads:

SWT   ``filterbank.chunked.swt(x, "db4", 4)``: the stationary wavelet transform
      along the last axis, chunked along it too (periodic halos)
CONV  ``filterbank.chunked.convolve(x, h, "same", axes=-1)`` with a 65-tap
      ``scipy.signal.firwin`` low-pass

Each runs on a fresh ``LocalCluster`` of 1 and of 2 worker processes (one
thread each, the cores shared out as ``filterbank decompose --workers`` does).
The references read the same Zarr file, a band of 16 whole rows at a time, and
run ``pywt.swt`` / ``scipy.signal.convolve`` in one process. Every run ends in
one number per output, the sum of squares of its coefficients (``--sink
energy``; ``--sink zarr`` writes every output to Zarr beside the input
instead), so all the work is done and the results are compared: filterbank's
energies must equal the reference's to 1e-9 relative, or the script fails.

Reported per run: seconds (compute only; the cluster's start is excluded, one
small warm-up task per worker is not), input throughput in MB/s (10**6 bytes),
peak resident memory of each worker process (or of the reference's process),
and the time ratio reference / filterbank (above 1: filterbank is faster).

Usage::

    python benchmarks/bench_dask.py                    # 2 GiB, 1 and 2 workers
    python benchmarks/bench_dask.py --mib 64 --workers 2 --sink zarr
    python benchmarks/bench_dask.py --dir /data/tmp --keep   # reuse the input next time
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

import numpy as np  # noqa: E402

SAMPLES = 131072
CHUNK = (16, 65536)  # the default; --chunks changes it
WAVELET, LEVEL, TAPS = "db4", 4, 65
WORKLOADS = ("SWT", "CONV")


@dataclass(frozen=True)
class Run:
    workload: str
    engine: str
    workers: int
    seconds: float
    nbytes: int
    peak_mib: tuple[float, ...]
    energies: tuple[float, ...]

    @property
    def mb_per_s(self) -> float:
        return self.nbytes / self.seconds / 1e6


def kernel() -> np.ndarray:
    from scipy.signal import firwin

    return firwin(TAPS, 0.1)


def make_input(path: Path, mib: int) -> tuple[int, int]:
    """Write ``(rows, SAMPLES)`` float64 noise as uncompressed Zarr (skipped when a matching one exists)."""
    import zarr

    rows = max(CHUNK[0], (mib << 20) // (8 * SAMPLES) // CHUNK[0] * CHUNK[0])
    if path.exists():
        existing = zarr.open_array(str(path), mode="r")
        if existing.shape == (rows, SAMPLES) and existing.dtype == np.float64 and existing.chunks == CHUNK:
            return existing.shape
        shutil.rmtree(path)
    z = zarr.create_array(str(path), shape=(rows, SAMPLES), chunks=CHUNK, dtype="float64", compressors=None)
    rng = np.random.default_rng(2026)
    for r in range(0, rows, CHUNK[0]):
        z[r:r + CHUNK[0]] = rng.standard_normal((CHUNK[0], SAMPLES))
    return rows, SAMPLES


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def filterbank_outputs(x: Any, workload: str) -> list[Any]:
    import filterbank.chunked as fc

    if workload == "SWT":
        return fc.swt(x, WAVELET, LEVEL, trim_approx=True)
    return [fc.convolve(x, kernel(), "same", axes=-1)]


def run_filterbank(path: Path, workload: str, workers: int, sink: Path | None) -> Run:
    import dask
    import dask.array as da
    import distributed

    from filterbank.cli._batch import worker_env

    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50, env=worker_env(workers)) as cluster, \
            distributed.Client(cluster) as client:
        x = da.from_zarr(str(path))
        warm = x[: CHUNK[0] * workers]
        dask.compute(*[(c * c).sum() for c in filterbank_outputs(warm, workload)])  # imports, plans: once per worker
        outputs = filterbank_outputs(x, workload)
        start = time.perf_counter()
        if sink is None:
            energies = dask.compute(*[(c * c).sum() for c in outputs])
        else:
            for i, c in enumerate(outputs):
                c.to_zarr(str(sink / f"{workload.lower()}-{workers}w-{i}.zarr"), overwrite=True)
            energies = tuple(float((da.from_zarr(str(sink / f"{workload.lower()}-{workers}w-{i}.zarr")) ** 2).sum())
                             for i in range(len(outputs)))
        seconds = time.perf_counter() - start
        peaks = client.run(_peak_mib)
    return Run(workload, "filterbank + dask", workers, seconds, int(x.nbytes), tuple(sorted(peaks.values())),
               tuple(float(e) for e in energies))


def _reference(path: str, workload: str, sink: str | None, chunk: tuple[int, int]) -> tuple[float, tuple[float, ...], float]:
    """In a fresh process: PyWavelets' swt or scipy's convolve over bands of whole rows, ``chunk[0]`` at a time."""
    global CHUNK
    CHUNK = chunk
    import pywt
    import scipy.signal
    import zarr

    z = zarr.open_array(path, mode="r")
    h = kernel()[None, :]
    outs = None
    if sink is not None:
        n = LEVEL + 1 if workload == "SWT" else 1
        outs = [zarr.create_array(f"{sink}/{workload.lower()}-ref-{i}.zarr", shape=z.shape, chunks=CHUNK,
                                  dtype="float64", compressors=None, overwrite=True) for i in range(n)]
    totals = np.zeros(LEVEL + 1 if workload == "SWT" else 1)
    start = time.perf_counter()
    for r in range(0, z.shape[0], CHUNK[0]):
        band = z[r:r + CHUNK[0]]
        if workload == "SWT":
            coeffs = pywt.swt(band, WAVELET, LEVEL, axis=-1, trim_approx=True)
        else:
            coeffs = [scipy.signal.convolve(band, h, mode="same")]
        for i, c in enumerate(coeffs):
            if outs is not None:
                outs[i][r:r + CHUNK[0]] = c
            totals[i] += float(np.sum(c * c))
    return time.perf_counter() - start, tuple(totals), _peak_mib()


def run_reference(path: Path, workload: str, sink: Path | None) -> Run:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        seconds, energies, peak = pool.apply(_reference, (str(path), workload, None if sink is None else str(sink), CHUNK))
    engine = "PyWavelets, 1 process" if workload == "SWT" else "scipy, 1 process"
    import zarr

    nbytes = int(np.prod(zarr.open_array(str(path), mode="r").shape)) * 8
    return Run(workload, engine, 1, seconds, nbytes, (peak,), energies)


def check(ours: Run, ref: Run) -> None:
    a, b = np.array(ours.energies), np.array(ref.energies)
    if a.shape != b.shape or not np.allclose(a, b, rtol=1e-9, atol=0):
        raise SystemExit(f"{ours.workload}: filterbank's energies {a.tolist()} differ from the reference's {b.tolist()}")


def table(runs: list[Run], refs: dict[str, Run]) -> str:
    lines = ["| work | engine | workers | s | MB/s | peak MiB per process | reference / filterbank |",
             "|---|---|---|---|---|---|---|"]
    for r in runs:
        ratio = refs[r.workload].seconds / r.seconds if r.engine.startswith("filterbank") else 1.0
        peaks = ", ".join(f"{p:.0f}" for p in r.peak_mib)
        lines.append(f"| {r.workload} | {r.engine} | {r.workers} | {r.seconds:.2f} | {r.mb_per_s:.0f} | {peaks} | "
                     f"{ratio:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    global CHUNK
    default_chunk = CHUNK
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mib", type=int, default=2048, help="input size in MiB (default 2048: 2 GiB)")
    p.add_argument("--workers", default="1,2", help="comma-separated worker counts (default 1,2)")
    p.add_argument("--work", default=",".join(WORKLOADS), help="SWT, CONV or both (default)")
    p.add_argument("--sink", choices=("energy", "zarr"), default="energy",
                   help="energy: reduce each output to its sum of squares; zarr: write every output to Zarr")
    p.add_argument("--dir", default=None, help="folder for the Zarr files (default: a new temporary folder)")
    p.add_argument("--keep", action="store_true", help="keep the input (and outputs) for the next run")
    p.add_argument("--chunks", default=None, metavar="ROWS,SAMPLES",
                   help=f"Zarr and Dask chunks (default {CHUNK[0]},{CHUNK[1]}); SAMPLES must divide {SAMPLES}")
    args = p.parse_args(argv)
    if args.chunks is not None:
        try:
            rows, cols = (int(v) for v in args.chunks.split(","))
        except ValueError:
            p.error(f"--chunks must be two integers ROWS,SAMPLES; got {args.chunks!r}")
        if rows < 1 or cols < 1 or SAMPLES % cols:
            p.error(f"--chunks needs ROWS >= 1 and SAMPLES dividing {SAMPLES}; got {args.chunks!r}")
        CHUNK = (rows, cols)
    if args.mib < 1:
        p.error(f"--mib must be >= 1; got {args.mib}")
    counts = [int(w) for w in args.workers.split(",")]
    work = [w.strip().upper() for w in args.work.split(",")]
    if any(w not in WORKLOADS for w in work) or any(c < 1 for c in counts):
        p.error(f"--work takes {', '.join(WORKLOADS)} and --workers integers >= 1; got {args.work!r}, {args.workers!r}")

    from filterbank.bench.machine import machine_line

    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="fb-dask-"))
    root.mkdir(parents=True, exist_ok=True)
    path = root / "input.zarr"
    sink = None
    if args.sink == "zarr":
        sink = root / "outputs"
        sink.mkdir(exist_ok=True)
    try:
        t = time.perf_counter()
        shape = make_input(path, args.mib)
        print(machine_line())
        print(f"input {shape[0]} x {shape[1]} float64 = {shape[0] * shape[1] * 8 / 2**30:.2f} GiB in chunks {CHUNK}, "
              f"{path} (ready in {time.perf_counter() - t:.1f} s); sink: {args.sink}")
        runs: list[Run] = []
        refs: dict[str, Run] = {}
        for w in work:
            refs[w] = run_reference(path, w, sink)
            runs.append(refs[w])
            for n in counts:
                ours = run_filterbank(path, w, n, sink)
                check(ours, refs[w])
                runs.append(ours)
        print(table(runs, refs))
        print("energies of filterbank and the reference agree to 1e-9 relative in every run")
    finally:
        CHUNK = default_chunk
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
