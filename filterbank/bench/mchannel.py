"""Benchmark M1: 4-band PQMF analysis + synthesis, filterbank against scipy and plain ``tf.nn.conv1d`` (one process).

====  ==============================================================
M1    ``mdec`` + ``mrec`` with ``pqmf4`` of 32 x 262144 float32 samples
      (``quick``: 8 x 65536)
====  ==============================================================

Three implementations of the same sums, on the same float32 array:

* scipy: ``upfirdn(h_k, x, 1, 4)`` per band, then ``sum_k upfirdn(g_k, y_k, 4)``
  cropped by the delay (the reference);
* plain conv1d, the formulation of vocoder code: ``tf.nn.conv1d`` with
  stride 4 and the flipped filters as one ``(L, 1, 4)`` kernel, then
  ``tf.nn.conv1d_transpose`` with stride 4;
* filterbank: ``fb.mdec`` / ``fb.mrec`` on numpy (numpy in, numpy out) and on
  a ``tf.Tensor``; eagerly and inside ``tf.function`` (plain conv1d too).

Each runs once to warm up, then ``repeat`` times; the best time counts. The
largest difference to scipy (relative to its peak) is reported with each
time, so a fast wrong answer cannot pass unseen. Timings are never asserted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from filterbank.bench._timing import best as _best

__all__ = ["MChannelRow", "format_mchannel", "run_mchannel"]


@dataclass(frozen=True)
class MChannelRow:
    """One implementation of M1: best time (seconds) and largest relative difference to scipy."""

    name: str
    seconds: float
    max_rel_diff: float


def run_mchannel(*, quick: bool = False, repeat: int = 5, seed: int = 0) -> list[MChannelRow]:
    """Time M1 (sizes above); rows: scipy first, then plain conv1d and filterbank."""
    from scipy.signal import upfirdn

    import filterbank as fb
    from filterbank.backend._tf import tf
    from filterbank.transforms.mchannel import as_mchannel

    TF = tf()
    batch, n = (8, 65536) if quick else (32, 262144)
    bank = as_mchannel("pqmf4")
    m, length, delay = bank.channels, bank.filter_length, bank.delay
    x = np.random.default_rng(seed).standard_normal((batch, n)).astype(np.float32)
    xt = TF.constant(x)
    h32, g32 = bank.analysis.astype(np.float32), bank.synthesis.astype(np.float32)
    n_coef = -(-(n + length - 1) // m)
    analysis_kernel = TF.constant(np.ascontiguousarray(h32[:, ::-1].T).reshape(length, 1, m))
    synthesis_kernel = TF.constant(np.ascontiguousarray(g32.T).reshape(length, 1, m))

    def scipy_ref() -> np.ndarray:
        bands = [upfirdn(hk, x, 1, m) for hk in h32]
        y = sum(upfirdn(gk, b, m) for gk, b in zip(g32, bands))
        return np.asarray(y)[:, delay : delay + n]

    def plain(t: Any) -> Any:
        e = TF.pad(t[:, :, None], [[0, 0], [length - 1, (n_coef - 1) * m - n + 1], [0, 0]])
        y = TF.nn.conv1d(e, analysis_kernel, stride=m, padding="VALID")  # (batch, n_coef, M)
        full = (n_coef - 1) * m + length
        out = TF.nn.conv1d_transpose(y, synthesis_kernel, [batch, full, 1], strides=m, padding="VALID")
        return out[:, delay : delay + n, 0]

    def ours(t: Any) -> Any:
        return fb.mrec(fb.mdec(t, "pqmf4"), "pqmf4", length=n)

    plain_fn, ours_fn = TF.function(plain), TF.function(ours)
    ref = scipy_ref()
    peak = float(np.max(np.abs(ref)))
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("scipy upfirdn (reference)", scipy_ref),
        ("plain tf.nn.conv1d, eager", lambda: plain(xt).numpy()),
        ("plain tf.nn.conv1d, tf.function", lambda: plain_fn(xt).numpy()),
        ("filterbank, numpy in / out", lambda: ours(x)),
        ("filterbank, tf.Tensor, eager", lambda: ours(xt).numpy()),
        ("filterbank, tf.Tensor, tf.function", lambda: ours_fn(xt).numpy()),
    ]
    rows = []
    for name, fn in cases:
        out = np.asarray(fn())  # warm-up (traces), and the answer
        diff = float(np.max(np.abs(out.astype(np.float64) - ref))) / peak
        rows.append(MChannelRow(name, _best(fn, repeat), diff))
    return rows


def format_mchannel(rows: Sequence[MChannelRow]) -> str:
    """The M1 table: time, speed-up over scipy (the first row) and the difference to it."""
    base = rows[0].seconds if rows else 1.0
    lines = ["M1: pqmf4 analysis + synthesis       ms   x scipy   max |diff| / peak"]
    lines += [f"  {r.name:<36} {r.seconds * 1e3:7.1f}  {base / r.seconds:7.2f}x  {r.max_rel_diff:.1e}" for r in rows]
    return "\n".join(lines)
