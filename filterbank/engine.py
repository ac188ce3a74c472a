"""Run plans on TensorFlow: multi-level n-D analysis and synthesis, compiled once per plan.

The public functions in :mod:`filterbank.transform` validate their arguments,
convert the data (:mod:`filterbank.coeffs`) and call :func:`forward` or
:func:`inverse` here. Eagerly, each plan runs through one cached
``tf.function`` (XLA-compiled for the ``"shift"`` executor); inside a caller's
``tf.function`` the same Python code is traced inline, so the caller decides
about compilation and nothing retraces for repeated shapes.
"""

from __future__ import annotations

import functools
import itertools
import warnings
from typing import Any

import numpy as np

from filterbank._tf import tf
from filterbank.coeffs import unwindow
from filterbank.errors import CoefficientsError, FilterBankWarning, InputError, check_option
from filterbank.executors import analysis_level, synthesis_level
from filterbank.plan import Plan, dwt_max_level, idwt_len

__all__ = ["check_level", "choose_executor", "dispatch_compiled", "forward", "inverse", "pywt_lengths"]

Tensor = Any
Details = list[dict[str, Any]]


def choose_executor(executor: str | None, tensor: Tensor) -> str:
    """``"conv"`` on a GPU, ``"shift"`` (XLA shift-and-add) on CPU, unless ``executor`` is given."""
    if executor is not None and executor != "auto":
        return check_option("executor", executor, ("auto", "conv", "shift"))
    device = getattr(tensor, "device", "") or ""
    if "GPU" in device.upper():
        return "conv"
    if device:
        return "shift"
    return "conv" if tf().config.list_logical_devices("GPU") else "shift"


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
    if level > max_level:
        warnings.warn(
            f"level {level} is too high for an axis of length {sizes[limit]} and a filter of length "
            f"{filter_lens[limit]} (maximum useful level {max_level}): all coefficients will experience "
            "boundary effects",
            FilterBankWarning,
            stacklevel=4,
        )
    return int(level)


def _analysis(plan: Plan, x: Tensor, xla: bool = False) -> tuple[Tensor, Details]:
    details: Details = []
    a = x
    for steps in plan.steps:
        bands = {"": a}
        for axis, step in zip(plan.axes, steps):
            nxt = {}
            for key, t in bands.items():
                # Under XLA the caller's buffer is extended in place (see executors.extend).
                lo, hi = analysis_level(t, axis, step, plan, in_place=xla and t is x)
                nxt[key + "a"], nxt[key + "d"] = lo, hi
            bands = nxt
        a = bands.pop("a" * len(plan.axes))
        details.append(bands)
    return a, details[::-1]


def _synthesis(plan: Plan, a: Tensor | None, details: Details) -> Tensor:
    n = len(plan.axes)
    for steps, level_details in zip(reversed(plan.steps), details):
        bands: dict[str, Any] = dict(level_details)
        bands["a" * n] = a
        for i in reversed(range(n)):
            axis, step = plan.axes[i], steps[i]
            nxt: dict[str, Any] = {}
            for prefix in ("".join(p) for p in itertools.product("ad", repeat=i)):
                lo, hi = bands.get(prefix + "a"), bands.get(prefix + "d")
                nxt[prefix] = None if lo is None and hi is None else synthesis_level(lo, hi, axis, step, plan)
            bands = nxt
        a = bands[""]
        if a is None:
            raise CoefficientsError("every coefficient array of a level is None; nothing to reconstruct")
    return a


@functools.lru_cache(maxsize=256)
def _compiled(plan: Plan, direction: str, offset: int | None = None) -> Any:
    xla = plan.executor == "shift"
    if direction == "synthesis":
        fn = functools.partial(_synthesis, plan)
    else:
        fn = functools.partial(_analysis_of, plan, offset, xla)
    return tf().function(fn, jit_compile=xla, autograph=False)


def _analysis_of(plan: Plan, offset: int | None, xla: bool, x: Tensor) -> tuple[Tensor, Details]:
    return _analysis(plan, x if offset is None else unwindow(x, offset, plan.shape), xla)


@functools.lru_cache(maxsize=1024)
def _concrete(plan: Plan, direction: str, offset: int | None, signature: Any) -> Any:
    """The traced function of ``plan`` for one input signature (calling it skips tf.function's dispatch)."""
    if direction == "synthesis":
        a, details = signature
        return _compiled(plan, direction).get_concrete_function(a, [dict(d) for d in details])
    return _compiled(plan, direction, offset).get_concrete_function(signature)


def dispatch_compiled() -> bool:
    """Run our own compiled function: when eager, unless ``tf.config.run_functions_eagerly(True)``.

    Inside a caller's ``tf.function`` the transform is traced inline instead.
    """
    TF = tf()
    return TF.executing_eagerly() and not TF.config.functions_run_eagerly()


def _spec(t: Tensor | None) -> Any:
    return None if t is None else tf().TensorSpec(t.shape, t.dtype)


def forward(plan: Plan, x: Tensor, offset: int | None = None) -> tuple[Tensor, Details]:
    """Run the forward transform of ``plan`` on tensor ``x``: ``(cA_n, [details_n, ..., details_1])``.

    With ``offset``, ``x`` is a flat buffer holding the input from element
    ``offset`` on (a window made by :func:`filterbank.coeffs.prepare`).
    """
    if dispatch_compiled():
        return _concrete(plan, "analysis", offset, _spec(x))(x)
    return _analysis_of(plan, offset, False, x)


def inverse(plan: Plan, a: Tensor | None, details: Details) -> Tensor:
    """Run the inverse transform of ``plan`` (details coarsest first, ``None`` entries allowed)."""
    if dispatch_compiled():
        signature = (_spec(a), tuple(tuple((k, _spec(v)) for k, v in d.items()) for d in details))
        return _concrete(plan, "synthesis", None, signature)(a, details)
    return _synthesis(plan, a, details)


def pywt_lengths(
    a_shape: tuple[int, ...] | None,
    detail_shapes: list[tuple[int, ...] | None],
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
            n_c = ref[axis]
            natural = idwt_len(n_c, filter_len, mode)
            n_signal = natural
            if nxt is not None:
                if natural - nxt[axis] not in (0, 1):
                    raise CoefficientsError(
                        f"coefficient shape mismatch: level {len(detail_shapes) - j} has length {n_c} "
                        f"along axis {axis}, which reconstructs {natural} samples, but the next level's "
                        f"details have length {nxt[axis]} (expected {natural} or {natural - 1})"
                    )
                n_signal = nxt[axis]
            level_lengths.append((n_signal, n_c))
        lengths.append(tuple(level_lengths))
    return tuple(lengths[::-1])
