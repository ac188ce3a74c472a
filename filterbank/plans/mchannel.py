"""Plans of M-channel transforms: a tree of `MChannelStep` s for the one tree driver.

A step splits a signal of ``n`` samples into ``M`` channels named ``"0"``,
``"1"``, ... (lowest band first) of ``n_coef = ceil((n + L - 1) / D)``
samples each: every sample of the full convolution kept by the decimation,
so nothing is lost at the edges (zero extension, scipy's ``upfirdn``
alignment)::

    y_k[i] = sum_j h_k[j] x[i D - j]            = upfirdn(h_k, x, 1, D)[i]
           = sum_j analysis[j, k] e[i D + j]     e = [0] * (L - 1) + x + [0] * right

so the kernels are stored as TensorFlow correlates them: ``analysis[:, k]``
is ``h_k`` reversed; ``synthesis[:, k]`` is ``g_k`` unflipped, for the
transposed (up-sampling) correlation::

    y[i D + j] += c_k[i] * synthesis[j, k]      (conv1d_transpose, stride D)
    x[t]        = y[t + crop]                   crop = the bank's delay

``split="lowest"`` splits channel ``"0"`` again at every level (M-band
wavelets); ``split="every"`` splits every channel (a uniform ``M ** J`` split).

Examples
--------
>>> from filterbank.design.mchannel import MChannelBank
>>> bank = MChannelBank("haar2", [[1, 1], [1, -1]], [[0.5, 0.5], [-0.5, 0.5]], 2)
>>> plan = mchannel_plan(bank, 5, level=2, axis=0, split="lowest")
>>> [(s.n_signal, s.n_coef) for (s,) in plan.steps]
[(5, 3), (3, 2)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from filterbank.cache import named_cache
from filterbank.design.mchannel import MChannelBank
from filterbank.plans.tree import Split

__all__ = ["MChannelPlan", "MChannelStep", "MSplit", "mchannel_plan", "n_coef"]

#: Values of ``split=`` of the M-channel transforms.
MSplit = Literal["lowest", "every"]

_PLANS = named_cache("mchannel plans", max_entries=256, max_bytes=64 << 20)


def n_coef(n: int, filter_length: int, decimation: int) -> int:
    """Samples per channel: ``ceil((n + L - 1) / D)``.

    Examples
    --------
    >>> n_coef(100, 63, 4)
    41
    """
    return -(-(n + filter_length - 1) // decimation)


@dataclass(frozen=True, eq=False)
class MChannelStep:
    """One level of an M-channel bank along one axis.

    Attributes
    ----------
    channels : tuple of str
        Channel keys ``"0" .. "M-1"``, lowest band first (read by the tree driver).
    decimation : int
        ``D``.
    n_signal, n_coef : int
        Input length and samples per channel.
    left, right : int
        Zeros before and after the signal; only the first ``(n_coef - 1) D + L``
        samples of the extended signal are read.
    crop : int
        Offset of the signal in the synthesis output (the bank's delay).
    analysis, synthesis : numpy.ndarray
        ``(L, M)`` kernels: reversed ``h_k`` and unflipped ``g_k`` (read-only).
    """

    channels: tuple[str, ...]
    decimation: int
    n_signal: int
    n_coef: int
    left: int
    right: int
    crop: int
    analysis: np.ndarray = field(repr=False)
    synthesis: np.ndarray = field(repr=False)

    @property
    def filter_length(self) -> int:
        """``L``."""
        return int(self.analysis.shape[0])

    @property
    def n_extended(self) -> int:
        """Samples of the extended signal the analysis reads: ``(n_coef - 1) D + L``."""
        return (self.n_coef - 1) * self.decimation + self.filter_length

    @property
    def n_full(self) -> int:
        """Length of the full synthesis output before the crop: ``(n_coef - 1) D + L``."""
        return self.n_extended


@dataclass(frozen=True, eq=False)
class MChannelPlan:
    """The tree of an M-channel transform along one axis (what `filterbank.plans.tree` walks)."""

    name: str
    axes: tuple[int, ...]
    steps: tuple[tuple[MChannelStep, ...], ...]
    split: Split
    channels: int

    @property
    def level(self) -> int:
        """Number of levels."""
        return len(self.steps)

    def leaves(self) -> list[tuple[str, ...]]:
        """Paths of the transform's output bands, in the order `filterbank.mdec` returns them.

        ``split="lowest"``: the deepest level's channels, then each shallower
        level's channels but ``"0"`` (coarsest first); ``"every"``: the
        ``M ** J`` paths of the deepest level in lexicographic channel order.

        Examples
        --------
        >>> from filterbank.design.mchannel import MChannelBank
        >>> bank = MChannelBank("haar2", [[1, 1], [1, -1]], [[0.5, 0.5], [-0.5, 0.5]], 2)
        >>> mchannel_plan(bank, 8, level=2, axis=0, split="lowest").leaves()
        [('0', '0'), ('0', '1'), ('1',)]
        """
        keys = [str(k) for k in range(self.channels)]
        j = self.level
        if self.split == "every":
            paths: list[tuple[str, ...]] = [()]
            for _ in range(j):
                paths = [p + (k,) for p in paths for k in keys]
            return paths
        out = [("0",) * (j - 1) + (k,) for k in keys]
        for depth in range(j - 1, 0, -1):
            out.extend(("0",) * (depth - 1) + (k,) for k in keys[1:])
        return out


def mchannel_plan(bank: MChannelBank, n: int, *, level: int, axis: int, split: MSplit) -> MChannelPlan:
    """The (cached) plan of ``level`` levels of ``bank`` for ``n`` samples along ``axis``."""
    key = (bank.key, n, level, axis, split)
    return _PLANS.get_or_create(key, lambda: _plan(bank, n, level, axis, split), nbytes=_nbytes(bank))


def _nbytes(bank: MChannelBank) -> int:
    return int(2 * bank.analysis.nbytes + 1024)


def _plan(bank: MChannelBank, n: int, level: int, axis: int, split: MSplit) -> MChannelPlan:
    length, d = bank.filter_length, bank.decimation
    analysis = np.ascontiguousarray(bank.analysis[:, ::-1].T)
    synthesis = np.ascontiguousarray(bank.synthesis.T)
    for k in (analysis, synthesis):
        k.setflags(write=False)
    channels = tuple(str(k) for k in range(bank.channels))
    delay = bank.delay
    steps = []
    for _ in range(level):
        m = n_coef(n, length, d)
        right = max(0, (m - 1) * d - n + 1)
        steps.append((MChannelStep(channels, d, n, m, length - 1, right, delay, analysis, synthesis),))
        n = m
    tree_split: Split = "every" if split == "every" else "approximation"
    return MChannelPlan(bank.name, (axis,), tuple(steps), tree_split, bank.channels)
