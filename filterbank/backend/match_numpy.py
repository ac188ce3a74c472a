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

from filterbank.backend.convert import fresh_array
from filterbank.errors import InputError

__all__ = ["Workspace", "box_sum", "check_finite", "extend", "match", "scores_of", "unit_template"]


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


class Workspace:
    """Scratch arrays kept for the images one thread scores (no page faults after the first image).

    ``take(key, shape)`` returns an array of ``shape`` over storage kept under
    ``key``; the same key always gives the same memory, so a caller never
    holds two live arrays from one key.
    """

    def __init__(self, dtype: Any) -> None:
        self.dtype = np.dtype(dtype)
        self._store: dict[Any, np.ndarray] = {}

    def take(self, key: Any, shape: tuple[int, ...]) -> np.ndarray:
        size = math.prod(shape)
        flat = self._store.get(key)
        if flat is None or flat.size < size:
            flat = self._store[key] = np.empty(size, self.dtype)
        return flat[:size].reshape(shape)


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


def flat_box_sums(a: np.ndarray, template_shape: tuple[int, ...], work: Workspace, key: Any = "box") -> np.ndarray:
    """`box_sum` over the last ``len(template_shape)`` axes of the C-contiguous ``a``, on its flat memory.

    A shift by ``p`` samples along an axis is a shift by ``p * stride`` in
    ``a.ravel()``, so every doubling is one contiguous addition over the
    whole array (leading axes included: ``a`` may stack several images).
    Windows that run past the end of a line pick up the next line's samples;
    they are exactly the ones the crop drops, and every kept window adds the
    same samples in the same tree as `box_sum` (the same sums, bit for bit).
    Returns a view of shape ``a.shape[:-d] + out`` into ``work`` (or ``a``).
    """
    d = len(template_shape)
    shape = a.shape
    total = math.prod(shape)
    home = a.reshape(-1)  # the full-size array the current sums start in
    valid = total  # entries computed so far (a prefix of `home`)
    for axis, m in enumerate(template_shape):
        stride = math.prod(shape[len(shape) - d + axis + 1:])
        length = valid - (m - 1) * stride
        result: np.ndarray | None = None
        offset, power, p, turn = 0, home[:valid], 1, 0
        power_home = home
        while True:
            if m & p:
                part = power[offset * stride: offset * stride + length]
                if result is None and 2 * p > m:  # the only digit left: the sums are this power's
                    result, home = part, power_home
                elif result is None:
                    home = work.take((key, "sum", axis), (total,))
                    result = home[:length]
                    np.copyto(result, part)
                else:
                    np.add(result, part, out=result)
                offset += p
            if 2 * p > m:
                break
            size = power.size - p * stride
            power_home = work.take((key, "power", axis, turn), (total,))
            np.add(power[:size], power[p * stride: p * stride + size], out=power_home[:size])
            power, p, turn = power_home[:size], 2 * p, 1 - turn
        valid = length
    lead = len(shape) - d
    grid = home.reshape(shape)
    return grid[(slice(None),) * lead + tuple(slice(0, n - m + 1) for n, m in zip(shape[lead:], template_shape))]


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


def _correlate(xc: np.ndarray, t: np.ndarray, spectrum: np.ndarray | None, plan: Any, workers: int,
               work: Workspace) -> np.ndarray:
    import scipy.fft

    if spectrum is None:  # direct: one multiply-add of a shifted view per template sample
        out = work.take("num", plan.out)
        out.fill(0)
        scratch = work.take("scratch", plan.out)
        for j in np.ndindex(*t.shape):
            view = xc[tuple(slice(i, i + o) for i, o in zip(j, plan.out))]
            out += np.multiply(view, t[j], out=scratch)
        return out
    axes = tuple(range(-len(plan.fft_shape), 0))
    product = scipy.fft.rfftn(xc, s=plan.fft_shape, axes=axes, workers=workers)
    product *= spectrum
    # the inverse one axis at a time, each cropped to the scores before the next (the FFT rows
    # past them are never transformed): about half irfftn's time for a 1024 x 1024 image
    for axis, o in zip(axes[:-1], plan.out[:-1]):
        product = scipy.fft.ifft(product, axis=axis, workers=workers, overwrite_x=True)
        product = product[(slice(None),) * (product.ndim + axis) + (slice(0, o),)]
    full = scipy.fft.irfft(product, n=plan.fft_shape[-1], axis=-1, workers=workers, overwrite_x=True)
    return full[..., : plan.out[-1]]


def check_finite(image: np.ndarray) -> None:
    """Refuse a numpy image holding NaN or inf, with the first such index."""
    if image.dtype.kind == "f" and not np.all(np.isfinite(image)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(image))[0])
        raise InputError(f"image must be finite; got {float(image[bad])!r} at index {bad}")


def _finish(s1: np.ndarray, s2: np.ndarray, num: np.ndarray, out: np.ndarray, plan: Any, work: Workspace) -> None:
    """``out = clip(num / sqrt(V))`` with ``V = s2 - s1**2 / m``, 0 where the window is flat."""
    v = np.multiply(s1, s1, out=work.take("v", s1.shape))
    v *= v.dtype.type(1.0 / math.prod(plan.template_shape))
    np.subtract(s2, v, out=v)
    limit = np.multiply(s2, s2.dtype.type(plan.flat_tolerance), out=work.take("limit", s1.shape))
    np.copyto(v, np.inf, where=v <= limit)  # flat windows: num / inf = 0
    np.sqrt(v, out=v)
    np.divide(num, v, out=out)
    np.minimum(out, 1, out=out)  # rounding can step past +-1 (two passes: cheaper than np.clip)
    np.maximum(out, -1, out=out)
    out += 0  # flat windows gave -0.0 where num < 0: every zero is +0.0, as skimage's


#: Bytes of one band of image rows in `scores_of` (with its squares and partial sums, it stays in cache).
BAND_BYTES = 1 << 20


def scores_of(e: np.ndarray, t: np.ndarray, spectrum: np.ndarray | None, plan: Any, workers: int = 1,
              work: Workspace | None = None, out: np.ndarray | None = None) -> np.ndarray:
    """Scores of one (extended) image ``e`` against the unit template ``t``, into ``out`` if given.

    ``work`` holds the scratch arrays (kept from image to image by `match`),
    so there is no new memory after the first image. After the correlation,
    the box sums and the scores run band by band of rows (``h`` score rows
    need ``h + m - 1`` image rows, about `BAND_BYTES`), each band's squares
    and partial sums made and used while they are in the core's cache: the
    image is read from memory about once instead of once per doubling.
    """
    if work is None:
        work = Workspace(e.dtype)
    if out is None:
        out = np.empty(plan.out, e.dtype)
    mu = e.mean(dtype=np.float64)
    if not np.isfinite(mu):
        check_finite(e)  # names the first NaN / inf; a finite image whose mean overflows keeps mu = 0
        mu = 0.0
    xc = np.subtract(e, e.dtype.type(mu), out=work.take("xc", e.shape))
    num = _correlate(xc, t, spectrum, plan, workers, work)
    m = plan.template_shape
    row_bytes = e.dtype.itemsize * math.prod(e.shape[1:])
    rows = max(1, BAND_BYTES // row_bytes - m[0] + 1, m[0] // 2)
    for r0 in range(0, plan.out[0], rows):
        r1 = min(plan.out[0], r0 + rows)
        band = xc[r0:r1 + m[0] - 1]  # whole rows: contiguous
        squares = np.multiply(band, band, out=work.take("xx", band.shape))
        s1 = flat_box_sums(band, m, work, "s1")
        s2 = flat_box_sums(squares, m, work, "s2")
        _finish(s1, s2, num[r0:r1], out[r0:r1], plan, work)
    return out


def match(image: np.ndarray, template: np.ndarray, plan: Any) -> np.ndarray:
    """`filterbank.match_template` of numpy arrays, already checked into ``plan``.

    The batch is cut into one run of images per core; each thread keeps its
    scratch arrays (`Workspace`) for all its images and runs scipy's FFTs
    with one worker (or all cores for a single image).
    """
    import scipy.fft

    comp = np.dtype(plan.dtype)
    d = len(plan.axes)
    x = np.moveaxis(image, plan.axes, tuple(range(image.ndim - d, image.ndim)))
    batch_shape = x.shape[:-d]
    x = x.reshape((-1,) + plan.image_sizes)
    t = unit_template(template, comp)
    spectrum = None
    if plan.method == "fft":
        spectrum = np.conj(scipy.fft.rfftn(t, s=plan.fft_shape)).astype(np.result_type(comp, np.complex64))
    out = fresh_array((x.shape[0],) + plan.out, comp)  # aligned: a tensor can take it without a copy
    threads = min(x.shape[0], _cores())
    workers = max(1, _cores() // threads)

    def run(first: int) -> None:
        work = Workspace(comp)
        for b in range(first, x.shape[0], threads):
            scores_of(extend(x[b].astype(comp, copy=False), plan), t, spectrum, plan, workers, work, out[b])

    if threads > 1:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(run, range(threads)))
    else:
        run(0)
    out = out.reshape(batch_shape + plan.out)
    return np.moveaxis(out, tuple(range(out.ndim - d, out.ndim)), plan.axes)
