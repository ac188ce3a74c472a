"""A plan is a tree of filter-bank steps; one driver walks every plan.

Each level of a plan applies one step per transformed axis (a step is one
filter bank with ``C`` channels, decimated or dilated a trous), so a node
has ``C ** n_axes`` children, named by one channel letter per axis (``"ad"``:
low-pass along the first axis, high-pass along the second). The plan says
which children are split again::

                     ()                      the input
          +------+---+---+------+            level 1: one step per axis
        ("aa",) ("ad",) ("da",) ("dd",)
          |                                  DWT, SWT: split the approximation
    +-----+-----+-----+                      packets:  split every node
  ("aa","aa") ("aa","ad") ...                M-band:   C = M letters per axis

A node's *path* is the tuple of its keys from the root. `analysis` returns
every node it made; `synthesis` rebuilds the root from any set of nodes that
covers it (the leaves of a DWT: every detail plus the deepest approximation),
inverting the axes in reverse order. Neither knows how a step runs: the
caller passes the per-step function of an executor (numpy, TensorFlow conv,
XLA shift-and-add, a trous rolls), so every transform and every tier share
this one driver.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, Protocol

from filterbank.errors import CoefficientsError

__all__ = [
    "CHANNELS",
    "Path",
    "Split",
    "Tree",
    "analysis",
    "approximation",
    "channels",
    "from_levels",
    "levels",
    "synthesis",
]

#: Channel letters of a two-channel step: low-pass, high-pass. A step with
#: another number of channels names its own in a ``channels`` attribute,
#: lowest band first.
CHANNELS: tuple[str, ...] = ("a", "d")

#: Which children are split again: the approximation only (DWT, SWT) or every node (packets).
Split = Literal["approximation", "every"]

Path = tuple[str, ...]
AnalysisStep = Callable[[Any, int, Any, bool], Sequence[Any]]
SynthesisStep = Callable[..., Any]


class Tree(Protocol):
    """What the driver reads from a plan."""

    @property
    def axes(self) -> tuple[int, ...]:
        """Transformed axes, in order."""

    @property
    def steps(self) -> tuple[tuple[Any, ...], ...]:
        """``steps[j][i]``: the step of level ``j + 1`` along ``axes[i]``."""

    @property
    def split(self) -> Split:
        """Which nodes are split again."""


def channels(step: Any) -> tuple[str, ...]:
    """The channel letters of one step, lowest band first (two-channel unless the step says)."""
    return tuple(getattr(step, "channels", CHANNELS))


def _lowest(level_steps: Sequence[Any]) -> str:
    """The key of the band that is low-pass along every axis of a level."""
    return "".join(channels(s)[0] for s in level_steps)


def approximation(n_axes: int, depth: int) -> Path:
    """The path of the approximation at ``depth`` (low-pass on every axis at every level).

    Examples
    --------
    >>> approximation(2, 3)
    ('aa', 'aa', 'aa')
    """
    return ("a" * n_axes,) * depth


def analysis(tree: Tree, x: Any, step: AnalysisStep) -> dict[Path, Any]:
    """Every node of ``tree`` grown from ``x``, keyed by path.

    ``step(band, axis, axis_step, first)`` splits one band along one axis
    into its channels; ``first`` is true for the transform's own input.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> halves = lambda t, axis, s, first: (t // 2, t % 2)   # a toy "bank" on integers
    >>> tree = SimpleNamespace(axes=(0,), steps=((None,), (None,)), split="approximation")
    >>> analysis(tree, 13, halves)
    {('a',): 6, ('d',): 1, ('a', 'a'): 3, ('a', 'd'): 0}
    """
    nodes: dict[Path, Any] = {}
    frontier: dict[Path, Any] = {(): x}
    for level_steps in tree.steps:
        grown: dict[Path, Any] = {}
        for path, band in frontier.items():
            bands = {"": band}
            for axis, axis_step in zip(tree.axes, level_steps):
                bands = {
                    key + channel: out
                    for key, b in bands.items()
                    for channel, out in zip(channels(axis_step), step(b, axis, axis_step, b is x), strict=True)
                }
            grown.update({path + (key,): b for key, b in bands.items()})
        nodes.update(grown)
        lowest = _lowest(level_steps)
        frontier = grown if tree.split == "every" else {p: b for p, b in grown.items() if p[-1] == lowest}
    return nodes


def synthesis(tree: Tree, nodes: Mapping[Path, Any], step: SynthesisStep) -> Any:
    """The root rebuilt from ``nodes`` (children always win over a given parent).

    ``step(*channel_bands, axis, axis_step)`` merges one axis's channels
    (``None`` for an absent band; a level whose bands are all absent is an error).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> merge = lambda lo, hi, axis, s: 2 * lo + hi
    >>> tree = SimpleNamespace(axes=(0,), steps=((None,), (None,)), split="approximation")
    >>> synthesis(tree, {('d',): 1, ('a', 'a'): 3, ('a', 'd'): 0}, merge)
    13
    """
    n = len(tree.axes)
    pending = dict(nodes)
    for depth in range(max((len(p) for p in pending), default=0), 0, -1):
        level_steps = tree.steps[depth - 1]
        children: dict[Path, dict[str, Any]] = {}
        for path in [p for p in pending if len(p) == depth]:
            children.setdefault(path[:-1], {})[path[-1]] = pending.pop(path)
        for parent, bands in children.items():
            for i in reversed(range(n)):
                merged: dict[str, Any] = {}
                earlier = [channels(level_steps[k]) for k in range(i)]
                for prefix in ("".join(p) for p in itertools.product(*earlier)):
                    parts = [bands.get(prefix + channel) for channel in channels(level_steps[i])]
                    if any(part is not None for part in parts):
                        merged[prefix] = step(*parts, tree.axes[i], level_steps[i])
                bands = merged
            if "" not in bands:
                raise CoefficientsError(
                    f"every coefficient array of level {depth} is None; nothing to reconstruct"
                )
            pending[parent] = bands[""]
    return pending[()]


def levels(tree: Tree, nodes: Mapping[Path, Any]) -> list[dict[str, Any]]:
    """The bands of an approximation-split tree per level, finest first (each with its approximation).

    Examples
    --------
    >>> levels(type("T", (), {"axes": (0,)})(), {('a',): 6, ('d',): 1, ('a', 'a'): 3, ('a', 'd'): 0})
    [{'a': 6, 'd': 1}, {'a': 3, 'd': 0}]
    """
    n = len(tree.axes)
    depth = max((len(p) for p in nodes), default=0)
    return [
        {p[-1]: v for p, v in nodes.items() if len(p) == j and p[:-1] == approximation(n, j - 1)}
        for j in range(1, depth + 1)
    ]


def from_levels(n_axes: int, approx: Any, details: Sequence[Mapping[str, Any]]) -> dict[Path, Any]:
    """Nodes of an approximation-split tree from ``approx`` and details given coarsest first.

    Examples
    --------
    >>> from_levels(1, 3, [{"d": 0}, {"d": 1}])
    {('a', 'a'): 3, ('a', 'd'): 0, ('d',): 1}
    """
    depth = len(details)
    nodes: dict[Path, Any] = {approximation(n_axes, depth): approx}
    for j, level_details in enumerate(details):
        parent = approximation(n_axes, depth - 1 - j)
        nodes.update({parent + (key,): band for key, band in level_details.items()})
    return nodes
