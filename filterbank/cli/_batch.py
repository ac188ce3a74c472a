"""``filterbank decompose`` on many files: batched here, or spread over Dask workers.

Each input file is a unit of work. It is read, decomposed and written on its
own terms: whatever goes wrong with one file (unreadable, too short for the
level, a full disk) becomes that file's error, reported as it happens, and the
other files go on. Arrays of one shape and dtype still run as one batch, across
files, up to ``--batch-size`` arrays.

``--workers N`` hands the files, a few at a time, to a ``dask.distributed``
cluster of N worker processes on this machine (``--scheduler ADDRESS``: a
running cluster). A task carries file paths, the bank and the options, never
array data; workers read and write the files themselves, so inputs and
outputs must be on storage every worker sees.

A finished output is one that exists and records the same spec, mode, options
and input as this run (`finished`); ``--resume`` skips those. Outputs are
written under a temporary name and renamed (`filterbank.cli._write`), so an
interrupted run leaves no partial file under a final name.
"""

from __future__ import annotations

import json
import logging
import math
import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from filterbank.cli._arrays import NpzArchive
from filterbank.cli._common import compute_dtype, input_axes, out_of_memory
from filterbank.cli._inputs import Item, read_items
from filterbank.errors import FilterBankError, InputError
from filterbank.modes import Mode
from filterbank.spec.parameters import ROLES

__all__ = [
    "Event",
    "Job",
    "Unit",
    "decompose_items",
    "decompose_units",
    "default_axes",
    "finished",
    "run_on_workers",
    "worker_env",
]

#: Most worker processes ``--workers`` starts on one machine.
MAX_WORKERS = 256
#: How long ``--scheduler`` waits for a running cluster to answer.
CONNECT_TIMEOUT = "20s"


@dataclass(frozen=True)
class Job:
    """What every file of one run is decomposed with; small, so that it travels to workers cheaply."""

    bank: Any
    mode: Mode
    level: int | None
    axes: tuple[int, ...] | None
    dtype: str | None
    two_d: bool
    force: bool
    budget: int
    batch_size: int
    spec: dict[str, Any]
    version: str

    def options(self) -> dict[str, Any]:
        """The requested options as recorded in each output (what `finished` compares)."""
        return {"level": self.level, "axes": None if self.axes is None else list(self.axes),
                "two_d": self.two_d, "dtype": self.dtype}


@dataclass(frozen=True)
class Unit:
    """One input file and the outputs still to write from it (output name -> path)."""

    path: str
    targets: dict[str, str]


@dataclass(frozen=True)
class Event:
    """Something that happened to one input: an output written, an error, or a warning."""

    source: str
    target: str | None = None
    error: str | None = None
    warning: str | None = None
    kind: str = "arrays"
    axes: tuple[int, ...] = ()
    outputs: int = 1  #: how many of the run's outputs this event settles (for the progress bar)


def _describe(exc: BaseException) -> str:
    """One line for a per-file error: filterbank's own message, or the exception's type and text."""
    text = (str(exc).strip().splitlines() or [""])[0]
    return text if isinstance(exc, FilterBankError) else f"{type(exc).__name__}: {text}"


def _axes(item: Item, axes: tuple[int, ...] | None, two_d: bool) -> tuple[int, ...]:
    """The non-negative axes ``item`` is transformed over: ``axes`` (``--axes``), else `default_axes`."""
    return input_axes(axes if axes is not None else default_axes(item, two_d), item.data.ndim, item.source)


def _write(job: Job, path: str, item: Item, coeffs: list[Any], target: str) -> Event:
    from filterbank.cli._archive import write_coefficients

    ax = _axes(item, job.axes, job.two_d)
    meta = {
        "filterbank_version": job.version,
        "spec": job.spec,
        "input": {"source": item.source, "shape": list(item.data.shape), "dtype": item.data.dtype.name,
                  "image": item.image},
        "dtype": compute_dtype(job.dtype, item.data.dtype).name,
        "mode": job.mode,
        "level": len(coeffs) - 1,
        "axes": list(ax),
        "options": job.options(),
    }
    taps = {t: getattr(job.bank, t) for t in ROLES}
    write_coefficients(Path(target), coeffs, meta, taps, force=job.force)
    return Event(path, target=target, kind="images" if item.image else "arrays", axes=ax)


def decompose_units(units: Sequence[Unit], job: Job, report: Callable[[Event], None] | None = None,
                    *, keep_going: bool = True) -> list[Event]:
    """Decompose and write every output of ``units``; return (and ``report``) one `Event` per output or error.

    Arrays of one shape, dtype and kind run as one batch of up to
    ``job.batch_size``. With ``keep_going`` an exception is caught and becomes
    the error event of the file it belongs to (a failing batch is retried array
    by array, so that only the arrays that fail are lost); without it, the
    exception propagates.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np, filterbank as fb
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> np.save(d / "x.npy", np.arange(8.0)); _ = (d / "bad.npy").write_bytes(b"not an array")
    >>> job = Job(fb.load("haar"), "periodization", 1, None, None, False, False, 1 << 30, 32, {"name": "haar"}, "0")
    >>> units = [Unit(str(d / n), {n[:-4]: str(d / "out" / (n[:-4] + ".npz"))}) for n in ("x.npy", "bad.npy")]
    >>> [(pathlib.Path(e.source).name, e.error is None) for e in decompose_units(units, job)]
    [('bad.npy', False), ('x.npy', True)]
    """
    events: list[Event] = []

    def emit(event: Event) -> None:
        events.append(event)
        if report is not None:
            report(event)

    def fail(source: str, exc: Exception, outputs: int = 1) -> None:
        if not keep_going:
            raise exc
        emit(Event(source, error=_describe(exc), outputs=outputs))

    pending: dict[tuple[Any, ...], list[tuple[Unit, Item]]] = {}

    def flush(key: tuple[Any, ...]) -> None:
        group = pending.pop(key)
        try:
            results = _decompose([item for _, item in group], job)
        except Exception as exc:
            if not keep_going or len(group) == 1:
                fail(group[0][0].path, exc)
                return
            for one in group:  # find which arrays fail; the others still get written
                pending[key] = [one]
                flush(key)
            return
        for (unit, item), coeffs in zip(group, results):
            try:
                emit(_write(job, unit.path, item, coeffs, unit.targets[item.name]))
            except Exception as exc:
                fail(unit.path, exc)

    for unit in units:
        unreadable: list[tuple[str, InputError]] = []
        try:
            items = [item for item in read_items([Path(unit.path)], job.budget, unreadable)
                     if item.name in unit.targets]
        except Exception as exc:
            fail(unit.path, exc, len(unit.targets))
            continue
        for _, error in unreadable:
            fail(unit.path, error)
        for item in items:
            key = (item.data.shape, item.data.dtype.str, item.image)
            pending.setdefault(key, []).append((unit, item))
            if len(pending[key]) >= job.batch_size:
                flush(key)
    for key in list(pending):
        flush(key)
    return events


def _decompose(items: list[Item], job: Job) -> list[list[Any]]:
    with out_of_memory(f"decomposing {len(items)} array(s) of shape {items[0].data.shape}",
                       "use a smaller --batch-size or --max-bytes"):
        return decompose_items(items, job.bank, mode=job.mode, level=job.level, axes=job.axes, dtype=job.dtype,
                               two_d=job.two_d)


def decompose_items(
    items: Sequence[Item],
    bank: Any,
    *,
    mode: Mode,
    level: int | None,
    axes: tuple[int, ...] | None,
    dtype: str | None,
    two_d: bool = False,
) -> list[list[Any]]:
    """Decompose arrays of one shape and dtype as one batch; return one ``wavedecn`` list each.

    The arrays are stacked on a new leading axis, which the transform treats as a
    batch axis, so the whole group costs one TensorFlow call. ``axes=None``
    takes the default of `default_axes`.

    Examples
    --------
    >>> import filterbank as fb
    >>> items = [Item("a.npy", "a", np.arange(16.0), False), Item("b.npy", "b", np.ones(16), False)]
    >>> out = decompose_items(items, fb.load("haar"), mode="periodization", level=2, axes=None, dtype=None)
    >>> [c[0].round(6).tolist() for c in out]  # level-2 Haar approximation: sums of four samples / 2
    [[3.0, 11.0, 19.0, 27.0], [2.0, 2.0, 2.0, 2.0]]
    >>> sorted(out[0][1]), out[0][2]["d"].shape
    (['d'], (8,))
    """
    import filterbank as fb

    ax = _axes(items[0], axes, two_d)
    ct = compute_dtype(dtype, items[0].data.dtype)
    stack = np.stack([it.data for it in items]).astype(ct, copy=False)
    batched = fb.wavedecn(stack, bank, mode=mode, level=level, axes=tuple(a + 1 for a in ax))
    approx = np.asarray(batched[0])
    details = [{k: np.asarray(v) for k, v in d.items()} for d in batched[1:]]
    return [[approx[i]] + [{k: v[i] for k, v in d.items()} for d in details] for i in range(len(items))]


def default_axes(item: Item, two_d: bool = False) -> tuple[int, ...]:
    """The axes an input is transformed over when ``--axes`` is not given.

    An image is 2-D over height and width (a colour image keeps its channel
    axis). An array is 1-D along its last axis, as ``pywt.wavedec``: a stack of
    signals stays a stack of signals. With ``two_d`` (``--2d``), an array is
    2-D over its last two axes, as ``pywt.wavedec2``.

    Examples
    --------
    >>> signals = Item("s.npy", "s", np.zeros((10, 64)), False)
    >>> default_axes(signals), default_axes(signals, two_d=True)
    ((-1,), (-2, -1))
    >>> default_axes(Item("rgb.png", "rgb", np.zeros((4, 6, 3), np.uint8), True))
    (0, 1)
    >>> default_axes(Item("x.npy", "x", np.zeros(8), False), two_d=True)
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: --2d needs arrays of at least 2 axes; input 'x.npy' has shape (8,)
    """
    if item.image:
        return (0, 1)
    if not two_d:
        return (-1,)
    if item.data.ndim < 2:
        raise InputError(f"--2d needs arrays of at least 2 axes; input {item.source!r} has shape {item.data.shape}")
    return (-2, -1)


def finished(target: Path, job: Job, source: str) -> bool:
    """Whether ``target`` is an output this run would write from ``source``: same spec, mode, options and input.

    Only the metadata record is read. A file that is not a coefficient file, or
    one written with other settings, is not finished.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np, filterbank as fb
    >>> d = pathlib.Path(tempfile.mkdtemp()); np.save(d / "x.npy", np.arange(8.0))
    >>> job = Job(fb.load("haar"), "zero", 2, None, None, False, False, 1 << 30, 32, {"name": "haar"}, "0")
    >>> out = {"x": str(d / "x.npz")}
    >>> finished(d / "x.npz", job, str(d / "x.npy"))
    False
    >>> _ = decompose_units([Unit(str(d / "x.npy"), out)], job)
    >>> finished(d / "x.npz", job, str(d / "x.npy")), finished(d / "x.npz", job, str(d / "y.npy"))
    (True, False)
    """
    try:
        with NpzArchive(Path(target), 1 << 20, kinds="f", label="coefficient file") as archive:
            if "__filterbank__" not in archive.names:
                return False
            meta = json.loads(str(archive.read("__filterbank__", kinds="U")))
    except (InputError, ValueError, OSError):
        return False
    if not isinstance(meta, dict) or not isinstance(meta.get("input"), dict):
        return False
    recorded = str(meta["input"].get("source", ""))
    return (meta.get("spec") == job.spec and meta.get("mode") == job.mode and meta.get("options") == job.options()
            and (recorded == source or recorded.startswith(source + ":")))


def worker_env(workers: int, cores: int | None = None) -> dict[str, str]:
    """Environment of each local worker process: quiet TensorFlow, and the cores shared out.

    Each of ``workers`` processes gets ``cores // workers`` threads (at least
    one) for TensorFlow and BLAS, so that N workers do not each start one
    thread per core.

    Examples
    --------
    >>> worker_env(2, cores=8)["TF_NUM_INTRAOP_THREADS"], worker_env(4, cores=2)["OMP_NUM_THREADS"]
    ('4', '1')
    """
    cores = cores or os.cpu_count() or 1
    threads = str(max(1, cores // workers))
    return {"TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3"), "TF_NUM_INTRAOP_THREADS": threads,
            "TF_NUM_INTEROP_THREADS": "1", "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads}


def _task(units: list[Unit], job: Job) -> list[Event]:
    """What a worker runs: `decompose_units`, with the warnings it raised returned as events."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        events = decompose_units(units, job)
    seen = dict.fromkeys(str(w.message) for w in caught)
    return events + [Event(units[0].path, warning=message) for message in seen]


def _chunks(units: Sequence[Unit], workers: int, batch_size: int) -> list[list[Unit]]:
    """Tasks of a few files each: about four per worker, never more than ``batch_size`` files."""
    size = max(1, min(batch_size, math.ceil(len(units) / (4 * workers))))
    return [list(units[i:i + size]) for i in range(0, len(units), size)]


def run_on_workers(units: Sequence[Unit], job: Job, report: Callable[[Event], None], *, workers: int,
                   scheduler: str | None = None) -> None:
    """Run `decompose_units` on a Dask cluster; ``report`` each event as its task finishes.

    A task that cannot run (its worker died, say) reports an error for each of
    its files. ``scheduler`` connects to a running cluster instead of
    starting ``workers`` local processes.
    """
    try:
        import distributed
    except ImportError:
        raise InputError("--workers needs Dask's distributed scheduler: pip install 'filterbank[dask]'") from None
    from contextlib import ExitStack

    with ExitStack() as stack:
        if scheduler is not None:
            try:
                client = stack.enter_context(distributed.Client(scheduler, timeout=CONNECT_TIMEOUT))
            except (OSError, TimeoutError) as exc:
                raise InputError(f"--scheduler {scheduler!r}: no Dask scheduler answered ({_describe(exc)})") from None
            nworkers = max(1, len(client.scheduler_info()["workers"]))
        else:
            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                silence_logs=logging.ERROR, env=worker_env(workers)))
            client = stack.enter_context(distributed.Client(cluster))
            nworkers = workers
        futures = {client.submit(_task, chunk, job, pure=False): chunk
                   for chunk in _chunks(units, nworkers, job.batch_size)}
        for future in distributed.as_completed(futures):
            try:
                events = future.result()
            except Exception as exc:
                events = [Event(unit.path, error=f"its task failed ({_describe(exc)})", outputs=len(unit.targets))
                          for unit in futures[future]]
            for event in events:
                report(event)
