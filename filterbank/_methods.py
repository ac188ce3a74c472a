"""Transform methods of `filterbank.FilterBank`, kept apart from design.

``FilterBank`` inherits these so that ``bank.wavedec(x)`` works, while the
design module stays free of TensorFlow: every method imports the transform
module only when called. Each method is the function of the same name in
`filterbank.transform` with ``wavelet=self``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class TransformMethods:
    """Mixin giving a filter bank PyWavelets-style transform methods.

    Examples
    --------
    >>> from filterbank import FilterBank
    >>> bank = FilterBank.from_wavelet("haar")
    >>> cA, cD = bank.dwt([1.0, 3.0])
    >>> round(float(cA[0]), 4), round(float(cD[0]), 4)
    (2.8284, -1.4142)
    """

    def dwt(self, data: Any, mode: str = "symmetric", *, axis: int = -1, **kw: Any) -> Any:
        """Single-level 1-D transform; see `filterbank.dwt`."""
        from filterbank import transform

        return transform.dwt(data, self, mode, axis=axis, **kw)

    def idwt(self, cA: Any, cD: Any, mode: str = "symmetric", *, axis: int = -1, **kw: Any) -> Any:
        """Single-level 1-D inverse; see `filterbank.idwt`."""
        from filterbank import transform

        return transform.idwt(cA, cD, self, mode, axis=axis, **kw)

    def wavedec(self, data: Any, mode: str = "symmetric", level: int | None = None, *, axis: int = -1, **kw: Any) -> Any:
        """Multi-level 1-D transform; see `filterbank.wavedec`."""
        from filterbank import transform

        return transform.wavedec(data, self, mode, level, axis=axis, **kw)

    def waverec(self, coeffs: Sequence[Any], mode: str = "symmetric", *, axis: int = -1, **kw: Any) -> Any:
        """Multi-level 1-D inverse; see `filterbank.waverec`."""
        from filterbank import transform

        return transform.waverec(coeffs, self, mode, axis=axis, **kw)

    def dwt2(self, data: Any, mode: str = "symmetric", *, axes: Sequence[int] = (-2, -1), **kw: Any) -> Any:
        """Single-level 2-D transform; see `filterbank.dwt2`."""
        from filterbank import transform

        return transform.dwt2(data, self, mode, axes=axes, **kw)

    def idwt2(self, coeffs: Any, mode: str = "symmetric", *, axes: Sequence[int] = (-2, -1), **kw: Any) -> Any:
        """Single-level 2-D inverse; see `filterbank.idwt2`."""
        from filterbank import transform

        return transform.idwt2(coeffs, self, mode, axes=axes, **kw)

    def wavedec2(
        self, data: Any, mode: str = "symmetric", level: int | None = None, *, axes: Sequence[int] = (-2, -1), **kw: Any
    ) -> Any:
        """Multi-level 2-D transform; see `filterbank.wavedec2`."""
        from filterbank import transform

        return transform.wavedec2(data, self, mode, level, axes=axes, **kw)

    def waverec2(self, coeffs: Sequence[Any], mode: str = "symmetric", *, axes: Sequence[int] = (-2, -1), **kw: Any) -> Any:
        """Multi-level 2-D inverse; see `filterbank.waverec2`."""
        from filterbank import transform

        return transform.waverec2(coeffs, self, mode, axes=axes, **kw)

    def dwtn(self, data: Any, mode: str = "symmetric", *, axes: Sequence[int] | None = None, **kw: Any) -> Any:
        """Single-level n-D transform; see `filterbank.dwtn`."""
        from filterbank import transform

        return transform.dwtn(data, self, mode, axes=axes, **kw)

    def idwtn(self, coeffs: Any, mode: str = "symmetric", *, axes: Sequence[int] | None = None, **kw: Any) -> Any:
        """Single-level n-D inverse; see `filterbank.idwtn`."""
        from filterbank import transform

        return transform.idwtn(coeffs, self, mode, axes=axes, **kw)

    def wavedecn(
        self, data: Any, mode: str = "symmetric", level: int | None = None, *, axes: Sequence[int] | None = None, **kw: Any
    ) -> Any:
        """Multi-level n-D transform; see `filterbank.wavedecn`."""
        from filterbank import transform

        return transform.wavedecn(data, self, mode, level, axes=axes, **kw)

    def waverecn(self, coeffs: Sequence[Any], mode: str = "symmetric", *, axes: Sequence[int] | None = None, **kw: Any) -> Any:
        """Multi-level n-D inverse; see `filterbank.waverecn`."""
        from filterbank import transform

        return transform.waverecn(coeffs, self, mode, axes=axes, **kw)

    def plan(
        self, shape: Sequence[int], mode: str = "symmetric", level: int = 1, *, axes: Sequence[int] = (-1,), **kw: Any
    ) -> Any:
        """The cached forward-transform plan for ``shape``; see `filterbank.plan`."""
        from filterbank import transform

        return transform.plan(shape, self, mode, level, axes=axes, **kw)
