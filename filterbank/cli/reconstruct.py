"""``filterbank reconstruct``: invert coefficient files back to the exact input arrays.

Reads ``.npz`` files written by ``filterbank decompose`` (the filters, mode,
axes and input shape travel inside them), runs ``waverecn`` on TensorFlow and
writes the result with the input's shape and dtype: ``.npy``, or an image when
OUT ends in .png/.jpg/.tif/.bmp (integer inputs are rounded and clipped back).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

from filterbank.cli._archive import CoefficientFile, input_record, read_coefficients
from filterbank.cli._common import add_budget_option, budget, describe, out_of_memory
from filterbank.cli._inputs import IMAGE_SUFFIXES, Progress, expand_inputs, write_image
from filterbank.cli._write import atomic_write, check_writable
from filterbank.errors import InputError
from filterbank.modes import check_mode

__all__ = ["reconstruct_file", "register", "to_input_dtype"]


def register(sub: Any) -> None:
    """Add the ``reconstruct`` sub-command."""
    p = sub.add_parser(
        "reconstruct",
        help="invert coefficient .npz files to the original arrays or images",
        description=describe(__doc__),
        epilog="examples:  filterbank reconstruct photo.npz -o photo.png  |  filterbank reconstruct coeffs/ -o back/",
    )
    p.add_argument("inputs", metavar="COEFFS", nargs="+", help="coefficient .npz files, folders or quoted globs")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output .npy or image (.png .jpg .tif .bmp) for one file, an output folder for several; "
                   "without a suffix, .png for 8/16-bit images and .npy otherwise")
    p.add_argument("-f", "--force", action="store_true", help="overwrite existing outputs")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_budget_option(p)
    p.set_defaults(func=_main)


def to_input_dtype(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Cast a float reconstruction to the input's dtype; integers are rounded and clipped.

    Examples
    --------
    >>> to_input_dtype(np.array([-3.2, 7.6, 300.4]), np.dtype("uint8"))
    array([  0,   8, 255], dtype=uint8)
    >>> to_input_dtype(np.array([0.2, 0.9]), np.dtype("bool"))
    array([False,  True])
    """
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return x > 0.5
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return np.clip(np.rint(x), info.min, info.max).astype(dtype)
    return x.astype(dtype)


def reconstruct_file(coeffs: CoefficientFile) -> np.ndarray:
    """Run the inverse transform recorded in ``coeffs``; return the input's shape and dtype.

    Examples
    --------
    >>> import pywt
    >>> from filterbank.cli._archive import CoefficientFile
    >>> x = np.arange(11, dtype=np.int16)  # odd length: PyWavelets' inverse gives 12 samples
    >>> taps = {t: getattr(pywt.Wavelet("db2"), t) for t in ("dec_lo", "dec_hi", "rec_lo", "rec_hi")}
    >>> meta = {"input": {"shape": [11], "dtype": "int16"}, "mode": "symmetric", "axes": [0], "spec": {"name": "db2"}}
    >>> c = pywt.wavedecn(x.astype(float), "db2", level=1)
    >>> reconstruct_file(CoefficientFile(coeffs=c, meta=meta, taps=taps))
    array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10], dtype=int16)
    """
    import filterbank as fb

    meta = coeffs.meta
    shape, dtype = input_record(meta)
    try:
        mode, axes, name = str(meta["mode"]), tuple(int(a) for a in meta["axes"]), str(meta["spec"]["name"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"coefficient metadata is incomplete ({type(exc).__name__}: {exc})") from None
    taps: dict[str, Any] = dict(coeffs.taps)
    bank = fb.FilterBank(name=name, **taps)
    x = np.asarray(fb.waverecn(coeffs.coeffs, bank, mode=check_mode(mode), axes=axes))
    if x.ndim != len(shape) or any(have < want for have, want in zip(x.shape, shape)):
        raise InputError(f"reconstruction has shape {x.shape}, smaller than the recorded input shape {shape}")
    return to_input_dtype(x[tuple(slice(0, n) for n in shape)], dtype)


def _write(path: Path, x: np.ndarray, force: bool) -> Path:
    check_writable(path, force=force)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        if x.dtype not in (np.uint8, np.uint16) or not (x.ndim == 2 or (x.ndim == 3 and x.shape[2] in (1, 3, 4))):
            raise InputError(f"output {str(path)!r}: only uint8/uint16 (H, W) or (H, W, 1|3|4) arrays can be written "
                             f"as images; got {x.dtype} {x.shape}; use a .npy name")
        write_image(path, x[..., 0] if x.ndim == 3 and x.shape[2] == 1 else x, force=force)
        return path
    return atomic_write(path, lambda f: np.save(f, x), force=force)


def _output_suffix(path: Path, meta: dict[str, Any]) -> Path:
    """``path`` if it names what is written; a suffix-less ``path`` gets ``.png`` (images) or ``.npy``.

    Examples
    --------
    >>> image = {"input": {"image": True, "dtype": "uint8"}}
    >>> _output_suffix(Path("back/cam"), image).name, _output_suffix(Path("x.tif"), image).name
    ('cam.png', 'x.tif')
    >>> _output_suffix(Path("out.txt"), {})
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: output 'out.txt' must end in .npy or an image suffix (.png, .jpg, .jpeg, .tif, .tiff, .bmp), the formats reconstruct writes; got '.txt'
    """
    suffix = path.suffix.lower()
    if not suffix:
        record = meta.get("input", {})
        image = bool(record.get("image")) and record.get("dtype") in ("uint8", "uint16")
        return path.with_name(path.name + (".png" if image else ".npy"))
    if suffix != ".npy" and suffix not in IMAGE_SUFFIXES:
        raise InputError(f"output {str(path)!r} must end in .npy or an image suffix ({', '.join(IMAGE_SUFFIXES)}), "
                         f"the formats reconstruct writes; got {path.suffix!r}")
    return path


def _main(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    files, many = expand_inputs(args.inputs)
    bad = [str(f) for f in files if f.suffix.lower() != ".npz"]
    if bad:
        raise InputError(f"coefficient files must be .npz written by filterbank decompose; got {bad[0]!r}")
    out = Path(args.output)
    single = len(files) == 1 and not many and not out.is_dir()
    if single:
        targets = [out]
    else:
        if out.exists() and not out.is_dir():
            raise InputError(f"output {str(out)!r} must be a folder for {len(files)} inputs; it is a file")
        targets = [out / f.stem for f in files]  # suffix added once the metadata is read
    for t in targets:
        if t.suffix:
            check_writable(_output_suffix(t, {}), force=args.force)
    limit = budget(args)
    progress = Progress(len(files), enabled=not (args.quiet or single))
    written: list[Path] = []
    for path, target in zip(files, targets):
        c = read_coefficients(path, limit)
        target = _output_suffix(target, c.meta)
        with out_of_memory(f"reconstructing {str(path)!r}", "free memory or reconstruct on a larger machine"):
            x = reconstruct_file(c)
        written.append(_write(target, x, args.force))
        progress.advance()
    progress.close()
    seconds = time.perf_counter() - start
    where = written[0] if single else out
    print(f"reconstructed {len(files)} file{'s' * (len(files) != 1)} in {seconds:.2f} s -> {where}")
    return 0
