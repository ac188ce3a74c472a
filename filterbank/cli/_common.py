"""Argument helpers shared by the command-line sub-commands."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from filterbank.errors import InputError, normalize_axes

__all__ = [
    "add_budget_option",
    "budget",
    "compute_dtype",
    "describe",
    "normalize_axes",
    "out_of_memory",
    "parse_axes",
    "positive_int",
    "resolve_bank",
]


def resolve_bank(text: str) -> Any:
    """A `FilterBank` from a name or a spec file, resolved as everywhere (`filterbank.design.names`).

    Examples
    --------
    >>> resolve_bank("db2").dec_len, resolve_bank("johnston-qmf").dec_len  # PyWavelets, bundled
    (4, 32)
    """
    import filterbank as fb

    loaded = fb.load(text)
    if not isinstance(loaded, fb.FilterBank):
        raise InputError(f"SPEC_OR_NAME must describe a filter bank; {text!r} is a single filter (kind: filter)")
    return loaded


def parse_axes(text: str | None) -> tuple[int, ...] | None:
    """Parse ``--axes`` (comma-separated integers, negatives allowed).

    Examples
    --------
    >>> parse_axes("0, 1"), parse_axes("-1"), parse_axes(None)
    ((0, 1), (-1,), None)
    >>> parse_axes("x")
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: --axes must be comma-separated integers such as 0,1 or -1; got 'x'
    """
    if text is None:
        return None
    try:
        axes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise InputError(f"--axes must be comma-separated integers such as 0,1 or -1; got {text!r}") from None
    return axes


def input_axes(axes: tuple[int, ...] | None, ndim: int, source: str) -> tuple[int, ...]:
    """``--axes`` as non-negative ints for an input file of ``ndim`` axes (all axes when not given).

    The rule is `filterbank.errors.normalize_axes`, the one every transform
    uses; the message names the input file too.

    Examples
    --------
    >>> input_axes((-2, -1), 3, "x.npy"), input_axes(None, 2, "x.npy")
    ((1, 2), (0, 1))
    >>> input_axes((0, 2), 2, "x.npy")
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: --axes: axis 2 is out of range for data with 2 dimension(s) (valid: -2 to 1), for input 'x.npy'
    """
    if axes is None:
        return tuple(range(ndim))
    try:
        return normalize_axes(axes, ndim, "--axes")
    except InputError as exc:
        raise InputError(f"{exc}, for input {source!r}") from None


def compute_dtype(requested: str | None, data_dtype: np.dtype) -> np.dtype:
    """The float dtype a transform runs in: the requested one, else the input's float, else float64.

    Examples
    --------
    >>> compute_dtype(None, np.dtype("uint8")), compute_dtype(None, np.dtype("float32"))
    (dtype('float64'), dtype('float32'))
    >>> compute_dtype("float32", np.dtype("float64"))
    dtype('float32')
    """
    if requested is not None:
        return np.dtype(requested)
    if data_dtype in (np.float32, np.float64):
        return np.dtype(data_dtype)
    if data_dtype == np.float16:
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def positive_int(text: str) -> int:
    """argparse type: an integer >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0; got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0; got {value}")
    return value


def add_budget_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--max-bytes``, the memory budget of one array (see `filterbank.cli._arrays`)."""
    from filterbank.cli._arrays import ENV_BUDGET

    parser.add_argument(
        "--max-bytes", default=None, metavar="SIZE",
        help=f"memory budget of one array, counted at 8 bytes per element, such as 512M or 8G "
        f"(default: ${ENV_BUDGET}, else 2G); larger inputs are refused before they are read")


def budget(args: argparse.Namespace) -> int:
    """The memory budget in bytes: ``--max-bytes``, else ``FILTERBANK_MAX_BYTES``, else 2 GiB.

    Examples
    --------
    >>> budget(argparse.Namespace(max_bytes="1K"))
    1024
    """
    from filterbank.cli._arrays import default_budget, parse_bytes

    return parse_bytes(args.max_bytes) if args.max_bytes is not None else default_budget()


@contextmanager
def out_of_memory(doing: str, advice: str) -> Iterator[None]:
    """Turn ``MemoryError`` and TensorFlow's ``ResourceExhaustedError`` inside into a one-line `InputError`.

    TensorFlow is imported only if an exception actually arrives.
    """
    try:
        yield
    except Exception as exc:
        from filterbank.backend.system import is_out_of_memory

        if not is_out_of_memory(exc):
            raise
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        raise InputError(f"out of memory {doing} ({type(exc).__name__}{': ' + first if first else ''}); {advice}") from None


def describe(doc: str | None) -> str:
    """The second paragraph of a module docstring as one line of ``--help`` text, without markup."""
    parts = (doc or "").split("\n\n")
    return (parts[1] if len(parts) > 1 else parts[0]).replace("\n", " ").replace("``", "")
