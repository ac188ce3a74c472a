"""Batched wavelet packets for machine learning: every node of a level in one array.

``wpdec(x, wavelet, level)`` returns the ``2 ** level`` nodes of the deepest
level of the packet tree stacked on a new axis, just before the transformed
one: ``(..., n)`` -> ``(..., 2 ** level, m)``; ``wpdec2`` gives
``(..., 4 ** level, h, w)``. ``wprec`` / ``wprec2`` invert them. Each level is
one filter-bank call on all of its nodes (`filterbank.plans.packets`), on
numpy for numpy arrays (TensorFlow is not loaded) and on TensorFlow for
tensors (eagerly, inside ``tf.function`` and XLA, with gradients).

Node order (``order=``)::

    "natural"  Paley order: node k's children are 2k (low-pass) and 2k + 1;
               2-D: PyWavelets' natural order, 'a', 'h', 'v', 'd' per level
    "freq"     sequency order: band i covers the i-th frequency interval
               (PyWavelets' get_level(level, "freq")); 2-D: row-major over
               (vertical frequency, horizontal frequency)

Every node equals the PyWavelets ``WaveletPacket`` node of the same path
(float64, 1e-12).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from filterbank.backend import packets as engine
from filterbank.backend.convert import inspect
from filterbank.backend.tiers import check_compile
from filterbank.errors import CoefficientsError, FilterBankTypeError, InputError, check_count, normalize_axes
from filterbank.modes import Mode
from filterbank.plans.lengths import check_level, idwt_len
from filterbank.plans.packets import Order, check_order, freq_order, packet_plan, pywt_2d_natural_order
from filterbank.transforms._dispatch import per_axis_banks, static_sizes

__all__ = ["node_order", "wpdec", "wpdec2", "wprec", "wprec2"]

Array = Any


def node_order(n_axes: int, level: int, order: Order) -> np.ndarray | None:
    """Natural (stacked) node indices in the order ``order`` (None: already in that order).

    Examples
    --------
    >>> node_order(1, 2, "freq").tolist()
    [0, 1, 3, 2]
    >>> node_order(2, 1, "natural").tolist()
    [0, 2, 1, 3]
    """
    if order == "freq":
        return freq_order(n_axes, level)
    return pywt_2d_natural_order(level) if n_axes == 2 else None


def _decompose(data: Any, wavelet: Any, level: Any, mode: Any, order: Any, axes: Any, compile: Any) -> Array:
    ins = inspect(data)
    ordering = check_order(order)
    comp = check_compile(compile)
    ax = normalize_axes(axes, len(ins.shape))
    bank, mode_arg, lens, _ = per_axis_banks(wavelet, mode, len(ax))
    lev = check_level(static_sizes(ins.shape, ax, "data"), list(lens), check_count("level", level, minimum=1))
    p = packet_plan(bank, ins.shape, ins.dtype, mode_arg, lev, ax)
    return engine.decompose(p, ins.value, comp, node_order(len(ax), lev, ordering))


def _recompose(coeffs: Any, wavelet: Any, mode: Any, order: Any, axes: Any, length: Any, compile: Any) -> Array:
    ins = inspect(coeffs, "coeffs")
    ordering = check_order(order)
    comp = check_compile(compile)
    ax_c = normalize_axes(axes, len(ins.shape))
    node_axis = min(ax_c) - 1
    if node_axis < 0:
        raise CoefficientsError(
            f"coeffs: the nodes axis comes just before the first transformed axis; axes {tuple(axes)} "
            f"leave no axis for it in shape {ins.shape}"
        )
    n_nodes = ins.shape[node_axis]
    level = 0
    while n_nodes is not None and 2 ** (len(ax_c) * (level + 1)) <= n_nodes:
        level += 1
    if n_nodes is None or level == 0 or 2 ** (len(ax_c) * level) != n_nodes:
        raise CoefficientsError(
            f"coeffs: axis {node_axis} must hold {2 ** len(ax_c)} ** level nodes; got {n_nodes} (shape {ins.shape})"
        )
    node_shape = list(ins.shape[:node_axis] + ins.shape[node_axis + 1 :])
    ax = tuple(a - 1 for a in ax_c)
    bank, mode_arg, lens, modes = per_axis_banks(wavelet, mode, len(ax))
    m = static_sizes(tuple(node_shape), ax, "coeffs")
    if length is None:
        sizes = []
        for n, L, md in zip(m, lens, modes):
            for _ in range(level):
                n = idwt_len(n, L, md)
            sizes.append(n)
    else:
        listed = (length,) if isinstance(length, (int, np.integer)) else tuple(length)
        if len(listed) != len(ax):
            raise InputError(f"length must give one size per transformed axis ({len(ax)}); got {length!r}")
        sizes = [check_count("length", n, minimum=1) for n in listed]  # type: ignore[misc]
    shape = list(node_shape)
    for a, n in zip(ax, sizes):
        shape[a] = n
    p = packet_plan(bank, tuple(shape), ins.dtype, mode_arg, level, ax)
    want = p.stacked_shape(level)
    if any(w is not None and w != s for w, s in zip(want, ins.shape)):
        raise CoefficientsError(
            f"coeffs of shape {ins.shape} are not a level-{level} packet decomposition of a signal of "
            f"shape {tuple(shape)} (that has shape {want}); pass the signal's length"
        )
    index = node_order(len(ax), level, ordering)
    inverse_index = None if index is None else np.argsort(index)
    return engine.recompose(p, ins.value, comp, inverse_index)


def wpdec(
    data: Array, wavelet: Any, level: int, mode: Mode = "symmetric", *, order: Order = "freq", axis: int = -1,
    compile: str | None = None,
) -> Array:
    """The deepest level of a 1-D wavelet packet tree, its nodes stacked on a new axis.

    Parameters
    ----------
    data : array_like or tf.Tensor
        Input; every axis but ``axis`` is a batch axis.
    wavelet : str, pywt.Wavelet or FilterBank
        The filter bank.
    level : int
        Depth of the tree, ``>= 1``; deeper than `dwt_max_level` warns.
    mode : str, default "symmetric"
        Signal extension mode, one of `filterbank.MODES`.
    order : {"freq", "natural"}, default "freq"
        Keyword only. Node order on the new axis (see the module notes).
    axis : int, default -1
        Keyword only. Axis to transform.
    compile : {"auto", "always", "never"}, optional
        Keyword only. When tensors are compiled (`filterbank.tiers`).

    Returns
    -------
    numpy.ndarray or tf.Tensor
        ``data.shape[:axis] + (2 ** level, m) + data.shape[axis + 1:]``, ``m``
        the DWT's length after ``level`` levels.

    Raises
    ------
    InputError
        Bad level, axis, mode or order.

    Examples
    --------
    >>> import numpy as np
    >>> (wpdec(np.arange(1.0, 9.0), "haar", 2, order="natural").round(4) + 0.0).tolist()
    [[5.0, 13.0], [-2.0, -2.0], [-1.0, -1.0], [0.0, 0.0]]
    >>> wpdec(np.ones((3, 100)), "db4", 3).shape
    (3, 8, 18)
    """
    return _decompose(data, wavelet, level, mode, order, (axis,), compile)


def wprec(
    coeffs: Array, wavelet: Any, mode: Mode = "symmetric", *, order: Order = "freq", axis: int = -1,
    length: int | None = None, compile: str | None = None,
) -> Array:
    """The inverse of `wpdec`: the signal from the stacked nodes of the deepest level.

    Parameters
    ----------
    coeffs : array_like or tf.Tensor
        ``(..., 2 ** level, m, ...)``: nodes on the axis just before ``axis``.
    wavelet, mode, order
        As given to `wpdec`.
    axis : int, default -1
        Keyword only. The transformed axis of ``coeffs``.
    length : int, optional
        Keyword only. The signal's length; default PyWavelets' inverse length
        per level (``2 m - L + 2``, ``2 m`` for periodization), which is the
        original length when every level's input had even length.
    compile : {"auto", "always", "never"}, optional
        Keyword only.

    Returns
    -------
    numpy.ndarray or tf.Tensor
        The signal, the node axis removed.

    Raises
    ------
    CoefficientsError
        A node count that is not a power of two, or lengths that ``length`` cannot give.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal((2, 75))
    >>> bool(np.allclose(wprec(wpdec(x, "db3", 3), "db3", length=75), x))
    True
    """
    return _recompose(coeffs, wavelet, mode, order, (axis,), length, compile)


def wpdec2(
    data: Array, wavelet: Any, level: int, mode: Mode = "symmetric", *, order: Order = "freq",
    axes: Sequence[int] = (-2, -1), compile: str | None = None,
) -> Array:
    """The deepest level of a 2-D wavelet packet tree: ``(..., h, w)`` -> ``(..., 4 ** level, h', w')``.

    ``wavelet`` and ``mode`` may be pairs, one per axis. The node axis is
    inserted before the first of ``axes``; the arguments are those of `wpdec`.

    Examples
    --------
    >>> import numpy as np
    >>> c = wpdec2(np.ones((2, 16, 16)), "haar", 2)
    >>> c.shape, float(c[0, 0, 0, 0]), float(abs(c[:, 1:]).max())
    ((2, 16, 4, 4), 4.0, 0.0)
    """
    return _decompose(data, wavelet, level, mode, order, _pair(axes), compile)


def wprec2(
    coeffs: Array, wavelet: Any, mode: Mode = "symmetric", *, order: Order = "freq",
    axes: Sequence[int] = (-2, -1), length: Sequence[int] | None = None, compile: str | None = None,
) -> Array:
    """The inverse of `wpdec2` (``length``: the image's pair of sizes, default as in `wprec`).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal((3, 20, 12))
    >>> bool(np.allclose(wprec2(wpdec2(x, "db2", 2), "db2", length=(20, 12)), x))
    True
    """
    return _recompose(coeffs, wavelet, mode, order, _pair(axes), length, compile)


def _pair(axes: Any) -> tuple[int, int]:
    try:
        ax = tuple(axes)
    except TypeError:
        raise FilterBankTypeError(f"axes must be a pair of integers; got {axes!r}") from None
    if len(ax) != 2:
        raise InputError(f"axes must name exactly two axes for a 2-D transform; got {ax}")
    return ax  # type: ignore[return-value]



