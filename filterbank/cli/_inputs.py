"""Reading the command line's inputs: arrays, images, folders and globs.

Supported files::

    .npy               one array
    .npz               every array in the archive (named FILE-KEY when there are several)
    .png .jpg .jpeg    an image through Pillow: (H, W) grey or (H, W, C) colour, uint8 / uint16
    .tif .tiff .bmp

A folder contributes its supported files (not recursively, sorted by name);
a pattern with ``*``, ``?`` or ``[`` that is not an existing path is expanded
as a glob (quote it to keep the shell from expanding it first).
"""

from __future__ import annotations

import glob
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from filterbank.cli._arrays import NpzArchive, check_budget, load_npy
from filterbank.cli._write import atomic_write
from filterbank.errors import InputError

__all__ = [
    "ARRAY_SUFFIXES",
    "IMAGE_SUFFIXES",
    "Item",
    "Progress",
    "expand_inputs",
    "npz_names",
    "output_name",
    "read_items",
    "write_image",
]

ARRAY_SUFFIXES = (".npy", ".npz")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
_ALL = ARRAY_SUFFIXES + IMAGE_SUFFIXES


@dataclass(frozen=True)
class Item:
    """One input array: where it came from, the name its output gets, the data."""

    source: str
    name: str
    data: np.ndarray
    image: bool


def expand_inputs(inputs: Sequence[str]) -> tuple[list[Path], bool]:
    """Turn INPUT arguments into a sorted file list; also say whether any was a folder or glob.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for n in ("b.npy", "a.npy", "notes.txt"):
    ...     _ = (d / n).write_bytes(b"")
    >>> files, many = expand_inputs([str(d)])
    >>> [f.name for f in files], many
    (['a.npy', 'b.npy'], True)
    >>> [f.name for f in expand_inputs([str(d / "*.npy")])[0]]
    ['a.npy', 'b.npy']
    """
    files: list[Path] = []
    many = False
    for text in inputs:
        path = Path(text)
        if path.is_dir():
            many = True
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _ALL)
            if not found:
                raise InputError(f"input folder {text!r} holds no {'/'.join(_ALL)} files")
            files.extend(found)
        elif path.exists():
            files.append(path)
        elif any(c in text for c in "*?["):
            many = True
            found = sorted(Path(p) for p in glob.glob(text) if Path(p).is_file())
            if not found:
                raise InputError(f"input pattern {text!r} matches no files")
            files.extend(found)
        else:
            raise InputError(f"input {text!r} does not exist")
    for f in files:
        if f.suffix.lower() not in _ALL:
            raise InputError(f"input {str(f)!r} has an unsupported type; supported: {', '.join(_ALL)}")
    return files, many


def output_name(path: Path, key: str | None) -> str:
    """The name of an input's output: the file's stem, plus ``-KEY`` for a member of a multi-array ``.npz``.

    A member name is a string chosen by whoever wrote the archive: characters
    other than letters, digits and ``_ . + -`` become ``_`` and leading dots
    are dropped, so that no name can reach outside the output folder.

    Examples
    --------
    >>> output_name(Path("scans/pair.npz"), "x"), output_name(Path("one.npy"), None)
    ('pair-x', 'one')
    >>> output_name(Path("evil.npz"), "../../../victim")
    'evil-_.._.._victim'
    """
    if key is None:
        return path.stem
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "_.+-") else "_" for c in key).lstrip(".")
    if not safe or len(safe) > 120:
        raise InputError(f"input {str(path)!r} holds an array named {key[:60]!r}, which cannot name an output file "
                         "(without leading dots it must have 1 to 120 characters)")
    return f"{path.stem}-{safe}"


def npz_names(path: Path, budget: int) -> list[str]:
    """The arrays of an input ``.npz`` archive (refusing coefficient files and empty archives)."""
    with NpzArchive(path, budget) as archive:
        names = archive.names
    if not names:
        raise InputError(f"input {str(path)!r} holds no arrays")
    if "__filterbank__" in names:
        raise InputError(f"input {str(path)!r} is a coefficient file; invert it with filterbank reconstruct")
    return names


def _image_layout(mode: str) -> tuple[int, int]:
    """(channels, bytes per channel) of the array an image of Pillow ``mode`` becomes (conversions below)."""
    if mode in ("I", "F") or mode.startswith("I;32"):
        return 1, 4
    if mode.startswith("I;16"):
        return 1, 2
    return {"1": 1, "L": 1, "LA": 2, "RGB": 3, "CMYK": 3, "YCbCr": 3, "LAB": 3, "HSV": 3}.get(mode, 4), 1


def _read_image(path: Path, budget: int) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # the memory budget below replaces Pillow's decompression-bomb guard
    try:
        with Image.open(path) as opened:
            img: Image.Image = opened
            width, height = img.size
            channels, itemsize = _image_layout(img.mode)
            shape = (height, width) if channels == 1 else (height, width, channels)
            check_budget(f"input {str(path)!r}", shape, itemsize, budget)
            if img.mode in ("P", "PA", "CMYK", "YCbCr", "LAB", "HSV"):
                img = img.convert("RGBA" if "A" in img.mode or "transparency" in img.info else "RGB")
            elif img.mode == "1":
                img = img.convert("L")
            return np.array(img)
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError, MemoryError) as exc:
        raise InputError(f"input {str(path)!r} is not a readable image ({type(exc).__name__}: {exc})") from None
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _check_array(source: str, data: np.ndarray) -> np.ndarray:
    if data.dtype.kind not in "biuf":
        raise InputError(f"input {source!r} must hold real numbers; got dtype {data.dtype}")
    if data.ndim == 0 or data.size == 0:
        raise InputError(f"input {source!r} must be a non-empty array with at least one axis; got shape {data.shape}")
    return data


def read_items(files: Sequence[Path], budget: int, errors: list[tuple[str, InputError]] | None = None) -> Iterator[Item]:
    """Read each file into one or more `Item` (several for a multi-array ``.npz``).

    Every array is checked against the memory ``budget`` (bytes) before it is
    read. With an ``errors`` list, a member of an archive that cannot be read
    is appended there as ``(source, error)`` and the other members still come.
    """
    for path in files:
        suffix = path.suffix.lower()
        if suffix in IMAGE_SUFFIXES:
            yield Item(str(path), path.stem, _check_array(str(path), _read_image(path, budget)), True)
        elif suffix == ".npy":
            yield Item(str(path), path.stem, _check_array(str(path), load_npy(path, budget)), False)
        else:
            names = npz_names(path, budget)
            with NpzArchive(path, budget) as archive:
                for key in names:
                    name = output_name(path, key if len(names) > 1 else None)
                    try:
                        data = _check_array(f"{path}:{key}", archive.read(key))
                    except InputError as exc:
                        if errors is None:
                            raise
                        errors.append((f"{path}:{key}", exc))
                        continue
                    yield Item(f"{path}:{key}", name, data, False)


def write_image(path: Path, data: np.ndarray, *, force: bool) -> None:
    """Write a uint8 / uint16 array as an image file (format from the suffix), atomically."""
    from PIL import Image

    fmt = {".jpg": "JPEG", ".jpeg": "JPEG", ".tif": "TIFF", ".tiff": "TIFF", ".bmp": "BMP"}.get(path.suffix.lower(), "PNG")
    img = Image.fromarray(data)
    atomic_write(path, lambda f: img.save(f, format=fmt), force=force)


class Progress:
    """A one-line progress bar on a text stream (stderr by default); silent when disabled.

    Examples
    --------
    >>> import io
    >>> s = io.StringIO()
    >>> bar = Progress(4, stream=s, width=8)
    >>> bar.advance(2); bar.advance(2); bar.close()
    >>> s.getvalue().splitlines()[-1].split("\\r")[-1]
    '[########] 4/4 100%'
    """

    def __init__(self, total: int, *, stream: TextIO | None = None, width: int = 30, enabled: bool = True) -> None:
        self.total = max(int(total), 1)
        self.done = 0
        self.width = width
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self._last = 0.0
        self._drawn = False

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more items done and redraw (at most ten times a second, always at the end)."""
        self.done = min(self.done + n, self.total)
        now = time.monotonic()
        if self.enabled and (self.done == self.total or now - self._last > 0.1):
            self._last = now
            filled = self.width * self.done // self.total
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} {100 * self.done // self.total}%")
            self.stream.flush()
            self._drawn = True

    def note(self, line: str) -> None:
        """Write ``line`` (an error, say) on a line of its own above the bar, whether or not the bar is shown.

        Examples
        --------
        >>> import io
        >>> s = io.StringIO()
        >>> bar = Progress(2, stream=s, width=4)
        >>> bar.advance(); bar.note("error: b.npy: unreadable"); bar.advance(); bar.close()
        >>> s.getvalue().replace("\\r", "").splitlines()
        ['[##..] 1/2 50%', 'error: b.npy: unreadable', '[####] 2/2 100%']
        """
        self.stream.write(("\n" if self._drawn else "") + line + "\n")
        self.stream.flush()
        self._drawn = False

    def close(self) -> None:
        """End the bar's line."""
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
