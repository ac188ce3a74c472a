"""Transform methods of `filterbank.FilterBank`: the design stage's one declared door upward.

``FilterBank`` inherits these so that ``bank.wavedec(x)`` works. The
transforms are a later stage (they import the design), so the design stage
never imports them: every method here looks the function up through
`transforms`, the single place in the package that reaches a later stage,
by name and at call time. ``tests/test_layers.py`` checks that no other
module does so. Each method is the function of the same name in
`filterbank.transforms` with ``wavelet=self``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from filterbank.modes import Mode

#: The later stage the methods delegate to, named here and nowhere else in the design stage.
TRANSFORMS = "filterbank.transforms"


def transforms() -> ModuleType:
    """The transforms package, imported by name on first use (it imports this stage, not the reverse)."""
    return importlib.import_module(TRANSFORMS)


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

    def dwt(self, data: Any, mode: Mode = "symmetric", *, axis: int = -1, **kw: Any) -> Any:
        """Single-level 1-D transform; see `filterbank.dwt`."""
        return transforms().dwt(data, self, mode, axis=axis, **kw)

    def idwt(self, cA: Any, cD: Any, mode: Mode = "symmetric", *, axis: int = -1, **kw: Any) -> Any:
        """Single-level 1-D inverse; see `filterbank.idwt`."""
        return transforms().idwt(cA, cD, self, mode, axis=axis, **kw)

    def wavedec(self, data: Any, mode: Mode = "symmetric", level: int | None = None, *, axis: int = -1, **kw: Any) -> Any:
        """Multi-level 1-D transform; see `filterbank.wavedec`."""
        return transforms().wavedec(data, self, mode, level, axis=axis, **kw)

    def waverec(self, coeffs: Sequence[Any], mode: Mode = "symmetric", *, axis: int = -1, **kw: Any) -> Any:
        """Multi-level 1-D inverse; see `filterbank.waverec`."""
        return transforms().waverec(coeffs, self, mode, axis=axis, **kw)

    def dwt2(self, data: Any, mode: Mode = "symmetric", *, axes: Sequence[int] = (-2, -1), **kw: Any) -> Any:
        """Single-level 2-D transform; see `filterbank.dwt2`."""
        return transforms().dwt2(data, self, mode, axes=axes, **kw)

    def idwt2(self, coeffs: Any, mode: Mode = "symmetric", *, axes: Sequence[int] = (-2, -1), **kw: Any) -> Any:
        """Single-level 2-D inverse; see `filterbank.idwt2`."""
        return transforms().idwt2(coeffs, self, mode, axes=axes, **kw)

    def wavedec2(
        self, data: Any, mode: Mode = "symmetric", level: int | None = None, *, axes: Sequence[int] = (-2, -1), **kw: Any
    ) -> Any:
        """Multi-level 2-D transform; see `filterbank.wavedec2`."""
        return transforms().wavedec2(data, self, mode, level, axes=axes, **kw)

    def waverec2(self, coeffs: Sequence[Any], mode: Mode = "symmetric", *, axes: Sequence[int] = (-2, -1), **kw: Any) -> Any:
        """Multi-level 2-D inverse; see `filterbank.waverec2`."""
        return transforms().waverec2(coeffs, self, mode, axes=axes, **kw)

    def dwtn(self, data: Any, mode: Mode = "symmetric", *, axes: Sequence[int] | None = None, **kw: Any) -> Any:
        """Single-level n-D transform; see `filterbank.dwtn`."""
        return transforms().dwtn(data, self, mode, axes=axes, **kw)

    def idwtn(self, coeffs: Any, mode: Mode = "symmetric", *, axes: Sequence[int] | None = None, **kw: Any) -> Any:
        """Single-level n-D inverse; see `filterbank.idwtn`."""
        return transforms().idwtn(coeffs, self, mode, axes=axes, **kw)

    def wavedecn(
        self, data: Any, mode: Mode = "symmetric", level: int | None = None, *, axes: Sequence[int] | None = None, **kw: Any
    ) -> Any:
        """Multi-level n-D transform; see `filterbank.wavedecn`."""
        return transforms().wavedecn(data, self, mode, level, axes=axes, **kw)

    def waverecn(self, coeffs: Sequence[Any], mode: Mode = "symmetric", *, axes: Sequence[int] | None = None, **kw: Any) -> Any:
        """Multi-level n-D inverse; see `filterbank.waverecn`."""
        return transforms().waverecn(coeffs, self, mode, axes=axes, **kw)

    def plan(
        self, shape: Sequence[int], mode: Mode = "symmetric", level: int = 1, *, axes: Sequence[int] = (-1,), **kw: Any
    ) -> Any:
        """The cached forward-transform plan for ``shape``; see `filterbank.plan`."""
        return transforms().plan(shape, self, mode, level, axes=axes, **kw)
