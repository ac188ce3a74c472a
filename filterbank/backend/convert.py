"""Arrays in and out of TensorFlow: inspection without TensorFlow, conversion, results back.

`inspect` reads a user's input (numpy, array-like or ``tf.Tensor``) without
importing TensorFlow, so that every argument is validated first;
`to_tensor` converts it (sharing large aligned numpy buffers by DLPack, a
complex input split into a leading real / imaginary axis) and `finish` turns
a result back into the user's form: numpy for numpy inputs, tensors for
tensors, complex re-joined.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from filterbank.backend._tf import is_tensor, tf
from filterbank.dtypes import compute_dtype, numpy_compute_dtype
from filterbank.errors import FilterBankTypeError, InputError

__all__ = [
    "Inspected",
    "Prepared",
    "aligned_empty",
    "common_arrays",
    "common_tensors",
    "is_tensor",
    "finish",
    "fresh_array",
    "from_window",
    "inspect",
    "pooled_tensor",
    "prepare",
    "share_array",
    "to_tensor",
    "window_offset",
    "windowed",
]


class Prepared(NamedTuple):
    """An input converted for the engine.

    ``tensor`` is real, in the compute dtype; a complex input is split into
    real and imaginary parts stacked along a new leading axis. When ``offset``
    is not None, ``tensor`` is a flat, 64-byte aligned buffer that holds the
    data from element ``offset`` on (see `_share`); the engine slices it
    inside its compiled function, and `data` gives the shaped tensor.
    """

    tensor: Any
    numpy: bool
    complex: bool
    shape: tuple[int | None, ...]
    offset: int | None = None

    @property
    def compute_shape(self) -> tuple[int | None, ...]:
        """Shape of the tensor the engine transforms (complex inputs gain a leading 2)."""
        return ((2,) if self.complex else ()) + self.shape

    def data(self) -> Any:
        """The input as a tensor of `compute_shape` (a copy when it is a window)."""
        if self.offset is None:
            return self.tensor
        return unwindow(self.tensor, self.offset, self.compute_shape)


def unwindow(flat: Any, offset: int, shape: tuple[Any, ...]) -> Any:
    """The data of shape ``shape`` starting at element ``offset`` of the flat buffer ``flat``."""
    size = int(np.prod(shape, dtype=np.int64))
    return tf().reshape(flat[offset : offset + size], shape)


class Inspected(NamedTuple):
    """An input checked for the engine, not yet converted (no TensorFlow for numpy input).

    ``value`` is a numpy array in its compute dtype (complex kept complex) or
    a tensor (real tensors cast to their compute dtype); ``dtype`` is the real
    compute dtype, ``"float32"`` or ``"float64"``.
    """

    value: Any
    numpy: bool
    complex: bool
    shape: tuple[int | None, ...]
    dtype: str

    @property
    def size(self) -> int | None:
        """Number of elements (None when an axis has unknown size)."""
        return None if None in self.shape else math.prod(self.shape)  # type: ignore[arg-type]


_NATIVE_FLOATS = {"f": "float32", "d": "float64", "F": "float32", "D": "float64"}


def inspect(data: Any, name: str = "data") -> Inspected:
    """Check ``data`` (array-like or ``tf.Tensor``) without converting it to a tensor.

    float32 and float64 stay as they are; float16 and bfloat16 compute in
    float32; integers and booleans in float64 (as PyWavelets); complex types
    in the complex type of that precision.

    Raises
    ------
    FilterBankTypeError
        For non-numeric data.
    InputError
        For 0-d or empty data.

    Examples
    --------
    >>> ins = inspect([1, 2, 3])
    >>> ins.value.dtype.name, ins.shape, ins.numpy
    ('float64', (3,), True)
    """
    if is_tensor(data):
        TF = tf()
        t = data
        real = compute_dtype(t.dtype, name)
        if not t.dtype.is_complex and t.dtype.name != real:
            t = TF.cast(t, real)
        if t.shape.rank is None:
            raise InputError(f"{name} must have a known number of dimensions; got shape {t.shape}")
        value, shape, is_numpy, cplx = t, tuple(t.shape), False, bool(t.dtype.is_complex)
    elif type(data) is np.ndarray and data.dtype.char in _NATIVE_FLOATS and data.dtype.isnative and data.ndim:
        # the common case, without the dtype-name lookups below
        value, shape, is_numpy, cplx, real = data, data.shape, True, data.dtype.char in "FD", _NATIVE_FLOATS[data.dtype.char]
    else:
        try:
            arr = np.asarray(data)
        except (TypeError, ValueError) as exc:  # ragged lists
            raise FilterBankTypeError(f"{name} must be array-like; got {type(data).__name__}: {exc}") from exc
        real = compute_dtype(arr.dtype, name)
        value = arr.astype(numpy_compute_dtype(arr.dtype, name), copy=False)
        shape, is_numpy, cplx = arr.shape, True, value.dtype.kind == "c"
    if len(shape) == 0:
        raise InputError(f"{name} must have at least one dimension; got a 0-d (scalar) value")
    if any(s == 0 for s in shape):
        raise InputError(f"{name} must not be empty; got shape {tuple(shape)}")
    shape = tuple(None if s is None else int(s) for s in shape)
    return Inspected(value, is_numpy, cplx, shape, real)


def prepare(data: Any, name: str = "data", *, window: bool = False) -> Prepared:
    """Convert ``data`` (array-like or ``tf.Tensor``) for the TensorFlow engine.

    Checks as `inspect`, then converts (`to_tensor`).
    """
    return to_tensor(inspect(data, name), window=window)


def to_tensor(ins: Inspected, *, window: bool = False) -> Prepared:
    """Convert an inspected input to a tensor; complex data is split into real and imaginary parts.

    Large C-contiguous numpy arrays are shared with TensorFlow, not copied;
    with ``window=True`` that holds for any buffer address (the result may
    then be a window, see `Prepared`), otherwise only for 64-byte
    aligned ones.
    """
    TF = tf()
    if not ins.numpy:
        tensor, offset = ins.value, None
    else:
        tensor, offset = _from_numpy(ins.value, window and not ins.complex)
    if ins.complex:
        tensor = TF.stack([TF.math.real(tensor), TF.math.imag(tensor)], axis=0)
    return Prepared(tensor, ins.numpy, ins.complex, ins.shape, offset)


def windowed(prep: Prepared, offset: int | None) -> Any:
    """``prep.tensor`` as a window of offset ``offset`` (None: the plain tensor), even where sharing failed.

    `window_offset` predicts the offset `to_tensor` gives; where TensorFlow
    refused the buffer and copied it instead, the copy is put behind
    ``offset`` zeros, so a program compiled for the window reads the same data.
    """
    if prep.offset == offset:
        return prep.tensor
    data = prep.data()
    if not offset:
        return data
    TF = tf()
    return TF.concat([TF.zeros([offset], data.dtype), TF.reshape(data, [-1])], 0)


def window_offset(ins: Inspected) -> int | None:
    """The window offset `to_tensor` (``window=True``) gives this input, computed without TensorFlow.

    None for tensors, complex, small, non-contiguous or unshareable arrays.
    """
    arr = ins.value
    if not ins.numpy or ins.complex or arr.nbytes < _SHARE_MIN_BYTES or not arr.flags.c_contiguous:
        return None
    lead = arr.ctypes.data % _ALIGN
    if lead % arr.itemsize:
        return None
    return (lead // arr.itemsize) or None


def common_arrays(ins: list[Inspected]) -> list[np.ndarray]:
    """The numpy values of several inspected inputs in one dtype: float64 if any is, complex if any is."""
    dtype = "float64" if any(i.dtype == "float64" for i in ins) else "float32"
    if any(i.complex for i in ins):
        dtype = "complex128" if dtype == "float64" else "complex64"
    return [i.value.astype(dtype, copy=False) for i in ins]


def common_tensors(preps: list[Prepared]) -> tuple[list[Any], bool]:
    """The tensors of several prepared inputs brought to one compute form, and whether it is complex.

    float64 if any input is float64 (else float32); if any input is complex,
    the real ones gain a zero imaginary part so every tensor has the leading
    real / imaginary axis.
    """
    TF = tf()
    dtype = TF.float64 if any(p.tensor.dtype == TF.float64 for p in preps) else TF.float32
    is_complex = any(p.complex for p in preps)
    out = []
    for p in preps:
        t = p.tensor if p.tensor.dtype == dtype else TF.cast(p.tensor, dtype)
        if is_complex and not p.complex:
            t = TF.stack([t, TF.zeros_like(t)], axis=0)
        out.append(t)
    return out, is_complex


_ALIGN = 64  # TensorFlow's buffer alignment (EIGEN_MAX_ALIGN_BYTES); it aborts on less
_SHARE_MIN_BYTES = 1 << 16  # below this a copy costs less than the DLPack round trip


class _Buffer:
    """Raw memory as numpy's array interface, keeping ``owner`` (what holds the memory) alive."""

    def __init__(self, address: int, shape: tuple[int, ...], dtype: np.dtype, owner: Any):
        self.owner = owner
        self.__array_interface__ = {
            "data": (address, False),
            "shape": shape,
            "typestr": dtype.str,
            "version": 3,
        }


def aligned_empty(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """An uninitialised C-contiguous array whose data starts on a 64-byte boundary (`share_array` takes it whole).

    Examples
    --------
    >>> a = aligned_empty((3, 5), np.float32)
    >>> a.shape, a.ctypes.data % 64, a.flags.c_contiguous
    ((3, 5), 0, True)
    """
    dtype = np.dtype(dtype)
    count = math.prod(shape)
    raw = np.empty(count * dtype.itemsize + _ALIGN, np.uint8)
    start = -raw.ctypes.data % _ALIGN
    return raw[start:start + count * dtype.itemsize].view(dtype).reshape(shape)


#: Results from this size on are taken from TensorFlow's pooled allocator when TensorFlow is already loaded.
POOLED_BYTES = 32 << 20


def fresh_array(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """A new writable, 64-byte aligned C-contiguous array for a large result.

    A large one, in a process that has already loaded TensorFlow, is the
    memory of a new tensor from TensorFlow's pooled allocator, viewed by
    numpy (the array keeps the tensor alive): memory the pool handed out
    before is already mapped, where a new ``np.empty`` of hundreds of MiB
    makes the kernel fault in and zero every page again on each call (a
    third of C1's time). TensorFlow is never loaded for this.

    Examples
    --------
    >>> a = fresh_array((4, 5), np.float64)
    >>> a.shape, a.flags.writeable, a.ctypes.data % 64
    ((4, 5), True, 0)
    """
    import sys

    dtype = np.dtype(dtype)
    if math.prod(shape) * dtype.itemsize < POOLED_BYTES or "tensorflow" not in sys.modules:
        return aligned_empty(shape, dtype)
    if not tf().executing_eagerly():  # a tf.function tracing: its tensors hold no memory yet
        return aligned_empty(shape, dtype)
    return pooled_tensor(shape, dtype)[1]


def pooled_tensor(shape: tuple[int, ...], dtype: Any) -> tuple[Any, np.ndarray]:
    """A new uninitialised host tensor from TensorFlow's pooled allocator and a writable numpy view of it (eager only).

    The view keeps the tensor alive; nothing else refers to the memory until
    the caller hands the tensor or the array out.
    """
    TF = tf()
    with TF.device("/CPU:0"):  # host memory, not a GPU's (under a device scope or on a GPU machine)
        y = TF.raw_ops.Empty(shape=list(shape), dtype=TF.as_dtype(np.dtype(dtype)), init=False)
    view = np.asarray(y)  # read-only view of the fresh tensor's memory
    return y, np.asarray(_Buffer(view.ctypes.data, view.shape, view.dtype, view))


def from_window(x: Any, window: tuple[int, tuple[int, ...]] | None) -> Any:
    """``x`` itself, or for a window ``(offset, shape)`` the data of ``shape`` from element ``offset`` of the flat ``x``."""
    return x if x is None or window is None else unwindow(x, *window)


def share_array(arr: np.ndarray) -> Any:
    """A tensor holding ``arr``'s memory where TensorFlow can take it (eager, aligned, large), else a copy.

    The tensor keeps ``arr`` alive; the caller must not write to ``arr``
    afterwards. Arrays from `aligned_empty` are always shared.
    """
    return _from_numpy(arr, False)[0]


def _from_numpy(arr: np.ndarray, window: bool) -> tuple[Any, int | None]:
    """A tensor sharing ``arr``'s memory where possible, else a copy; and its window offset.

    The engine never writes to its input, and the tensor does not outlive the call.
    """
    TF = tf()
    arr = np.ascontiguousarray(arr)
    if arr.nbytes >= _SHARE_MIN_BYTES and TF.executing_eagerly():
        shared = _share(arr, window)
        if shared is not None:
            return shared
    return TF.convert_to_tensor(arr), None


def _share(arr: np.ndarray, window: bool) -> tuple[Any, int | None] | None:
    """Hand ``arr``'s memory to TensorFlow through DLPack without copying, or None.

    TensorFlow needs a 64-byte aligned start, and numpy's large buffers
    usually start 16 bytes past such a boundary. With ``window`` the tensor
    then starts at the boundary just below ``arr`` and covers ``offset``
    elements before it: those bytes lie in the same 64-byte block as
    ``arr[0]``, hence on the same memory page, so reading them is safe; they
    are never used. The caller slices them off inside compiled code, where
    the slice costs nothing (an eager slice would copy).
    """
    lead = arr.ctypes.data % _ALIGN
    if lead and (not window or lead % arr.itemsize):
        return None
    offset = lead // arr.itemsize
    shape = (arr.size + offset,) if offset else arr.shape
    buffer = np.asarray(_Buffer(arr.ctypes.data - lead, shape, arr.dtype, arr))
    try:
        shared = tf().experimental.dlpack.from_dlpack(buffer.__dlpack__())
    except (AttributeError, BufferError, RuntimeError, TypeError, ValueError):  # no DLPack: the caller copies
        return None
    return shared, (offset or None)


def finish(t: Any, prep_numpy: bool, prep_complex: bool, *, fresh: bool = True) -> Any:
    """Undo `prepare` on one result: rejoin complex parts, return numpy for numpy input.

    numpy results are writable, as PyWavelets' are. A ``fresh`` tensor (a
    new result of the engine that nothing else refers to) is handed over
    without copying: the array views its memory and keeps it alive. Pass
    ``fresh=False`` when ``t`` may share memory with the input.
    """
    TF = tf()
    if prep_complex:
        t, fresh = TF.complex(t[0], t[1]), True
    if not prep_numpy or not TF.executing_eagerly():  # inside a tf.function a numpy input gives tensors
        return t
    view = np.asarray(t)  # read-only view of the tensor's memory
    if not fresh:
        return np.array(view)
    return np.asarray(_Buffer(view.ctypes.data, view.shape, view.dtype, view))
