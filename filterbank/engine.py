"""Run plans: one driver walks a plan's levels and axes for every executor and tier.

The public functions in `filterbank.transform` validate their arguments
and call `forward` or `inverse` here with *inspected* inputs
(`filterbank.coeffs.inspect`), before TensorFlow is touched. The tier is
chosen by `filterbank.tiers`:

* small numpy inputs run the plan on numpy (`filterbank.numpy_backend`);
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
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from filterbank import numpy_backend, tiers
from filterbank.coeffs import Inspected, Prepared, finish, to_tensor, unwindow, window_offset
from filterbank.errors import CoefficientsError, FilterBankWarning, InputError, check_option
from filterbank.plan import Plan, dwt_max_level, idwt_len

__all__ = [
    "EXECUTORS",
    "analysis",
    "check_level",
    "choose_executor",
    "compile_mode",
    "forward",
    "forward_numpy",
    "inverse",
    "inverse_numpy",
    "pywt_lengths",
    "signature_of",
    "specs_of",
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
    from filterbank._tf import tf

    return "conv" if tf().config.list_logical_devices("GPU") else "shift"


#: Levels past the maximum useful one are allowed (with PyWavelets' warning) up to this many more.
DEEPEST_EXTRA = 64


def check_level(sizes: list[int], filter_lens: list[int], level: int | None) -> int:
    """PyWavelets' level rule: ``None`` means the maximum; deeper levels warn; negative is an error.

    ``sizes`` and ``filter_lens`` give each transformed axis's length and filter length.
    """
    useful = [dwt_max_level(n, L) for n, L in zip(sizes, filter_lens)]
    limit = int(np.argmin(useful))
    max_level = useful[limit]
    if level is None:
        return max_level
    if isinstance(level, bool) or not isinstance(level, (int, np.integer)):
        raise InputError(f"level must be a non-negative integer or None; got {level!r}")
    if level < 0:
        raise InputError(f"level must be >= 0; got {level}")
    if level > max_level + DEEPEST_EXTRA:
        raise InputError(
            f"level {level} is far too deep for an axis of length {sizes[limit]} and a filter of length "
            f"{filter_lens[limit]}: past level {max_level} every coefficient is boundary-only (the signal "
            f"shrinks to {filter_lens[limit] - 1} samples and only grows by the filter gain), so levels beyond "
            f"{max_level + DEEPEST_EXTRA} (the maximum useful level + {DEEPEST_EXTRA}) are refused"
        )
    if level > max_level:
        warnings.warn(
            f"level {level} is too high for an axis of length {sizes[limit]} and a filter of length "
            f"{filter_lens[limit]} (maximum useful level {max_level}): all coefficients will experience "
            "boundary effects",
            FilterBankWarning,
            stacklevel=4,
        )
    return int(level)


def analysis(plan: Plan, x: Any, level: LevelFn) -> tuple[Any, Details]:
    """The forward transform of ``plan`` on ``x``: ``(cA_n, [details_n, ..., details_1])``.

    ``level(t, axis, step, first)`` computes one level along one axis and
    returns ``(lo, hi)``; ``first`` is true for the transform's own input.
    """
    details: Details = []
    a = x
    for steps in plan.steps:
        bands = {"": a}
        for axis, step in zip(plan.axes, steps):
            nxt = {}
            for key, t in bands.items():
                nxt[key + "a"], nxt[key + "d"] = level(t, axis, step, t is x)
            bands = nxt
        a = bands.pop("a" * len(plan.axes))
        details.append(bands)
    return a, details[::-1]


def synthesis(plan: Plan, a: Any, details: Details, level: LevelFn) -> Any:
    """The inverse transform of ``plan`` (details coarsest first, ``None`` entries allowed).

    ``level(lo, hi, axis, step)`` inverts one level along one axis.
    """
    import itertools

    n = len(plan.axes)
    for steps, level_details in zip(reversed(plan.steps), details):
        bands: dict[str, Any] = dict(level_details)
        bands["a" * n] = a
        for i in reversed(range(n)):
            axis, step = plan.axes[i], steps[i]
            nxt: dict[str, Any] = {}
            for prefix in ("".join(p) for p in itertools.product("ad", repeat=i)):
                lo, hi = bands.get(prefix + "a"), bands.get(prefix + "d")
                nxt[prefix] = None if lo is None and hi is None else level(lo, hi, axis, step)
            bands = nxt
        a = bands[""]
        if a is None:
            raise CoefficientsError("every coefficient array of a level is None; nothing to reconstruct")
    return a


def _numpy_analysis(t: Any, axis: int, step: Any, first: bool) -> Any:
    return numpy_backend.analysis_level(t, axis, step)


def _tf_analysis(executor: str, xla: bool) -> LevelFn:
    from filterbank.executors import analysis_level

    def level(t: Tensor, axis: int, step: Any, first: bool) -> Any:
        # Under XLA the caller's buffer is extended in place (see executors.extend).
        return analysis_level(t, axis, step, executor, in_place=xla and first)

    return level


def _tf_synthesis(executor: str) -> LevelFn:
    from filterbank.executors import synthesis_level

    return functools.partial(synthesis_level, executor=executor)


def _eager_executor(executor: str | None) -> str:
    return "conv" if executor in (None, "auto") else str(executor)


def compile_mode(compile: str) -> str:
    """``compile``, or ``"never"`` under ``tf.config.run_functions_eagerly(True)``."""
    return "never" if tiers.functions_run_eagerly() else compile


def _contiguous(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x)


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
    from filterbank._tf import tf

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
    from filterbank._tf import tf

    if isinstance(specs, (tuple, list)):
        return type(specs)(_zeros(s) for s in specs)
    if isinstance(specs, dict):
        return {k: _zeros(v) for k, v in specs.items()}
    return None if specs is None else tf().zeros(specs.shape, specs.dtype)


def trace(fn: Callable[..., Any], executor: str, specs: tuple[Any, ...]) -> tiers.Traced:
    """Trace ``fn`` for ``specs`` (XLA for the shift executor); ``warm()`` compiles it."""
    from filterbank._tf import tf

    compiled = tf().function(fn, jit_compile=executor == "shift", autograph=False)
    concrete = compiled.get_concrete_function(*specs)
    return tiers.Traced(concrete, len(concrete.graph.get_operations()), lambda: concrete(*_zeros(specs)))


def _device(ins: list[Inspected]) -> str:
    return next((str(getattr(i.value, "device", "") or "") for i in ins if not i.numpy), "")


# --------------------------------------------------------------------------- the forward transform


def forward_numpy(plan: Plan, x: np.ndarray) -> tuple[np.ndarray, Details]:
    """The forward transform of ``plan`` on a numpy array (complex handled directly)."""
    a, details = analysis(plan, x, _numpy_analysis)
    return _contiguous(a), [{k: _contiguous(v) for k, v in d.items()} for d in details]


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
    return bool(max(-float(x.min()), float(x.max())) < TINY[dtype])  # no temporary array


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


def inverse_numpy(plan: Plan, a: np.ndarray | None, details: Details) -> np.ndarray:
    """The inverse of ``plan`` on numpy arrays (details coarsest first, ``None`` entries allowed)."""
    return _contiguous(synthesis(plan, a, details, numpy_backend.synthesis_level))


def inverse(
    plan: Plan,
    convert: Callable[[], tuple[Any, Details]],
    signature: Any,
    executor: str | None,
    compile: str,
    device: str,
    numpy_first: tuple[Plan, Callable[[], tuple[Any, Details]]] | None = None,
) -> Tensor:
    """The inverse of ``plan`` on tensors, or on numpy while uncompiled when ``numpy_first`` is given.

    ``convert()`` gives the approximation and details as tensors (details
    coarsest first, ``None`` entries allowed); ``signature`` is their
    `signature_of`; ``numpy_first`` is ``(numpy plan, numpy arrays)``.
    """
    if tiers.in_graph():
        a, details = convert()
        return synthesis(plan, a, details, _tf_synthesis(choose_executor(executor, device=device)))

    def first() -> Any:
        if numpy_first is not None:
            np_plan, arrays = numpy_first
            return inverse_numpy(np_plan, *arrays())
        a, details = convert()
        return synthesis(plan, a, details, _tf_synthesis(_eager_executor(executor)))

    def traced() -> tiers.Traced:
        ex = choose_executor(executor, device=device)
        return trace(functools.partial(_synthesis_of, plan, ex), ex, specs_of(signature))

    def call(fn: Callable[..., Any]) -> Any:
        return fn(*convert())

    key = ("dwt synthesis", plan, executor or "auto", device, signature)
    return tiers.run(key, first, traced, call, compile_mode(compile))


def _synthesis_of(plan: Plan, executor: str, a: Tensor | None, details: Details) -> Tensor:
    return synthesis(plan, a, details, _tf_synthesis(executor))


def pywt_lengths(
    a_shape: tuple[int | None, ...] | None,
    detail_shapes: list[tuple[int | None, ...] | None],
    axes: tuple[int, ...],
    filter_lens: tuple[int, ...],
    modes: tuple[str, ...],
) -> tuple[tuple[tuple[int, int], ...], ...]:
    """``(n_signal, n_coef)`` per level and axis for a coefficient list made elsewhere.

    Follows PyWavelets: each inverse level has its natural length, trimmed by
    one sample where the next level's details are one shorter; any other
    mismatch is an error. ``filter_lens`` and ``modes`` are per axis.
    """
    lengths = []
    for j, d_shape in enumerate(detail_shapes):
        ref = d_shape if d_shape is not None else a_shape
        if ref is None:
            raise CoefficientsError(f"level {len(detail_shapes) - j}: no coefficient arrays to invert")
        nxt = detail_shapes[j + 1] if j + 1 < len(detail_shapes) else None
        level_lengths = []
        for axis, filter_len, mode in zip(axes, filter_lens, modes):
            n_c = int(ref[axis])  # type: ignore[arg-type]  # transformed axes have known sizes
            natural = idwt_len(n_c, filter_len, mode)
            n_signal = natural
            if nxt is not None:
                n_next = int(nxt[axis])  # type: ignore[arg-type]
                if natural - n_next not in (0, 1):
                    raise CoefficientsError(
                        f"coefficient shape mismatch: level {len(detail_shapes) - j} has length {n_c} "
                        f"along axis {axis}, which reconstructs {natural} samples, but the next level's "
                        f"details have length {n_next} (expected {natural} or {natural - 1})"
                    )
                n_signal = n_next
            level_lengths.append((n_signal, n_c))
        lengths.append(tuple(level_lengths))
    return tuple(lengths[::-1])
