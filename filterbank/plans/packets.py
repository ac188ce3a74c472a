"""Wavelet packets as a plan: the DWT's steps, every node split again, a level's nodes stacked.

A packet tree splits *every* node at every level (``split="every"`` in
`filterbank.plans.tree`), so level ``j`` has ``C ** (n_axes j)`` nodes of one
shape. A `PacketPlan` keeps them stacked on one *node axis*, inserted just
before the first transformed axis, and wraps each DWT `AxisStep` in a
`StackedStep` whose single channel is that whole stack. The one tree driver
then runs one step call per level and axis, on all nodes at once::

    level 0   x                        (..., 1,  n)      node axis of size 1
    level 1   [a | d]                  (..., 2,  n1)     one step call
    level 2   [aa | ad | da | dd]      (..., 4,  n2)     one step call
              natural (Paley) order: child c of node k is node C k + c

For ``n_axes`` axes the stack grows by ``C`` per axis step, so the node of
per-level keys ``"ad"`` (axis 0 low-pass, axis 1 high-pass) sits at
``C (C k + 0) + 1``; the lengths along each axis are the DWT's
(``floor((n + L - 1) / 2)``, ``ceil(n / 2)`` for periodization), as
PyWavelets' nested ``dwt`` calls give.

Frequency (sequency) order is the Gray code of the natural index: the band
at frequency position ``f`` is natural node ``f ^ (f >> 1)`` (per axis, for
several axes).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from filterbank.cache import named_cache
from filterbank.errors import check_option, normalize_axes
from filterbank.plans.decimated import AxisStep, Plan, analysis_plan
from filterbank.plans.tree import CHANNELS, Split

__all__ = [
    "Order",
    "PacketPlan",
    "StackedStep",
    "check_order",
    "freq_order",
    "node_keys",
    "packet_plan",
    "pywt_2d_natural_order",
]

Order = Literal["natural", "freq"]


@dataclass(frozen=True)
class StackedStep:
    """One DWT step applied to every node of a level at once.

    Attributes
    ----------
    step : AxisStep
        The DWT step along the transformed axis.
    node_axis : int
        The axis that holds the level's nodes; the executor splits the stack
        along ``axis`` and stacks the ``C`` outputs back onto it
        (``K`` nodes in, ``C K`` out, child ``c`` of node ``k`` at ``C k + c``).
    channels : tuple of str
        ``("",)``: to the driver, the whole stack is one band.
    """

    step: AxisStep
    node_axis: int
    channels: tuple[str, ...] = ("",)

    @property
    def n_channels(self) -> int:
        """Channels of the wrapped bank (two)."""
        return len(CHANNELS)


@dataclass(frozen=True, eq=False)
class PacketPlan:
    """A ``level``-deep packet tree over stacked nodes (numpy only).

    Attributes
    ----------
    dwt : Plan
        The DWT plan of one node (its steps, lengths and kernels).
    node_axis : int
        Where the node axis sits in the stacked arrays (before the first transformed axis).
    axes : tuple of int
        The transformed axes in stacked coordinates (the DWT's axes shifted past the node axis).
    steps : tuple of tuple of StackedStep
        ``steps[j][i]``: level ``j + 1`` along ``axes[i]``.
    """

    dwt: Plan
    node_axis: int
    axes: tuple[int, ...]
    steps: tuple[tuple[StackedStep, ...], ...]

    @property
    def split(self) -> Split:
        """Packets split every node (`filterbank.plans.tree`)."""
        return "every"

    @property
    def level(self) -> int:
        """Depth of the tree."""
        return len(self.steps)

    @property
    def n_nodes(self) -> int:
        """Nodes of the deepest level per input node: ``2 ** (n_axes level)``."""
        return int(2 ** (len(self.axes) * self.level))

    def node_shape(self, level: int) -> tuple[int | None, ...]:
        """Shape of one node of ``level`` (without the node axis)."""
        return self.dwt.coeff_shape(level)

    def stacked_shape(self, level: int, nodes: int = 1) -> tuple[int | None, ...]:
        """Shape of the stack of ``level`` grown from ``nodes`` stacked inputs."""
        shape = list(self.node_shape(level))
        shape.insert(self.node_axis, nodes * 2 ** (len(self.axes) * level))
        return tuple(shape)


_PLANS = named_cache("packet plans", max_entries=512, max_bytes=1 << 20)


def packet_plan(
    bank: Any, shape: tuple[int | None, ...], dtype: str, mode: Any, level: int, axes: tuple[int, ...]
) -> PacketPlan:
    """The packet plan of a ``level``-deep tree over nodes of ``shape`` (cached; ``shape`` without the node axis).

    Examples
    --------
    >>> from filterbank.design import FilterBank
    >>> p = packet_plan(FilterBank.from_wavelet("db2"), (3, 10), "float64", "symmetric", 2, (-1,))
    >>> p.node_axis, p.axes, p.stacked_shape(2), p.n_nodes
    (1, (2,), (3, 4, 4), 4)
    """
    ax = normalize_axes(axes, len(shape))
    key = (bank, tuple(shape), dtype, mode, int(level), ax)
    return _PLANS.get_or_create(key, lambda: _packet_plan(bank, tuple(shape), dtype, mode, int(level), ax), 1024)


def _packet_plan(bank: Any, shape: tuple[int | None, ...], dtype: str, mode: Any, level: int, ax: tuple[int, ...]) -> PacketPlan:
    base = analysis_plan(bank, shape, dtype, mode, level, ax)
    node_axis = min(ax)
    steps = tuple(tuple(StackedStep(s, node_axis) for s in level_steps) for level_steps in base.steps)
    return PacketPlan(base, node_axis, tuple(a + 1 for a in ax), steps)


def node_keys(n_axes: int, level: int) -> list[tuple[str, ...]]:
    """The path (one key of ``n_axes`` letters per level) of every stacked node, in natural order.

    Examples
    --------
    >>> node_keys(1, 2)
    [('a', 'a'), ('a', 'd'), ('d', 'a'), ('d', 'd')]
    >>> node_keys(2, 1)
    [('aa',), ('ad',), ('da',), ('dd',)]
    """
    keys = ["".join(k) for k in itertools.product(CHANNELS, repeat=n_axes)]
    return [tuple(p) for p in itertools.product(keys, repeat=level)]


def _gray_inverse(g: int) -> int:
    f = 0
    while g:
        f ^= g
        g >>= 1
    return f


def freq_order(n_axes: int, level: int) -> np.ndarray:
    """Natural indices in frequency order: entry ``i`` is the node at frequency position ``i``.

    For several axes the frequency positions are row-major over the per-axis
    frequencies (PyWavelets' nested 2-D ``order="freq"`` lists, flattened).

    Examples
    --------
    >>> freq_order(1, 3).tolist()
    [0, 1, 3, 2, 6, 7, 5, 4]
    >>> freq_order(2, 1).tolist()
    [0, 1, 2, 3]
    """
    n = 2**level
    out = np.empty(n**n_axes, dtype=np.intp)
    for natural in range(n**n_axes):
        # per level, n_axes bits (axis 0 first); gather each axis's bits into its own path index
        per_axis = [0] * n_axes
        for j in range(level):
            digit = (natural >> (n_axes * (level - 1 - j))) & ((1 << n_axes) - 1)
            for i in range(n_axes):
                per_axis[i] = (per_axis[i] << 1) | ((digit >> (n_axes - 1 - i)) & 1)
        position = 0
        for i in range(n_axes):
            position = position * n + _gray_inverse(per_axis[i])
        out[position] = natural
    return out


#: PyWavelets' 2-D node letters by per-level natural index: aa, ad (vertical), da (horizontal), dd.
LETTERS_2D = ("a", "v", "h", "d")


def pywt_2d_natural_order(level: int) -> np.ndarray:
    """Natural indices in PyWavelets' 2-D natural order (``'a', 'h', 'v', 'd'`` per level).

    Examples
    --------
    >>> pywt_2d_natural_order(1).tolist()
    [0, 2, 1, 3]
    """
    rank = {"a": 0, "h": 1, "v": 2, "d": 3}
    paths = ["".join(LETTERS_2D[int(k[0] == "d") * 2 + int(k[1] == "d")] for k in p) for p in node_keys(2, level)]
    return np.array(sorted(range(len(paths)), key=lambda i: [rank[c] for c in paths[i]]), dtype=np.intp)


def check_order(order: Any) -> Order:
    """Validate ``order`` ("natural" or "freq")."""
    return check_option("order", order, ("natural", "freq"))  # type: ignore[return-value]
