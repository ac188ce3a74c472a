"""Benchmark T1: `filterbank.match_template` against ``skimage.feature.match_template`` (one process).

====  ==============================================================
T1    16 images 1024 x 1024, float32, one 64 x 64 template
      (``quick``: 4 images 256 x 256, a 16 x 16 template)
====  ==============================================================

skimage matches one image per call, so it runs once per image; filterbank
takes the batch in one call, numpy in / numpy out (the ``speed-up``) and
with a ``tf.Tensor`` already in TensorFlow, eagerly and inside a
``tf.function`` (the TensorFlow ops, as on a GPU or in a saved model). Each runs once to warm up, then
``repeat`` times; the best time counts. The largest score difference to
skimage is printed with the times, so a fast wrong answer cannot pass unseen.
Run by ``filterbank bench`` (``--only T1`` for this one alone).

The floor (`filterbank.bench.floor`) counts the smaller of the direct
correlation (``m^2`` multiply-adds per score) and the FFT route (a real 2-D
FFT of each image forward and back, and the spectra's product).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from filterbank.bench._timing import best
from filterbank.bench.floor import Floor, fft_macs, floor_cell, matmul_rates, measure_floor, ratio_cell

__all__ = ["MatchResult", "format_match", "macs", "run_match"]


@dataclass(frozen=True)
class MatchResult:
    """Timings (seconds) of T1, the largest score difference to skimage, and the floor."""

    shape: tuple[int, ...]
    template_shape: tuple[int, ...]
    method: str
    skimage_s: float
    fb_numpy_s: float
    fb_tensor_s: float
    max_diff: float
    floor: Floor | None = None
    fb_graph_s: float | None = None  # a tf.Tensor through the caller's tf.function

    @property
    def speedup(self) -> float:
        """skimage's time over filterbank's (numpy in, numpy out)."""
        return self.skimage_s / self.fb_numpy_s


def macs(shape: tuple[int, ...], m: int) -> float:
    """Multiply-adds of matching an ``m x m`` template on images of ``shape``: the direct or the FFT route, the fewer.

    Examples
    --------
    One 8 x 8 image, a 2 x 2 template: 49 scores x 4 taps directly, fewer than by FFT.

    >>> macs((1, 8, 8), 2)
    196.0
    """
    batch, h, w = int(np.prod(shape[:-2])), shape[-2], shape[-1]
    direct = batch * (h - m + 1) * (w - m + 1) * m * m
    fft = batch * (2 * fft_macs(h * w, real=True) + 2 * h * w)
    return float(min(direct, fft))


def run_match(
    quick: bool = False, repeat: int = 5, seed: int = 0, flops: dict[str, float] | None = None,
) -> MatchResult:
    """Time T1 (sizes above) with both libraries on the same float32 arrays."""
    from skimage.feature import match_template as skimage_match

    import filterbank as fb
    from filterbank.backend._tf import tf
    from filterbank.match import make_plan

    shape, m = ((4, 256, 256), 16) if quick else ((16, 1024, 1024), 64)
    rng = np.random.default_rng(seed)
    images = rng.standard_normal(shape).astype(np.float32)
    template = (images[0, 100:100 + m, 60:60 + m] + 0.1 * rng.standard_normal((m, m))).astype(np.float32)
    tensor = tf().constant(images)

    def ref() -> list[np.ndarray]:
        return [skimage_match(image, template) for image in images]

    def ours() -> np.ndarray:
        return fb.match_template(images, template)

    def ours_tf() -> Any:
        out = fb.match_template(tensor, template)
        out[:1, :1, :1].numpy()  # wait for the whole result
        return out

    graph = tf().function(lambda x: fb.match_template(x, template))

    def ours_graph() -> Any:
        out = graph(tensor)
        out[:1, :1, :1].numpy()
        return out

    diff = float(np.max(np.abs(np.stack(ref()) - ours())))
    ours_tf()
    ours_graph()  # traced and compiled here, not timed
    method = make_plan(shape, (m, m), dtype="float32").method
    times = best(ref, repeat), best(ours, repeat), best(ours_tf, repeat)
    graph_s = best(ours_graph, repeat)
    rate = (flops or matmul_rates(quick=quick))["float32"]
    out_bytes = shape[0] * (shape[1] - m + 1) * (shape[2] - m + 1) * 4
    floor = measure_floor(images.nbytes + template.nbytes, out_bytes, macs(shape, m), rate, min(repeat, 3))
    return MatchResult(shape, (m, m), method, *times, diff, floor, graph_s)


def format_match(r: MatchResult) -> str:
    """The T1 row as a plain-text table (milliseconds).

    Examples
    --------
    >>> f = Floor(2**26, 2**26, 10**9, 0.03, 5e10)
    >>> print(format_match(MatchResult((16, 1024, 1024), (64, 64), "fft", 1.6, 0.4, 0.5, 3e-7, f, 0.45)))
    workload  shape         template  method  skimage ms  fb ms  fb ms (tf in)  fb ms (tf.function)  speed-up  floor ms  fb / floor  max |fb - skimage|
    T1        16x1024x1024  64x64     fft     1600.0      400.0  500.0          450.0                4.0x      40.0 A    10.0x       3.0e-07
    """
    rows = [
        ("workload", "shape", "template", "method", "skimage ms", "fb ms", "fb ms (tf in)", "fb ms (tf.function)", "speed-up",
         "floor ms", "fb / floor", "max |fb - skimage|"),
        ("T1", "x".join(map(str, r.shape)), "x".join(map(str, r.template_shape)), r.method,
         f"{r.skimage_s * 1e3:.1f}", f"{r.fb_numpy_s * 1e3:.1f}", f"{r.fb_tensor_s * 1e3:.1f}",
         "-" if r.fb_graph_s is None else f"{r.fb_graph_s * 1e3:.1f}", f"{r.speedup:.1f}x", floor_cell(r.floor), ratio_cell(r.fb_numpy_s, r.floor), f"{r.max_diff:.1e}"),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows)
