"""`filterbank.match_template` on numpy: scipy's FFTs, block box sums, one image per thread.

The same computation as `filterbank.backend.match_tf`, step for step, so both give
the same scores to rounding. Each batch item is done in one piece (its
arrays stay in cache), items are spread over the CPU cores (scipy's FFTs and
numpy's loops release the GIL).

Box sums by doubling: ``W1 = x``, ``W2[i] = W1[i] + W1[i + 1]``,
``W4[i] = W2[i] + W2[i + 2]``, ...; a window of ``m`` samples adds the ``W``
of the binary digits of ``m`` at growing offsets (``m = 6``: ``W2[i] + W4[i + 2]``)::

    x    a  b  c  d  e  f  g
    W2   a+b   b+c   c+d   d+e   e+f   f+g
    W4   (a+b)+(c+d)   (b+c)+(d+e)   (c+d)+(e+f)   (d+e)+(f+g)
    W6   W2[0] + W4[2] = (a+b) + ((c+d)+(e+f))

Every partial sum adds samples of its own window only, in a tree of depth
``floor(log2 m) + popcount(m)``: the rounding is relative to the window,
whatever the rest of the image holds, and a window of equal values is always
found flat (`filterbank.match.MatchPlan.flat_tolerance`). About
``log2 m`` array additions per axis.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from filterbank.errors import InputError

__all__ = ["box_sum", "extend", "match", "unit_template"]


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def unit_template(template: np.ndarray, dtype: Any) -> np.ndarray:
    """``(t - mean t) / ||t - mean t||`` computed in float64, returned in ``dtype``."""
    t = np.asarray(template, np.float64)
    t0 = t - t.mean()
    return (t0 / math.sqrt(float(np.sum(t0 * t0)))).astype(dtype)


def _window(a: np.ndarray, axis: int, start: int, length: int) -> np.ndarray:
    index = [slice(None)] * a.ndim
    index[axis] = slice(start, start + length)
    return a[tuple(index)]


def box_sum(a: np.ndarray, axis: int, m: int) -> np.ndarray:
    """Sums of ``m`` consecutive samples along ``axis`` (``n - m + 1`` of them), by doubling.

    Examples
    --------
    >>> box_sum(np.arange(6.0), 0, 3)
    array([ 3.,  6.,  9., 12.])
    """
    n = a.shape[axis]
    length = n - m + 1
    result: np.ndarray | None = None
    offset, power, p = 0, a, 1
    while True:
        if m & p:
            part = _window(power, axis, offset, length)
            result = part if result is None else result + part
            offset += p
        if 2 * p > m:
            assert result is not None  # m >= 1 has a highest binary digit
            return result
        size = power.shape[axis] - p
        power = _window(power, axis, 0, size) + _window(power, axis, p, size)
        p *= 2


def extend(x: np.ndarray, plan: Any) -> np.ndarray:
    """The image as the valid correlation needs it: padded as skimage pads (``m`` per side), then cropped."""
    if not plan.pad_input:
        return x
    lead = x.ndim - len(plan.template_shape)
    widths = [(0, 0)] * lead + [(m, m) for m in plan.template_shape]
    if plan.mode == "constant":
        cv = [(0.0, 0.0)] * lead + [tuple(row) for row in plan.constant_values]
        padded = np.pad(x, widths, mode="constant", constant_values=cv)
    else:
        padded = np.pad(x, widths, mode=plan.mode)
    crop = (slice(None),) * lead + tuple(slice(m - m // 2, m - m // 2 + e) for m, e in zip(plan.template_shape, plan.extended))
    return padded[crop]


def _correlate(xc: np.ndarray, t: np.ndarray, spectrum: np.ndarray | None, plan: Any, workers: int) -> np.ndarray:
    import scipy.fft

    if spectrum is None:  # direct: one multiply-add of a shifted view per template sample
        out = np.zeros(plan.out, xc.dtype)
        scratch = np.empty(plan.out, xc.dtype)
        for j in np.ndindex(*t.shape):
            view = xc[tuple(slice(i, i + o) for i, o in zip(j, plan.out))]
            out += np.multiply(view, t[j], out=scratch)
        return out
    full = scipy.fft.irfftn(scipy.fft.rfftn(xc, s=plan.fft_shape, workers=workers) * spectrum,
                            s=plan.fft_shape, workers=workers)
    return full[tuple(slice(0, o) for o in plan.out)]


def check_finite(image: np.ndarray) -> None:
    """Refuse a numpy image holding NaN or inf, with the first such index."""
    if image.dtype.kind == "f" and not np.all(np.isfinite(image)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(image))[0])
        raise InputError(f"image must be finite; got {float(image[bad])!r} at index {bad}")


def scores_of(e: np.ndarray, t: np.ndarray, spectrum: np.ndarray | None, plan: Any, workers: int = 1) -> np.ndarray:
    """Scores of one (extended) image ``e`` against the unit template ``t``."""
    mu = e.mean(dtype=np.float64)
    if not np.isfinite(mu):
        check_finite(e)  # names the first NaN / inf; a finite image whose mean overflows keeps mu = 0
        mu = 0.0
    xc = e - e.dtype.type(mu)
    num = _correlate(xc, t, spectrum, plan, workers)
    s1, s2 = xc, xc * xc
    for axis, m in enumerate(plan.template_shape):
        s1, s2 = box_sum(s1, axis, m), box_sum(s2, axis, m)
    v = s2 - s1 * s1 * s1.dtype.type(1.0 / math.prod(plan.template_shape))
    flat = v <= s2 * s2.dtype.type(plan.flat_tolerance)
    v[flat] = 1
    np.sqrt(v, out=v)
    num /= v
    num[flat] = 0
    return np.clip(num, -1, 1, out=num)


def match(image: np.ndarray, template: np.ndarray, plan: Any) -> np.ndarray:
    """`filterbank.match_template` of numpy arrays, already checked into ``plan``."""
    import scipy.fft

    comp = np.dtype(plan.dtype)
    d = len(plan.axes)
    x = np.moveaxis(image, plan.axes, tuple(range(image.ndim - d, image.ndim)))
    batch_shape = x.shape[:-d]
    x = x.reshape((-1,) + plan.image_sizes)
    t = unit_template(template, comp)
    spectrum = np.conj(scipy.fft.rfftn(t, s=plan.fft_shape)) if plan.method == "fft" else None
    out = np.empty((x.shape[0],) + plan.out, comp)
    threads = min(x.shape[0], _cores())
    workers = max(1, _cores() // threads)

    def one(b: int) -> None:
        out[b] = scores_of(extend(x[b].astype(comp, copy=False), plan), t, spectrum, plan, workers)

    if threads > 1:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, range(x.shape[0])))
    else:
        for b in range(x.shape[0]):
            one(b)
    out = out.reshape(batch_shape + plan.out)
    return np.moveaxis(out, tuple(range(out.ndim - d, out.ndim)), plan.axes)
