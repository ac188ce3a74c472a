"""``filterbank demo``: the correlation trap, shown on real bundled data.

PyWavelets' ``camera`` image is filtered with an asymmetric, scipy-designed
kernel three ways: raw ``tf.nn.conv2d`` (which correlates), filterbank's
:func:`~filterbank.convolve`, and ``scipy.signal.convolve2d`` (the reference).
The errors are printed and a PNG of the three results is written. Then the
image is decomposed with ``wavedec2`` (db4, level 3) and reconstructed with
``waverec2`` on TensorFlow; the reconstruction error and the largest
difference from PyWavelets' coefficients are printed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

from filterbank.cli._common import describe

__all__ = ["demo_kernel", "register", "run_trap", "run_wavelet"]


def register(sub: Any) -> None:
    """Add the ``demo`` sub-command."""
    p = sub.add_parser(
        "demo",
        help="show the convolution-vs-correlation trap on bundled data",
        description=describe(__doc__),
    )
    p.add_argument("-o", "--output", default="filterbank-demo", help="output folder (default: ./filterbank-demo)")
    p.set_defaults(func=_main)


def demo_kernel() -> np.ndarray:
    """An asymmetric 2-D low-pass: the outer product of two minimum-phase FIR filters.

    ``scipy.signal.firwin`` designs a linear-phase (symmetric) low-pass, for
    which flipping changes nothing; ``scipy.signal.minimum_phase`` turns it into
    an asymmetric filter with the same magnitude response, where the kernel
    orientation matters.

    Examples
    --------
    >>> k = demo_kernel()
    >>> k.shape, bool(np.allclose(k, k[::-1, ::-1]))
    ((16, 11), False)
    """
    import scipy.signal as ss

    rows = ss.minimum_phase(ss.firwin(31, 0.15), method="homomorphic")
    cols = ss.minimum_phase(ss.firwin(21, 0.3), method="homomorphic")
    return np.outer(rows, cols)


def run_trap(image: np.ndarray, kernel: np.ndarray) -> dict[str, Any]:
    """Filter ``image`` with ``kernel`` three ways and measure against scipy.

    Returns
    -------
    dict
        ``tf_conv2d``, ``filterbank``, ``scipy`` results (float64 arrays, 'same'
        size) and the max abs errors ``err_tf_conv2d``, ``err_filterbank``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> r = run_trap(rng.normal(size=(12, 12)), rng.normal(size=(3, 2)))
    >>> r["err_filterbank"] < 1e-12 < 0.1 < r["err_tf_conv2d"]
    True
    """
    import scipy.signal as ss

    import filterbank as fb
    from filterbank._tf import tf

    t = tf()
    x = image.astype(np.float64)
    reference = ss.convolve2d(x, kernel, mode="same")
    raw = t.nn.conv2d(x[None, :, :, None], kernel[:, :, None, None], strides=1, padding="SAME")[0, :, :, 0].numpy()
    ours = fb.convolve(x, kernel, "same")
    return {
        "tf_conv2d": raw,
        "filterbank": ours,
        "scipy": reference,
        "err_tf_conv2d": float(np.max(np.abs(raw - reference))),
        "err_filterbank": float(np.max(np.abs(ours - reference))),
    }


def run_wavelet(image: np.ndarray, wavelet: str = "db4", level: int = 3, mode: str = "symmetric") -> dict[str, Any]:
    """Decompose and reconstruct ``image`` on TensorFlow; measure against itself and PyWavelets.

    Returns
    -------
    dict
        ``err_reconstruction`` (max abs error of ``waverec2(wavedec2(x))``, same
        shape as ``x``) and ``err_pywt`` (max abs difference of all coefficients
        from ``pywt.wavedec2``).

    Examples
    --------
    >>> r = run_wavelet(np.random.default_rng(0).normal(size=(64, 48)), "db2", 2)
    >>> r["err_reconstruction"] < 1e-12, r["err_pywt"] < 1e-12
    (True, True)
    """
    import pywt

    import filterbank as fb

    x = image.astype(np.float64)
    coeffs = fb.wavedec2(x, wavelet, mode, level)
    rec = fb.waverec2(coeffs, wavelet, mode)
    ref = pywt.wavedec2(x, wavelet, mode, level)
    ours = [coeffs[0], *[a for d in coeffs[1:] for a in d]]
    theirs = [ref[0], *[a for d in ref[1:] for a in d]]
    return {
        "err_reconstruction": float(np.max(np.abs(rec - x))),
        "err_pywt": max(float(np.max(np.abs(a - b))) for a, b in zip(ours, theirs)),
        "shape": tuple(rec.shape),
    }


def _main(args: argparse.Namespace) -> int:
    import pywt.data

    out = Path(args.output)
    start = time.perf_counter()
    image = pywt.data.camera().astype(np.float64)
    kernel = demo_kernel()
    print(f"camera image {image.shape}, asymmetric scipy kernel {kernel.shape} (minimum-phase firwin)")
    result = run_trap(image, kernel)
    scale = float(np.abs(result["scipy"]).max())
    print("max |error| against scipy.signal.convolve2d (image range 0..255):")
    print(f"  raw tf.nn.conv2d       {result['err_tf_conv2d']:10.3g}   (relative {result['err_tf_conv2d'] / scale:.2g})  <- correlates: wrong")
    print(f"  filterbank.convolve    {result['err_filterbank']:10.3g}   (relative {result['err_filterbank'] / scale:.2g})")
    wav = run_wavelet(image, "db4", 3)
    print("wavedec2 + waverec2 of the camera image on TensorFlow (db4, level 3, symmetric):")
    print(f"  reconstruction         {wav['err_reconstruction']:10.3g}   (max |x - waverec2(wavedec2(x))|, shape {wav['shape']})")
    print(f"  vs-pywt                {wav['err_pywt']:10.3g}   (max |coefficients - pywt.wavedec2|)")
    png = _write_png(out, image, result)
    print(f"wrote {png}")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


def _write_png(out: Path, image: np.ndarray, result: dict[str, Any]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, 4, figsize=(16, 4.4))
    panels = [
        (image, "input (pywt camera)"),
        (result["tf_conv2d"], f"raw tf.nn.conv2d\nmax err {result['err_tf_conv2d']:.3g}"),
        (result["filterbank"], f"filterbank.convolve\nmax err {result['err_filterbank']:.2g}"),
        (result["scipy"], "scipy.signal.convolve2d\n(reference)"),
    ]
    for ax, (img, title) in zip(axes, panels):
        ax.imshow(img, cmap="gray")
        ax.set_title(title, fontsize=10)
        ax.axis("off")
    fig.tight_layout()
    path = out / "convolution-trap.png"
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=80, bbox_inches="tight")
    plt.close(fig)
    tmp.replace(path)
    return path
