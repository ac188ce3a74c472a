"""``filterbank decompose``: multi-level wavelet decomposition of files, batched on TensorFlow.

Each input array (``.npy``, ``.npz``, PNG/JPEG/TIFF/BMP images, folders and
globs of them) is decomposed with ``wavedecn`` over the chosen axes and written
as a coefficient ``.npz`` that ``filterbank reconstruct`` inverts exactly.
Arrays are transformed 1-D along their last axis, as ``pywt.wavedec`` does
(``--2d``: along the last two; ``--axes``: any), images 2-D over height and
width; the summary line says which axes were used. Inputs of the same shape and
dtype run together as one batch.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from filterbank.cli._archive import write_coefficients
from filterbank.cli._common import (
    add_budget_option,
    budget,
    compute_dtype,
    describe,
    input_axes,
    out_of_memory,
    parse_axes,
    positive_int,
    resolve_bank,
)
from filterbank.cli._inputs import Item, Progress, expand_inputs, npz_names, output_name, read_items
from filterbank.cli._write import check_writable
from filterbank.errors import InputError
from filterbank.modes import MODES, Mode, check_mode
from filterbank.spec.parameters import ROLES

__all__ = ["axes_summary", "decompose_items", "default_axes", "register"]


def register(sub: Any) -> None:
    """Add the ``decompose`` sub-command."""
    p = sub.add_parser(
        "decompose",
        help="wavelet-decompose arrays or images into coefficient .npz files",
        description=describe(__doc__),
        epilog="examples:  filterbank decompose db4 photo.png -o photo.npz  |  "
        "filterbank decompose sym8 'signals/*.npy' -o coeffs/ --level 3  |  "
        "filterbank decompose db2 stack.npy -o stack.npz --2d",
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
    p.add_argument("-f", "--force", action="store_true", help="overwrite existing outputs")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_budget_option(p)
    p.set_defaults(func=_main)


def _output_names(files: Sequence[Path], limit: int) -> list[str]:
    names: list[str] = []
    for path in files:
        if path.suffix.lower() == ".npz":
            keys = npz_names(path, limit)
            names.extend(output_name(path, k if len(keys) > 1 else None) for k in keys)
        else:
            names.append(output_name(path, None))
    return names


def _targets(args: argparse.Namespace, files: list[Path], many: bool, limit: int) -> tuple[dict[str, Path], bool]:
    names = _output_names(files, limit)
    out = Path(args.output)
    single = len(names) == 1 and not many and not out.is_dir()
    if single:
        target = out if out.suffix == ".npz" else out.with_name(out.name + ".npz")
        check_writable(target, force=args.force)
        return {names[0]: target}, True
    if out.exists() and not out.is_dir():
        raise InputError(f"output {str(out)!r} must be a folder for {len(names)} inputs; it is a file")
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    clashes = sorted(n for n, c in seen.items() if c > 1)
    if clashes:
        raise InputError(f"inputs would write the same output name {clashes[0]}.npz; rename or run them separately")
    targets = {n: out / f"{n}.npz" for n in names}
    for t in targets.values():
        if t.parent != out:  # output_name never lets this happen; a second lock on the door
            raise InputError(f"output name {t.name!r} would leave the output folder {str(out)!r}")
        check_writable(t, force=args.force)
    return targets, False


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

    first = items[0].data
    ax = input_axes(axes if axes is not None else default_axes(items[0], two_d), first.ndim, items[0].source)
    ct = compute_dtype(dtype, first.dtype)
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
    bank = resolve_bank(args.spec)
    mode = check_mode(args.mode or bank.mode or "symmetric")
    level = args.level if args.level is not None else bank.level
    spec_record = {"name": bank.name, "source": args.spec, "yaml": fb.dump_spec(bank.to_spec())}
    limit = budget(args)
    files, many = expand_inputs(args.inputs)
    targets, single = _targets(args, files, many, limit)
    progress = Progress(len(targets), enabled=not (args.quiet or single))
    pending: dict[tuple[Any, ...], list[Item]] = {}
    written: list[Path] = []
    chosen: dict[str, set[tuple[int, ...]]] = {}

    def flush(key: tuple[Any, ...]) -> None:
        group = pending.pop(key)
        with out_of_memory(f"decomposing {len(group)} array(s) of shape {group[0].data.shape}",
                           "use a smaller --batch-size or --max-bytes"):
            results = decompose_items(group, bank, mode=mode, level=level, axes=axes, dtype=args.dtype,
                                      two_d=args.two_d)
        for item, coeffs in zip(group, results):
            ax = input_axes(axes if axes is not None else default_axes(item, args.two_d), item.data.ndim,
                                item.source)
            chosen.setdefault("images" if item.image else "arrays", set()).add(ax)
            meta = {
                "filterbank_version": fb.__version__,
                "spec": spec_record,
                "input": {"source": item.source, "shape": list(item.data.shape), "dtype": item.data.dtype.name,
                          "image": item.image},
                "dtype": compute_dtype(args.dtype, item.data.dtype).name,
                "mode": mode,
                "level": len(coeffs) - 1,
                "axes": list(ax),
            }
            taps = {t: getattr(bank, t) for t in ROLES}
            written.append(write_coefficients(targets[item.name], coeffs, meta, taps, force=args.force))
            progress.advance()

    for item in read_items(files, limit):
        key = (item.data.shape, item.data.dtype.str, item.image)
        pending.setdefault(key, []).append(item)
        if len(pending[key]) >= args.batch_size:
            flush(key)
    for key in list(pending):
        flush(key)
    progress.close()
    seconds = time.perf_counter() - start
    where = written[0] if single else Path(args.output)
    print(f"decomposed {len(written)} input{'s' * (len(written) != 1)} with {bank.name} "
          f"(mode {mode}; {axes_summary(chosen, axes is not None, args.two_d)}) in {seconds:.2f} s -> {where}")
    return 0
