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

TensorFlow runs the same sums in *blocked polyphase* form: one stride-1
convolution each way, on the signal viewed as blocks of ``P = s D`` samples
(``s`` output samples of every channel per block; `block_factor` picks
``s``), so no output is computed only to be discarded, no zero is inserted,
and the convolutions have tens of channels, the shape CPU kernels are fast
in. With ``L - 1 = a P - b`` (``a = ceil((L - 1) / P)``) and ``Q`` taps per
block kernel::

    X[t, r] = x[t P + r]                                  (x zero-padded to whole blocks)
    y_k[t s + u] = sum_q sum_r A[q, r, k s + u] X[t - a + q, r]
    A[q, r, k s + u] = analysis[q P + r - u D - b, k]      (0 outside [0, L))

    C[t, k s + u] = c_k[t s + u]                          (channels zero-padded to whole blocks)
    Y[t, r] = sum_q sum_{k, u} S[q, k s + u, r] C[t - Q + 1 + q, k s + u]     y[t P + r] = Y[t, r]
    S[q, k s + u, r] = synthesis[(Q - 1 - q) P + r - u D, k]

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

__all__ = ["Blocks", "MChannelPlan", "MChannelStep", "MSplit", "block_factor", "blocked_kernels", "mchannel_plan",
           "n_coef"]

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
    blocks : Blocks
        The kernels in blocked polyphase form (see the module docstring).
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
    blocks: Blocks = field(repr=False)

    @property
    def filter_length(self) -> int:
        """``L``."""
        return int(self.analysis.shape[0])

    @property
    def n_blocks(self) -> int:
        """Blocks of ``P`` samples holding the signal: ``ceil(n_signal / P)``."""
        return -(-self.n_signal // self.blocks.size)

    @property
    def n_coef_blocks(self) -> int:
        """Blocks of ``s`` samples holding each channel: ``ceil(n_coef / s)``."""
        return -(-self.n_coef // self.blocks.factor)

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


@dataclass(frozen=True, eq=False)
class Blocks:
    """A bank's kernels in blocked polyphase form (see the module docstring); arrays are read-only.

    Attributes
    ----------
    factor : int
        ``s``, output samples of every channel per block.
    size : int
        ``P = s D``, input samples per block.
    left : int
        ``a``: blocks of zeros before the signal.
    analysis : numpy.ndarray
        ``A``, ``(Q, P, M s)``: block kernel from the ``P`` phases to ``s``
        samples of each channel (channel-major).
    synthesis : numpy.ndarray
        ``S``, ``(Q, M s, P)``: the way back, already reversed in ``q``.
    """

    factor: int
    size: int
    left: int
    analysis: np.ndarray
    synthesis: np.ndarray

    @property
    def taps(self) -> int:
        """``Q``, the taps of the block kernels."""
        return int(self.analysis.shape[0])


def block_factor(filter_length: int, decimation: int) -> int:
    """``s``: blocks of about 32 samples, and at most about ``L`` of them zero taps.

    The largest power of two ``s <= max(1, 32 // D)`` with ``(s - 1) D <= L``.

    Examples
    --------
    >>> block_factor(63, 4), block_factor(512, 32), block_factor(8, 4), block_factor(2, 2)
    (8, 1, 2, 2)
    """
    s = 1
    while 2 * s <= max(1, 32 // decimation) and (2 * s - 1) * decimation <= filter_length:
        s *= 2
    return s


def blocked_kernels(analysis: np.ndarray, synthesis: np.ndarray, decimation: int) -> Blocks:
    """`Blocks` of the ``(L, M)`` kernels ``analysis`` (reversed ``h_k``) and ``synthesis`` (``g_k``).

    Examples
    --------
    >>> b = blocked_kernels(np.ones((63, 4)), np.ones((63, 4)), 4)
    >>> b.factor, b.size, b.left, b.analysis.shape, b.synthesis.shape
    (8, 32, 2, (3, 32, 32), (3, 32, 32))
    """
    length, m = analysis.shape
    d = decimation
    s = block_factor(length, d)
    p = s * d
    a = -(-(length - 1) // p)
    b = a * p - (length - 1)
    q = -(-(length + b + (s - 1) * d) // p)
    qq, r, u = np.meshgrid(np.arange(q), np.arange(p), np.arange(s), indexing="ij")

    def gather(kernel: np.ndarray, j: np.ndarray) -> np.ndarray:  # kernel[j, k] at (q, r, k, u), 0 outside
        inside = (j >= 0) & (j < length)
        out = np.where(inside[..., None], kernel[np.clip(j, 0, length - 1)], 0.0)  # (Q, P, s, M)
        return out.transpose(0, 1, 3, 2).reshape(q, p, m * s)

    ka = gather(analysis, qq * p + r - u * d - b)
    ks = gather(synthesis, (q - 1 - qq) * p + r - u * d).transpose(0, 2, 1)
    ka, ks = np.ascontiguousarray(ka), np.ascontiguousarray(ks)
    for k in (ka, ks):
        k.setflags(write=False)
    return Blocks(s, p, a, ka, ks)


def mchannel_plan(bank: MChannelBank, n: int, *, level: int, axis: int, split: MSplit) -> MChannelPlan:
    """The (cached) plan of ``level`` levels of ``bank`` for ``n`` samples along ``axis``."""
    key = (bank.key, n, level, axis, split)
    return _PLANS.get_or_create(key, lambda: _plan(bank, n, level, axis, split), nbytes=_nbytes(bank))


def _nbytes(bank: MChannelBank) -> int:
    return int(2 * bank.analysis.nbytes + 1024 + 4 * (bank.filter_length + 64) * bank.channels * 64)


def _plan(bank: MChannelBank, n: int, level: int, axis: int, split: MSplit) -> MChannelPlan:
    length, d = bank.filter_length, bank.decimation
    analysis = np.ascontiguousarray(bank.analysis[:, ::-1].T)
    synthesis = np.ascontiguousarray(bank.synthesis.T)
    for k in (analysis, synthesis):
        k.setflags(write=False)
    blocks = blocked_kernels(analysis, synthesis, d)
    channels = tuple(str(k) for k in range(bank.channels))
    delay = bank.delay
    steps = []
    for _ in range(level):
        m = n_coef(n, length, d)
        right = max(0, (m - 1) * d - n + 1)
        steps.append((MChannelStep(channels, d, n, m, length - 1, right, delay, analysis, synthesis,
                                   blocks),))
        n = m
    tree_split: Split = "every" if split == "every" else "approximation"
    return MChannelPlan(bank.name, (axis,), tuple(steps), tree_split, bank.channels)
