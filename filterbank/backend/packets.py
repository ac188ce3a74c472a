"""Run packet plans: the tree driver with stacked steps, on numpy or TensorFlow.

A `PacketPlan`'s steps hold every node of a level on one node axis
(`filterbank.plans.packets`). The step functions here wrap the DWT
executors: analysis runs one executor call on the whole stack and stacks
the two channels back onto the node axis (``K`` nodes -> ``2 K``, child
``c`` of node ``k`` at ``2 k + c``); synthesis splits the stack in two
(even and odd nodes) and runs one inverse call. numpy arrays run on the
numpy executor (no TensorFlow); tensors run eagerly with conv ops, inline
inside a caller's ``tf.function``, and through the compiled tier
(`filterbank.backend.tiers`) for shapes that come back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from filterbank.backend import numpy_executors, tiers
from filterbank.backend.convert import inspect
from filterbank.plans import tree
from filterbank.plans.packets import PacketPlan, StackedStep

__all__ = ["analysis", "decompose", "forward", "forward_levels", "inverse", "recompose", "reorder", "stack_nodes", "synthesis", "unstack_nodes"]

Tensor = Any


def _np_merge(parts: tuple[np.ndarray, ...], node_axis: int) -> np.ndarray:
    stacked = np.stack(parts, axis=node_axis + 1)
    shape = list(parts[0].shape)
    shape[node_axis] *= len(parts)
    return stacked.reshape(shape)


def _np_split(x: np.ndarray, node_axis: int, n: int) -> list[np.ndarray]:
    shape = list(x.shape)
    shape[node_axis : node_axis + 1] = [shape[node_axis] // n, n]
    v = x.reshape(shape)
    return [np.take(v, c, axis=node_axis + 1) for c in range(n)]


def _numpy_analysis(x: np.ndarray, axis: int, s: StackedStep, first: bool) -> tuple[np.ndarray]:
    return (_np_merge(numpy_executors.analysis_level(x, axis, s.step), s.node_axis),)


def _numpy_synthesis(x: np.ndarray, axis: int, s: StackedStep) -> np.ndarray:
    lo, hi = _np_split(x, s.node_axis, s.n_channels)
    return numpy_executors.synthesis_level(lo, hi, axis, s.step)


def _tf_split(x: Tensor, node_axis: int, n: int) -> list[Tensor]:
    from filterbank.backend._tf import tf
    from filterbank.backend.tf_executors import _dims, _reshape

    dims = _dims(x)
    dims[node_axis : node_axis + 1] = [dims[node_axis] // n, n]
    return tf().unstack(_reshape(x, dims), n, axis=node_axis + 1)


def _tf_steps(executor: str, xla: bool) -> tuple[Callable[..., Any], Callable[..., Any]]:
    from filterbank.backend.tf_executors import _dims, _reshape, analysis_stacked, synthesis_level

    def forward_step(x: Tensor, axis: int, s: StackedStep, first: bool) -> tuple[Tensor]:
        # the two channels land on an axis just after the node axis, then join it: K nodes -> 2 K;
        # the input stack is read in place (see tf_executors.analysis_level)
        out = analysis_stacked(x, axis, s.step, executor, s.node_axis + 1, in_place=xla and first)
        dims = _dims(out)
        dims[s.node_axis : s.node_axis + 2] = [dims[s.node_axis] * dims[s.node_axis + 1]]
        return (_reshape(out, dims),)

    def inverse_step(x: Tensor, axis: int, s: StackedStep) -> Tensor:
        lo, hi = _tf_split(x, s.node_axis, s.n_channels)
        return synthesis_level(lo, hi, axis, s.step, executor)

    return forward_step, inverse_step


def analysis(plan: PacketPlan, x: Any, step: Callable[..., Any]) -> list[Any]:
    """Every level of the packet tree of ``x`` (its nodes stacked), finest first; ``x`` has the node axis."""
    nodes = tree.analysis(plan, x, step)
    return [nodes[("",) * j] for j in range(1, plan.level + 1)]


def synthesis(plan: PacketPlan, stacked: Any, step: Callable[..., Any]) -> Any:
    """The input (with its node axis) rebuilt from the deepest level's stacked nodes."""
    return tree.synthesis(plan, {("",) * plan.level: stacked}, step)


def forward(plan: PacketPlan, x: Any, compile: str) -> Any:
    """The deepest level of ``plan`` on ``x`` (node axis included): numpy on numpy, TensorFlow on tensors."""
    return forward_levels(plan, x, compile)[-1]


def _numpy_levels(plan: PacketPlan, x: np.ndarray) -> list[np.ndarray]:
    return [np.ascontiguousarray(v) for v in analysis(plan, x, _numpy_analysis)]


def _numpy_inverse(plan: PacketPlan, stacked: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(synthesis(plan, stacked, _numpy_synthesis))


def _numpy_tier(x: np.ndarray, compile: str) -> str | None:
    """The tier of a numpy stack (`filterbank.backend.tiers.numpy_first`): complex stays on numpy."""
    if x.dtype.char not in "fd" or tiers.in_graph():  # inside a tf.function numpy stays numpy (a constant)
        return "only"
    return tiers.numpy_first(None, compile, [inspect(x)])


def forward_levels(plan: PacketPlan, x: Any, compile: str) -> list[Any]:
    """Every level of ``plan`` on ``x``, finest first, each one stack of nodes.

    numpy in, numpy out: small stacks run on numpy; larger ones run on numpy
    until their shape is hot and then through the compiled tier (the whole
    tree one compiled program), as the DWT does.
    """
    if isinstance(x, np.ndarray):
        tier = _numpy_tier(x, compile)
        if tier == "only":
            return _numpy_levels(plan, x)
        return list(_run(plan, "analysis", x, compile, numpy_first=tier == "first"))
    return list(_run(plan, "analysis", x, compile))


def inverse(plan: PacketPlan, stacked: Any, compile: str) -> Any:
    """The inverse of `forward` (numpy tiers as in `forward_levels`)."""
    if isinstance(stacked, np.ndarray):
        tier = _numpy_tier(stacked, compile)
        if tier == "only":
            return _numpy_inverse(plan, stacked)
        return _run(plan, "synthesis", stacked, compile, numpy_first=tier == "first")
    return _run(plan, "synthesis", stacked, compile)


def _apply(plan: PacketPlan, direction: str, executor: str, x: Tensor) -> Tensor:
    fwd, inv = _tf_steps(executor, executor == "shift")
    if direction == "analysis":
        return analysis(plan, x, fwd)
    return synthesis(plan, x, inv)


def _run(plan: PacketPlan, direction: str, x: Tensor, compile: str, *, numpy_first: bool = False) -> Tensor:
    """``plan`` on a tensor, or on a real numpy stack (numpy first while ``numpy_first``, results numpy)."""
    if isinstance(x, np.ndarray):
        return _run_numpy(plan, direction, x, compile, numpy_first)
    from filterbank.backend._tf import tf
    from filterbank.backend.engine import _spec, choose_executor, compile_mode, trace

    TF = tf()
    if x.dtype.is_complex:
        real = _run(plan, direction, TF.math.real(x), compile)
        imag = _run(plan, direction, TF.math.imag(x), compile)
        if direction == "analysis":
            return [TF.complex(r, i) for r, i in zip(real, imag)]
        return TF.complex(real, imag)
    if tiers.in_graph():
        return _apply(plan, direction, choose_executor(None, x), x)
    device = str(getattr(x, "device", "") or "")
    signature = (tuple(x.shape), x.dtype.name)

    def first() -> Tensor:
        return _apply(plan, direction, "conv", x)

    def traced() -> tiers.Traced:
        ex = choose_executor(None, device=device)
        return trace(functools.partial(_apply, plan, direction, ex), ex, (_spec(signature),))

    def call(fn: Callable[..., Any]) -> Tensor:
        return fn(x)

    key = ("packet " + direction, plan, signature, device)
    return tiers.run(key, first, traced, call, compile_mode(compile))


def _run_numpy(plan: PacketPlan, direction: str, x: np.ndarray, compile: str, numpy_first: bool) -> Any:
    """A real numpy stack through the tiers: numpy (or eager TensorFlow) first, the compiled program once hot.

    The analysis stack (the user's array, viewed with a node axis) is shared
    with TensorFlow, not copied: the compiled program takes the flat window
    of its buffer (`filterbank.backend.convert.to_tensor`, ``window=True``;
    its offset is part of the program's key, as for the DWT's forward
    transform, and `filterbank.backend.convert.windowed` covers a buffer
    TensorFlow refused). A synthesis stack is a fresh array whose alignment
    changes from call to call, so it is shared only when aligned, else
    copied. The results come back as numpy arrays viewing TensorFlow's memory.
    """
    from filterbank.backend.convert import finish, to_tensor, window_offset, windowed
    from filterbank.backend.engine import _spec, choose_executor, compile_mode, trace

    ins = inspect(x)
    analysis_ = direction == "analysis"
    offset = window_offset(ins) if analysis_ else None
    signature = (tuple(x.shape), x.dtype.name)

    def back(out: Any) -> Any:
        if analysis_:
            return [np.ascontiguousarray(finish(v, True, False)) for v in out]
        return np.ascontiguousarray(finish(out, True, False))

    def first() -> Any:
        if numpy_first:
            return _numpy_levels(plan, x) if analysis_ else _numpy_inverse(plan, x)
        return back(_apply(plan, direction, "conv", to_tensor(ins, window=analysis_).data()))

    def traced() -> tiers.Traced:
        ex = choose_executor(None, device="")
        shape = (x.size + offset,) if offset else x.shape
        fn = functools.partial(_apply_window, plan, direction, ex, offset, x.shape)
        return trace(fn, ex, (_spec((shape, x.dtype.name)),))

    def call(fn: Callable[..., Any]) -> Any:
        return back(fn(windowed(to_tensor(ins, window=analysis_), offset)))

    key = ("packet " + direction, plan, signature, "numpy", offset)
    return tiers.run(key, first, traced, call, compile_mode(compile))


def _apply_window(
    plan: PacketPlan, direction: str, executor: str, offset: int | None, shape: tuple[int, ...], x: Tensor
) -> Tensor:
    """`_apply` on the stack held from element ``offset`` of the flat buffer ``x`` (``x`` itself for None)."""
    from filterbank.backend.convert import from_window

    return _apply(plan, direction, executor, from_window(x, None if offset is None else (offset, shape)))


# --------------------------------------------------------------------------- node axis and order, per array library


def _is_numpy(x: Any) -> bool:
    return isinstance(x, np.ndarray)


def stack_nodes(datas: list[Any], node_axis: int) -> Any:
    """Nodes of one shape stacked on a new axis ``node_axis`` (numpy or tensors)."""
    if all(_is_numpy(d) for d in datas):
        if len(datas) == 1:  # a view: the root's data is read, never written
            return np.expand_dims(datas[0], node_axis)
        return np.stack(datas, axis=node_axis)
    from filterbank.backend._tf import tf

    return tf().stack([tf().convert_to_tensor(d) for d in datas], axis=node_axis)


def unstack_nodes(stacked: Any, node_axis: int) -> list[Any]:
    """The nodes of a stack, in order (contiguous numpy arrays, or tensors)."""
    if _is_numpy(stacked):  # views of the stack, as PyWavelets' nodes are arrays of their own
        lead = (slice(None),) * node_axis
        return [stacked[lead + (k,)] for k in range(stacked.shape[node_axis])]
    from filterbank.backend._tf import tf

    return list(tf().unstack(stacked, axis=node_axis))


def reorder(stacked: Any, node_axis: int, index: np.ndarray | None) -> Any:
    """``stacked`` with its nodes taken in the order ``index`` (unchanged for None)."""
    if index is None:
        return stacked
    if _is_numpy(stacked):
        return np.ascontiguousarray(np.take(stacked, index, axis=node_axis))
    from filterbank.backend._tf import tf

    return tf().gather(stacked, index, axis=node_axis)


def decompose(plan: PacketPlan, x: Any, compile: str, index: np.ndarray | None) -> Any:
    """The deepest level of ``plan`` on one input ``x`` (no node axis), its nodes in the order ``index``."""
    stacked = stack_nodes([x], plan.node_axis)
    return reorder(forward(plan, stacked, compile), plan.node_axis, index)


def recompose(plan: PacketPlan, stacked: Any, compile: str, inverse_index: np.ndarray | None) -> Any:
    """The input rebuilt from the deepest level's nodes (stacked in the order that ``inverse_index`` undoes)."""
    out = inverse(plan, reorder(stacked, plan.node_axis, inverse_index), compile)
    if _is_numpy(out):
        return np.ascontiguousarray(np.take(out, 0, axis=plan.node_axis))
    from filterbank.backend._tf import tf

    return tf().squeeze(out, axis=plan.node_axis)
