"""Hypothesis strategies for signals, kernels and convolution problems.

Arrays are drawn as a shape plus a seed and filled by numpy's generator: fast
even for 40 x 40 x 40 volumes, reproducible, and hypothesis still shrinks the
shape towards the smallest failing case. Requires ``hypothesis`` (the
``test`` extra).

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

__all__ = ["ConvCase", "conv_cases", "dtypes", "kernels", "shapes", "signals"]

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


def _fill(shape: tuple[int, ...], dtype: str, seed: int, scale: float) -> np.ndarray:
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
        A fixed shape or a strategy of shapes; default :func:`shapes` with
        ``ndim``, ``min_side`` and ``max_side``.
    dtype : str or strategy, default 'float64'
        Dtype name (see :func:`dtypes`).
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
    return st.builds(_fill, shape_st, dtype_st, st.integers(0, 2**32 - 1), st.just(scale))


def kernels(
    *, ndim: int | tuple[int, int] = (1, 3), max_side: int = 12, dtype: str | st.SearchStrategy[str] = "float64"
) -> st.SearchStrategy[np.ndarray]:
    """Random kernels, odd and even sizes alike, any rank (see :func:`signals`).

    Examples
    --------
    >>> from hypothesis import find
    >>> find(kernels(ndim=2, max_side=5), lambda k: k.size > 1).shape
    (1, 2)
    """
    return signals(ndim=ndim, max_side=max_side, dtype=dtype)


class ConvCase(NamedTuple):
    """One convolution problem: inputs and the options to run it with."""

    x: np.ndarray
    kernel: np.ndarray
    mode: str
    boundary: str
    fillvalue: float


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
) -> ConvCase:
    """A signal, a kernel of the same rank and options valid for both.

    Kernels may be larger than the signal; ``mode='valid'`` is only drawn when
    one operand covers the other on every axis (scipy's rule). The product of
    the element counts is kept under ``max_work`` so direct references stay fast.

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
    fillvalue = draw(st.sampled_from((0.0, 0.0, 1.5, -2.0))) if boundary == "fill" else 0.0
    return ConvCase(x, kernel, mode, boundary, fillvalue)
