"""The boundary between the public transforms and the engine: validate, convert, dispatch.

`filterbank.transform` holds the PyWavelets-compatible signatures and
docstrings; the helpers here check axes and coefficient lists, convert data
(`filterbank.coeffs`), pick the plan and run it (`filterbank.engine`),
and choose between the exact-shape inverse (coefficients made by filterbank) and
PyWavelets' length rule (coefficients made elsewhere). No TensorFlow at import.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from filterbank.backend.convert import is_tensor
from filterbank.transforms.coefficients import Coefficients
from filterbank.backend.convert import common_arrays, common_tensors, finish, inspect, to_tensor, window_offset, windowed
from filterbank.design.bank import FilterBank
from filterbank.design.names import as_filterbank
from filterbank.errors import CoefficientsError, InputError, check_option, normalize_axes
from filterbank.modes import check_mode
from filterbank.plans.decimated import Plan, analysis_plan, kernels_of, synthesis_plan
from filterbank.plans.lengths import check_level, dwt_max_level, per_axis, pywt_lengths
from filterbank.transforms import _calls
from filterbank.backend.tiers import check_compile, numpy_first

Array = Any


def bank_of(wavelet: Any) -> FilterBank:
    return as_filterbank(wavelet)


def per_axis_banks(wavelet: Any, mode: Any, n_axes: int) -> tuple[Any, Any, tuple[int, ...], tuple[str, ...]]:
    """Resolve ``wavelet`` and ``mode`` (one value, or one per transformed axis).

    Returns the bank and mode arguments for a plan (single values when every
    axis shares them, so plans are shared too), the filter length per axis and
    the mode per axis.
    """
    banks = tuple(bank_of(w) for w in per_axis("wavelet", wavelet, n_axes))
    modes = tuple(check_mode(m) for m in per_axis("mode", mode, n_axes))
    lens = tuple(kernels_of(b).filter_length for b in banks)
    bank_arg = banks[0] if all(b is banks[0] for b in banks) else banks
    mode_arg = modes[0] if len(set(modes)) == 1 else modes
    return bank_arg, mode_arg, lens, modes


def decompose(
    data: Array, wavelet: Any, mode: str, level: int | None, axes: Any, executor: Any, check: bool,
    compile: Any = None, finish: Callable[..., Any] | None = None,
) -> Any:
    """Validate, plan and run a forward DWT; return ``(cA, details, input shape, axes)``.

    With ``finish``, return ``finish(cA, details, input shape, axes, mode)``
    instead (the public layout; ``mode`` as the caller gave it), so a repeat
    served from the call memo (`filterbank.transforms._calls`) goes straight
    from the array to that layout. Everything is checked before TensorFlow
    is touched; small numpy inputs never touch it (see `filterbank.tiers`).
    """
    key, runner = _calls.lookup(("decompose", finish, check), data, wavelet, (mode, level, axes, executor, compile))
    if runner is not None:
        return runner(data)
    from filterbank.backend import engine

    asked_mode = mode
    if finish is None:
        finish = _as_tuple
    ins = inspect(data)
    ex = check_executor(executor)
    comp = check_compile(compile)
    ax = normalize_axes(axes, len(ins.shape))
    bank, mode, lens, _ = per_axis_banks(wavelet, mode, len(ax))
    sizes = static_sizes(ins.shape, ax, "data")
    lev = check_level(sizes, list(lens), level) if check else int(level or 0)
    if not lev:  # level 0: the "approximation" is the input itself, returned as a copy
        return finish((np.array(ins.value) if ins.numpy else ins.value), [], ins.shape, ax, asked_mode)
    tier = numpy_first(ex, comp, [ins], signal=True)
    if tier == "only":
        program = engine.forward_program(analysis_plan(bank, ins.shape, ins.dtype, mode, lev, ax), ins.shape)  # type: ignore[arg-type]
        shape, done = ins.shape, finish

        def run(x: Any) -> Any:
            a, details = program(x)
            return done(a, details, shape, ax, asked_mode)

        if not check or lev <= min(dwt_max_level(n, L) for n, L in zip(sizes, lens)):  # no warning to repeat
            _calls.store(key, run, getattr(program, "nbytes", 0))
        return run(ins.value)
    shift = 1 if ins.complex else 0
    shape = ((2,) if ins.complex else ()) + ins.shape
    p = analysis_plan(bank, shape, ins.dtype, mode, lev, tuple(x + shift for x in ax))
    numpy_plan = analysis_plan(bank, ins.shape, ins.dtype, mode, lev, ax)
    a, details = engine.forward(p, ins, ex, comp, numpy_plan, numpy_first=tier == "first")
    return finish(a, details, ins.shape, ax, asked_mode)


def _as_tuple(a: Any, details: Any, shape: Any, axes: Any, mode: Any) -> tuple[Any, Any, Any, Any]:
    return a, details, shape, axes


def check_executor(executor: Any) -> str | None:
    """Validate ``executor`` (None means automatic)."""
    from filterbank.backend.engine import EXECUTORS

    return None if executor is None else str(check_option("executor", executor, EXECUTORS))


def static_sizes(shape: tuple[int | None, ...], axes: tuple[int, ...], name: str) -> list[int]:
    """Sizes of the transformed ``axes``, which must be known (other axes may be ``None``)."""
    unknown = [a for a in axes if shape[a] is None]
    if unknown:
        raise InputError(
            f"{name}: transformed axes must have a known size; axis {unknown[0]} of shape "
            f"{tuple(shape)} is unknown (batch axes may be None, transformed ones may not)"
        )
    return [int(shape[a]) for a in axes]  # type: ignore[arg-type]


def subband_keys(n: int) -> list[str]:
    return ["".join(k) for k in itertools.product("ad", repeat=n)]


def reconstruct(
    a: Array | None,
    details: list[dict[str, Any]],
    wavelet: Any,
    mode: str,
    axes: Any,
    executor: Any,
    input_shape: tuple[int, ...] | None,
    compile: Any = None,
    key: Any = None,
    raw: Any = None,
) -> Array:
    """Invert ``a`` and ``details`` (coarsest first; dict values may be None).

    ``key`` is the call's signature (`filterbank.transforms._calls`) and
    ``raw`` the coefficient structure the user gave: a call that ends on the
    numpy tier stores a runner for repeats of that signature.
    """
    from filterbank.backend import engine

    arrays = [a] + [v for d in details for v in d.values()]
    present = [x for x in arrays if x is not None]
    if not present:
        raise CoefficientsError("coefficients: at least one array must be given (all are None)")
    ins = [inspect(x, "coefficients") for x in present]
    ex = check_executor(executor)
    comp = check_compile(compile)
    ndims = {len(i.shape) for i in ins}
    if len(ndims) != 1:
        raise CoefficientsError(f"coefficient arrays must all have the same number of dimensions; got {sorted(ndims)}")
    ndim = ndims.pop()
    ax = normalize_axes(axes, ndim)
    for key_len in {len(k) for d in details for k in d}:
        if key_len != len(ax):
            raise CoefficientsError(f"coefficient keys must have {len(ax)} letters (one per axis); got length {key_len}")
    bank, mode, lens, modes = per_axis_banks(wavelet, mode, len(ax))
    shapes = {id(x): i.shape for x, i in zip(present, ins)}
    a_shape = None if a is None else shapes[id(a)]
    d_shapes: list[tuple[int | None, ...] | None] = []
    for j, d in enumerate(details):
        level_shapes = {shapes[id(v)] for v in d.values() if v is not None}
        if len(level_shapes) > 1:
            raise CoefficientsError(
                f"coefficients: the detail arrays of level {len(details) - j} must share one shape; "
                f"got {sorted(level_shapes, key=str)}"
            )
        d_shapes.append(level_shapes.pop() if level_shapes else None)
    ref_shapes = [s for s in [a_shape, *d_shapes] if s is not None]
    for s in ref_shapes:
        static_sizes(s, ax, "coefficients")
    other = [i for i in range(ndim) if i not in ax]
    for s in ref_shapes:
        if any(s[i] != ref_shapes[0][i] for i in other):
            raise CoefficientsError(
                f"coefficients: arrays differ along the non-transformed axes; got shapes {ref_shapes}"
            )
    tier = numpy_first(ex, comp, ins, signal=True)
    dtype = "float64" if any(i.dtype == "float64" for i in ins) else "float32"
    is_complex = any(i.complex for i in ins)

    def plan_for(shift: int) -> tuple[Plan, tuple[slice, ...] | None, tuple[int | None, ...] | None]:
        """The plan for tensors with ``shift`` leading axes, the crop of ``a`` and ``a``'s shape after it."""
        lead = (2,) * shift
        axes_t = tuple(x + shift for x in ax)
        if input_shape is not None and len(input_shape) == ndim and all(input_shape[i] >= 1 for i in ax):
            cand = analysis_plan(bank, lead + tuple(input_shape), dtype, mode, len(details), axes_t)
            if fits(cand, a_shape, d_shapes, shift):
                return cand, None, a_shape
        crop, shape_a = None, a_shape
        if a_shape is not None and d_shapes and d_shapes[0] is not None:
            # PyWavelets drops a trailing extra approximation sample.
            if any(a_shape[i] - d_shapes[0][i] not in (0, 1) for i in ax):  # type: ignore[operator]
                raise CoefficientsError(
                    f"coefficient shape mismatch: approximation {a_shape} does not fit details {d_shapes[0]}"
                )
            if a_shape != d_shapes[0]:
                crop = tuple(slice(0, d_shapes[0][i]) if i in ax else slice(None) for i in range(ndim))
                shape_a = d_shapes[0]
        lengths = pywt_lengths(shape_a, d_shapes, ax, lens, modes)
        out_shape = list(ref_shapes[0])
        for i, axis in enumerate(ax):
            out_shape[axis] = lengths[0][i][0]
        return synthesis_plan(bank, lead + tuple(out_shape), lengths, dtype, mode, axes_t), crop, shape_a

    def arranged(values: list[Any], shift: int, crop: tuple[slice, ...] | None) -> tuple[Any, list[dict[str, Any]]]:
        converted = {id(x): v for x, v in zip(present, values)}
        v_a = None if a is None else converted[id(a)]
        if crop is not None and v_a is not None:
            v_a = v_a[(slice(None),) * shift + crop]
        return v_a, [{k: None if v is None else converted[id(v)] for k, v in d.items()} for d in details]

    # Everything is checked (plans too) before the data is converted or TensorFlow is loaded.
    np_plan, np_crop = None, None
    if tier is not None:
        np_plan, np_crop, _ = plan_for(0)
        if tier == "only":
            a_np, d_np = arranged(common_arrays(ins), 0, np_crop)
            if key is not None:
                _store_inverse(key, raw, present, np_plan, np_crop, a_np, d_np)
            return engine.inverse_numpy(np_plan, a_np, d_np)
    shift = 1 if is_complex else 0
    p, crop, shape_a = plan_for(shift)
    lead = (2,) * shift

    # Real numpy arrays of one dtype are shared with TensorFlow (windows of their buffers), not copied.
    shared = all(i.numpy and not i.complex and i.value.dtype == ins[0].value.dtype for i in ins)
    offsets = {id(x): None if not shared or (crop is not None and x is a) else window_offset(i)
               for x, i in zip(present, ins)}

    def leaf(x: Any, shape: Any) -> Any:
        if shape is None:
            return None
        off = offsets[id(x)]
        return ((math.prod(shape) + off,) if off else lead + tuple(shape), dtype)

    signature = (
        leaf(a, shape_a),
        tuple(tuple((k, None if v is None else leaf(v, shapes[id(v)])) for k, v in d.items()) for d in details),
    )
    windows = None
    if any(offsets.values()):  # (offset, shape) of each windowed argument, in the arguments' structure
        w_a, w_d = arranged([None if offsets[id(x)] is None else (offsets[id(x)], shapes[id(x)]) for x in present], 0, None)
        windows = (w_a, tuple(tuple(d.items()) for d in w_d))  # hashable: part of the compiled program's key

    def convert() -> tuple[Any, list[dict[str, Any]]]:
        if windows is None:
            tensors, _ = common_tensors([to_tensor(i) for i in ins])
        else:
            offs = [offsets[id(x)] for x in present]
            tensors = [windowed(to_tensor(i, window=o is not None), o) for i, o in zip(ins, offs)]
        return arranged(tensors, shift, crop)

    def numpy_arrays() -> tuple[Any, list[dict[str, Any]]]:
        return arranged(common_arrays(ins), 0, np_crop)

    first = (np_plan, numpy_arrays) if tier == "first" and np_plan is not None else None
    device = next((str(getattr(i.value, "device", "") or "") for i in ins if not i.numpy), "")
    out = engine.inverse(p, convert, signature, ex, comp, device, first, windows)
    if not isinstance(out, np.ndarray):  # a tensor: back to the user's form
        out = finish(out, not any(is_tensor(x) for x in present), is_complex)
    values = {id(x): i.value for x, i in zip(present, ins)}
    coarsest = [a, *(details[0].values() if details else [])]  # small arrays: a cheap first look
    tiny = all(i.numpy for i in ins) and all(engine.underflows(values[id(c)], dtype) for c in coarsest if c is not None)
    if tiny and isinstance(out, np.ndarray) and engine.underflows(out, dtype):
        np_plan, np_crop, _ = plan_for(0)  # TensorFlow may have flushed subnormals: numpy keeps them
        return engine.inverse_numpy(np_plan, *arranged(common_arrays(ins), 0, np_crop))
    return out


def _store_inverse(
    key: Any, raw: Any, present: list[Any], plan: Plan, crop: Any, a: Any, details: list[dict[str, Any]]
) -> None:
    """Store the runner of a numpy-tier inverse: the user's structure -> the plan's numpy program."""
    from filterbank.backend import engine

    positions = _calls.positions(raw, present)
    if positions is None:
        return
    program = engine.inverse_program(plan, a, details)
    has_a = a is not None
    nbytes = getattr(program, "nbytes", 0)
    pair = key[0] == "idwt"  # idwt's runners take (cA, cD) as two arguments; every other runner the structure
    if pair and positions == list(range(len(raw))) and (crop is None or not has_a):
        # (cA, cD), both present and taken as they are: the signature fixed the layout, so the
        # program itself is the runner
        _calls.store(key, program, nbytes)
        return

    def run(coeffs: Any) -> Any:
        flat = _calls.arrays_of(coeffs)
        arrays = [flat[i] for i in positions]
        if crop is not None and has_a:
            arrays[0] = arrays[0][crop]
        return program(*arrays)

    _calls.store(key, (lambda *coeffs: run(coeffs)) if pair else run, nbytes)


def fits(p: Plan, a_shape: Any, d_shapes: list[Any], shift: int) -> bool:
    for j, s in enumerate(d_shapes):
        level = len(d_shapes) - j
        want = p.coeff_shape(level)[shift:]
        if s is not None and tuple(s) != want:
            return False
    if a_shape is not None and tuple(a_shape) != p.coeff_shape(len(d_shapes))[shift:]:
        return False
    return True


def with_shape(items: Any, shape: tuple[int, ...], axes: tuple[int, ...], mode: str) -> Coefficients:
    return Coefficients(items, input_shape=shape, axes=axes, mode=mode)


def input_shape_of(coeffs: Any) -> tuple[int, ...] | None:
    shape = getattr(coeffs, "input_shape", None)
    return tuple(shape) if shape is not None else None

