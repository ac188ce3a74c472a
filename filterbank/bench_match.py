"""Benchmark M1: `filterbank.match_template` against ``skimage.feature.match_template`` (one process).

====  ==============================================================
M1    16 images 1024 x 1024, float32, one 64 x 64 template
      (``quick``: 4 images 256 x 256, a 16 x 16 template)
====  ==============================================================

skimage matches one image per call, so it runs once per image; filterbank
takes the batch in one call, numpy in / numpy out (the ``speed-up``) and
with a ``tf.Tensor`` already in TensorFlow. Each runs once to warm up, then
``repeat`` times; the best time counts. The largest score difference to
skimage is printed with the times, so a fast wrong answer cannot pass unseen.
Run by ``filterbank bench`` (``--only M1`` for this one alone).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MatchResult", "format_match", "run_match"]


@dataclass(frozen=True)
class MatchResult:
    """Timings (seconds) of M1 and the largest score difference to skimage."""

    shape: tuple[int, ...]
    template_shape: tuple[int, ...]
    method: str
    skimage_s: float
    fb_numpy_s: float
    fb_tensor_s: float
    max_diff: float

    @property
    def speedup(self) -> float:
        """skimage's time over filterbank's (numpy in, numpy out)."""
        return self.skimage_s / self.fb_numpy_s


def _best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def run_match(quick: bool = False, repeat: int = 5, seed: int = 0) -> MatchResult:
    """Time M1 (sizes above) with both libraries on the same float32 arrays."""
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

    diff = float(np.max(np.abs(np.stack(ref()) - ours())))
    ours_tf()
    method = make_plan(shape, (m, m), dtype="float32").method
    return MatchResult(shape, (m, m), method, _best(ref, repeat), _best(ours, repeat), _best(ours_tf, repeat), diff)


def format_match(r: MatchResult) -> str:
    """The M1 row as a plain-text table (milliseconds).

    Examples
    --------
    >>> print(format_match(MatchResult((16, 1024, 1024), (64, 64), "fft", 1.6, 0.4, 0.5, 3e-7)))
    workload  shape         template  method  skimage ms  fb ms  fb ms (tf in)  speed-up  max |fb - skimage|
    M1        16x1024x1024  64x64     fft     1600.0      400.0  500.0          4.0x      3.0e-07
    """
    rows = [
        ("workload", "shape", "template", "method", "skimage ms", "fb ms", "fb ms (tf in)", "speed-up",
         "max |fb - skimage|"),
        ("M1", "x".join(map(str, r.shape)), "x".join(map(str, r.template_shape)), r.method,
         f"{r.skimage_s * 1e3:.1f}", f"{r.fb_numpy_s * 1e3:.1f}", f"{r.fb_tensor_s * 1e3:.1f}",
         f"{r.speedup:.1f}x", f"{r.max_diff:.1e}"),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows)
