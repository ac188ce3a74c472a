"""The nodes of PyWavelets-style wavelet packet trees, and their batched growth.

`BaseNode` holds a node's data, path, level, parent and subnodes, and
PyWavelets' node API (get / set / delete by path, ``walk``, ``reconstruct``,
``get_leaf_nodes``). `grow_below` decomposes every undecomposed node above a
level together: nodes of one shape are stacked and each level is one batched
filter-bank call (`filterbank.plans.packets`). The public trees are in
`filterbank.transforms.wavelet_packets`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from filterbank.backend import packets as engine
from filterbank.backend.convert import inspect, is_tensor
from filterbank.errors import CoefficientsError, FilterBankTypeError, InputError, PathError, normalize_axes
from filterbank.plans.lengths import dwt_max_level, idwt_len
from filterbank.plans.packets import LETTERS_2D, node_keys, packet_plan
from filterbank.transforms._dispatch import per_axis_banks
from filterbank.transforms.decimated import idwtn

__all__ = ["BaseNode", "Node", "Node2D", "NodeND", "NodeList", "gray_paths", "grow_below", "reconstruct_below", "shape_of"]


def shape_of(data: Any) -> tuple[Any, ...]:
    """The shape of a node's data: numpy arrays first (no TensorFlow check), tensors, then array-likes."""
    if isinstance(data, np.ndarray):
        return data.shape
    return tuple(data.shape) if is_tensor(data) else np.shape(data)


def gray_paths(level: int, x: str = "a", y: str = "d") -> list[str]:
    order = [x, y]
    for _ in range(level - 1):
        order = [x + p for p in order] + [y + p for p in order[::-1]]
    return order


class _Tree:
    """What every node of one tree shares: the bank, the mode and the axes (set by the root)."""

    __slots__ = ("axes", "mode", "wavelet")

    def __init__(self) -> None:
        self.wavelet: Any = None
        self.mode: Any = None
        self.axes: Any = None


class NodeList(list):  # type: ignore[type-arg]
    """A list of nodes that keeps their tree alive (what `get_level` and `get_leaf_nodes` return).

    Nodes hold their parent weakly (the tree has no reference cycles, see
    `BaseNode`), so ``WaveletPacket(x, "db4").get_level(3)`` would otherwise
    leave nodes whose ``parent`` is gone with the temporary tree.
    """

    def __init__(self, nodes: Iterable[Any], root: BaseNode) -> None:
        super().__init__(nodes)
        self.root = root


class BaseNode:
    """One node of a packet tree: its ``data``, ``path``, ``level``, ``parent`` and subnodes.

    A node owns its subnodes and holds its parent weakly, so a tree has no
    reference cycles and its memory goes back the moment it is dropped
    (with cycles it waited for Python's garbage collector: a loop building
    one tree per batch kept up to a dozen trees' data alive, and P1 ran 1.6x
    slower). What differs from PyWavelets: a node kept after its whole tree
    was dropped is detached (``parent`` None) but keeps its data, path, level,
    bank and subtree; so does a pickled or deep-copied node. The lists that
    `get_level` and `get_leaf_nodes` return keep their tree alive.

    Attributes
    ----------
    parent : BaseNode or None
        The parent node (None for the root, a detached node, or a node whose tree is gone).
    data : numpy.ndarray, tf.Tensor or None
        The signal (root) or this node's coefficients.
    path : str
        Node names from the root (``""`` for the root).
    level : int
        Depth of the node (0 for the root).
    """

    #: Subnode names in PyWavelets' order, and by stacked (natural) index.
    PARTS: tuple[str, ...] = ("a", "d")
    _STACKED: tuple[str, ...] = ("a", "d")
    PART_LEN = 1

    def __init__(self, parent: BaseNode | None, data: Any, node_name: str) -> None:
        self.parent = parent
        self.data = data
        self._data_shape = None if data is None else tuple(shape_of(data))
        self._nodes: dict[str, BaseNode | None] = {p: None for p in self.PARTS}
        if parent is not None:
            self._tree: _Tree = parent._tree
            self.level: int = parent.level + 1
            self.path: str = parent.path + node_name
            self._maxlevel: int | None = parent.maxlevel
        else:
            self._tree, self.level, self.path, self._maxlevel = _Tree(), 0, "", None

    @property
    def parent(self) -> BaseNode | None:
        """The parent node: None for the root, a detached node, or a node whose tree was dropped."""
        return None if self._parent is None else self._parent()

    @parent.setter
    def parent(self, node: BaseNode | None) -> None:
        self._parent = None if node is None else weakref.ref(node)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (and deep-copied) detached: a weak reference to the parent cannot be pickled."""
        state = self.__dict__.copy()
        state["_parent"] = None
        return state

    # ---------------------------------------------------------------- attributes shared with the root
    @property
    def wavelet(self) -> Any:
        """The filter bank (a `FilterBank`)."""
        return self._tree.wavelet

    @property
    def mode(self) -> Any:
        """The extension mode."""
        return self._tree.mode

    @property
    def axes(self) -> Any:
        """The transformed axes (an int for `WaveletPacket`)."""
        return self._tree.axes

    def _axes_tuple(self) -> tuple[int, ...]:
        return tuple(np.atleast_1d(self._tree.axes).tolist())

    @property
    def node_name(self) -> str:
        """The last name of the path."""
        return self.path[-self.PART_LEN :] if self.path else ""

    @property
    def path_tuple(self) -> tuple[str, ...]:
        """The path as one name per level."""
        n = self.PART_LEN
        return tuple(self.path[i : i + n] for i in range(0, len(self.path), n))

    @property
    def is_empty(self) -> bool:
        """Whether the node has no data."""
        return self.data is None

    @property
    def has_any_subnode(self) -> bool:
        """Whether any subnode exists."""
        return any(n is not None for n in self._nodes.values())

    @property
    def maxlevel(self) -> int | None:
        """The deepest level of the tree (from the constructor, or the data of a node)."""
        if self._maxlevel is None:
            self._maxlevel = self._evaluate_maxlevel("parent")
            if self._maxlevel is None:
                self._maxlevel = self._evaluate_maxlevel("subnodes")
        return self._maxlevel

    def _evaluate_maxlevel(self, direction: str) -> int | None:
        if self._maxlevel is not None:
            return self._maxlevel
        if self.data is not None:
            shape = shape_of(self.data)
            sizes = [shape[a] for a in self._axes_tuple()] if len(shape) > max(self._axes_tuple()) else list(shape)
            return self.level + dwt_max_level(min(sizes), self.wavelet.dec_len)
        if direction == "parent":
            return None if self.parent is None else self.parent._evaluate_maxlevel("parent")
        for node in self._nodes.values():
            level = None if node is None else node._evaluate_maxlevel("subnodes")
            if level is not None:
                return level
        return None

    # ---------------------------------------------------------------- subnodes
    def _check_part(self, part: str) -> None:
        if part not in self._nodes:
            raise InputError(f"node name must be one of {', '.join(map(repr, self.PARTS))}; got {part!r}")

    def _create(self, part: str, data: Any) -> BaseNode:
        self._check_part(part)
        node: BaseNode
        if isinstance(self, NodeND):
            node = NodeND.make(self, data, part)
        else:
            node = (Node2D if isinstance(self, Node2D) else Node)(self, data, part)
        self._nodes[part] = node
        return node

    def get_subnode(self, part: str, decompose: bool = True) -> BaseNode | None:
        """Subnode ``part``; with ``decompose`` a missing one is computed from this node's data."""
        self._check_part(part)
        node = self._nodes[part]
        if node is None and decompose and not self.is_empty:
            self.decompose()
            node = self._nodes[part]
        return node

    def decompose(self) -> tuple[BaseNode, ...]:
        """Split this node one level (every subnode is replaced)."""
        maxlevel = self.maxlevel
        if maxlevel is not None and self.level >= maxlevel:
            raise InputError(f"decompose: node {self.path!r} is at the maximum level {maxlevel}")
        if self.is_empty:
            for part in self.PARTS:
                if self._nodes[part] is None:
                    self._create(part, None)
        else:
            _grow([self], 1)
        return tuple(self._nodes[p] for p in self.PARTS)  # type: ignore[misc]

    def _path_string(self, path: Any) -> str:
        if isinstance(path, tuple):
            if not all(isinstance(p, str) for p in path):
                raise FilterBankTypeError(f"path must be a string or a tuple of strings; got {path!r}")
            path = "".join(path)
        if not isinstance(path, str):
            raise FilterBankTypeError(f"path must be a string or a tuple of strings; got {type(path).__name__}")
        return path

    def __getitem__(self, path: Any) -> BaseNode:
        path = self._path_string(path)
        maxlevel = self.maxlevel
        if maxlevel is not None and len(path) > maxlevel * self.PART_LEN:
            raise PathError(f"path {path!r} is deeper than the maximum level {maxlevel}")
        if not path:
            return self
        node = self.get_subnode(path[: self.PART_LEN], True)
        if node is None:
            raise FilterBankTypeError(f"node {self.path + path[: self.PART_LEN]!r} does not exist (its parent has no data)")
        return node[path[self.PART_LEN :]]

    def __setitem__(self, path: Any, data: Any) -> None:
        path = self._path_string(path)
        maxlevel = self.maxlevel
        if maxlevel is not None and len(self.path) + len(path) > maxlevel * self.PART_LEN:
            raise PathError(f"path {path!r} is deeper than the maximum level {maxlevel}")
        if path:
            part = path[: self.PART_LEN]
            node = self.get_subnode(part, False) or self._create(part, None)
            node[path[self.PART_LEN :]] = data
            return
        value = data.data if isinstance(data, BaseNode) else data
        self.data = value if is_tensor(value) else inspect(value).value

    def __delitem__(self, path: Any) -> None:
        node = self[path]
        parent, node.parent = node.parent, None
        if parent is not None and node.node_name:
            parent._nodes[node.node_name] = None

    # ---------------------------------------------------------------- reconstruction
    def reconstruct(self, update: bool = False) -> Any:
        """This node's data rebuilt from its subnodes (its own data when it has none).

        ``update=True`` stores the result as the node's data. The subtree is
        rebuilt bottom up, every level one batched call on all of its nodes
        of one shape (`reconstruct_below`).
        """
        if not self.has_any_subnode:
            return self.data
        rec = reconstruct_below(self)
        if update:
            self.data = rec
        return rec

    def _parts(self, values: dict[int, Any]) -> list[Any]:
        """The subnodes' data in stacked (natural) order: rebuilt values for inner subnodes, None where absent."""
        out = []
        for name in self._STACKED:
            node = self._nodes[name]
            out.append(None if node is None else values[id(node)] if node.has_any_subnode else node.data)
        return out

    def _reconstruct_one(self, parts: list[Any]) -> Any:
        """This node rebuilt from its subnodes' data (``parts`` in stacked order) by one `idwtn`."""
        if all(v is None for v in parts):
            raise CoefficientsError(f"every subnode of node {self.path!r} is empty; nothing to reconstruct")
        keys = node_keys(len(self._axes_tuple()), 1)
        coeffs = {k[0]: v for k, v in zip(keys, parts)}
        numpy = all(isinstance(v, np.ndarray) for v in coeffs.values() if v is not None)
        rec = idwtn(coeffs, self.wavelet, self.mode, axes=self._axes_tuple(), executor="numpy" if numpy else None)
        return self._crop(rec)

    def _crop(self, rec: Any) -> Any:
        if self._data_shape is not None and tuple(rec.shape) != self._data_shape:
            rec = rec[tuple(slice(n) for n in self._data_shape)]
        return rec

    # ---------------------------------------------------------------- traversal
    def walk(self, func: Callable[..., Any], args: Iterable[Any] = (), kwargs: dict[str, Any] | None = None,
             decompose: bool = True) -> None:
        """Call ``func(node, *args, **kwargs)`` on every node, top down; descend where it returns True."""
        kwargs = kwargs or {}
        maxlevel = self.maxlevel
        if func(self, *args, **kwargs) and maxlevel is not None and self.level < maxlevel:
            for part in self.PARTS:
                node = self.get_subnode(part, decompose)
                if node is not None:
                    node.walk(func, args, kwargs, decompose)

    def walk_depth(self, func: Callable[..., Any], args: Iterable[Any] = (), kwargs: dict[str, Any] | None = None,
                   decompose: bool = True) -> None:
        """Call ``func(node, *args, **kwargs)`` on every node, bottom up."""
        kwargs = kwargs or {}
        maxlevel = self.maxlevel
        if maxlevel is not None and self.level < maxlevel:
            for part in self.PARTS:
                node = self.get_subnode(part, decompose)
                if node is not None:
                    node.walk_depth(func, args, kwargs, decompose)
        func(self, *args, **kwargs)

    def get_leaf_nodes(self, decompose: bool = False) -> NodeList:
        """The leaves; with ``decompose`` the whole tree is grown to the maximum level first."""
        if decompose and self.maxlevel is not None:
            grow_below(self, self.maxlevel)
        out: list[BaseNode] = []

        def collect(node: BaseNode) -> bool:
            if (node.level == node.maxlevel and not node.is_empty) or (not decompose and not node.has_any_subnode):
                out.append(node)
                return False
            return True

        self.walk(collect, decompose=decompose)
        return NodeList(out, self)

    def _collect_level(self, level: Any, decompose: bool) -> NodeList:
        maxlevel = self.maxlevel
        if maxlevel is not None and level > maxlevel:
            raise InputError(f"level must be at most the maximum level {maxlevel}; got {level}")
        if decompose:
            grow_below(self, level)
        out: list[BaseNode] = []

        def collect(node: BaseNode) -> bool:
            if node.level == level:
                out.append(node)
                return False
            return True

        self.walk(collect, decompose=decompose)
        return NodeList(out, self)

    def __getattr__(self, name: str) -> Any:
        """Subnodes as attributes, as PyWavelets (``wp.a`` is None until decomposed)."""
        nodes = self.__dict__.get("_nodes")
        if nodes is not None and name in nodes:
            return nodes[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __str__(self) -> str:
        return f"{self.path}: {self.data}"


class Node(BaseNode):
    """A node of a `WaveletPacket` (subnodes ``'a'`` and ``'d'``)."""


class Node2D(BaseNode):
    """A node of a `WaveletPacket2D` (subnodes ``'a'``, ``'h'``, ``'v'``, ``'d'``)."""

    PARTS = ("a", "h", "v", "d")
    _STACKED = LETTERS_2D

    def expand_2d_path(self, path: str) -> tuple[str, str]:
        """The path as per-axis low / high letters: ``'hv'`` -> ``('hl', 'lh')``."""
        expanded = {"a": "ll", "h": "hl", "v": "lh", "d": "hh"}
        return "".join(expanded[p][0] for p in path), "".join(expanded[p][1] for p in path)


class NodeND(BaseNode):
    """A node of a `WaveletPacketND` (subnodes named by one letter per axis)."""

    @staticmethod
    def make(parent: BaseNode, data: Any, part: str) -> NodeND:
        node = NodeND.__new__(NodeND)
        node.PART_LEN = parent.PART_LEN
        node.PARTS = node._STACKED = parent.PARTS
        BaseNode.__init__(node, parent, data, part)
        return node


def reconstruct_below(top: BaseNode) -> Any:
    """``top``'s data rebuilt from its subtree, bottom up: each depth one batched synthesis per group.

    The inner nodes of one depth whose subnodes are all present numpy arrays
    (or all tensors of known shape) of one shape and dtype are stacked, their
    subnodes in natural order on the node axis, and rebuilt by one synthesis
    step of a one-level packet plan (`filterbank.backend.packets.inverse`);
    every other inner node is rebuilt alone by `idwtn` (absent subnodes count
    as zeros). Each result is cropped to the node's data shape, as PyWavelets.
    """
    inner: list[BaseNode] = []
    _inner_nodes(top, inner)
    whole = _whole_tree(top, inner)
    if whole is not None:
        return whole
    values: dict[int, Any] = {}
    for depth in sorted({n.level for n in inner}, reverse=True):
        groups: dict[Any, list[tuple[BaseNode, list[Any]]]] = {}
        for node in (n for n in inner if n.level == depth):
            parts = node._parts(values)
            key = _batch_key(parts)
            if key is None:
                values[id(node)] = node._reconstruct_one(parts)
            else:
                groups.setdefault(key, []).append((node, parts))
        for members in groups.values():
            for (node, _), rec in zip(members, _synthesize(members)):
                values[id(node)] = node._crop(rec)
    return values[id(top)]


def _whole_tree(top: BaseNode, inner: list[BaseNode]) -> Any:
    """A complete tree of numpy nodes as decomposed (every leaf at one depth, every shape the plan's):
    rebuilt by one packet plan, one program for every level (None: rebuild level by level)."""
    if not isinstance(top.data, np.ndarray) or top.data.dtype.char not in "fd" or top._data_shape is None:
        return None
    depth = max(n.level for n in inner) + 1 - top.level
    if len(inner) * len(top._STACKED) != sum(len(top._STACKED) ** j for j in range(1, depth + 1)):
        return None  # not every inner node is there: no plan is needed to know
    ax = normalize_axes(top._axes_tuple(), len(top._data_shape))
    bank, mode, _, _ = per_axis_banks(top.wavelet, top.mode, len(ax))
    plan = packet_plan(bank, top._data_shape, top.data.dtype.name, mode, depth, ax)
    leaves: list[Any] = []
    for node in inner:
        if node._data_shape != plan.node_shape(node.level - top.level):
            return None
        for name in node._STACKED:
            child = node._nodes[name]
            if child is None:
                return None
            if child.level - top.level == depth:
                d = child.data
                if type(d) is not np.ndarray or d.dtype != top.data.dtype or d.shape != plan.node_shape(depth):
                    return None
                leaves.append(child)
            elif not child.has_any_subnode:
                return None
    if len(leaves) != len(top._STACKED) ** depth:
        return None
    by_path = {n.path[len(top.path):]: n.data for n in leaves}
    stacked = engine.stack_nodes([by_path["".join(_letters(top, key))] for key in node_keys(len(ax), depth)], plan.node_axis)
    rec = engine.unstack_nodes(engine.inverse(plan, stacked, "auto"), plan.node_axis)[0]
    return top._crop(rec)


def _letters(top: BaseNode, key: tuple[str, ...]) -> list[str]:
    """The node names of a natural-order key (one string of per-axis 'a' / 'd' per level)."""
    keys = [k[0] for k in node_keys(len(top._axes_tuple()), 1)]
    return [top._STACKED[keys.index(k)] for k in key]


def _batch_key(parts: list[Any]) -> Any:
    """What subnodes must share to be rebuilt in one call (None: rebuild the node alone)."""
    first = parts[0]
    if first is None:
        return None
    if isinstance(first, np.ndarray):
        if first.dtype.char not in "fd" or any(type(v) is not np.ndarray for v in parts):
            return None
        kind = "numpy"
    elif is_tensor(first) and first.shape.is_fully_defined() and not first.dtype.is_complex:
        if not all(is_tensor(v) for v in parts):
            return None
        kind = "tensor"
    else:
        return None
    shape, dtype = tuple(first.shape), str(first.dtype)
    if any(tuple(v.shape) != shape or str(v.dtype) != dtype for v in parts):
        return None
    return kind, shape, dtype


def _synthesize(members: list[tuple[BaseNode, list[Any]]]) -> list[Any]:
    """The nodes of ``members`` (one depth, one subnode shape) rebuilt by one batched synthesis."""
    first, parts = members[0]
    ins = inspect(parts[0])
    ax = normalize_axes(first._axes_tuple(), len(ins.shape))
    bank, mode, lens, modes = per_axis_banks(first.wavelet, first.mode, len(ax))
    shape = list(ins.shape)
    for a, L, md in zip(ax, lens, modes):
        shape[a] = idwt_len(int(shape[a] or 0), L, md)  # the batch key holds full shapes
    plan = packet_plan(bank, tuple(shape), ins.dtype, mode, 1, ax)
    stacked = engine.stack_nodes([v for _, p in members for v in p], plan.node_axis)
    return engine.unstack_nodes(engine.inverse(plan, stacked, "auto"), plan.node_axis)


def grow_below(root: BaseNode, level: int) -> None:
    """Grow every undecomposed node above ``level`` down to ``level``, one batched call per group."""
    frontier: list[BaseNode] = []
    _frontier(root, level, frontier)
    groups: dict[Any, list[BaseNode]] = {}
    for node in frontier:
        d = node.data
        key = (node.level, tuple(d.shape) if hasattr(d, "shape") else np.shape(d), type(d), str(getattr(d, "dtype", "")))
        groups.setdefault(key, []).append(node)
    for (depth, *_), nodes in groups.items():
        _grow(nodes, level - depth)


# Tree walks are module functions, not nested closures: a closure that calls itself is a
# reference cycle, which would keep the nodes it collected alive until the garbage collector.
def _inner_nodes(node: BaseNode, out: list[BaseNode]) -> None:
    """Append ``node`` and every node below it that has a subnode, top down."""
    if node.has_any_subnode:
        out.append(node)
        for child in node._nodes.values():
            if child is not None:
                _inner_nodes(child, out)


def _frontier(node: BaseNode, level: int, out: list[BaseNode]) -> None:
    """Append the undecomposed nodes with data above ``level`` at or below ``node``."""
    if node.level >= level:
        return
    if not node.has_any_subnode:
        if not node.is_empty:
            out.append(node)
        return
    for child in node._nodes.values():
        if child is not None:
            _frontier(child, level, out)


def _grow(nodes: list[BaseNode], depth: int) -> None:
    """Decompose ``nodes`` (one level, one shape) ``depth`` levels: every level one batched step."""
    first = nodes[0]
    values = [inspect(n.data).value for n in nodes]
    ins = inspect(values[0])
    ax = normalize_axes(first._axes_tuple(), len(ins.shape))
    bank, mode, _, _ = per_axis_banks(first.wavelet, first.mode, len(ax))
    plan = packet_plan(bank, ins.shape, ins.dtype, mode, depth, ax)
    levels = engine.forward_levels(plan, engine.stack_nodes(values, plan.node_axis), "auto")  # one call, every level
    parents = list(nodes)
    for j, stacked in enumerate(levels, start=1):
        children = []
        for k, data in enumerate(engine.unstack_nodes(stacked, plan.node_axis)):
            parent = parents[k // len(first._STACKED)]
            children.append(parent._create(first._STACKED[k % len(first._STACKED)], data))
        parents = children
