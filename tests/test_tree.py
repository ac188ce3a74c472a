"""The one driver (`filterbank.plans.tree`): DWT, SWT, packet-style and M-channel trees.

The DWT and SWT go through it in every other test; here it is judged on
trees they do not use (every node split, three channels, a missing band),
against PyWavelets' wavelet packets and hand-derived integers.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import pywt

from filterbank.backend import numpy_executors
from filterbank.errors import CoefficientsError
from filterbank.plans import tree
from filterbank.plans.decimated import analysis_plan
from filterbank.design import FilterBank


def _digits(base: int):
    """A toy bank on integers: a step splits n into its base-``base`` digits (exactly invertible)."""
    letters = tuple(str(i) for i in range(base))
    step = SimpleNamespace(channels=letters)

    def split(x, axis, s, first):
        return tuple((x // base ** (base - 1 - i)) % base if i else x // base ** (base - 1) for i in range(base))

    def merge(*parts_and_rest):
        *parts, _axis, _s = parts_and_rest
        return sum(p * base ** (base - 1 - i) for i, p in enumerate(parts) if p is not None)

    return step, split, merge


def test_an_approximation_tree_splits_only_the_lowest_band():
    step, split, _ = _digits(2)
    t = SimpleNamespace(axes=(0,), steps=((step,),) * 3, split="approximation")
    nodes = tree.analysis(t, 13, lambda x, a, s, f: (x // 2, x % 2))
    # 13 = 0b1101: details are the bits, least significant first
    assert nodes == {("0",): 6, ("1",): 1, ("0", "0"): 3, ("0", "1"): 0, ("0", "0", "0"): 1, ("0", "0", "1"): 1}


@pytest.mark.parametrize("base, depth", [(2, 3), (3, 2), (4, 2)])
def test_every_node_split_with_m_channels_round_trips(base, depth):
    step, split, merge = _digits(base)
    t = SimpleNamespace(axes=(0,), steps=((step,),) * depth, split="every")
    x = 12345
    nodes = tree.analysis(t, x, split)
    leaves = {p: v for p, v in nodes.items() if len(p) == depth}
    assert len(leaves) == base**depth and len(nodes) == sum(base**j for j in range(1, depth + 1))
    assert tree.synthesis(t, leaves, merge) == x


def test_two_axes_name_bands_one_letter_per_axis_in_axis_order():
    t = SimpleNamespace(axes=(0, 1), steps=((None, None),), split="approximation")
    nodes = tree.analysis(t, (5, 7), lambda x, axis, s, f: ((x, axis, "lo"), (x, axis, "hi")))
    assert sorted(nodes) == [("aa",), ("ad",), ("da",), ("dd",)]
    # "ad": low-pass along the first axis, then high-pass along the second
    assert nodes[("ad",)] == (((5, 7), 0, "lo"), 1, "hi")


def test_packet_nodes_equal_pywavelets_wavelet_packets():
    """Splitting every node with the DWT's own step is PyWavelets' WaveletPacket, node for node."""
    x = np.random.default_rng(0).standard_normal(100)
    bank = FilterBank.from_wavelet("db2")
    level = 3
    plan = analysis_plan(bank, x.shape, "float64", "symmetric", level, axes=(0,))
    packets = SimpleNamespace(axes=plan.axes, steps=plan.steps, split="every")
    nodes = tree.analysis(packets, x, lambda t, axis, s, first: numpy_executors.analysis_level(t, axis, s))
    wp = pywt.WaveletPacket(x, "db2", mode="symmetric", maxlevel=level)
    for node in wp.get_level(level, "natural"):
        ours = nodes[tuple(node.path)]
        np.testing.assert_allclose(ours, node.data, rtol=1e-12, atol=1e-12 * np.abs(node.data).max())


def test_a_level_with_no_band_is_refused():
    t = SimpleNamespace(axes=(0,), steps=((None,), (None,)), split="approximation")
    with pytest.raises(CoefficientsError, match=r"^every coefficient array of level 2 is None; nothing to reconstruct$"):
        tree.synthesis(t, {("a", "a"): None, ("a", "d"): None, ("d",): 1}, lambda lo, hi, a, s: lo + hi)


def test_levels_and_from_levels_are_inverse_layouts():
    nodes = {("a",): 6, ("d",): 1, ("a", "a"): 3, ("a", "d"): 0}
    t = SimpleNamespace(axes=(0,))
    assert tree.levels(t, nodes) == [{"a": 6, "d": 1}, {"a": 3, "d": 0}]
    assert tree.from_levels(1, 3, [{"d": 0}, {"d": 1}]) == {("a", "a"): 3, ("a", "d"): 0, ("d",): 1}
