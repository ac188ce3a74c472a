"""Reading ``.npy`` and ``.npz`` files within a memory budget, checked before anything is allocated.

A ``.npy`` file starts with a header declaring its dtype and shape; a
``.npz`` archive is a zip file of ``.npy`` members, each with a declared
uncompressed size. Both are checked before any data is read::

    .npy   magic  header {dtype, shape}   data ............
           |      |                       '-- must hold prod(shape) * itemsize bytes
           |      '-- dtype: no Python objects (pickles are never loaded); shape:
           |          prod(shape) * max(8, itemsize) bytes within the budget
           '-- b"\\x93NUMPY", format version 1 or 2
    .npz   b"PK": every member named *.npy, its uncompressed size within the budget

The budget counts each array at (at least) 8 bytes per element, the float64
the transforms may compute in. It is `DEFAULT_BUDGET` (2 GiB), or the
environment variable ``FILTERBANK_MAX_BYTES``, or a command's ``--max-bytes``;
sizes take the suffixes K, M, G and T (powers of 1024).
"""

from __future__ import annotations

import lzma
import math
import os
import re
import tokenize
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from filterbank.errors import InputError

__all__ = ["DEFAULT_BUDGET", "ENV_BUDGET", "NpzArchive", "check_budget", "default_budget", "load_npy", "parse_bytes"]

#: The memory budget of one array when neither ``--max-bytes`` nor ``FILTERBANK_MAX_BYTES`` is given.
DEFAULT_BUDGET = 2 << 30
#: The environment variable that overrides `DEFAULT_BUDGET`.
ENV_BUDGET = "FILTERBANK_MAX_BYTES"
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def parse_bytes(text: str, name: str = "--max-bytes") -> int:
    """A size in bytes from ``"4096"``, ``"512M"``, ``"2G"`` or ``"1.5T"`` (powers of 1024).

    Examples
    --------
    >>> parse_bytes("512M"), parse_bytes("2g"), parse_bytes("1000")
    (536870912, 2147483648, 1000)
    >>> parse_bytes("lots")
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: --max-bytes must be a positive size such as 4096, 512M or 2G; got 'lots'
    """
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)\s*([KMGT]?)i?B?\s*", str(text), flags=re.IGNORECASE)
    value = float(match.group(1)) * _UNITS[match.group(2).upper()] if match else 0.0
    if not match or not 1 <= value < 2.0**63:
        raise InputError(f"{name} must be a positive size such as 4096, 512M or 2G; got {text!r}")
    return int(value)


def default_budget() -> int:
    """``FILTERBANK_MAX_BYTES`` when set, else `DEFAULT_BUDGET`."""
    text = os.environ.get(ENV_BUDGET, "").strip()
    return parse_bytes(text, ENV_BUDGET) if text else DEFAULT_BUDGET


def _human(n: int) -> str:
    """Bytes in the largest binary unit that keeps the number >= 1.

    Examples
    --------
    >>> _human(8 << 40), _human(1536), _human(12)
    ('8.0 TiB', '1.5 KiB', '12 B')
    """
    for unit, size in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def check_budget(source: str, shape: tuple[int, ...], itemsize: int, budget: int) -> None:
    """Refuse an array of ``shape`` whose elements at ``max(8, itemsize)`` bytes exceed ``budget``.

    Examples
    --------
    >>> check_budget("input 'big.npy'", (1 << 40,), 8, 2 << 30)
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: input 'big.npy' declares shape (1099511627776,): 8.0 TiB at 8 bytes per element, more than the memory budget of 2.0 GiB (raise it with --max-bytes or FILTERBANK_MAX_BYTES)
    """
    need = math.prod(shape) * max(8, itemsize)
    if need > budget:
        raise InputError(
            f"{source} declares shape {tuple(shape)}: {_human(need)} at {max(8, itemsize)} bytes per element, "
            f"more than the memory budget of {_human(budget)} (raise it with --max-bytes or {ENV_BUDGET})"
        )


@dataclass(frozen=True)
class _Header:
    shape: tuple[int, ...]
    dtype: np.dtype
    fortran: bool
    nbytes: int
    offset: int


def _header(f: IO[bytes], source: str, kinds: str) -> _Header:
    start = f.read(len(_NPY_MAGIC))
    if start != _NPY_MAGIC:
        raise InputError(f"{source} is not a .npy array (it starts with {start[:8]!r}, not {_NPY_MAGIC!r})")
    try:
        major, minor = f.read(1)[0], f.read(1)[0]
        if (major, minor) == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif (major, minor) == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise InputError(f"{source} uses .npy format version {major}.{minor}; this filterbank reads 1.0 and 2.0")
    except InputError:
        raise
    except (ValueError, IndexError, SyntaxError, TypeError, EOFError, tokenize.TokenError, RecursionError) as exc:
        raise InputError(f"{source} has a corrupt .npy header ({type(exc).__name__}: {exc})") from None
    if dtype.hasobject:
        raise InputError(f"{source} holds Python objects (a pickle), which filterbank never loads")
    if dtype.kind not in kinds or dtype.shape or dtype.names:
        allowed = {"b": "bool", "i": "signed integer", "u": "unsigned integer", "f": "float", "U": "text"}
        names = [allowed[k] for k in kinds]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        raise InputError(f"{source} must hold {listed} values; got dtype {dtype}")
    return _Header(tuple(shape), dtype, bool(fortran), math.prod(shape) * dtype.itemsize, f.tell())


def _read(f: IO[bytes], header: _Header, source: str, available: int) -> np.ndarray:
    if available < header.nbytes:
        raise InputError(
            f"{source} is truncated: its header declares shape {header.shape} {header.dtype} "
            f"({header.nbytes} bytes), the file holds {max(available, 0)}"
        )
    out = np.empty(math.prod(header.shape), dtype=header.dtype)
    view, done = out.view(np.uint8).data, 0
    while done < header.nbytes:
        got = f.readinto(view[done:])  # type: ignore[attr-defined]
        if not got:
            raise InputError(f"{source} is truncated: read {done} of {header.nbytes} data bytes")
        done += got
    return out.reshape(header.shape, order="F" if header.fortran else "C")


def load_npy(path: Path, budget: int, *, kinds: str = "biuf", source: str | None = None) -> np.ndarray:
    """Read a ``.npy`` file after checking its header against ``budget``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.npy"
    >>> np.save(p, np.arange(3.0))
    >>> load_npy(p, 1 << 20).tolist()
    [0.0, 1.0, 2.0]
    >>> load_npy(p, 16)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: input '...x.npy' declares shape (3,): 24 B at 8 bytes per element, more than the memory budget of 16 B ...
    """
    source = source or f"input {str(path)!r}"
    try:
        with open(path, "rb") as f:
            header = _header(f, source, kinds)
            check_budget(source, header.shape, header.dtype.itemsize, budget)
            data = _read(f, header, source, os.fstat(f.fileno()).st_size - header.offset)
    except OSError as exc:
        raise InputError(f"{source} cannot be read: {exc.strerror or exc}") from None
    return data


class NpzArchive:
    """The ``.npy`` members of a ``.npz`` archive, each checked before it is read.

    Use as a context manager; ``names`` lists the arrays (member names without
    ``.npy``), `read` returns one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "z.npz"
    >>> np.savez(p, x=np.ones(2), y=np.zeros((2, 2), np.int16))
    >>> with NpzArchive(p, 1 << 20) as z:
    ...     z.names, z.read("y").dtype
    (['x', 'y'], dtype('int16'))
    """

    def __init__(self, path: Path, budget: int, *, kinds: str = "biuf", label: str = "input") -> None:
        self.path, self.budget, self.kinds, self.label = Path(path), budget, kinds, label
        try:
            with open(self.path, "rb") as f:
                start = f.read(4)
            if start not in _ZIP_MAGIC:
                raise InputError(f"{label} {str(self.path)!r} is not a .npz archive (it starts with {start!r}, not a zip header)")
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
            raise InputError(f"{label} {str(self.path)!r} is a truncated or corrupt .npz archive "
                             f"({type(exc).__name__}: {exc})") from None
        self._members: dict[str, zipfile.ZipInfo] = {}
        for info in self._zip.infolist():
            if info.is_dir():
                continue
            if not info.filename.endswith(".npy"):
                self._zip.close()
                raise InputError(f"{label} {str(self.path)!r} holds {info.filename!r}, which is not a .npy array")
            self._members[info.filename[: -len(".npy")]] = info

    @property
    def names(self) -> list[str]:
        """The arrays in the archive, in archive order."""
        return list(self._members)

    def __enter__(self) -> NpzArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    def read(self, name: str, *, kinds: str | None = None) -> np.ndarray:
        """One array, after checking its declared sizes against the budget (``kinds``: its allowed dtype kinds)."""
        info = self._members[name]
        source = f"{self.label} {f'{self.path}:{name}'!r}"
        if info.file_size > self.budget + (1 << 16):
            raise InputError(f"{source} declares an uncompressed size of {_human(info.file_size)}, more than the "
                             f"memory budget of {_human(self.budget)} (raise it with --max-bytes or {ENV_BUDGET})")
        try:
            with self._zip.open(info) as f:
                header = _header(f, source, kinds or self.kinds)
                check_budget(source, header.shape, header.dtype.itemsize, self.budget)
                return _read(f, header, source, info.file_size - header.offset)
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise InputError(f"{source} is truncated or corrupt ({type(exc).__name__}: {exc})") from None

