"""PyWavelets' wavelet packet trees: ``WaveletPacket``, ``WaveletPacket2D``, ``WaveletPacketND``.

The classes take PyWavelets' arguments and answer its API (``wp[path]``
get / set / delete, ``get_level``, ``get_leaf_nodes``, ``reconstruct``,
``walk``, node attributes). Node values equal PyWavelets' for every discrete
wavelet and mode. Node names::

    WaveletPacket     'a' (low-pass)  'd' (high-pass)             path 'ad'
    WaveletPacket2D   'a' (LL)  'h' (HL: high-pass on axes[0])
                      'v' (LH)  'd' (HH)                          path 'hv'
    WaveletPacketND   one letter per axis, 'aa' 'ad' 'da' 'dd'    path 'adda'

Where PyWavelets decomposes one node at a time, ``get_level`` and
``get_leaf_nodes(decompose=True)`` grow every undecomposed node of a level
together: nodes of one shape are stacked and each level is one batched
filter-bank call (`filterbank.plans.packets`). Leading batch axes are
accepted (every axis not in ``axis`` / ``axes``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from filterbank.errors import InputError, normalize_axes
from filterbank.plans.lengths import dwt_max_level
from filterbank.plans.packets import check_order, node_keys
from filterbank.transforms._dispatch import bank_of
from filterbank.transforms._packet_nodes import BaseNode, Node, Node2D, NodeList, NodeND, gray_paths, shape_of

__all__ = ["WaveletPacket", "WaveletPacket2D", "WaveletPacketND"]


def _root_init(self: Any, data: Any, wavelet: Any, mode: Any, maxlevel: Any, axes: Any, sizes: Any) -> None:
    tree = self._tree
    tree.wavelet, tree.mode, tree.axes = bank_of(wavelet), mode, axes
    self.data_size = None if data is None else tuple(shape_of(data))
    if maxlevel is None and sizes:
        maxlevel = dwt_max_level(min(sizes), tree.wavelet.dec_len)
    self._maxlevel = maxlevel


def _root_reconstruct(self: Any, update: bool) -> Any:
    if not self.has_any_subnode:
        return self.data
    data = BaseNode.reconstruct(self, update)
    if self.data_size is not None and tuple(data.shape) != self.data_size:
        data = data[tuple(slice(n) for n in self.data_size)]
    if update:
        self.data = data
    return data


class WaveletPacket(Node):
    """A 1-D wavelet packet tree, as `pywt.WaveletPacket`.

    Parameters
    ----------
    data : array_like, tf.Tensor or None
        The signal; every axis but ``axis`` is a batch axis.
    wavelet : str, pywt.Wavelet or FilterBank
        The filter bank.
    mode : str, default "symmetric"
        Signal extension mode, one of `filterbank.MODES`.
    maxlevel : int, optional
        Deepest level; default `dwt_max_level` of the axis's length.
    axis : int, default -1
        The axis to transform.

    Examples
    --------
    >>> wp = WaveletPacket([1, 2, 3, 4, 5, 6, 7, 8], "haar")
    >>> wp["ad"].data.round(4).tolist(), wp.maxlevel
    ([-2.0, -2.0], 3)
    >>> [n.path for n in wp.get_level(2, "freq")]
    ['aa', 'ad', 'dd', 'da']
    """

    def __init__(self, data: Any, wavelet: Any, mode: str = "symmetric", maxlevel: int | None = None,
                 axis: int = -1) -> None:
        super().__init__(None, data, "")
        sizes = None
        if data is not None:
            shape = shape_of(data)
            axis = normalize_axes(axis, len(shape), "axis")[0]
            sizes = [shape[axis]]
        _root_init(self, data, wavelet, mode, maxlevel, axis, sizes)

    def __reduce__(self) -> Any:
        return (WaveletPacket, (self.data, self.wavelet, self.mode, self.maxlevel, self.axes))

    def reconstruct(self, update: bool = True) -> Any:
        """The signal rebuilt from the subnodes, in the data's shape (``update``: store it as ``data``)."""
        return _root_reconstruct(self, update)

    def get_level(self, level: int, order: str = "natural", decompose: bool = True) -> list[BaseNode]:
        """Every node of ``level``, in ``order`` ``"natural"`` or ``"freq"`` (Gray-code, band order)."""
        check_order(order)
        nodes = self._collect_level(level, decompose)
        if order == "natural":
            return nodes
        by_path = {n.path: n for n in nodes}
        return NodeList((by_path[p] for p in gray_paths(level) if p in by_path), self)


class WaveletPacket2D(Node2D):
    """A 2-D wavelet packet tree, as `pywt.WaveletPacket2D`.

    Parameters
    ----------
    data : array_like, tf.Tensor or None
        At least 2-D; axes other than ``axes`` are batch axes.
    wavelet : str, pywt.Wavelet or FilterBank
        The filter bank.
    mode : str, default "smooth"
        Signal extension mode (PyWavelets' default for 2-D packets).
    maxlevel : int, optional
        Deepest level; default `dwt_max_level` of the shorter transformed axis.
    axes : pair of int, default (-2, -1)
        The transformed axes.

    Examples
    --------
    >>> import numpy as np
    >>> wp = WaveletPacket2D(np.ones((8, 8)), "haar", "symmetric")
    >>> [n.path for n in wp.get_level(1)], wp["aa"].data.tolist()
    (['a', 'h', 'v', 'd'], [[4.0, 4.0], [4.0, 4.0]])
    """

    def __init__(self, data: Any, wavelet: Any, mode: str = "smooth", maxlevel: int | None = None,
                 axes: tuple[int, int] = (-2, -1)) -> None:
        super().__init__(None, data, "")
        ax = tuple(axes)
        if len(ax) != 2 or len(set(np.asarray(ax) % max(len(np.shape(data)), 2) if data is not None else ax)) != 2:
            raise InputError(f"axes must be two distinct axes; got {ax}")
        sizes = None
        if data is not None:
            shape = shape_of(data)
            if len(shape) < 2:
                raise InputError(f"WaveletPacket2D needs data with at least 2 dimensions; got shape {shape}")
            sizes = [shape[a] for a in normalize_axes(ax, len(shape))]
        _root_init(self, data, wavelet, mode, maxlevel, ax, sizes)

    def __reduce__(self) -> Any:
        return (WaveletPacket2D, (self.data, self.wavelet, self.mode, self.maxlevel, self.axes))

    def reconstruct(self, update: bool = True) -> Any:
        """The data rebuilt from the subnodes (``update``: store it as ``data``)."""
        return _root_reconstruct(self, update)

    def get_level(self, level: int, order: str = "natural", decompose: bool = True) -> list[Any]:
        """Every node of ``level``: a flat list (``"natural"``) or rows x columns by frequency (``"freq"``)."""
        check_order(order)
        nodes = self._collect_level(level, decompose)
        if order == "natural":
            return nodes
        grid: dict[str, dict[str, BaseNode]] = {}
        for n in nodes:
            row, col = self.expand_2d_path(n.path)
            grid.setdefault(row, {})[col] = n
        gray = gray_paths(level, "l", "h")
        return NodeList(([grid[r][c] for c in gray if c in grid[r]] for r in gray if r in grid), self)


class WaveletPacketND(NodeND):
    """An n-D wavelet packet tree, as `pywt.WaveletPacketND` (node names: one letter per axis).

    Parameters
    ----------
    data : array_like, tf.Tensor or None
        The data (``axes`` must be given when it is None).
    wavelet : str, pywt.Wavelet or FilterBank
        The filter bank.
    mode : str, default "smooth"
        Signal extension mode.
    maxlevel : int, optional
        Deepest level; default `dwt_max_level` of the shortest transformed axis.
    axes : int or sequence of int, optional
        The transformed axes; default every axis.

    Examples
    --------
    >>> import numpy as np
    >>> wp = WaveletPacketND(np.ones((4, 4, 4)), "haar", "symmetric")
    >>> wp.maxlevel, wp["aaa"].data.shape, len(wp.get_level(1))
    (2, (2, 2, 2), 8)
    """

    def __init__(self, data: Any, wavelet: Any, mode: str = "smooth", maxlevel: int | None = None,
                 axes: Any = None) -> None:
        if data is None and axes is None:
            raise InputError("axes must be given when data is None (they set the number of transformed axes)")
        shape = None if data is None else (shape_of(data))
        if shape is not None and len(shape) == 0:
            raise InputError("data must have at least one dimension; got a 0-d value")
        ax = tuple(range(len(shape))) if axes is None else tuple(np.atleast_1d(axes).tolist())  # type: ignore[arg-type]
        if len(set(ax)) != len(ax) or (shape is not None and len(set(np.asarray(ax) % len(shape))) != len(ax)):
            raise InputError(f"axes must be distinct; got {ax}")
        if shape is not None and len(ax) > len(shape):
            raise InputError(f"axes names {len(ax)} axes but data has {len(shape)} dimensions")
        self.PART_LEN = len(ax)
        self.PARTS = self._STACKED = tuple(k[0] for k in node_keys(len(ax), 1))
        self.ndim_transform = len(ax)
        BaseNode.__init__(self, None, data, "")
        sizes = None if shape is None else [shape[a] for a in normalize_axes(ax, len(shape))]
        _root_init(self, data, wavelet, mode, maxlevel, ax, sizes)

    def __reduce__(self) -> Any:
        return (WaveletPacketND, (self.data, self.wavelet, self.mode, self.maxlevel, self.axes))

    def reconstruct(self, update: bool = True) -> Any:
        """The data rebuilt from the subnodes (``update``: store it as ``data``)."""
        return _root_reconstruct(self, update)

    def get_level(self, level: int, decompose: bool = True) -> list[BaseNode]:
        """Every node of ``level`` in natural order."""
        return self._collect_level(level, decompose)
