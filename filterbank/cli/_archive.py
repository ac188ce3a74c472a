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

Files are written with `filterbank.cli._write.atomic_write`, so a crash
never leaves a half-written archive under the final name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from filterbank.spec._validate import show
from filterbank.cli._arrays import NpzArchive, check_budget, default_budget
from filterbank.cli._write import atomic_write
from filterbank.errors import CoefficientsError, InputError
from filterbank.modes import MODES
from filterbank.spec.parameters import ROLES

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "INPUT_DTYPES",
    "CoefficientFile",
    "input_record",
    "read_coefficients",
    "write_coefficients",
]

#: Value of the ``format`` field that marks a filterbank coefficient file.
FORMAT = "filterbank-coefficients"
#: Newest layout this version writes and reads.
FORMAT_VERSION = 1
_META = "__filterbank__"


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
    >>> meta = {"level": 1, "mode": "zero", "axes": [0], "spec": {"name": "haar"}, "input": {"shape": [4], "dtype": "float64"}}
    >>> _ = write_coefficients(p, [np.ones(2), {"d": np.zeros(2)}], meta, taps, force=False)
    >>> c = read_coefficients(p)
    >>> c.coeffs[1]["d"].tolist(), c.meta["level"], c.meta["format"]
    ([0.0, 0.0], 1, 'filterbank-coefficients')
    """
    packed, keys = _pack(coeffs)
    arrays: dict[str, Any] = dict(packed)
    record = {"format": FORMAT, "format_version": FORMAT_VERSION, **meta, "subbands": keys}
    record["shapes"] = {name: list(a.shape) for name, a in arrays.items()}
    for name in ROLES:
        arrays[f"bank_{name}"] = np.asarray(taps[name], dtype=np.float64)
    arrays[_META] = np.array(json.dumps(record, sort_keys=True))
    return atomic_write(Path(path), lambda f: np.savez(f, **arrays), force=force)


def _fail(path: Path, why: str) -> CoefficientsError:
    return CoefficientsError(f"{str(path)!r} is not a readable filterbank coefficient file: {why}")


#: dtypes an input (and so a reconstruction) may have.
INPUT_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                "float16", "float32", "float64")
_MAX_NDIM = 32


def _ints(value: Any, lo: int) -> list[int] | None:
    """``value`` as a list of ints >= ``lo`` (no bools), or None."""
    if not isinstance(value, list) or len(value) > _MAX_NDIM:
        return None
    if any(isinstance(v, bool) or not isinstance(v, int) or v < lo for v in value):
        return None
    return value


def input_record(meta: dict[str, Any], budget: int | None = None) -> tuple[tuple[int, ...], np.dtype]:
    """The recorded input shape and dtype, validated (and checked against ``budget`` bytes).

    Examples
    --------
    >>> input_record({"input": {"shape": [3, 4], "dtype": "uint8"}})
    ((3, 4), dtype('uint8'))
    >>> input_record({"input": {"shape": [-3], "dtype": "<U5"}})
    Traceback (most recent call last):
    ...
    filterbank.errors.CoefficientsError: input.shape must be a list of 1 to 32 integers >= 1; got [-3]
    """
    record = meta.get("input")
    if not isinstance(record, dict):
        raise CoefficientsError(f"input must be a record of the input's shape and dtype; got {show(record)}")
    shape = _ints(record.get("shape"), 1)
    if not shape:
        raise CoefficientsError(f"input.shape must be a list of 1 to {_MAX_NDIM} integers >= 1; got {show(record.get('shape'))}")
    dtype = record.get("dtype")
    if dtype not in INPUT_DTYPES:
        raise CoefficientsError(f"input.dtype must be one of {', '.join(INPUT_DTYPES)}; got {show(dtype)}")
    if budget is not None:
        try:
            check_budget("input.shape", tuple(shape), np.dtype(dtype).itemsize, budget)
        except InputError as exc:
            raise CoefficientsError(str(exc)) from None
    return tuple(shape), np.dtype(dtype)


def _check_meta(meta: Any, budget: int) -> dict[str, Any]:
    """Validate the metadata record; return it. Messages name the field, the rule and the value."""
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CoefficientsError(f"its {_META!r} record is not a {FORMAT} record")
    version = meta.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        raise CoefficientsError(f"format_version {show(version)} is not one this filterbank reads "
                                f"(1 to {FORMAT_VERSION}); a newer file needs a newer filterbank")
    ndim = len(input_record(meta, budget)[0])
    mode = meta.get("mode")
    if mode not in MODES:
        raise CoefficientsError(f"mode must be one of {', '.join(MODES)}; got {show(mode)}")
    axes = _ints(meta.get("axes"), 0)
    if not axes or len(set(axes)) != len(axes) or max(axes) >= ndim:
        raise CoefficientsError(f"axes must be distinct integers in [0, {ndim - 1}]; got {show(meta.get('axes'))}")
    spec = meta.get("spec")
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        raise CoefficientsError(f"spec must be a record with a name; got {show(spec)}")
    subbands, shapes = meta.get("subbands"), meta.get("shapes")
    if not isinstance(subbands, list) or not isinstance(shapes, dict):
        raise CoefficientsError("its metadata lists no subbands")
    for i, keys in enumerate(subbands, start=1):
        good = isinstance(keys, list) and keys and all(isinstance(k, str) and len(k) == len(axes) and set(k) <= {"a", "d"}
                                                      and "d" in k for k in keys)
        if not good:
            raise CoefficientsError(f"subbands[{i - 1}] must list keys of {len(axes)} letters a/d with a d; got {show(keys)}")
    for name, shape in shapes.items():
        if _ints(shape, 0) is None:
            raise CoefficientsError(f"shapes[{name!r}] must be a list of integers >= 0; got {show(shape)}")
    return meta


def read_coefficients(path: Path, budget: int | None = None) -> CoefficientFile:
    """Read and validate a file written by `write_coefficients`.

    Every array is checked against the memory ``budget`` (bytes; default
    ``FILTERBANK_MAX_BYTES`` or 2 GiB) before it is read, and so is the
    input shape it records.

    Raises
    ------
    CoefficientsError
        If the file is missing, truncated or corrupt, was written by something
        else (no metadata record), by a newer filterbank, holds anything but
        float arrays (strings, Python objects, dates), or its metadata or
        subbands do not match the layout above.

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
    budget = default_budget() if budget is None else budget
    if not path.is_file():
        raise _fail(path, "no such file")
    try:
        with NpzArchive(path, budget, kinds="f", label="coefficient file") as data:
            if _META not in data.names:
                raise _fail(path, f"no {_META!r} record (written by another program?)")
            text = str(data.read(_META, kinds="U"))
            try:
                record = json.loads(text)
            except (ValueError, RecursionError) as exc:
                raise _fail(path, f"its {_META!r} record is not valid JSON ({type(exc).__name__})") from None
            try:
                meta = _check_meta(record, budget)
            except CoefficientsError as exc:
                raise _fail(path, str(exc)) from None
            arrays = {name: data.read(name) for name in data.names if name != _META}
    except InputError as exc:
        raise CoefficientsError(str(exc)) from None
    expected = meta["shapes"]
    for name, shape in expected.items():
        if name not in arrays:
            raise _fail(path, f"subband {name!r} is missing")
        if list(arrays[name].shape) != list(shape):
            raise _fail(path, f"subband {name!r} has shape {arrays[name].shape}, metadata says {tuple(shape)}")
    missing = [f"bank_{t}" for t in ROLES if f"bank_{t}" not in arrays]
    if missing or "a" not in arrays:
        raise _fail(path, f"missing {', '.join(missing or ['a'])}")
    coeffs: list[Any] = [arrays["a"]]
    for i, keys in enumerate(meta["subbands"], start=1):
        names = {key: f"d{i}_{key}" for key in keys}
        if any(name not in expected for name in names.values()):
            raise _fail(path, f"subbands of position {i} are not listed in its metadata")
        coeffs.append({key: arrays[name] for key, name in names.items()})
    taps = {t: arrays[f"bank_{t}"] for t in ROLES}
    for t, h in taps.items():
        if h.ndim != 1 or h.size == 0 or not np.all(np.isfinite(h)):
            raise _fail(path, f"bank_{t} must be a non-empty 1-D array of finite taps; got shape {h.shape}")
    return CoefficientFile(coeffs=coeffs, meta=meta, taps=taps)
