"""Files to coefficients with ``tf.data``: parallel reads, the transform in the input pipeline, prefetch.

`coefficient_dataset` turns a folder, a glob or a list of ``.npy`` files or
images (PNG, JPEG, BMP, GIF) into a ``tf.data.Dataset`` whose elements are a
filterbank transform's coefficients, ready for ``model.fit`` on one device or
under ``tf.distribute`` (``strategy.experimental_distribute_dataset``)::

    files ──list──> read (parallel) ──> transform (parallel, in the graph) ──> batch ──> prefetch

The transform runs as TensorFlow ops inside ``Dataset.map``, so it uses the
same pre-flipped kernels as the eager call and never leaves the graph.
"""

from __future__ import annotations

import glob as globbing
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import filterbank as fb
from filterbank.backend._tf import tf
from filterbank.errors import InputError, check_count, check_option

__all__ = ["IMAGE_SUFFIXES", "TRANSFORMS", "coefficient_dataset", "list_files"]

#: Image files `coefficient_dataset` decodes with ``tf.io.decode_image``.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
#: The filterbank transforms a dataset can apply, by name.
TRANSFORMS = ("dwt", "dwt2", "dwtn", "wavedec", "wavedec2", "wavedecn", "swt", "swt2", "swtn", "wpdec", "wpdec2")


def list_files(files: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[str]:
    """The sorted paths named by a folder, a glob pattern or a list of paths.

    Raises
    ------
    InputError
        When nothing matches, or a folder holds no ``.npy`` or image file.

    Examples
    --------
    >>> import tempfile, numpy as np, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for i in range(2): np.save(d / f"x{i}.npy", np.zeros(4))
    >>> [pathlib.Path(p).name for p in list_files(d)]
    ['x0.npy', 'x1.npy']
    """
    if isinstance(files, (str, os.PathLike)):
        path = Path(files)
        if path.is_dir():
            found = sorted(str(p) for p in path.iterdir() if p.suffix.lower() in (".npy", *IMAGE_SUFFIXES))
            if not found:
                raise InputError(f"files: the folder {str(path)!r} holds no .npy or image file")
            return found
        found = sorted(globbing.glob(str(path)))
        if not found:
            raise InputError(f"files: no file matches {str(path)!r}")
        return found
    found = [str(p) for p in files]
    if not found:
        raise InputError("files: must name at least one file; got an empty list")
    return found


def coefficient_dataset(
    files: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    transform: str = "wavedec2",
    *,
    batch_size: int | None = None,
    dtype: str = "float32",
    channels: int | None = None,
    with_paths: bool = False,
    shuffle: int | None = None,
    seed: int | None = None,
    parallel: int | None = None,
    prefetch: bool = True,
    **kwargs: Any,
) -> Any:
    """A ``tf.data.Dataset`` of the coefficients of every file.

    Parameters
    ----------
    files : path, glob or list of paths
        ``.npy`` files (all of one shape; they are read with ``numpy.load``) or
        images (decoded by ``tf.io.decode_image`` to ``(height, width,
        channels)``, all of one size). A folder means every ``.npy`` and image
        file in it. The first file fixes the shape: a compiled plan needs
        static sizes, and a file of another shape stops the iteration with an
        error that names it.
    transform : str, default 'wavedec2'
        The filterbank function to apply, one of `TRANSFORMS`; ``kwargs`` are
        its arguments (``wavelet``, ``level``, ``mode``, ``axes``...). For
        images the default axes are ``(0, 1)`` (height, width).
    batch_size : int, optional
        Batch the elements (files must then share one shape).
    dtype : {'float32', 'float64'}, default 'float32'
        The samples are cast to it (no rescaling of image values).
    channels : int, optional
        Channels to decode images to (1 for grey); default: the file's own.
    with_paths : bool, default False
        Yield ``(path, coefficients)`` pairs.
    shuffle : int, optional
        Shuffle the file list with this buffer (before reading), with ``seed``.
    parallel : int, optional
        Parallel reads and transforms; default ``tf.data.AUTOTUNE``.
    prefetch : bool, default True
        Prefetch (``tf.data.AUTOTUNE``) at the end of the pipeline.

    Returns
    -------
    tf.data.Dataset
        Elements are the transform's coefficients as nested tuples (PyWavelets'
        layout, lists turned into tuples), with static shapes for ``.npy`` input.

    Raises
    ------
    InputError
        For no matching file, an unknown ``transform``/``dtype``, mixed file
        kinds, or ``.npy`` files of another shape than the first (when read).

    Examples
    --------
    >>> import tempfile, numpy as np, pathlib, pywt
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for i in range(3): np.save(d / f"img{i}.npy", np.full((8, 8), float(i)))
    >>> ds = coefficient_dataset(d, "wavedec2", wavelet="haar", level=1, dtype="float64")
    >>> [tuple(t.shape) for t in ds.element_spec[1]]
    [(4, 4), (4, 4), (4, 4)]
    >>> cA = [float(c[0][0, 0]) for c in ds]
    >>> cA
    [0.0, 2.0, 4.0]
    """
    paths = list_files(files)
    check_option("transform", transform, TRANSFORMS)
    check_option("dtype", dtype, ("float32", "float64"))
    check_count("batch_size", batch_size, minimum=1, none=True)
    kinds = {"npy" if p.lower().endswith(".npy") else "image" for p in paths}
    if len(kinds) > 1:
        raise InputError(f"files: must be all .npy or all images; got both kinds ({len(paths)} files)")
    kind = kinds.pop()
    if kind == "image" and any(not p.lower().endswith(IMAGE_SUFFIXES) for p in paths):
        bad = next(p for p in paths if not p.lower().endswith(IMAGE_SUFFIXES))
        raise InputError(f"files: {bad!r} is neither .npy nor an image ({', '.join(IMAGE_SUFFIXES)})")
    fn = getattr(fb, transform)
    if kind == "image" and transform.endswith("2") and "axes" not in kwargs:
        kwargs["axes"] = (0, 1)
    TF = tf()
    auto = TF.data.AUTOTUNE if parallel is None else parallel
    read = _npy_reader(paths[0], dtype) if kind == "npy" else _image_reader(paths[0], dtype, channels)
    # one eager call on the first file validates the transform's arguments before the pipeline is built
    _plain(fn(read(TF.constant(paths[0])), **kwargs))

    def step(path: Any) -> Any:
        coeffs = _plain(fn(read(path), **kwargs))
        return (path, coeffs) if with_paths else coeffs

    ds = TF.data.Dataset.from_tensor_slices(paths)
    if shuffle:
        ds = ds.shuffle(shuffle, seed=seed)
    ds = ds.map(step, num_parallel_calls=auto, deterministic=not shuffle)
    if batch_size is not None:
        ds = ds.batch(batch_size)
    return ds.prefetch(TF.data.AUTOTUNE) if prefetch else ds


def _npy_reader(first: str, dtype: str) -> Any:
    TF = tf()
    head = np.load(first, mmap_mode="r")
    shape = head.shape

    def load(path: Any) -> np.ndarray:
        raw = np.asarray(path).item()
        name = raw.decode() if isinstance(raw, bytes) else str(raw)
        arr = np.load(name)
        if arr.shape != shape:
            raise InputError(f"files: {name!r} has shape {arr.shape}; the first file had {shape} (all .npy files must match)")
        return np.asarray(arr, dtype)

    def read(path: Any) -> Any:
        out = TF.numpy_function(load, [path], TF.as_dtype(dtype), stateful=False)
        out.set_shape(shape)
        return out

    return read


def _image_reader(first: str, dtype: str, channels: int | None) -> Any:
    """Decode images of the first image's shape (the transform's plan needs static sizes)."""
    TF = tf()

    def decode(path: Any) -> Any:
        return TF.io.decode_image(TF.io.read_file(path), channels=channels or 0, expand_animations=False)

    shape = tuple(int(s) for s in decode(TF.constant(first)).shape)

    def read(path: Any) -> Any:
        image = decode(path)
        same = TF.reduce_all(TF.equal(TF.shape(image), TF.constant(shape, TF.int32)))
        message = f"files: every image must have the first image's shape {shape} (resize them first); this one differs:"
        check = TF.debugging.Assert(same, [message, path, TF.shape(image)], summarize=8)
        with TF.control_dependencies([check]):
            return TF.cast(TF.ensure_shape(image, shape), dtype)

    return read


def _plain(tree: Any) -> Any:
    """Coefficients as nested tuples and dicts (what ``tf.data`` can carry)."""
    if isinstance(tree, dict):
        return {k: _plain(v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return tuple(_plain(t) for t in tree)
    return tree
