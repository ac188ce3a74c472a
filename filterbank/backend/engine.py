"""Run plans: one driver walks a plan's levels and axes for every executor and tier.

The public functions in `filterbank.transform` validate their arguments
and call `forward` or `inverse` here with *inspected* inputs
(`filterbank.backend.convert.inspect`), before TensorFlow is touched. The tier is
chosen by `filterbank.tiers`:

* small numpy inputs run the plan on numpy (`filterbank.backend.numpy_programs`);
* otherwise the first calls of a shape run TensorFlow ops eagerly with the
  ``"conv"`` executor (no compile), and shapes that come back are served by
  one compiled function (XLA shift-and-add on CPU, ``tf.function`` of conv ops
  on GPU), compiled in the background;
* inside a caller's ``tf.function`` the same driver is traced inline.

Every tier runs the same plan through the same driver (`analysis` /
`synthesis`); only the per-level function differs.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from filterbank.backend import a_trous, numpy_programs, tiers
from filterbank.backend.convert import Inspected, Prepared, finish, from_window, to_tensor, unwindow, window_offset
from filterbank.errors import check_option
from filterbank.plans import tree
from filterbank.plans.decimated import Plan
from filterbank.plans.stationary import StationaryPlan

__all__ = [
    "EXECUTORS",
    "analysis",
    "choose_executor",
    "compile_mode",
    "forward",
    "forward_numpy",
    "forward_program",
    "inverse",
    "inverse_numpy",
    "inverse_program",
    "signature_of",
    "specs_of",
    "stationary_inverse_program",
    "synthesis",
    "trace",
    "underflows",
]

Tensor = Any
Details = list[dict[str, Any]]
LevelFn = Callable[..., Any]

#: Values of ``executor=``: the numpy executor, strided ``tf.nn.conv*`` ("conv",
#: the GPU path and the eager tier) and XLA shift-and-add ("shift", compiled on CPU).
EXECUTORS: tuple[str, ...] = ("auto", "conv", "numpy", "shift")


def choose_executor(executor: str | None, tensor: Tensor = None, *, device: str | None = None) -> str:
    """The TensorFlow executor of the compiled tier: ``"conv"`` on a GPU, ``"shift"`` on CPU, unless given.

    The device is ``tensor``'s, or ``device``; with neither, a GPU if TensorFlow sees one.
    """
    if executor not in (None, "auto"):
        return str(check_option("executor", executor, EXECUTORS))
    where = device if device is not None else (getattr(tensor, "device", "") or "")
    if "GPU" in where.upper():
        return "conv"
    if where:
        return "shift"
    from filterbank.backend._tf import tf

    return "conv" if tf().config.list_logical_devices("GPU") else "shift"


def analysis(plan: Plan, x: Any, level: LevelFn) -> tuple[Any, Details]:
    """The forward DWT of ``plan`` on ``x``: ``(cA_n, [details_n, ..., details_1])``.

    The tree driver (`filterbank.plans.tree.analysis`) walks the plan;
    ``level(t, axis, step, first)`` computes one step along one axis and
    returns ``(lo, hi)``; ``first`` is true for the transform's own input.
    """
    by_level = tree.levels(plan, tree.analysis(plan, x, level))
    if not by_level:
        return x, []
    approx = "a" * len(plan.axes)
    a = by_level[-1][approx]
    return a, [{k: v for k, v in bands.items() if k != approx} for bands in reversed(by_level)]


def synthesis(plan: Plan, a: Any, details: Details, level: LevelFn) -> Any:
    """The inverse DWT of ``plan`` (details coarsest first, ``None`` entries allowed).

    ``level(lo, hi, axis, step)`` inverts one step along one axis.
    """
    return tree.synthesis(plan, tree.from_levels(len(plan.axes), a, details), level)


def _tf_analysis(executor: str, xla: bool) -> LevelFn:
    from filterbank.backend.tf_executors import analysis_level

    def level(t: Tensor, axis: int, step: Any, first: bool) -> Any:
        # The transform's own input (compiled, shift executor) is read in place: sliced along outer axes,
        # extended by in-place edge writes along the innermost one (see tf_executors).
        return analysis_level(t, axis, step, executor, in_place=xla and first)

    return level


def _tf_synthesis(executor: str) -> LevelFn:
    from filterbank.backend.tf_executors import synthesis_level

    return functools.partial(synthesis_level, executor=executor)


def _eager_executor(executor: str | None) -> str:
    return "conv" if executor in (None, "auto") else str(executor)


def compile_mode(compile: str) -> str:
    """``compile``, or ``"never"`` under ``tf.config.run_functions_eagerly(True)``."""
    return "never" if tiers.functions_run_eagerly() else compile


# --------------------------------------------------------------------------- signatures without TensorFlow
# A signature is a nested structure of (shape, dtype) pairs and None; it names a
# compiled function in the cache before TensorFlow is loaded, and becomes
# tf.TensorSpecs only when the function is traced.


def signature_of(value: Any) -> Any:
    """The ``(shape, dtype)`` structure of arrays or tensors nested in lists, tuples and dicts."""
    if isinstance(value, (tuple, list)):
        return tuple(signature_of(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, signature_of(v)) for k, v in value.items())
    if value is None:
        return None
    return (tuple(value.shape), str(value.dtype.name))


def _spec(leaf: Any) -> Any:
    """The ``tf.TensorSpec`` of one ``(shape, dtype)`` leaf of a signature (None stays None)."""
    from filterbank.backend._tf import tf

    return None if leaf is None else tf().TensorSpec(leaf[0], leaf[1])


def specs_of(signature: Any) -> tuple[Any, ...]:
    """``tf.TensorSpec`` s for a driver's arguments: ``(shape, dtype)`` leaves, tuples of
    ``(key, leaf)`` pairs (a level's dict) inside tuples of levels (a list)."""
    out = []
    for arg in signature:
        if arg is None or (isinstance(arg, tuple) and len(arg) == 2 and isinstance(arg[1], str)):
            out.append(_spec(arg))
        else:
            out.append([{k: _spec(leaf) for k, leaf in level} for level in arg])
    return tuple(out)


def _zeros(specs: Any) -> Any:
    from filterbank.backend._tf import tf

    if isinstance(specs, (tuple, list)):
        return type(specs)(_zeros(s) for s in specs)
    if isinstance(specs, dict):
        return {k: _zeros(v) for k, v in specs.items()}
    return None if specs is None else tf().zeros(specs.shape, specs.dtype)


def trace(fn: Callable[..., Any], executor: str, specs: tuple[Any, ...]) -> tiers.Traced:
    """Trace ``fn`` for ``specs`` (XLA for the shift executor); ``warm()`` compiles it."""
    from filterbank.backend._tf import tf

    compiled = tf().function(fn, jit_compile=executor == "shift", autograph=False)
    concrete = compiled.get_concrete_function(*specs)
    return tiers.Traced(concrete, len(concrete.graph.get_operations()), lambda: concrete(*_zeros(specs)))


def _device(ins: list[Inspected]) -> str:
    return next((str(getattr(i.value, "device", "") or "") for i in ins if not i.numpy), "")


# --------------------------------------------------------------------------- the forward transform


def forward_program(plan: Plan, shape: tuple[int, ...]) -> Callable[[np.ndarray], tuple[np.ndarray, Details]]:
    """The numpy program of ``plan`` for inputs of ``shape``: ``x -> (cA_n, details)`` (cached)."""
    return numpy_programs.forward(plan, shape)


def forward_numpy(plan: Plan, x: np.ndarray) -> tuple[np.ndarray, Details]:
    """The forward transform of ``plan`` on a numpy array (complex handled directly).

    It replays the plan's numpy program (`filterbank.backend.numpy_programs`):
    the driver walked the plan once, when the program was built.
    """
    return numpy_programs.forward(plan, tuple(x.shape))(x)


#: Below these magnitudes TensorFlow's CPU kernels (which flush subnormal numbers to
#: zero) may lose precision; numpy results this small are recomputed on numpy, which
#: keeps subnormals, so every finite input meets the documented bound.
TINY = {"float32": 2.0**-96, "float64": 2.0**-960}


def underflows(x: Any, dtype: str) -> bool:
    """Whether a numpy array is so small that TensorFlow may have flushed parts of it (or its results) to zero."""
    if not isinstance(x, np.ndarray) or x.size == 0:
        return False
    if x.dtype.kind == "c":
        return underflows(x.real, dtype) and underflows(x.imag, dtype)
    tiny = TINY[dtype]
    if x.size > 4096:  # one large sample answers almost every call: a sample's maximum bounds the whole's
        probe = x.reshape(-1)[:: x.size // 1024] if x.flags.c_contiguous else x.flat[:: x.size // 1024]
        if max(-float(probe.min()), float(probe.max())) >= tiny:
            return False
    return bool(max(-float(x.min()), float(x.max())) < tiny)  # no temporary array


def forward(
    plan: Plan, ins: Inspected, executor: str | None, compile: str, numpy_plan: Plan, numpy_first: bool = False
) -> tuple[Any, Details]:
    """The forward transform of ``plan`` on TensorFlow, results in the user's form (numpy or tensors).

    ``plan`` describes the tensor the input becomes (a complex input gains a
    leading real / imaginary axis); ``numpy_plan`` is the same transform for
    the numpy array itself. With ``numpy_first`` the uncompiled tier runs on
    numpy (no TensorFlow until the shape is compiled). A numpy input whose
    result underflows (`underflows`) is recomputed on numpy.
    """
    out = _forward(plan, ins, executor, compile, numpy_plan if numpy_first else None)
    if ins.numpy and underflows(out[0], plan.dtype):
        return forward_numpy(numpy_plan, ins.value)
    return out


def _forward(
    plan: Plan, ins: Inspected, executor: str | None, compile: str, numpy_plan: Plan | None
) -> tuple[Any, Details]:
    if tiers.in_graph():
        prep = to_tensor(ins, window=True)
        a, details = _analysis_of(plan, prep.offset, choose_executor(executor, prep.tensor), prep.tensor)
        return _finished(prep, a, details)
    offset = window_offset(ins)
    device = _device([ins])

    def eager(prep: Prepared | None = None) -> tuple[Any, Details]:
        prep = prep or to_tensor(ins, window=True)
        a, details = analysis(plan, prep.data(), _tf_analysis(_eager_executor(executor), False))
        return _finished(prep, a, details)

    def first() -> tuple[Any, Details]:
        return eager() if numpy_plan is None else forward_numpy(numpy_plan, ins.value)

    def traced() -> tiers.Traced:
        ex = choose_executor(executor, device=device)
        shape = (math.prod(plan.shape) + offset,) if offset else plan.shape  # type: ignore[arg-type]
        return trace(functools.partial(_analysis_of, plan, offset, ex), ex, (_spec((shape, plan.dtype)),))

    def call(fn: Callable[..., Any]) -> tuple[Any, Details]:
        prep = to_tensor(ins, window=True)
        if prep.offset != offset:  # a buffer at another alignment than the compiled one
            return eager(prep)
        a, details = fn(prep.tensor)
        return _finished(prep, a, details)

    key = ("dwt analysis", plan, offset, executor or "auto", device)
    return tiers.run(key, first, traced, call, compile_mode(compile))  # type: ignore[no-any-return]


def _finished(prep: Prepared, a: Tensor, details: Details) -> tuple[Any, Details]:
    return _finish(prep, a), [{k: _finish(prep, v) for k, v in d.items()} for d in details]


def _analysis_of(plan: Plan, offset: int | None, executor: str, x: Tensor) -> tuple[Tensor, Details]:
    xla = executor == "shift"
    return analysis(plan, x if offset is None else unwindow(x, offset, plan.shape), _tf_analysis(executor, xla))


def _finish(prep: Prepared, t: Tensor) -> Any:
    return finish(t, prep.numpy, prep.complex)


# --------------------------------------------------------------------------- the inverse transform


def inverse_program(plan: Plan, a: np.ndarray | None, details: Details) -> Callable[..., np.ndarray]:
    """The numpy inverse program of ``plan`` for coefficients laid out as ``a`` and ``details`` (cached)."""
    return numpy_programs.inverse_program(plan, a, details)


def inverse_numpy(plan: Plan, a: np.ndarray | None, details: Details) -> np.ndarray:
    """The inverse of ``plan`` on numpy arrays (details coarsest first, ``None`` entries allowed)."""
    return numpy_programs.inverse(plan, a, details)


def inverse(
    plan: Plan,
    convert: Callable[[], tuple[Any, Details]],
    signature: Any,
    executor: str | None,
    compile: str,
    device: str,
    numpy_first: tuple[Plan, Callable[[], tuple[Any, Details]]] | None = None,
    windows: tuple[Any, tuple[Any, ...]] | None = None,
) -> Tensor:
    """The inverse of ``plan`` on tensors, or on numpy while uncompiled when ``numpy_first`` is given.

    ``convert()`` gives the approximation and details as tensors (details
    coarsest first, ``None`` entries allowed); ``signature`` is their
    `signature_of`; ``numpy_first`` is ``(numpy plan, numpy arrays)``.
    ``windows`` (the arguments' structure, levels as tuples of ``(key,
    window)`` pairs; a window is ``(offset, shape)`` or None) marks the
    arguments that are flat windows of numpy buffers
    (`filterbank.backend.convert.to_tensor`), unwindowed inside the program.
    """
    if tiers.in_graph():
        a, details = convert()
        return _synthesis_of(plan, choose_executor(executor, device=device), windows, a, details)

    def first() -> Any:
        if numpy_first is not None:
            np_plan, arrays = numpy_first
            return inverse_numpy(np_plan, *arrays())
        a, details = convert()
        return _synthesis_of(plan, _eager_executor(executor), windows, a, details)

    def traced() -> tiers.Traced:
        ex = choose_executor(executor, device=device)
        return trace(functools.partial(_synthesis_of, plan, ex, windows), ex, specs_of(signature))

    def call(fn: Callable[..., Any]) -> Any:
        return fn(*convert())

    key = ("dwt synthesis", plan, executor or "auto", device, signature, windows)
    return tiers.run(key, first, traced, call, compile_mode(compile))


def _synthesis_of(plan: Plan, executor: str, windows: tuple[Any, tuple[Any, ...]] | None, a: Tensor | None,
                  details: Details) -> Tensor:
    if windows is not None:
        a = from_window(a, windows[0])
        details = [{k: from_window(v, w[k]) for k, v in d.items()} for d, w in zip(details, map(dict, windows[1]))]
    return synthesis(plan, a, details, _tf_synthesis(executor))


# --------------------------------------------------------------------------- the stationary transform


def _stationary_forward(plan: StationaryPlan, ops: a_trous.Ops, x: Any) -> list[dict[str, Any]]:
    step = functools.partial(_atrous_analysis, ops)
    return tree.levels(plan, tree.analysis(plan, x, step))


def _stationary_inverse(plan: StationaryPlan, ops: a_trous.Ops, a: Any, details: Details) -> Any:
    return tree.synthesis(plan, tree.from_levels(len(plan.axes), a, details), functools.partial(_atrous_synthesis, ops))


def _atrous_analysis(ops: a_trous.Ops, x: Any, axis: int, step: Any, first: bool) -> tuple[Any, Any]:
    return a_trous.analysis_step(x, axis, step, ops)


def _atrous_synthesis(ops: a_trous.Ops, lo: Any, hi: Any, axis: int, step: Any) -> Any:
    return a_trous.synthesis_step(lo, hi, axis, step, ops)


def stationary_inverse_program(plan: StationaryPlan, a: np.ndarray, details: Details) -> Callable[..., np.ndarray]:
    """The numpy inverse program of a stationary ``plan`` for coefficients laid out as ``a`` and ``details`` (cached)."""
    return numpy_programs.stationary_inverse_program(plan, a, details)


def stationary_numpy(plan: StationaryPlan, direction: str, *args: Any) -> Any:
    """The stationary transform of ``plan`` on numpy: levels (finest first) forward, the signal inverse."""
    if direction == "forward":
        return numpy_programs.stationary_forward(plan, *args)
    return numpy_programs.stationary_inverse(plan, *args)


def stationary(
    plan: StationaryPlan,
    direction: str,
    compile: str,
    convert: Callable[[], tuple[Any, ...]],
    signature: tuple[Any, ...],
    device: str,
    numpy_first: Callable[[], Any] | None,
    window: tuple[int, tuple[int, ...]] | None = None,
) -> Any:
    """Run the stationary transform of ``plan`` in the tier `filterbank.backend.tiers` picks.

    ``direction`` is ``"forward"`` (returns the levels, finest first, each a
    dict of bands with the approximation) or ``"inverse"`` (arguments: the
    coarsest approximation and the details coarsest first). ``convert()``
    gives the driver's tensor arguments, ``signature`` their ``(shape,
    dtype)`` structure (no TensorFlow needed), and ``numpy_first`` (when
    given) runs the call on numpy until the shape is compiled. ``window``
    ``(offset, shape)``: the first argument is a flat window of a numpy
    buffer (`filterbank.backend.convert.to_tensor`), its data of ``shape``
    from element ``offset`` on (sliced off inside the compiled program).
    """
    driver = _stationary_forward if direction == "forward" else _stationary_inverse
    if window is not None:
        driver = functools.partial(_unwindowed, driver, window)
    if tiers.in_graph():
        return driver(plan, a_trous.tf_ops(), *convert())

    def first() -> Any:
        return numpy_first() if numpy_first is not None else driver(plan, a_trous.tf_ops(), *convert())

    def traced() -> tiers.Traced:
        return trace(functools.partial(_traced_stationary, driver, plan), "shift", specs_of(signature))

    def call(fn: Callable[..., Any]) -> Any:
        return fn(*convert())

    key = ("swt " + direction, plan, signature, device, window)  # a flat window hides its shape and offset
    return tiers.run(key, first, traced, call, compile_mode(compile))


def _unwindowed(driver: Callable[..., Any], window: tuple[int, tuple[int, ...]], plan: StationaryPlan,
                ops: a_trous.Ops, x: Any, *rest: Any) -> Any:
    return driver(plan, ops, from_window(x, window), *rest)


def _traced_stationary(driver: Callable[..., Any], plan: StationaryPlan, *args: Any) -> Any:
    return driver(plan, a_trous.tf_ops(), *args)
