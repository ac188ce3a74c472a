"""Wavelet packets against PyWavelets: the classes node for node, and the batched wpdec / wprec."""

from __future__ import annotations

import copy
import gc
import pickle

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.backend import packets as backend
from filterbank.backend.convert import inspect, window_offset
from filterbank.design.names import as_filterbank
from filterbank.plans import tree
from filterbank.plans.packets import packet_plan

WAVELETS = ["haar", "db4", "sym5", "coif2", "bior3.5", "rbio2.2", "dmey"]
MODES = pywt.Modes.modes


def _close(a, b):
    scale = max(1.0, float(np.max(np.abs(b))))
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12 * scale)


@pytest.mark.parametrize("wavelet", WAVELETS)
@pytest.mark.parametrize("mode", MODES)
def test_wavelet_packet_levels_equal_pywavelets(wavelet, mode):
    x = np.random.default_rng(1).standard_normal((2, 67))
    ref = pywt.WaveletPacket(x, wavelet, mode, maxlevel=2)
    ours = fb.WaveletPacket(x, wavelet, mode, maxlevel=2)
    for order in ("natural", "freq"):
        r, o = ref.get_level(2, order), ours.get_level(2, order)
        assert [n.path for n in o] == [n.path for n in r]
        for a, b in zip(o, r):
            _close(a.data, b.data)
    _close(ours.reconstruct(update=False), ref.reconstruct(update=False))


@pytest.mark.parametrize("mode", ["symmetric", "periodization", "antireflect"])
def test_wavelet_packet_2d_and_nd_equal_pywavelets(mode):
    x = np.random.default_rng(2).standard_normal((19, 22))
    ref, ours = pywt.WaveletPacket2D(x, "db2", mode), fb.WaveletPacket2D(x, "db2", mode)
    for r, o in zip(ref.get_level(2), ours.get_level(2)):
        assert o.path == r.path
        _close(o.data, r.data)
    freq_r, freq_o = ref.get_level(2, "freq"), ours.get_level(2, "freq")
    assert [[n.path for n in row] for row in freq_o] == [[n.path for n in row] for row in freq_r]
    y = np.random.default_rng(3).standard_normal((9, 10, 11))
    ref_n, ours_n = pywt.WaveletPacketND(y, "haar", mode), fb.WaveletPacketND(y, "haar", mode)
    for r, o in zip(ref_n.get_level(2), ours_n.get_level(2)):
        assert o.path == r.path
        _close(o.data, r.data)
    _close(ours_n.reconstruct(), y)  # pywt's own ND crop fails here (a list index)


@pytest.mark.parametrize("tree_class, shape", [(fb.WaveletPacket, (3, 64)), (fb.WaveletPacket2D, (2, 16, 16)),
                                                (fb.WaveletPacketND, (16, 16))])
def test_trees_have_no_reference_cycles(tree_class, shape):
    # a dropped tree frees its nodes' data at once, not at the next garbage collection
    x = np.random.default_rng(4).standard_normal(shape)

    def use():
        t = tree_class(x, "db2", maxlevel=2)
        t.get_level(2)
        t.get_leaf_nodes(decompose=True)
        t.walk(lambda node: True)
        t.reconstruct(update=False)
        t[t.PARTS[0]].decompose()
        del t[t.PARTS[-1]]

    use()
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        use()
        found = gc.collect()
    finally:
        gc.set_debug(0)
        garbage, gc.garbage[:] = list(gc.garbage), []
    assert found == 0, sorted({type(o).__name__ for o in garbage})


def test_nodes_hold_parents_weakly_and_level_lists_keep_the_tree():
    x = np.random.default_rng(5).standard_normal(64)
    nodes = fb.WaveletPacket(x, "db2", maxlevel=3).get_level(3, "freq")  # the tree is a temporary
    assert [n.parent.path for n in nodes[:2]] == ["aa", "aa"] and nodes[0].parent.parent.path == "a"
    ref = pywt.WaveletPacket(x, "db2", maxlevel=3)
    _close(nodes[2].parent.data, ref["ad"].data)
    leaves = fb.WaveletPacket2D(np.ones((8, 8)), "haar", maxlevel=2).get_leaf_nodes(decompose=True)
    assert {n.parent.path for n in leaves} == {"a", "h", "v", "d"}
    grid = fb.WaveletPacket2D(np.ones((8, 8)), "haar").get_level(1, "freq")
    assert grid[0][0].parent.path == ""
    node = fb.WaveletPacket(x, "db2")["ad"]  # nothing keeps the tree: the node is detached, its data stay
    assert node.parent is None and node.path == "ad" and node.wavelet.name == "db2"
    _close(node.data, pywt.WaveletPacket(x, "db2")["ad"].data)
    _close(node["a"].data, pywt.WaveletPacket(x, "db2")["ada"].data)


def test_node_attributes_paths_and_errors():
    wp = fb.WaveletPacket(np.arange(1.0, 9.0), "db1", "symmetric")
    node = wp["ad"]
    assert (node.path, node.level, node.node_name, node.parent.path, node.maxlevel) == ("ad", 2, "d", "a", 3)
    assert wp[("a", "d")] is node
    with pytest.raises(IndexError, match="deeper than the maximum level 3"):
        wp["aaaa"]
    with pytest.raises(ValueError, match="node name must be one of 'a', 'd'; got 'c'"):
        wp["ac"]
    with pytest.raises(ValueError, match="order must be one of 'natural', 'freq'"):
        wp.get_level(2, "band")
    del wp["ad"]
    assert [n.path for n in wp.get_leaf_nodes()] == ["aa", "d"]


def test_batch_axes_and_axis():
    x = np.random.default_rng(4).standard_normal((40, 3))
    ref, ours = pywt.WaveletPacket(x, "db3", axis=0), fb.WaveletPacket(x, "db3", axis=0)
    for r, o in zip(ref.get_level(3), ours.get_level(3)):
        _close(o.data, r.data)


def test_driver_packet_tree_is_the_stacked_plan():
    # the per-node driver on the DWT's steps and the stacked plan give the same nodes
    x = np.random.default_rng(5).standard_normal((2, 50))
    p = packet_plan(as_filterbank("sym3"), x.shape, "float64", "zero", 3, (-1,))
    stacked = backend.forward(p, x[:, None, :], "never")
    per_node = tree.analysis(type("T", (), {"axes": p.dwt.axes, "steps": p.dwt.steps, "split": "every"})(), x,
                             lambda t, axis, s, first: backend.numpy_executors.analysis_level(t, axis, s))
    deepest = [v for k, v in per_node.items() if len(k) == 3]
    np.testing.assert_array_equal(stacked, np.stack(deepest, axis=1))


@pytest.mark.parametrize("wavelet", ["haar", "db4", "bior2.4"])
@pytest.mark.parametrize("mode", ["symmetric", "periodization", "reflect"])
@pytest.mark.parametrize("order", ["freq", "natural"])
def test_wpdec_equals_pywavelets_and_wprec_inverts(wavelet, mode, order):
    x = np.random.default_rng(6).standard_normal((3, 101))
    nodes = pywt.WaveletPacket(x, wavelet, mode, maxlevel=3).get_level(3, order)
    c = fb.wpdec(x, wavelet, 3, mode, order=order)
    _close(c, np.stack([n.data for n in nodes], axis=-2))
    _close(fb.wprec(c, wavelet, mode, order=order, length=101), x)
    img = np.random.default_rng(7).standard_normal((2, 48, 37))
    ref2 = pywt.WaveletPacket2D(img, wavelet, mode, maxlevel=2).get_level(2, order)
    flat = [n for row in ref2 for n in row] if order == "freq" else ref2
    c2 = fb.wpdec2(img, wavelet, 2, mode, order=order)
    _close(c2, np.stack([n.data for n in flat], axis=-3))
    _close(fb.wprec2(c2, wavelet, mode, order=order, length=(48, 37)), img)


def test_wpdec_refuses_bad_arguments_before_tensorflow():
    with pytest.raises(ValueError, match="level must be an integer >= 1; got 0"):
        fb.wpdec(np.ones(8), "haar", 0)
    with pytest.raises(ValueError, match="order must be one of 'natural', 'freq'; got 'fre'"):
        fb.wpdec(np.ones(8), "haar", 1, order="fre")
    with pytest.raises(ValueError, match="must hold 2 \\*\\* level nodes; got 3"):
        fb.wprec(np.ones((3, 4)), "haar")


def test_wpdec_tensors_graph_xla_and_gradients():
    tf = pytest.importorskip("tensorflow")
    x = np.random.default_rng(8).standard_normal((4, 64))
    xt = tf.constant(x)
    np.testing.assert_allclose(fb.wpdec(xt, "db2", 3).numpy(), fb.wpdec(x, "db2", 3), atol=1e-12)
    roundtrip = tf.function(lambda t: fb.wprec(fb.wpdec(t, "db2", 3), "db2", length=64), jit_compile=True)
    np.testing.assert_allclose(roundtrip(xt).numpy(), x, atol=1e-12)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        energy = tf.reduce_sum(fb.wpdec(xt, "db2", 3, "periodization") ** 2)
    np.testing.assert_allclose(tape.gradient(energy, xt).numpy(), 2 * x, atol=1e-10)  # orthogonal: energy kept


def _tree_equal(ours, ref, level):
    for o, r in zip(ours.get_level(level, decompose=False), ref.get_level(level, decompose=False)):
        assert o.path == r.path
        _close(o.data, r.data)


@pytest.mark.parametrize("compile", ["never", "always"])
def test_large_trees_through_the_compiled_tier_equal_pywavelets(compile):
    # above the numpy tier's always-numpy size: numpy first, then one compiled program per tree
    x = np.random.default_rng(9).standard_normal((6, 8000))
    img = np.random.default_rng(10).standard_normal((3, 130, 120))
    with fb.execution(compile=compile):
        ref, ours = pywt.WaveletPacket(x, "db4", "symmetric", maxlevel=3), fb.WaveletPacket(x, "db4", "symmetric", maxlevel=3)
        ours.get_level(3), ref.get_level(3)
        for level in (1, 2, 3):
            _tree_equal(ours, ref, level)
        _close(ours.reconstruct(), ref.reconstruct())
        ref2, ours2 = pywt.WaveletPacket2D(img, "haar", "reflect", maxlevel=2), fb.WaveletPacket2D(img, "haar", "reflect", maxlevel=2)
        ours2.get_level(2), ref2.get_level(2)
        _tree_equal(ours2, ref2, 2)
        _close(ours2.reconstruct(), ref2.reconstruct())


@pytest.mark.parametrize("wavelet", ["db2", "bior2.4"])
@pytest.mark.parametrize("mode", ["symmetric", "periodization", "zero"])
def test_reconstruct_of_edited_mixed_depth_trees_equals_pywavelets(wavelet, mode):
    # leaves at several depths, a deleted node (zeros), a replaced node, an odd length: batched level by level
    x = np.random.default_rng(11).standard_normal((2, 77))
    trees = [cls(x, wavelet, mode, maxlevel=3) for cls in (pywt.WaveletPacket, fb.WaveletPacket)]
    for wp in trees:
        wp.get_level(2)
        wp["ad"].decompose(), wp["da"].decompose()
        del wp["dd"]
        wp["aa"] = wp["aa"].data * 2.0
    (ref, ours) = trees
    for node in ("a", "d", ""):
        _close(ours[node].reconstruct(), ref[node].reconstruct())
    _close(ours.reconstruct(update=True), ref.reconstruct(update=True))
    _close(ours.data, ref.data)
    img = np.random.default_rng(12).standard_normal((21, 18))
    trees2 = [cls(img, wavelet, mode, maxlevel=2) for cls in (pywt.WaveletPacket2D, fb.WaveletPacket2D)]
    for wp in trees2:
        wp.get_level(1)
        wp["h"].decompose()
        del wp["v"]
    _close(trees2[1].reconstruct(), trees2[0].reconstruct())


def test_one_batched_call_per_level(monkeypatch):
    calls = {"forward": 0, "inverse": 0}
    forward, inverse = backend.forward_levels, backend.inverse

    def counted_forward(*args):
        calls["forward"] += 1
        return forward(*args)

    def counted_inverse(*args):
        calls["inverse"] += 1
        return inverse(*args)

    monkeypatch.setattr(backend, "forward_levels", counted_forward)
    monkeypatch.setattr(backend, "inverse", counted_inverse)
    x = np.random.default_rng(13).standard_normal((4, 256))
    wp = fb.WaveletPacket(x, "db3", "symmetric", maxlevel=4)
    assert len(wp.get_level(4)) == 16 and calls["forward"] == 1  # the whole tree: one call
    _close(wp.reconstruct(), x)
    assert calls["inverse"] == 1  # a complete tree: one packet plan, every level
    ref = pywt.WaveletPacket(x, "db3", "symmetric", maxlevel=4)
    ref.get_level(4)
    for packets in (wp, ref):
        del packets["dddd"]
    calls["inverse"] = 0
    _close(wp.reconstruct(), ref.reconstruct())
    assert calls["inverse"] == 4  # an edited tree: one call per level (the node without 'dddd' alone)


def _unaligned(x):
    """A copy of ``x`` whose buffer starts 8 bytes past a 64-byte boundary (a window offset for TensorFlow)."""
    raw = np.empty(x.size + 16, x.dtype)
    start = (-raw.ctypes.data % 64 + 8) // x.itemsize
    out = raw[start : start + x.size].reshape(x.shape)
    out[...] = x
    assert window_offset(inspect(out)) == 8 // x.itemsize  # large enough to be shared, as a window
    return out


def _tiers():
    """Every route a packet tree runs on: name -> ``call(fn, x)`` with ``fn(data, compile=...)``."""
    tf = pytest.importorskip("tensorflow")
    return {
        "numpy": lambda fn, x: fn(x, compile="never"),
        "eager conv": lambda fn, x: fn(tf.constant(x), compile="never").numpy(),
        "compiled shift": lambda fn, x: fn(tf.constant(x), compile="always").numpy(),
        "compiled, numpy window": lambda fn, x: fn(_unaligned(x), compile="always"),
        "xla in the caller": lambda fn, x: tf.function(lambda t: fn(t, compile=None), jit_compile=True)(tf.constant(x)).numpy(),
    }


#: every mode on db4; odd-length, zero-tap and short filters on the modes with their own edge rules
TIER_CASES = [("db4", m) for m in MODES] + [
    ("haar", "symmetric"), ("sym5", "periodization"), ("bior3.5", "smooth"), ("coif1", "antireflect"),
]


@pytest.mark.parametrize("wavelet, mode", TIER_CASES)
def test_every_tier_of_a_packet_tree_equals_pywavelets(wavelet, mode):
    # the stacked analysis step (both channels on one axis after the node axis) on every executor and tier
    x = np.random.default_rng(14).standard_normal((4, 2101))  # above 64 KiB: shared with TensorFlow
    ref = np.stack([n.data for n in pywt.WaveletPacket(x, wavelet, mode, maxlevel=3).get_level(3, "natural")], axis=-2)
    img = np.random.default_rng(15).standard_normal((4, 48, 45))
    ref2 = np.stack([n.data for n in pywt.WaveletPacket2D(img, wavelet, mode, maxlevel=2).get_level(2)], axis=-3)
    one = lambda data, compile: fb.wpdec(data, wavelet, 3, mode, order="natural", compile=compile)  # noqa: E731
    two = lambda data, compile: fb.wpdec2(data, wavelet, 2, mode, order="natural", compile=compile)  # noqa: E731
    for call in _tiers().values():
        _close(call(one, x), ref)
        _close(call(two, img), ref2)


def test_float32_tiers_of_a_packet_tree_meet_the_documented_bound():
    x = np.random.default_rng(16).standard_normal((8, 2101)).astype(np.float32)
    ref = np.stack([n.data for n in pywt.WaveletPacket(x.astype(np.float64), "db8", "symmetric", maxlevel=3).get_level(3)], axis=-2)
    bound = 1e-6 * np.sqrt(16 * 3) * np.abs(ref).max()  # 1e-6 sqrt(L level) of the largest coefficient, as the DWT
    for name, call in _tiers().items():
        got = call(lambda data, compile: fb.wpdec(data, "db8", 3, order="natural", compile=compile), x)
        assert got.dtype == np.float32, name
        np.testing.assert_allclose(got, ref, rtol=0, atol=bound, err_msg=name)


def test_subnodes_and_level_lists_pickle_and_copy_detached():
    # a weak reference cannot be pickled: a pickled or copied node comes back detached, with its data
    x = np.random.default_rng(6).standard_normal(64)
    wp = fb.WaveletPacket(x, "db2", maxlevel=3)
    ref = pywt.WaveletPacket(x, "db2", maxlevel=3)
    node = pickle.loads(pickle.dumps(wp["ad"]))
    assert node.parent is None and node.path == "ad" and node.wavelet.name == "db2"
    _close(node.data, ref["ad"].data)
    _close(node["a"].data, ref["ada"].data)
    level = pickle.loads(pickle.dumps(wp.get_level(2)))
    assert [n.path for n in level] == ["aa", "ad", "da", "dd"]
    for got, want in zip(level, ref.get_level(2)):
        _close(got.data, want.data)
    copied = copy.deepcopy(wp["ad"])
    assert copied.parent is None and copied is not wp["ad"]
    _close(copied.data, ref["ad"].data)
    two = fb.WaveletPacket2D(np.ones((8, 8)), "haar")
    assert pickle.loads(pickle.dumps(two["h"])).path == "h"
