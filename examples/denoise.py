"""Wavelet denoising of a noisy image on TensorFlow, next to the same in PyWavelets.

The camera image gets white Gaussian noise (sigma 25 grey levels). We
decompose it with ``fb.wavedec2`` (sym8, level 3, periodization), soft-threshold
every detail subband and reconstruct with ``fb.waverec2``, all on tf.Tensors
(the whole pipeline could sit inside a ``tf.function`` or a model). The
threshold is the universal one, ``sigma * sqrt(2 log N)``, with the noise level
estimated from the finest diagonal details by the median absolute deviation::

    sigma_hat = median(|cD_1|) / 0.6745          t = sigma_hat * sqrt(2 * log(N))
    soft(c, t) = sign(c) * max(|c| - t, 0)

PyWavelets does the same with ``pywt.wavedec2`` / ``pywt.threshold`` /
``pywt.waverec2``; both PSNRs are printed and the two denoised images compared.

Run it (``--fast`` uses a 256 x 256 crop)::

    python examples/denoise.py [--fast] [-o denoise.png]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

WAVELET = "sym8"
LEVEL = 3
MODE = "periodization"
NOISE_SIGMA = 25.0


def psnr(clean: np.ndarray, other: np.ndarray, peak: float = 255.0) -> float:
    """Peak signal-to-noise ratio in dB."""
    mse = float(np.mean((np.asarray(clean, dtype=np.float64) - np.asarray(other, dtype=np.float64)) ** 2))
    return 10.0 * np.log10(peak**2 / mse)


def denoise_tf(noisy):
    """Soft-threshold wavelet denoising with filterbank; ``noisy`` is a 2-D tf.Tensor, so is the result."""
    import filterbank as fb
    from filterbank.backend._tf import tf

    t = tf()
    coeffs = fb.wavedec2(noisy, WAVELET, MODE, LEVEL)
    finest_diagonal = t.reshape(coeffs[-1][2], [-1])
    sigma = _median(t, t.abs(finest_diagonal)) / 0.6745
    threshold = sigma * np.sqrt(2.0 * np.log(float(np.prod(noisy.shape))))

    def soft(c):
        return t.sign(c) * t.maximum(t.abs(c) - threshold, 0.0)

    shrunk = [coeffs[0]] + [tuple(soft(c) for c in level) for level in coeffs[1:]]
    return fb.waverec2(shrunk, WAVELET, MODE)


def _median(t, values):
    """Median of a 1-D tensor (mean of the two middle values for an even count), as numpy defines it."""
    s = t.sort(values)
    n = int(s.shape[0])
    return (s[(n - 1) // 2] + s[n // 2]) / 2.0


def denoise_pywt(noisy: np.ndarray) -> np.ndarray:
    """The same algorithm with PyWavelets, for comparison."""
    import pywt

    coeffs = pywt.wavedec2(noisy, WAVELET, mode=MODE, level=LEVEL)
    sigma = np.median(np.abs(coeffs[-1][2])) / 0.6745
    threshold = sigma * np.sqrt(2.0 * np.log(noisy.size))
    shrunk = [coeffs[0]] + [tuple(pywt.threshold(c, threshold, mode="soft") for c in level) for level in coeffs[1:]]
    return pywt.waverec2(shrunk, WAVELET, mode=MODE)


def run(fast: bool = False) -> dict[str, object]:
    """Add noise, denoise both ways; return the PSNRs, the difference between the two results and times."""
    import pywt.data

    from filterbank.backend._tf import tf

    clean = pywt.data.camera().astype(np.float64)
    if fast:
        clean = clean[:256, 128:384]
    noisy = clean + np.random.default_rng(2026).normal(scale=NOISE_SIGMA, size=clean.shape)
    ours = denoise_tf(tf().constant(noisy)).numpy()  # the first call builds and compiles the transforms
    start = time.perf_counter()
    ours = denoise_tf(tf().constant(noisy)).numpy()
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    theirs = denoise_pywt(noisy)
    theirs_s = time.perf_counter() - start
    return {
        "PSNR noisy (dB)": psnr(clean, noisy),
        "PSNR denoised, filterbank on TF (dB)": psnr(clean, ours),
        "PSNR denoised, PyWavelets (dB)": psnr(clean, theirs),
        "max |filterbank - PyWavelets|": float(np.abs(ours - theirs).max()),
        "filterbank time (s)": ours_s,
        "PyWavelets time (s)": theirs_s,
        "_images": (clean, noisy, ours),
    }


def plot(results: dict[str, object], path: str) -> None:
    """Clean, noisy and denoised side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    clean, noisy, ours = results["_images"]  # type: ignore[misc]
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.3))
    titles = ("clean", f"noisy ({results['PSNR noisy (dB)']:.1f} dB)",
              f"denoised on TF ({results['PSNR denoised, filterbank on TF (dB)']:.1f} dB)")
    for ax, img, title in zip(axes, (clean, noisy, ours), titles):
        ax.imshow(np.clip(img, 0, 255), cmap="gray", vmin=0, vmax=255)
        ax.set_title(title)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=70)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="use a 256 x 256 crop")
    parser.add_argument("-o", "--output", help="also write a PNG of clean / noisy / denoised")
    args = parser.parse_args(argv)
    results = run(fast=args.fast)
    for key, value in results.items():
        if not key.startswith("_"):
            print(f"{key:<40} {value:.3g}")
    if args.output:
        plot(results, args.output)
        print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
