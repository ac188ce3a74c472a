"""Stationary (undecimated, "a trous") wavelet transforms, as PyWavelets' ``swt`` family.

``swt / iswt``, ``swt2 / iswt2``, ``swtn / iswtn`` and ``swt_max_level`` take
PyWavelets' arguments (``level``, ``start_level``, ``axis`` / ``axes``,
``trim_approx``, ``norm``) and return its layouts; float64 results equal
PyWavelets to 1e-12 relative for every discrete wavelet.

The plan (`filterbank.plans.stationary`) draws the a trous filtering and its
inverse; the backend's engine runs it with the DWT's driver and compile cache.
Every transformed axis needs a length divisible by ``2**(start_level + level)``.

This module does not import TensorFlow at import time.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from filterbank.backend import engine
from filterbank.backend.convert import (
    common_arrays,
    common_tensors,
    finish,
    inspect,
    is_tensor,
    to_tensor,
    window_offset,
    windowed,
)
from filterbank.backend.tiers import Compile, check_compile, numpy_first
from filterbank.errors import CoefficientsError, FilterBankWarning, InputError, check_count, normalize_axes
from filterbank.plans.stationary import stationary_plan
from filterbank.transforms import _calls
from filterbank.transforms._dispatch import static_sizes
from filterbank.transforms._layouts import describe, read_swt
from filterbank.transforms.decimated import two_axes as _two_axes

__all__ = ["iswt", "iswt2", "iswtn", "swt", "swt2", "swt_max_level", "swtn"]

Array = Any
Tensor = Any


def swt_max_level(input_len: Any) -> int:
    """Deepest SWT level for a length (or the shortest of several): how often 2 divides it.

    A length that allows no level (an odd one) gives 0 and warns, as
    PyWavelets does, with a `filterbank.FilterBankWarning` (a ``UserWarning``).

    Examples
    --------
    >>> swt_max_level(24), swt_max_level((64, 48))
    (3, 4)
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     swt_max_level(7), str(caught[0].message)
    (0, 'swt_max_level: input length 7 is odd, so no SWT level is possible (each level needs a length divisible by 2)')
    """
    deepest, lengths = _deepest(input_len)
    if deepest == 0:
        odd = next(n for n in lengths if n % 2)
        warnings.warn(
            f"swt_max_level: input length {odd} is odd, so no SWT level is possible "
            "(each level needs a length divisible by 2)",
            FilterBankWarning,
            stacklevel=2,
        )
    return deepest


def _deepest(input_len: Any) -> tuple[int, list[int]]:
    """`swt_max_level` without its warning, and the lengths it read."""
    if isinstance(input_len, (int, np.integer)):
        lengths = [input_len]
    elif isinstance(input_len, (list, tuple, np.ndarray)):
        lengths = list(np.ravel(input_len)) if isinstance(input_len, np.ndarray) else list(input_len)
    else:
        raise InputError(f"input_len must be a positive integer or a sequence of them; got {describe(input_len)}")
    if not lengths:
        raise InputError("input_len must be a positive integer or a sequence of them; got an empty sequence")
    out = []
    for n in lengths:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise InputError(f"input_len must be a positive integer or a sequence of them; got {input_len!r}")
        out.append((int(n) & -int(n)).bit_length() - 1)
    return min(out), [int(n) for n in lengths]


# --------------------------------------------------------------------------- public API


def _decompose(
    data: Array, wavelet: Any, level: int | None, start_level: int, axes: Any, norm: bool, func: str,
    compile: Any = None,
) -> list[dict[str, Array]]:
    """Run the forward SWT; return the levels (finest first, dicts keyed 'ad'..., approximation included)."""
    key, runner = _calls.lookup(func, data, wavelet, (level, start_level, axes, norm, compile))
    if runner is not None:
        return runner(data)  # type: ignore[no-any-return]
    ins = inspect(data)
    comp = check_compile(compile)
    ax = normalize_axes(axes, len(ins.shape))
    sizes = static_sizes(ins.shape, ax, func)
    start = int(check_count("start_level", start_level) or 0)
    deepest = _deepest(sizes)[0]
    asked = check_count("level", level, none=True)
    level = deepest - start if asked is None else asked
    if level + start > deepest:
        raise InputError(
            f"level {level} from start_level {start_level} is too deep for axis lengths {sizes}: "
            f"level + start_level must be at most {deepest} (the SWT needs lengths divisible by "
            f"2**(level + start_level))"
        )
    plan = stationary_plan(wavelet, ax, start, level, norm=norm, func=func)
    if not level:
        return []
    tier = numpy_first(None, comp, [ins])

    def on_numpy() -> list[dict[str, Any]]:
        return engine.stationary_numpy(plan, "forward", ins.value)  # type: ignore[no-any-return]

    if tier == "only":
        if not norm:  # norm=True may warn: those calls always take the full path
            _calls.store(key, functools.partial(engine.stationary_numpy, plan, "forward"))
        return on_numpy()
    shift = 1 if ins.complex else 0
    box: list[Any] = []
    offset = window_offset(ins)  # a numpy buffer is shared with TensorFlow, not copied

    def convert() -> tuple[Any]:
        box[:] = [to_tensor(ins, window=offset is not None)]
        return (windowed(box[0], offset),)

    shape = ((2,) if shift else ()) + ins.shape
    signature = ((((math.prod(shape) + offset,) if offset else shape), ins.dtype),)  # type: ignore[arg-type]
    device = str(getattr(ins.value, "device", "") or "") if not ins.numpy else ""
    levels = engine.stationary(
        plan.shifted(shift), "forward", comp, convert, signature, device, on_numpy if tier == "first" else None,
        window=None if offset is None else (offset, shape),  # type: ignore[arg-type]
    )
    if not box:  # served on numpy
        return levels  # type: ignore[no-any-return]
    prep = box[0]
    out = [{k: finish(v, prep.numpy, prep.complex) for k, v in lv.items()} for lv in levels]
    if ins.numpy and engine.underflows(out[-1]["a" * len(ax)], ins.dtype):  # subnormals flushed by TensorFlow
        return on_numpy()
    return out


def _layout(levels: list[dict[str, Array]], n: int, trim_approx: bool, detail: Any, data: Array) -> list[Any]:
    """PyWavelets' 1-D / 2-D output list, coarsest first, from levels (finest first)."""
    approx = "a" * n
    if trim_approx:
        return [levels[-1][approx] if levels else data] + [detail(lv) for lv in reversed(levels)]
    return [(lv[approx], detail(lv)) for lv in reversed(levels)]


def swt(
    data: Array, wavelet: Any, level: int | None = None, *, start_level: int = 0, axis: int = -1,
    trim_approx: bool = False, norm: bool = False, compile: Compile | None = None,
) -> list[Any]:
    """Multi-level 1-D stationary wavelet transform, as `pywt.swt`.

    Parameters
    ----------
    data : array_like or tf.Tensor
        Input; every axis but ``axis`` is a batch axis. ``data.shape[axis]``
        must be divisible by ``2**(start_level + level)``.
    wavelet : str, pywt.Wavelet or FilterBank
        The filter bank.
    level : int, optional
        Number of levels; default `swt_max_level` minus ``start_level``.
    start_level : int, default 0
        Skip this many levels (the first computed level upsamples the
        filters by ``2**start_level``).
    axis : int, default -1
        Axis to transform.
    trim_approx : bool, default False
        Return ``[cA_n, cD_n, ..., cD_1]`` instead of ``[(cA_n, cD_n), ..., (cA_1, cD_1)]``.
    norm : bool, default False
        Scale the filters by ``1/sqrt(2)``: with an orthogonal wavelet and
        ``trim_approx=True`` the transform then preserves energy.

    Returns
    -------
    list
        Coefficients, coarsest level first, each the shape of ``data``.

    Examples
    --------
    >>> import numpy as np
    >>> [(cA.round(3).tolist(), cD.round(3).tolist()) for cA, cD in swt(np.arange(4.0), "haar", level=1)]
    [([0.707, 2.121, 3.536, 2.121], [-0.707, -0.707, -0.707, 2.121])]
    """
    levels = _decompose(data, wavelet, level, start_level, (axis,), norm, "swt", compile)
    return _layout(levels, 1, trim_approx, lambda lv: lv["d"], data)


def swt2(
    data: Array, wavelet: Any, level: int, *, start_level: int = 0, axes: Sequence[int] = (-2, -1),
    trim_approx: bool = False, norm: bool = False, compile: Compile | None = None,
) -> list[Any]:
    """Multi-level 2-D stationary wavelet transform, as `pywt.swt2`.

    Returns ``[(cA_n, (cH_n, cV_n, cD_n)), ..., (cA_1, (cH_1, cV_1, cD_1))]``, or
    ``[cA_n, (cH_n, cV_n, cD_n), ..., (cH_1, cV_1, cD_1)]`` with ``trim_approx``.
    ``wavelet`` may be a pair, one per axis.

    Examples
    --------
    >>> import numpy as np
    >>> c = swt2(np.ones((4, 4)), "haar", level=1)
    >>> c[0][0].tolist()[0], float(np.abs(c[0][1][2]).max())
    ([2.0, 2.0, 2.0, 2.0], 0.0)
    """
    ax = _two_axes(axes)
    levels = _decompose(data, wavelet, level, start_level, ax, norm, "swt2", compile)
    return _layout(levels, 2, trim_approx, lambda lv: (lv["da"], lv["ad"], lv["dd"]), data)


def swtn(
    data: Array, wavelet: Any, level: int, *, start_level: int = 0, axes: Sequence[int] | None = None,
    trim_approx: bool = False, norm: bool = False, compile: Compile | None = None,
) -> list[Any]:
    """Multi-level n-D stationary wavelet transform, as `pywt.swtn`.

    Returns a list of dicts keyed ``'aa'``, ``'ad'``, ... (one letter per axis),
    coarsest first; with ``trim_approx`` the first entry is ``cA_n`` and the
    dicts hold only the details. ``wavelet`` may be a sequence, one per axis.

    Examples
    --------
    >>> import numpy as np
    >>> sorted(swtn(np.ones((4, 4, 4)), "haar", level=1)[0])[:3]
    ['aaa', 'aad', 'ada']
    """
    ax = tuple(range(len(inspect(data).shape))) if axes is None else axes
    levels = _decompose(data, wavelet, level, start_level, ax, norm, "swtn", compile)
    approx = "a" * len(tuple(ax))
    if trim_approx:
        out: list[Any] = [levels[-1][approx] if levels else data]
        out += [{k: v for k, v in lv.items() if k != approx} for lv in reversed(levels)]
        return out
    return [dict(lv) for lv in reversed(levels)]


def _reconstruct(
    approx: Array, details: list[dict[str, Array]], wavelet: Any, axes: Any, norm: bool, func: str,
    compile: Any = None, key: Any = None, raw: Any = None,
) -> Array:
    """Invert levels given coarsest first (``details[j]`` maps keys to arrays).

    ``key`` is the call's signature and ``raw`` the coefficients the user gave:
    a call that ends on the numpy tier stores a runner for its repeats.
    """
    arrays = [approx] + [v for d in details for v in d.values() if v is not None]
    ins = [inspect(x, "coefficients") for x in arrays]
    comp = check_compile(compile)
    shapes = {i.shape for i in ins}
    if len(shapes) != 1:
        raise CoefficientsError(f"{func}: every coefficient array must have the input's shape; got {sorted(shapes, key=str)}")
    shape = shapes.pop()
    ax = normalize_axes(axes, len(shape))
    n_keys = {len(k) for d in details for k in d}
    if n_keys - {len(ax)}:
        raise CoefficientsError(f"{func}: coefficient keys must have {len(ax)} letters (one per axis); got {sorted(n_keys)}")
    deepest = _deepest(static_sizes(shape, ax, func))[0]
    if len(details) > deepest:
        raise CoefficientsError(
            f"{func}: {len(details)} levels need axis lengths divisible by 2**{len(details)}; got shape {shape}"
        )
    plan = stationary_plan(wavelet, ax, 0, len(details), norm=norm, func=func)
    tier = numpy_first(None, comp, ins)
    is_complex = any(i.complex for i in ins)

    def arranged(values: list[Any]) -> tuple[Any, list[dict[str, Any]]]:
        converted = {id(x): t for x, t in zip(arrays, values)}
        return converted[id(approx)], [{k: None if v is None else converted[id(v)] for k, v in d.items()} for d in details]

    def on_numpy() -> Any:
        a, t_details = arranged(common_arrays(ins))
        return engine.stationary_numpy(plan, "inverse", a, t_details) if details else np.array(a)

    if tier == "only":
        if key is not None and details and not norm:
            _store_inverse(key, raw, arrays, plan, *arranged(common_arrays(ins)))
        return on_numpy()
    shift = 1 if is_complex else 0
    if not details:
        tensors, _ = common_tensors([to_tensor(i) for i in ins])
        return finish(tensors[0], not any(is_tensor(x) for x in arrays), is_complex, fresh=False)
    dtype = "float64" if any(i.dtype == "float64" for i in ins) else "float32"
    leaf = ((2,) * shift + shape, dtype)
    signature = (leaf, tuple(tuple((k, None if v is None else leaf) for k, v in d.items()) for d in details))

    def convert() -> tuple[Any, ...]:
        return arranged(common_tensors([to_tensor(i) for i in ins])[0])

    device = next((str(getattr(i.value, "device", "") or "") for i in ins if not i.numpy), "")
    out = engine.stationary(
        plan.shifted(shift), "inverse", comp, convert, signature, device, on_numpy if tier == "first" else None
    )
    if not isinstance(out, np.ndarray):
        out = finish(out, not any(is_tensor(x) for x in arrays), is_complex, fresh=True)
    if isinstance(out, np.ndarray) and all(i.numpy for i in ins) and engine.underflows(out, dtype):
        return on_numpy()  # TensorFlow may have flushed subnormals: numpy keeps them
    return out


def _store_inverse(key: Any, raw: Any, arrays: list[Any], plan: Any, a: Any, details: list[dict[str, Any]]) -> None:
    """Store the runner of a numpy-tier inverse: the user's coefficients -> the plan's numpy program."""
    positions = _calls.positions(raw, arrays)
    if positions is not None:
        program = engine.stationary_inverse_program(plan, a, details)

        def run(coeffs: Any) -> Any:
            flat = _calls.arrays_of(coeffs)
            return program(*[flat[i] for i in positions])

        _calls.store(key, run, getattr(program, "nbytes", 0))


def iswt(
    coeffs: Sequence[Any], wavelet: Any, *, norm: bool = False, axis: int = -1, compile: Compile | None = None
) -> Array:
    """Inverse of `swt` (made with ``start_level=0``), as `pywt.iswt`.

    Accepts both layouts of `swt`; only the coarsest approximation is
    used. For a perfect-reconstruction bank it returns the signal exactly.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(8.0)
    >>> np.allclose(iswt(swt(x, "db2", level=2), "db2"), x)
    True
    """
    key, runner = _calls.lookup("iswt", coeffs, wavelet, (norm, axis, compile))
    if runner is not None:
        return runner(coeffs)
    levels = read_swt(coeffs, "iswt", "1d")
    return _reconstruct(levels.approx, levels.details, wavelet, (axis,), norm, "iswt", compile, key, coeffs)


def iswt2(
    coeffs: Sequence[Any], wavelet: Any, *, norm: bool = False, axes: Sequence[int] = (-2, -1),
    compile: Compile | None = None,
) -> Array:
    """Inverse of `swt2`, as `pywt.iswt2` (either layout).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(16.0).reshape(4, 4)
    >>> np.allclose(iswt2(swt2(x, "haar", level=2), "haar"), x)
    True
    """
    key = _calls.signature("iswt2", coeffs, wavelet, (norm, axes, compile)) if isinstance(axes, tuple) else None
    runner = _calls.find(key)
    if runner is not None:
        return runner(coeffs)
    levels = read_swt(coeffs, "iswt2", "2d")
    return _reconstruct(levels.approx, levels.details, wavelet, _two_axes(axes), norm, "iswt2", compile, key, coeffs)


def iswtn(
    coeffs: Sequence[Any], wavelet: Any, *, axes: Sequence[int] | None = None, norm: bool = False,
    compile: Compile | None = None,
) -> Array:
    """Inverse of `swtn`, as `pywt.iswtn` (either layout).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(64.0).reshape(4, 4, 4)
    >>> np.allclose(iswtn(swtn(x, "db1", level=2), "db1"), x)
    True
    """
    levels = read_swt(coeffs, "iswtn", "nd")
    ax = tuple(range(levels.ndim)) if axes is None else axes
    return _reconstruct(levels.approx, levels.details, wavelet, ax, norm, "iswtn", compile)
