"""Hypothesis strategies for signals, kernels and convolution problems.

Arrays are drawn as a shape plus a seed and filled by numpy's generator
(`random_array`): fast even for 40 x 40 x 40 volumes, reproducible, and
hypothesis still shrinks the shape towards the smallest failing case. A
falsifying example prints as public calls that rebuild it exactly,
``random_array(shape=(3,), dtype='float64', seed=0, scale=1.0)`` or
``ConvCase(x=np.array([...]), ...)``: paste it after
``import numpy as np; from filterbank.testing import ConvCase, random_array``.
Requires ``hypothesis`` (the ``test`` extra).

Examples
--------
>>> from hypothesis import given
>>> from filterbank.testing import signals
>>> @given(signals(ndim=2, max_side=8))
... def test_finite(x):
...     assert x.ndim == 2 and (x == x).all()
>>> test_finite()
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
from hypothesis import strategies as st

__all__ = ["ConvCase", "conv_cases", "dtypes", "kernels", "random_array", "shapes", "signals"]

_REAL = ("float32", "float64")


def dtypes(*, real: bool = True, complex: bool = False, half: bool = False, integer: bool = False) -> st.SearchStrategy[str]:
    """Dtype names: float32/float64, plus complex, float16 and integer ones on request.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(dtypes(complex=True), lambda d: d.startswith("complex"))
    'complex64'
    """
    names: list[str] = list(_REAL) if real else []
    if complex:
        names += ["complex64", "complex128"]
    if half:
        names += ["float16"]
    if integer:
        names += ["int32", "int64"]
    if not names:
        raise ValueError("dtypes: at least one of real, complex, half, integer must be True")
    return st.sampled_from(names)


def shapes(
    *, ndim: int | tuple[int, int] = (1, 3), min_side: int = 1, max_side: int = 40, max_size: int = 20_000
) -> st.SearchStrategy[tuple[int, ...]]:
    """Shapes with ``ndim`` axes (an int or an inclusive range) and sides in [min_side, max_side].

    Shapes whose element count exceeds ``max_size`` are shrunk axis by axis so
    that 3-D draws stay cheap.

    Examples
    --------
    >>> from hypothesis import find
    >>> s = find(shapes(ndim=3, max_size=1000), lambda s: np.prod(s) > 500)
    >>> len(s), 500 < int(np.prod(s)) <= 1000
    (3, True)
    """
    lo, hi = (ndim, ndim) if isinstance(ndim, int) else ndim

    @st.composite
    def draw_shape(draw: Any) -> tuple[int, ...]:
        n = draw(st.integers(lo, hi))
        sides = [draw(st.integers(min_side, max_side)) for _ in range(n)]
        while math.prod(sides) > max_size:
            i = int(np.argmax(sides))
            sides[i] = max(min_side, sides[i] // 2)
            if all(s == min_side for s in sides):
                break
        return tuple(sides)

    return draw_shape()


def random_array(shape: tuple[int, ...], *, dtype: str = "float64", seed: int = 0, scale: float = 1.0) -> np.ndarray:
    """The array `signals` draws for ``(shape, dtype, seed, scale)``: rebuild a falsifying example.

    Standard normal values times ``scale`` (real and imaginary parts for
    complex dtypes), integers in ``[-100, 100)`` for integer dtypes, from
    ``numpy.random.default_rng(seed)``.

    Examples
    --------
    >>> random_array(shape=(3,), dtype="float32", seed=0).round(4).tolist()
    [0.1257, -0.1321, 0.6404]
    >>> random_array((2,), dtype="int32", seed=1).tolist()
    [-6, 2]
    """
    shape = tuple(int(n) for n in shape)
    dtype = str(np.dtype(dtype))
    rng = np.random.default_rng(seed)
    if dtype.startswith(("int", "uint")):
        return rng.integers(-100, 100, size=shape).astype(dtype)
    values = rng.normal(scale=scale, size=shape)
    if dtype.startswith("complex"):
        values = values + 1j * rng.normal(scale=scale, size=shape)
    return values.astype(dtype)


def signals(
    shape: tuple[int, ...] | st.SearchStrategy[tuple[int, ...]] | None = None,
    *,
    ndim: int | tuple[int, int] = (1, 3),
    min_side: int = 1,
    max_side: int = 40,
    dtype: str | st.SearchStrategy[str] = "float64",
    scale: float = 1.0,
) -> st.SearchStrategy[np.ndarray]:
    """Random arrays (standard normal times ``scale``; integers in [-100, 100)).

    Parameters
    ----------
    shape : tuple or strategy, optional
        A fixed shape or a strategy of shapes; default `shapes` with
        ``ndim``, ``min_side`` and ``max_side``.
    dtype : str or strategy, default 'float64'
        Dtype name (see `dtypes`).
    scale : float, default 1.0
        Standard deviation of the values.

    Examples
    --------
    >>> from hypothesis import find
    >>> x = find(signals((3, 4), dtype="float32"), lambda a: True)
    >>> x.shape, x.dtype
    ((3, 4), dtype('float32'))
    """
    shape_st = st.just(shape) if isinstance(shape, tuple) else shape
    if shape_st is None:
        shape_st = shapes(ndim=ndim, min_side=min_side, max_side=max_side)
    dtype_st = st.just(dtype) if isinstance(dtype, str) else dtype
    return st.builds(random_array, shape=shape_st, dtype=dtype_st, seed=st.integers(0, 2**32 - 1), scale=st.just(scale))


def kernels(
    *, ndim: int | tuple[int, int] = (1, 3), max_side: int = 12, dtype: str | st.SearchStrategy[str] = "float64"
) -> st.SearchStrategy[np.ndarray]:
    """Random kernels, odd and even sizes alike, any rank (see `signals`).

    Examples
    --------
    >>> from hypothesis import find
    >>> find(kernels(ndim=2, max_side=5), lambda k: k.size > 1).shape
    (1, 2)
    """
    return signals(ndim=ndim, max_side=max_side, dtype=dtype)


def array_repr(a: np.ndarray) -> str:
    """``np.array([...], dtype='...')``: exact (floats print round-trip) and copy-pasteable.

    Examples
    --------
    >>> array_repr(np.float32([0.5, -1.25]))
    "np.array([0.5, -1.25], dtype='float32')"
    """
    return f"np.array({np.asarray(a).tolist()!r}, dtype={str(np.asarray(a).dtype)!r})"


class ConvCase(NamedTuple):
    """One convolution problem: inputs and the options to run it with.

    Its ``repr`` is a call that rebuilds it exactly (``import numpy as np``
    and ``from filterbank.testing import ConvCase`` first).

    Examples
    --------
    >>> ConvCase(np.array([1.0, 2.0]), np.array([0.5]), "full", "fill", 0.0)
    ConvCase(x=np.array([1.0, 2.0], dtype='float64'), kernel=np.array([0.5], dtype='float64'), mode='full', boundary='fill', fillvalue=0.0)
    """

    x: np.ndarray
    kernel: np.ndarray
    mode: str
    boundary: str
    fillvalue: float | complex

    def __repr__(self) -> str:
        return (
            f"ConvCase(x={array_repr(self.x)}, kernel={array_repr(self.kernel)}, mode={self.mode!r}, "
            f"boundary={self.boundary!r}, fillvalue={self.fillvalue!r})"
        )

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # hypothesis prints examples with this
        p.text(repr(self))


@st.composite
def conv_cases(
    draw: Any,
    *,
    ndim: int | tuple[int, int] = (1, 3),
    max_side: int = 40,
    max_kernel_side: int | None = None,
    dtype: str | st.SearchStrategy[str] = "float64",
    boundaries: tuple[str, ...] = ("fill", "wrap", "symm"),
    max_work: int = 400_000,
    fillvalues: tuple[float, ...] | None = None,
) -> ConvCase:
    """A signal, a kernel of the same rank and options valid for both.

    Kernels may be larger than the signal; ``mode='valid'`` is only drawn when
    one operand covers the other on every axis (scipy's rule). The product of
    the element counts is kept under ``max_work`` so direct references stay fast.

    A ``fillvalue`` other than 0 is drawn only where it means something::

        fillvalues   nonzero fillvalue drawn when                 reference
        None         2-D, boundary 'fill', mode 'full' or 'same'   scipy.signal.convolve2d / correlate2d
        (v, ...)     any rank, boundary 'fill', mode not 'valid'   fb.convolve's N-D fill (numpy.pad)
        ()           never                                        scipy.signal.convolve (no fillvalue)

    Everywhere else it is 0.0 ('valid' never reads the fill; 'wrap' and 'symm'
    have none), so with the default a 1-D or 3-D case always suits
    ``scipy.signal.convolve``. For complex dtypes the nonzero values get an
    imaginary part too (``v - 0.5j``).

    Examples
    --------
    >>> from hypothesis import find
    >>> case = find(conv_cases(ndim=1), lambda c: c.mode == "valid" and c.kernel.size > c.x.size)
    >>> case.x.ndim, case.kernel.ndim, case.mode
    (1, 1, 'valid')
    """
    x_shape = draw(shapes(ndim=ndim, max_side=max_side, max_size=max_work))
    k_cap = max_kernel_side or max_side
    k_shape = draw(shapes(ndim=len(x_shape), max_side=k_cap, max_size=max(1, max_work // math.prod(x_shape))))
    dt = draw(st.just(dtype) if isinstance(dtype, str) else dtype)
    x = draw(signals(x_shape, dtype=dt))
    kernel = draw(signals(k_shape, dtype=dt))
    covers = all(n >= k for n, k in zip(x_shape, k_shape)) or all(k >= n for n, k in zip(x_shape, k_shape))
    mode = draw(st.sampled_from(("full", "same", "valid") if covers else ("full", "same")))
    boundary = draw(st.sampled_from(boundaries))
    choices = (1.5, -2.0) if fillvalues is None else tuple(fillvalues)
    meaningful = boundary == "fill" and mode != "valid" and (fillvalues is not None or len(x_shape) == 2)
    fillvalue: float | complex = 0.0
    if meaningful and choices:
        fillvalue = draw(st.sampled_from((0.0, *choices)))
        if fillvalue and dt.startswith("complex"):
            fillvalue = complex(fillvalue, -0.5)
    return ConvCase(x, kernel, mode, boundary, fillvalue)
