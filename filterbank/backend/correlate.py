"""The one TensorFlow computation behind `filterbank.ops`: extend, then correlate.

Every function of `filterbank.ops` reduces to the *valid* correlation of an
operand ``a``, extended past its edges, with a kernel ``b`` (which ops has
already reversed for a convolution and swapped with ``a`` where scipy swaps)::

    out[m] = sum_j a_ext[m + j] * b[j]         (b conjugated for a correlation)

    a_ext  = a sliced / extended so that out covers the requested window of
             the full result: first sample  window.start - (K - 1),
                              last sample   window.start + window.length - 1

Three things scipy's direct method does that a bare ``tf.nn.convolution`` does
not are handled here, once:

* **Any rank.** ``tf.nn.convolution`` filters at most 3 axes. More are folded:
  the leading kernel axes become input channels (one shifted slice of
  ``a_ext`` per leading tap), so one 3-D correlation sums over all of them.
* **Which products exist.** scipy's 1-D path (``numpy.correlate``) sums only
  products of samples that exist; its n-D path and ``convolve2d`` also multiply
  the padding. ``0 * inf`` is NaN, so this decides where a non-finite kernel
  tap spreads (``terms='overlap'`` versus ``'all'``). For ``'overlap'`` with a
  non-finite kernel, the finite parts are correlated and the non-finite
  products are counted by sign over the existing samples only (below).
* **Exact scalars.** The fill value enters ``tf.pad`` as a constant of the
  compute dtype; ``tf.cast(0.7, tf.float64)`` would round it through float32.

Counting non-finite products (``terms='overlap'``): a product ``u * v`` with a
non-finite factor is NaN when a factor is NaN or it is ``inf * 0``, otherwise
``+-inf`` by the signs. A sum holding a NaN product, or both ``+inf`` and
``-inf``, is NaN; else one infinity wins over every finite term::

    nan  terms = nan_a * one_b  + one_a * nan_b  + inf_a  * zero_b + zero_a * inf_b
    +inf terms = pinf_a * pos_b + pos_a * pinf_b + ninf_a * neg_b  + neg_a  * ninf_b
    -inf terms = pinf_a * neg_b + pos_a * ninf_b + ninf_a * pos_b  + neg_a  * pinf_b

with each indicator of ``a`` zero on the padding: one 8-in, 3-out correlation.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from filterbank.backend._tf import tf
from filterbank.modes import index_map

__all__ = ["Geometry", "Window", "cast", "correlate", "correlate_window", "reverse_leading", "tensor_product"]

_BOUNDARY_TO_MODE = {"wrap": "periodic", "symm": "symmetric"}
_TF_MAX_AXES = 3


class Window(NamedTuple):
    """Where one axis of the output sits inside the full convolution."""

    start: int
    length: int


class Geometry(NamedTuple):
    """Everything static about one correlation, decided by `filterbank.ops`."""

    axes: tuple[int, ...]  # filtered axes of a, in kernel order
    ksize: tuple[int, ...]  # kernel sizes on those axes
    windows: tuple[Window, ...]
    boundary: str  # 'fill', 'wrap' or 'symm'
    fill: Any  # numpy scalar in the compute dtype (complex for complex data)
    channels: bool  # tf.nn.conv* layout: a (batch..., *spatial, c_in), b (*spatial, c_in, c_out)
    overlap_only: bool  # the padding is not a term (scipy's 1-D path)


def correlate(tf: Any, a: Any, b: Any, geometry: Geometry, comp: str, *, conj: bool) -> Any:
    """Valid correlation of ``a`` extended by ``geometry`` with ``b``, in real dtype ``comp``.

    Complex operands are split into real and imaginary parts,
    ``(p + iq)(r + is) = (pr - qs) + i(ps + qr)``, each product a real correlation.
    """
    a_complex, b_complex = a.dtype.is_complex, b.dtype.is_complex
    fill = np.asarray(geometry.fill)
    if not (a_complex or b_complex or fill.dtype.kind == "c"):
        return _real(tf, tf.cast(a, comp), tf.cast(b, comp), geometry)

    def parts(t: Any) -> tuple[Any, Any]:
        if t.dtype.is_complex:
            return tf.cast(tf.math.real(t), comp), tf.cast(tf.math.imag(t), comp)
        return tf.cast(t, comp), None

    ar, ai = parts(a)
    br, bi = parts(b)
    if bi is not None and conj:
        bi = -bi
    fill_re, fill_im = (np.asarray(v, comp)[()] for v in (fill.real, fill.imag))
    if ai is None and fill_im != 0 and geometry.boundary == "fill":
        ai = tf.zeros_like(ar)  # a real signal padded with a complex value
    with_re, with_im = geometry._replace(fill=fill_re), geometry._replace(fill=fill_im)
    real = _real(tf, ar, br, with_re)
    imag = None
    if ai is not None:
        imag = _real(tf, ai, br, with_im)
        if bi is not None:
            real = real - _real(tf, ai, bi, with_im)
    if bi is not None:
        cross = _real(tf, ar, bi, with_re)
        imag = cross if imag is None else imag + cross
    if imag is None:
        imag = tf.zeros_like(real)
    return tf.complex(real, imag)


# --------------------------------------------------------------------------- layout


def _real(tf: Any, a: Any, b: Any, g: Geometry) -> Any:
    """One real correlation: to (batch, *spatial, channels), extend, correlate, back."""
    ndim = len(a.shape)
    nsp = len(g.axes)
    if g.channels:
        perm = list(range(ndim))
        batch_shape = tf.shape(a)[: ndim - 1 - nsp]
        spatial = [int(a.shape[ax]) for ax in g.axes]
        a = tf.reshape(a, [-1, *spatial, int(b.shape[-2])])
        kernel = b
    else:
        rest = [ax for ax in range(ndim) if ax not in g.axes]
        perm = rest + list(g.axes)
        if perm != list(range(ndim)):
            a = tf.transpose(a, perm)
        batch_shape = tf.shape(a)[: len(rest)]
        spatial = [int(a.shape[len(rest) + i]) for i in range(nsp)]
        a = tf.reshape(a, [-1, *spatial, 1])
        kernel = tf.reshape(b, [*g.ksize, 1, 1])
    mask = None
    for i, (n, k, window) in enumerate(zip(spatial, g.ksize, g.windows)):
        a, pads = _extend_axis(tf, a, 1 + i, n, k, window, g.boundary, g.fill)
        if g.overlap_only and nsp == 1 and not g.channels and pads != (0, 0):
            mask = np.concatenate([np.zeros(pads[0]), np.ones(int(a.shape[1]) - sum(pads)), np.zeros(pads[1])])
    if mask is None:
        out = _conv(tf, a, kernel)
    else:
        out = _overlap_terms(tf, a, kernel, mask)
    spatial_out = [w.length for w in g.windows]
    if g.channels:
        return tf.reshape(out, tf.concat([batch_shape, spatial_out, [tf.shape(out)[-1]]], 0))
    out = tf.reshape(out, tf.concat([batch_shape, spatial_out], 0))
    if perm != list(range(ndim)):
        out = tf.transpose(out, np.argsort(perm).tolist())
    return out


def _extend_axis(tf: Any, t: Any, axis: int, n: int, k: int, window: Window, boundary: str, fill: Any):
    """Extend/crop ``axis`` so a valid correlation with ``k`` taps gives ``window``.

    Returns the tensor and the (before, after) count of padded samples.
    """
    first = window.start - (k - 1)  # first input index needed
    last = window.start + window.length - 1  # last input index needed
    lo, hi = max(0, -first), max(0, last - (n - 1))
    if boundary == "fill":
        t = _slice(tf, t, axis, max(0, first), min(n - 1, last) + 1)
        if lo or hi:
            pads = [[0, 0]] * len(t.shape)
            pads[axis] = [lo, hi]
            t = tf.pad(t, pads, constant_values=tf.constant(fill, dtype=t.dtype))
        return t, (lo, hi)
    idx = index_map(n, lo, hi, _BOUNDARY_TO_MODE[boundary])
    idx = idx[first + lo : last + lo + 1]
    if np.array_equal(idx, np.arange(idx[0], idx[0] + idx.size)):
        return _slice(tf, t, axis, int(idx[0]), int(idx[0]) + idx.size), (0, 0)
    return tf.gather(t, idx, axis=axis), (0, 0)


def _slice(tf: Any, t: Any, axis: int, start: int, stop: int) -> Any:
    if start == 0 and stop == t.shape[axis]:
        return t
    index = [slice(None)] * len(t.shape)
    index[axis] = slice(start, stop)
    return t[tuple(index)]


# --------------------------------------------------------------------------- correlation


def _conv(tf: Any, a: Any, kernel: Any) -> Any:
    """``tf.nn.convolution(a, kernel, 'VALID')`` for any number of spatial axes.

    ``a`` is (batch, *extended, c_in), ``kernel`` (*taps, c_in, c_out). Beyond
    three axes, each leading tap ``j`` contributes the slice of ``a`` starting at
    ``j`` on the leading axes; the slices are stacked as channels and the
    matching kernel planes concatenated along ``c_in``: one 3-D correlation.
    """
    nsp = len(kernel.shape) - 2
    if nsp <= _TF_MAX_AXES:
        return tf.nn.convolution(a, kernel, padding="VALID")
    lead = nsp - _TF_MAX_AXES
    ksize = [int(s) for s in kernel.shape[:nsp]]
    ext = [int(s) for s in a.shape[1 : 1 + nsp]]
    lengths = [e - k + 1 for e, k in zip(ext, ksize)]
    slices, planes = [], []
    for taps in np.ndindex(*ksize[:lead]):
        index = (slice(None), *(slice(j, j + m) for j, m in zip(taps, lengths)))
        slices.append(a[index])
        planes.append(kernel[taps])
    stacked = tf.concat(slices, axis=-1)
    flat = tf.reshape(stacked, [-1, *ext[lead:], int(stacked.shape[-1])])
    out = tf.nn.convolution(flat, tf.concat(planes, axis=-2), padding="VALID")
    return tf.reshape(out, [-1, *lengths, int(out.shape[-1])])


def _overlap_terms(tf: Any, a: Any, kernel: Any, mask: np.ndarray) -> Any:
    """1-D correlation summing only products of existing samples (``mask`` 1), NaN/inf exact.

    A finite kernel meets the zero padding harmlessly; only then is the plain
    correlation exact, so the counting (module notes) runs only for a kernel
    with non-finite taps (a ``tf.cond`` inside a graph).
    """
    finite = tf.reduce_all(tf.math.is_finite(kernel))
    if tf.executing_eagerly():
        return _conv(tf, a, kernel) if bool(finite) else _count_nonfinite(tf, a, kernel, mask)
    return tf.cond(finite, lambda: _conv(tf, a, kernel), lambda: _count_nonfinite(tf, a, kernel, mask))


def _count_nonfinite(tf: Any, a: Any, kernel: Any, mask: np.ndarray) -> Any:
    dt = a.dtype
    inf = math.inf
    m = tf.constant(mask.reshape(1, -1, 1), dtype=dt)

    def indicators(t: Any) -> dict[str, Any]:
        nan = tf.math.is_nan(t)
        return {
            "one": tf.ones_like(t),
            "nan": nan,
            "zero": t == 0,
            "inf": tf.math.is_inf(t),
            "pinf": t == inf,
            "ninf": t == -inf,
            "pos": t > 0,
            "neg": t < 0,
        }

    ia = indicators(a)
    ib = {name: tf.cast(v, dt) for name, v in indicators(kernel[:, 0, 0]).items()}
    a_channels = ("nan", "one", "inf", "zero", "pinf", "pos", "ninf", "neg")
    stacked = tf.concat([tf.cast(ia[name], dt) * m for name in a_channels], axis=-1)
    pairs = (  # kernel indicator met by each a channel, for the nan / +inf / -inf counts
        ("one", "nan", "zero", "inf", None, None, None, None),
        (None, None, None, None, "pos", "pinf", "neg", "ninf"),
        (None, None, None, None, "neg", "ninf", "pos", "pinf"),
    )
    zero = tf.zeros_like(ib["one"])
    weights = tf.stack(
        [tf.stack([zero if name is None else ib[name] for name in row], axis=-1) for row in pairs], axis=-1
    )
    counts = _conv(tf, stacked, weights)
    finite_a = tf.where(tf.math.is_finite(a), a, tf.zeros_like(a))
    finite_k = tf.where(tf.math.is_finite(kernel), kernel, tf.zeros_like(kernel))
    out = _conv(tf, finite_a, finite_k)
    n_nan, n_pinf, n_ninf = (counts[..., i : i + 1] > 0 for i in range(3))
    out = tf.where(n_ninf, tf.constant(-inf, dt), out)
    out = tf.where(n_pinf, tf.constant(inf, dt), out)
    return tf.where(n_nan | (n_pinf & n_ninf), tf.constant(math.nan, dt), out)


# --------------------------------------------------------------------------- the entry points `filterbank.ops` calls


def correlate_window(
    a: Any, b: Any, geometry: Geometry, comp: str, *, conj: bool, device: str, reverse: str | None
) -> Any:
    """`correlate` on ``device`` (TensorFlow imported here), optionally reversed on every axis.

    ``reverse`` is ``"plain"`` or ``"conj"`` (reverse, then conjugate a
    complex result) for scipy's swapped operands, or ``None``.
    """
    t = tf()
    with t.device(device or None):
        out = correlate(t, t.convert_to_tensor(a), t.convert_to_tensor(b), geometry, comp, conj=conj)
        if reverse is not None:
            out = t.reverse(out, list(range(len(out.shape))))
            if reverse == "conj" and out.dtype.is_complex:
                out = t.math.conj(out)
    return out


def cast(out: Any, dtype: str) -> Any:
    """A tensor in ``dtype`` (itself when it has it)."""
    return out if out.dtype.name == dtype else tf().cast(out, dtype)


def reverse_leading(t: Any, naxes: int) -> Any:
    """A tensor reversed along its first ``naxes`` axes (a kernel flipped for true convolution)."""
    return tf().reverse(t, list(range(naxes)))


def tensor_product(x: Any, k: Any, dtype: str, *, conj: bool) -> Any:
    """``x * k`` (``x * conj(k)`` for a correlation) of two 0-d operands, as a ``dtype`` tensor."""
    t = tf()
    xt, kt = (t.cast(t.convert_to_tensor(v), dtype) for v in (x, k))
    return xt * (t.math.conj(kt) if conj else kt)
