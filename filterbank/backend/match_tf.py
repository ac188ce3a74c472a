"""`filterbank.match_template` on TensorFlow: the steps of `filterbank.backend.match_numpy`, as tensors.

Batched over every leading axis (of unknown size inside a ``tf.function``),
differentiable with respect to the image and the template. The flat-window
rule is applied with a safe denominator (``tf.where`` on both sides), so
gradients stay finite where scores are 0 by definition.

Padding reproduces ``numpy.pad`` axis by axis, ``m`` samples per side (as
skimage pads), cropped to what the scores need::

    constant     c c c | x1 ... xn | c c c           (before / after values per axis)
    edge         x1 x1 | x1 ... xn | xn xn           index maps from numpy.pad itself:
    reflect      x3 x2 | x1 ... xn | x(n-1) ...      np.pad(arange(n), m, mode)
    symmetric    x2 x1 | x1 ... xn | xn x(n-1)       (so widths past n behave as numpy's)
    wrap         ...xn | x1 ... xn | x1 ...
    linear_ramp  0 .. x1 | x1 ... xn | xn .. 0       ramps of m samples to 0
    maximum, minimum, mean, median                   the statistic of the whole line
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from filterbank.backend._tf import tf as _tf

__all__ = ["box_sum", "extend", "match", "match_via_numpy", "on_cpu"]

_FFT = {1: ("rfft", "irfft"), 2: ("rfft2d", "irfft2d"), 3: ("rfft3d", "irfft3d")}


def _window(a: Any, axis: int, start: int, length: int) -> Any:
    index = [slice(None)] * len(a.shape)
    index[axis] = slice(start, start + length)
    return a[tuple(index)]


def box_sum(tf: Any, a: Any, axis: int, m: int) -> Any:
    """Sums of ``m`` consecutive samples along ``axis`` (``n - m + 1``), by doubling.

    The algorithm of `filterbank.backend.match_numpy.box_sum` (drawn there): sums of
    1, 2, 4, ... samples, combined by the binary digits of ``m``.
    """
    n = int(a.shape[axis])
    length = n - m + 1
    result, offset, power, p = None, 0, a, 1
    while True:
        if m & p:
            part = _window(power, axis, offset, length)
            result = part if result is None else result + part
            offset += p
        if 2 * p > m:
            return result
        size = int(power.shape[axis]) - p
        power = _window(power, axis, 0, size) + _window(power, axis, p, size)
        p *= 2


def _along(values: np.ndarray, ndim: int, axis: int) -> np.ndarray:
    shape = [1] * ndim
    shape[axis] = values.size
    return values.reshape(shape)


def _pad_axis(tf: Any, t: Any, axis: int, m: int, start: int, length: int, plan: Any, row: int) -> Any:
    """``numpy.pad(t, m on axis, plan.mode)[start:start + length]`` along ``axis``."""
    n = t.shape[axis]
    ndim = len(t.shape)
    mode = plan.mode
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        idx = np.pad(np.arange(n), (m, m), mode=mode)[start:start + length]
        return tf.gather(t, idx, axis=axis)
    head = [slice(None)] * axis
    if mode == "constant":
        before, after = plan.constant_values[row]
        widths = [[0, 0]] * ndim
        widths[axis] = [m, m]
        fill = np.concatenate([np.full(m, before), np.zeros(n), np.full(m, after)]).astype(t.dtype.as_numpy_dtype)
        padded = tf.pad(t, widths) + _along(fill, ndim, axis)
    elif mode == "linear_ramp":
        ramp = (np.arange(m) / m).astype(t.dtype.as_numpy_dtype)  # numpy.linspace(0, edge, m, endpoint=False)
        first = t[tuple(head + [slice(0, 1)])]
        last = t[tuple(head + [slice(n - 1, n)])]
        padded = tf.concat([first * _along(ramp, ndim, axis), t, last * _along(ramp[::-1], ndim, axis)], axis)
    else:
        stat = _statistic(tf, t, axis, mode)
        block = tf.repeat(stat, m, axis=axis)
        padded = tf.concat([block, t, block], axis)
    return padded[tuple(head + [slice(start, start + length)])]


def _statistic(tf: Any, t: Any, axis: int, mode: str) -> Any:
    if mode == "maximum":
        return tf.reduce_max(t, axis=axis, keepdims=True)
    if mode == "minimum":
        return tf.reduce_min(t, axis=axis, keepdims=True)
    if mode == "mean":
        return tf.reduce_mean(t, axis=axis, keepdims=True)
    n = t.shape[axis]
    s = tf.sort(t, axis=axis)
    head = [slice(None)] * axis
    hi = s[tuple(head + [slice(n // 2, n // 2 + 1)])]
    if n % 2:
        return hi
    lo = s[tuple(head + [slice(n // 2 - 1, n // 2)])]
    return (lo + hi) / 2


def extend(tf: Any, x: Any, plan: Any) -> Any:
    """The batch ``(B, *sizes)`` as the valid correlation needs it (padded where ``pad_input``)."""
    if not plan.pad_input:
        return x
    for row, (m, length) in enumerate(zip(plan.template_shape, plan.extended)):
        x = _pad_axis(tf, x, 1 + row, m, m - m // 2, length, plan, row)
    return x


def _numerator(tf: Any, xc: Any, t: Any, plan: Any, correlate: Any) -> Any:
    d = len(plan.template_shape)
    if plan.method == "direct":
        return correlate(xc, t, "valid", axes=tuple(range(1, d + 1)))
    forward, inverse = (getattr(tf.signal, name) for name in _FFT[d])
    spectrum = tf.math.conj(forward(t, fft_length=list(plan.fft_shape)))
    full = inverse(forward(xc, fft_length=list(plan.fft_shape)) * spectrum, fft_length=list(plan.fft_shape))
    return full[(slice(None),) + tuple(slice(0, o) for o in plan.out)]


def _unit_template(tf: Any, template: Any, plan: Any) -> Any:
    t = tf.cast(tf.convert_to_tensor(template), plan.dtype)
    t0 = t - tf.reduce_mean(t)
    if not tf.executing_eagerly():  # values unknown while tracing: checked when the graph runs
        spread = tf.reduce_max(t) - tf.reduce_min(t)
        check = tf.debugging.assert_greater(
            spread, tf.zeros((), t.dtype),
            message="template must not be constant (a flat template has no correlation coefficient: its values must vary)")
        with tf.control_dependencies([check]):
            t0 = tf.identity(t0)
    return t0 * tf.math.rsqrt(tf.reduce_sum(t0 * t0))


def _normalize(tf: Any, xc: Any, num: Any, template_shape: tuple[int, ...], tolerance: float) -> Any:
    """Scores from the centred batch ``xc`` and the correlation ``num``: box sums, variance, flat rule, clip."""
    s1, s2 = xc, xc * xc
    for axis, m in enumerate(template_shape):
        s1, s2 = box_sum(tf, s1, 1 + axis, m), box_sum(tf, s2, 1 + axis, m)
    v = s2 - s1 * s1 * (1.0 / math.prod(template_shape))
    flat = v <= s2 * tolerance
    safe = tf.where(flat, tf.ones_like(v), v)
    return tf.where(flat, tf.zeros_like(v), tf.clip_by_value(num * tf.math.rsqrt(safe), -1.0, 1.0))


@functools.lru_cache(maxsize=1)
def _xla_on_cpu() -> bool:
    """Whether `_normalizer`'s XLA program runs: TensorFlow built with XLA, and no GPU (the ops run on the CPU)."""
    tf = _tf()
    return bool(tf.test.is_built_with_xla()) and not tf.config.list_logical_devices("GPU")


@functools.lru_cache(maxsize=16)
def _normalizer(template_shape: tuple[int, ...], tolerance: float, extended: tuple[int, ...],
                out: tuple[int, ...], dtype: str) -> Any:
    """`_normalize` as one XLA program for one shape of image and template (any batch size).

    Run op by op, the doublings of the box sums each write a batch-sized
    tensor (about 6x slower on a 2-core CPU for 16 x 1024 x 1024 and a 64 x 64
    template); XLA fuses them, and adds in the same order (no reassociation),
    so the sums are the same bit for bit.
    """
    tf = _tf()
    spec = [tf.TensorSpec((None, *extended), dtype), tf.TensorSpec((None, *out), dtype)]
    return tf.function(lambda xc, num: _normalize(tf, xc, num, template_shape, tolerance),
                       jit_compile=True, input_signature=spec)


def match(image: Any, template: Any, plan: Any, correlate: Any) -> Any:
    """`filterbank.match_template` as TensorFlow ops (eager or traced); ``correlate`` is `filterbank.correlate`."""
    tf = _tf()
    comp = plan.dtype
    d = len(plan.axes)
    device = getattr(image, "device", "") if tf.is_tensor(image) else ""
    with tf.device(device or None):
        x = tf.cast(tf.convert_to_tensor(image), comp)
        ndim = len(x.shape)
        rest = [a for a in range(ndim) if a not in plan.axes]
        perm = rest + list(plan.axes)
        if perm != list(range(ndim)):
            x = tf.transpose(x, perm)
        batch_shape = tf.shape(x)[: ndim - d]
        x = tf.reshape(x, [-1, *plan.image_sizes])
        e = extend(tf, x, plan)
        spatial = list(range(1, d + 1))
        xc = e - tf.reduce_mean(e, axis=spatial, keepdims=True)
        t = _unit_template(tf, template, plan)
        num = _numerator(tf, xc, t, plan, correlate)
        if _xla_on_cpu():
            score = _normalizer(plan.template_shape, plan.flat_tolerance, plan.extended, plan.out, plan.dtype)(xc, num)
        else:  # a GPU runs the ops fast one by one, and a GPU plug-in need not have XLA
            score = _normalize(tf, xc, num, plan.template_shape, plan.flat_tolerance)
        score = tf.reshape(score, tf.concat([batch_shape, list(plan.out)], 0))
        if perm != list(range(ndim)):
            score = tf.transpose(score, np.argsort(perm).tolist())
    return score


def on_cpu(image: Any, template: Any) -> bool:
    """Whether an eager call runs on the CPU (the device of the tensor argument, else TensorFlow's default)."""
    tf = _tf()
    device = next((getattr(v, "device", "") for v in (image, template) if tf.is_tensor(v)), "")
    if device:
        return "GPU" not in device.upper()
    return not tf.config.list_logical_devices("GPU")


def match_via_numpy(image: Any, template: Any, plan: Any, correlate: Any) -> Any:
    """An eager call on the CPU: the numpy kernel's scores as a tensor, differentiable as `match`.

    The scores come from `filterbank.backend.match_numpy` (scipy's FFTs, one
    thread per core); under a ``tf.GradientTape`` the backward pass
    differentiates the TensorFlow ops of `match` (run again only then), so
    gradients are those of the tensor path.
    """
    from filterbank.backend import match_numpy
    from filterbank.backend.convert import share_array

    tf = _tf()
    x = tf.convert_to_tensor(image)  # a variable is read here, where the tape sees it
    inputs = [x] + ([tf.convert_to_tensor(template)] if tf.is_tensor(template) else [])
    fixed = None if tf.is_tensor(template) else np.asarray(template)

    def values(v: Any) -> np.ndarray:  # a read-only view of the tensor's memory (the kernel never writes to it)
        return np.asarray(v if v.dtype in (tf.float32, tf.float64) else tf.cast(v, plan.dtype))

    @tf.custom_gradient
    def scores(*args: Any) -> Any:
        t_value = fixed if fixed is not None else values(args[1])
        with tf.device("/CPU:0"):
            out = share_array(match_numpy.match(values(args[0]), t_value, plan))  # no copy either way

        def grad(dy: Any) -> Any:
            with tf.GradientTape() as tape:
                tape.watch(list(args))
                y = match(args[0], args[1] if fixed is None else fixed, plan, correlate)
            return tape.gradient(y, list(args), output_gradients=dy)

        return out, grad

    return scores(*inputs)
