"""The coefficient file written by ``filterbank decompose``: layout, atomic writes, checks.

A coefficient file is an ordinary ``.npz`` archive (readable with
``numpy.load`` alone) holding one array per subband plus the filters and a
JSON metadata record, so that ``filterbank reconstruct`` needs nothing else::

    __filterbank__     0-d string: JSON metadata (format, version, spec, input, mode, level, axes)
    a                  approximation coefficients  (PyWavelets' coeffs[0])
    d1_ad, d1_da, ...  details of list position 1 (the coarsest level), one per subband key
    ...
    dN_dd              details of list position N = level (the finest level)
    bank_dec_lo ...    the four float64 filters (dec_lo, dec_hi, rec_lo, rec_hi)

Subband keys are PyWavelets' ``wavedecn`` keys: one letter per transformed
axis, ``a`` (low-pass) or ``d`` (high-pass), so a 2-D transform has ``da``
(PyWavelets' ``cH``), ``ad`` (``cV``) and ``dd`` (``cD``).

Files are written to a temporary file in the target folder and renamed into
place, so a crash never leaves a half-written archive under the final name.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from filterbank.errors import CoefficientsError, InputError

__all__ = ["FORMAT", "FORMAT_VERSION", "CoefficientFile", "atomic_write", "check_writable", "read_coefficients", "write_coefficients"]

#: Value of the ``format`` field that marks a filterbank coefficient file.
FORMAT = "filterbank-coefficients"
#: Newest layout this version writes and reads.
FORMAT_VERSION = 1
_META = "__filterbank__"
_TAPS = ("dec_lo", "dec_hi", "rec_lo", "rec_hi")


@dataclass(frozen=True)
class CoefficientFile:
    """The content of a coefficient file.

    ``coeffs`` is in PyWavelets' ``wavedecn`` layout: ``[a, {key: d}, ...]``
    with the coarsest details first. ``meta`` is the JSON metadata record and
    ``taps`` the four filters by PyWavelets name.
    """

    coeffs: list[Any]
    meta: dict[str, Any]
    taps: dict[str, np.ndarray]


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse to overwrite ``path`` unless ``force``; refuse to replace a folder ever.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_writable(d / "new.npz", force=False)
    >>> check_writable(d, force=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: output ... is a folder; give a file name
    """
    if path.is_dir():
        raise InputError(f"output {str(path)!r} is a folder; give a file name")
    if path.exists() and not force:
        raise InputError(f"output {str(path)!r} exists; pass --force to overwrite it")


def atomic_write(path: Path, write: Callable[[BinaryIO], None], *, force: bool) -> Path:
    """Call ``write(fileobj)`` on a temporary file beside ``path``, then rename it to ``path``.

    The rename is atomic on POSIX and Windows, so readers see either the old
    file or the complete new one. Without ``force`` an existing ``path`` is
    left alone and :class:`~filterbank.errors.InputError` is raised.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.bin"
    >>> atomic_write(p, lambda f: f.write(b"ok"), force=False).read_bytes()
    b'ok'
    >>> atomic_write(p, lambda f: f.write(b"again"), force=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: output '...x.bin' exists; pass --force to overwrite it
    """
    path = Path(path)
    check_writable(path, force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        check_writable(path, force=force)  # someone may have raced us
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _pack(coeffs: list[Any]) -> tuple[dict[str, np.ndarray], list[list[str]]]:
    if not isinstance(coeffs, (list, tuple)) or len(coeffs) < 1:
        raise CoefficientsError(f"coefficients must be a non-empty list; got {type(coeffs).__name__}")
    arrays = {"a": np.asarray(coeffs[0])}
    keys: list[list[str]] = []
    for i, details in enumerate(coeffs[1:], start=1):
        if not isinstance(details, dict):
            raise CoefficientsError(f"coefficients[{i}] must be a dict of subbands (wavedecn layout); got {type(details).__name__}")
        keys.append(sorted(details))
        for key in sorted(details):
            arrays[f"d{i}_{key}"] = np.asarray(details[key])
    return arrays, keys


def write_coefficients(path: Path, coeffs: list[Any], meta: dict[str, Any], taps: dict[str, np.ndarray], *, force: bool) -> Path:
    """Write ``coeffs`` (``wavedecn`` layout), ``meta`` and ``taps`` atomically to ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.npz"
    >>> taps = {k: np.array([0.5, 0.5]) for k in ("dec_lo", "dec_hi", "rec_lo", "rec_hi")}
    >>> _ = write_coefficients(p, [np.ones(2), {"d": np.zeros(2)}], {"level": 1}, taps, force=False)
    >>> c = read_coefficients(p)
    >>> c.coeffs[1]["d"].tolist(), c.meta["level"], c.meta["format"]
    ([0.0, 0.0], 1, 'filterbank-coefficients')
    """
    packed, keys = _pack(coeffs)
    arrays: dict[str, Any] = dict(packed)
    record = {"format": FORMAT, "format_version": FORMAT_VERSION, **meta, "subbands": keys}
    record["shapes"] = {name: list(a.shape) for name, a in arrays.items()}
    for name in _TAPS:
        arrays[f"bank_{name}"] = np.asarray(taps[name], dtype=np.float64)
    arrays[_META] = np.array(json.dumps(record, sort_keys=True))
    return atomic_write(Path(path), lambda f: np.savez(f, **arrays), force=force)


def _fail(path: Path, why: str) -> CoefficientsError:
    return CoefficientsError(f"{str(path)!r} is not a readable filterbank coefficient file: {why}")


def read_coefficients(path: Path) -> CoefficientFile:
    """Read and validate a file written by :func:`write_coefficients`.

    Raises
    ------
    CoefficientsError
        If the file is missing, truncated or corrupt, was written by something
        else (no metadata record), by a newer filterbank, or its subbands do not
        match the metadata.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "foreign.npz"
    >>> np.savez(p, x=np.ones(3))
    >>> read_coefficients(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    filterbank.errors.CoefficientsError: '...foreign.npz' is not a readable filterbank coefficient file: no '__filterbank__' record (written by another program?)
    """
    path = Path(path)
    if not path.is_file():
        raise _fail(path, "no such file")
    try:
        with np.load(path, allow_pickle=False) as data:
            if _META not in data.files:
                raise _fail(path, f"no {_META!r} record (written by another program?)")
            meta = json.loads(str(data[_META]))
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                raise _fail(path, f"its {_META!r} record is not a {FORMAT} record")
            version = meta.get("format_version")
            if not isinstance(version, int) or version > FORMAT_VERSION:
                raise _fail(path, f"format_version {version!r} is newer than this filterbank reads ({FORMAT_VERSION}); upgrade filterbank")
            arrays = {name: data[name] for name in data.files if name != _META}
    except CoefficientsError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise _fail(path, f"truncated or corrupt archive ({type(exc).__name__}: {exc})") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise _fail(path, f"{type(exc).__name__}: {exc}") from None
    expected = meta.get("shapes")
    if not isinstance(expected, dict) or not isinstance(meta.get("subbands"), list):
        raise _fail(path, "its metadata lists no subbands")
    for name, shape in expected.items():
        if name not in arrays:
            raise _fail(path, f"subband {name!r} is missing")
        if list(arrays[name].shape) != list(shape):
            raise _fail(path, f"subband {name!r} has shape {arrays[name].shape}, metadata says {tuple(shape)}")
    missing = [f"bank_{t}" for t in _TAPS if f"bank_{t}" not in arrays]
    if missing or "a" not in arrays:
        raise _fail(path, f"missing {', '.join(missing or ['a'])}")
    coeffs: list[Any] = [arrays["a"]]
    for i, keys in enumerate(meta["subbands"], start=1):
        names = {key: f"d{i}_{key}" for key in keys}
        if any(name not in expected for name in names.values()):
            raise _fail(path, f"subbands of position {i} are not listed in its metadata")
        coeffs.append({key: arrays[name] for key, name in names.items()})
    taps = {t: arrays[f"bank_{t}"] for t in _TAPS}
    return CoefficientFile(coeffs=coeffs, meta=meta, taps=taps)
