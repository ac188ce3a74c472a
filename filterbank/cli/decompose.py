"""``filterbank decompose``: multi-level wavelet decomposition of files, batched on TensorFlow.

Each input array (``.npy``, ``.npz``, PNG/JPEG/TIFF/BMP images, folders and
globs of them) is decomposed with ``wavedecn`` over the chosen axes and written
as a coefficient ``.npz`` that ``filterbank reconstruct`` inverts exactly.
Arrays are transformed 1-D along their last axis, as ``pywt.wavedec`` does
(``--2d``: along the last two; ``--axes``: any), images 2-D over height and
width; the summary line says which axes were used. Inputs of the same shape and
dtype run together as one batch. A folder or glob keeps going past an input that
fails (its error is printed; the exit status is 1 at the end), --resume skips
the outputs an earlier run finished, and --workers N spreads the files over N
Dask worker processes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from filterbank.cli._batch import (
    MAX_WORKERS,
    Event,
    Job,
    Unit,
    decompose_items,
    decompose_units,
    default_axes,
    finished,
    run_on_workers,
)
from filterbank.cli._common import (
    add_budget_option,
    budget,
    describe,
    parse_axes,
    positive_int,
    resolve_bank,
)
from filterbank.cli._inputs import Progress, expand_inputs, npz_names, output_name
from filterbank.cli._write import check_writable
from filterbank.errors import InputError
from filterbank.modes import MODES, check_mode

__all__ = ["axes_summary", "decompose_items", "default_axes", "register"]


def register(sub: Any) -> None:
    """Add the ``decompose`` sub-command."""
    p = sub.add_parser(
        "decompose",
        help="wavelet-decompose arrays or images into coefficient .npz files",
        description=describe(__doc__),
        epilog="examples:  filterbank decompose db4 photo.png -o photo.npz  |  "
        "filterbank decompose sym8 'signals/*.npy' -o coeffs/ --level 3  |  "
        "filterbank decompose db2 stack.npy -o stack.npz --2d  |  "
        "filterbank decompose db4 'traces/*.npy' -o coeffs/ --workers 2 --resume.  "
        "Exit status: 0 when every input was decomposed, 1 when some input failed, 2 for a usage error.",
    )
    p.add_argument("spec", metavar="SPEC_OR_NAME", help="a spec .yaml file, a bundled spec or a PyWavelets wavelet name")
    p.add_argument("inputs", metavar="INPUT", nargs="+", help=".npy/.npz/image files, folders or quoted globs")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output .npz for one input; an output folder for several (or a folder / glob)")
    p.add_argument("--level", type=positive_int, default=None, help="decomposition level (default: the spec's, else the maximum)")
    p.add_argument("--mode", default=None, metavar="MODE",
                   help=f"signal extension mode (default: the spec's, else symmetric): {', '.join(MODES)}")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--axes", default=None,
                       help="comma-separated axes to transform (default: the last axis of .npy/.npz arrays, "
                       "as pywt.wavedec; axes 0,1 of images)")
    which.add_argument("--2d", dest="two_d", action="store_true",
                       help="transform .npy/.npz arrays 2-D over their last two axes, as pywt.wavedec2 "
                       "(a stack of images); same as --axes -2,-1")
    p.add_argument("--dtype", choices=("float32", "float64"), default=None,
                   help="computation dtype (default: the input's float dtype, float64 for integers)")
    p.add_argument("--batch-size", type=positive_int, default=32, help="arrays per TensorFlow batch (default 32)")
    again = p.add_mutually_exclusive_group()
    again.add_argument("-f", "--force", action="store_true", help="overwrite existing outputs")
    again.add_argument("--resume", action="store_true",
                       help="skip outputs an earlier run finished with the same spec, mode and options "
                       "(an interrupted run leaves no partial output)")
    p.add_argument("--workers", type=positive_int, default=0, metavar="N",
                   help="decompose on N Dask worker processes on this machine (needs the dask extra; "
                   "default 0: in this process)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="decompose on a running Dask cluster (tcp://host:8786); inputs and outputs must be on "
                   "storage its workers see")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_budget_option(p)
    p.set_defaults(func=_main)


def _names(path: Path, limit: int) -> list[str]:
    """The output names of one input file (several for a multi-array ``.npz``)."""
    if path.suffix.lower() != ".npz":
        return [output_name(path, None)]
    keys = npz_names(path, limit)
    return [output_name(path, k if len(keys) > 1 else None) for k in keys]


def _existing(target: Path, source: Path, args: argparse.Namespace, job: Job, batch: bool) -> bool:
    """For an output that exists already: True to skip it (``--resume``, finished), else refuse."""
    if args.resume and finished(target, job, str(source)):
        return True
    if args.resume:
        raise InputError(f"output {str(target)!r} exists but is not a finished output of {str(source)!r} with these "
                         "settings (another spec, mode or options, or not a coefficient file); pass --force to overwrite it")
    hint = ", or --resume to skip the outputs an earlier run finished" if batch else ""
    raise InputError(f"output {str(target)!r} exists; pass --force to overwrite it{hint}")


def _units(args: argparse.Namespace, files: list[Path], batch: bool, job: Job) -> tuple[list[Unit], bool, list[Event], int]:
    """Map the inputs to their outputs: the units to run, whether one file is written, early errors, outputs skipped.

    In a batch (a folder, a glob or several files) an input whose arrays
    cannot even be listed is that input's error; alone, it stops the command.
    """
    names: dict[Path, list[str]] = {}
    errors: list[Event] = []
    for path in files:
        try:
            names[path] = _names(path, job.budget)
        except InputError as exc:
            if not batch:
                raise
            errors.append(Event(str(path), error=str(exc), outputs=0))
    every = [n for ns in names.values() for n in ns]
    out = Path(args.output)
    single = len(every) == 1 and not batch and not out.is_dir()
    if single:
        target = out if out.suffix == ".npz" else out.with_name(out.name + ".npz")
        targets = {every[0]: target}
    else:
        if out.exists() and not out.is_dir():
            raise InputError(f"output {str(out)!r} must be a folder for {len(every)} inputs; it is a file")
        clashes = sorted(n for n, c in Counter(every).items() if c > 1)
        if clashes:
            raise InputError(f"inputs would write the same output name {clashes[0]}.npz; rename or run them separately")
        targets = {n: out / f"{n}.npz" for n in every}
    units: list[Unit] = []
    skipped = 0
    for path, ns in names.items():
        todo: dict[str, str] = {}
        for n in ns:
            t = targets[n]
            if t.parent != out and not single:  # output_name never lets this happen; a second lock on the door
                raise InputError(f"output name {t.name!r} would leave the output folder {str(out)!r}")
            if not args.force and os.path.lexists(t) and _existing(t, path, args, job, batch):
                skipped += 1
                continue
            check_writable(t, force=True)
            todo[n] = str(t)
        if todo:
            units.append(Unit(str(path), todo))
    return units, single, errors, skipped


def axes_summary(chosen: dict[str, set[tuple[int, ...]]], explicit: bool, two_d: bool) -> str:
    """Say which axes were transformed, per input kind (``arrays`` / ``images``), for the summary line.

    Examples
    --------
    >>> axes_summary({"arrays": {(1,)}, "images": {(0, 1)}}, explicit=False, two_d=False)
    'arrays 1-D along the last axis (--2d or --axes for others), images 2-D over axes 0,1'
    >>> axes_summary({"arrays": {(1, 2), (0, 1)}}, explicit=False, two_d=True)
    'arrays 2-D over their last two axes'
    >>> axes_summary({"arrays": {(0, 2)}}, explicit=True, two_d=False)
    'axes 0,2'
    """
    parts = []
    for kind, sets in sorted(chosen.items()):  # arrays, then images
        listed = "; ".join(",".join(map(str, a)) for a in sorted(sets))
        if explicit:
            parts.append(f"axes {listed}")
        elif kind == "images":
            parts.append(f"images 2-D over axes {listed}")
        elif two_d:
            parts.append(f"{kind} 2-D over their last two axes")
        else:
            parts.append(f"{kind} 1-D along the last axis (--2d or --axes for others)")
    return ", ".join(dict.fromkeys(parts))


def _main(args: argparse.Namespace) -> int:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            return _run(args)
        finally:
            for message in dict.fromkeys(str(w.message) for w in caught):  # each distinct warning once, one line
                print(f"filterbank decompose: warning: {message}", file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    import filterbank as fb

    start = time.perf_counter()
    if args.mode is not None:
        check_mode(args.mode)
    axes = parse_axes(args.axes)
    if args.batch_size < 1:
        raise InputError(f"--batch-size must be >= 1; got {args.batch_size}")
    if args.workers > MAX_WORKERS:
        raise InputError(f"--workers must be at most {MAX_WORKERS} worker processes on one machine; got {args.workers}")
    bank = resolve_bank(args.spec)
    mode = check_mode(args.mode or bank.mode or "symmetric")
    job = Job(bank=bank, mode=mode, level=args.level if args.level is not None else bank.level, axes=axes,
              dtype=args.dtype, two_d=args.two_d, force=args.force, budget=budget(args), batch_size=args.batch_size,
              spec={"name": bank.name, "source": args.spec, "yaml": fb.dump_spec(bank.to_spec())},
              version=fb.__version__)
    files, many = expand_inputs(args.inputs)
    units, single, errors, skipped = _units(args, files, many or len(files) > 1, job)
    total = sum(len(u.targets) for u in units)
    progress = Progress(total, enabled=not (args.quiet or single or total == 0))
    written: list[str] = []
    failed: dict[str, str] = {}
    chosen: dict[str, set[tuple[int, ...]]] = {}

    def report(event: Event) -> None:
        if event.error is not None:
            failed.setdefault(event.source, event.error)
            where = "" if event.source in event.error else f"{event.source}: "
            progress.note(f"filterbank decompose: error: {where}{event.error}")
            progress.advance(event.outputs)
        elif event.warning is not None:
            warnings.warn(event.warning, stacklevel=1)
        elif event.target is not None:
            written.append(event.target)
            chosen.setdefault(event.kind, set()).add(event.axes)
            progress.advance()

    for event in errors:
        report(event)
    if units and (args.workers or args.scheduler):
        run_on_workers(units, job, report, workers=max(args.workers, 1), scheduler=args.scheduler)
    elif units:
        decompose_units(units, job, report, keep_going=not single)
    progress.close()
    seconds = time.perf_counter() - start
    where = Path(written[0]) if single and written else Path(args.output)
    how = f"mode {mode}" + (f"; {axes_summary(chosen, axes is not None, args.two_d)}" if chosen else "")
    line = f"decomposed {len(written)} input{'s' * (len(written) != 1)} with {bank.name} ({how}) in {seconds:.2f} s -> {where}"
    if skipped:
        line += f"; skipped {skipped} finished output{'s' * (skipped != 1)} (--resume)"
    if failed:
        line += f"; {len(failed)} input{'s' * (len(failed) != 1)} failed (errors above)"
    print(line)
    return 1 if failed else 0
