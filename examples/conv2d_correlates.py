"""``tf.nn.conv2d`` correlates; flipping the kernel or ``fb.convolve`` fixes it.

The classic demonstration, rerun on TensorFlow 2: two random 5 x 5 images with
two channels and a random 3 x 3 kernel (two input channels, one output channel),
seed 789456. We check that

1. each output of ``tf.nn.conv2d`` is the patch under the kernel times the
   kernel, *unflipped*: a cross-correlation;
2. it therefore differs from ``scipy.signal.convolve2d`` summed over channels;
3. it equals ``convolve2d`` with the kernel flipped on both axes, and
   ``scipy.signal.correlate2d`` with the kernel as is;
4. ``filterbank.convolve(..., channels=True)`` gives scipy's convolution and
   ``filterbank.correlate`` TensorFlow's correlation, both computed by TensorFlow.

Run it::

    python examples/conv2d_correlates.py
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import scipy.signal

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def summed_over_channels(op, images: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``op(image[..., c], kernel[..., c, 0], 'same')`` summed over the input channels c, per image."""
    return np.stack([
        sum(op(img[:, :, c], kernel[:, :, c, 0], mode="same") for c in range(img.shape[-1]))
        for img in images
    ])


def run(fast: bool = False) -> dict[str, float]:
    """Run the demonstration; return the mean absolute differences it prints."""
    import filterbank as fb
    from filterbank.backend._tf import tf  # quiet import of TensorFlow; `import tensorflow as tf` works too

    rng = np.random.RandomState(789456)
    images = rng.normal(size=[2, 5, 5, 2])
    kernel = rng.normal(size=[3, 3, 2, 1])
    t = tf()
    tf_out = t.nn.conv2d(images, kernel, strides=1, padding="SAME").numpy()[..., 0]

    # 1. every interior output is sum(patch * kernel): no flip
    patch_err = max(
        abs(tf_out[b, i, j] - np.sum(images[b, i - 1:i + 2, j - 1:j + 2] * kernel[:, :, :, 0]))
        for b in range(2) for i in range(1, 4) for j in range(1, 4)
    )
    convolution = summed_over_channels(scipy.signal.convolve2d, images, kernel)
    flipped = summed_over_channels(scipy.signal.convolve2d, images, kernel[::-1, ::-1])
    correlation = summed_over_channels(scipy.signal.correlate2d, images, kernel)
    ours_conv = fb.convolve(images, kernel, "same", channels=True)[..., 0]
    ours_corr = fb.correlate(images, kernel, "same", channels=True)[..., 0]
    return {
        "conv2d vs sum(patch * kernel)": float(patch_err),
        "conv2d vs scipy convolve2d": float(np.mean(np.abs(tf_out - convolution))),
        "conv2d vs convolve2d, kernel flipped": float(np.mean(np.abs(tf_out - flipped))),
        "conv2d vs scipy correlate2d": float(np.mean(np.abs(tf_out - correlation))),
        "fb.convolve vs scipy convolve2d": float(np.mean(np.abs(ours_conv - convolution))),
        "fb.correlate vs tf.nn.conv2d": float(np.mean(np.abs(ours_corr - tf_out))),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="accepted for uniformity; this example is always fast")
    args = parser.parse_args(argv)
    results = run(fast=args.fast)
    print("mean |difference| (float64; ~1e-16 means equal):")
    for name, value in results.items():
        verdict = "equal" if value < 1e-12 else "DIFFERENT"
        print(f"  {name:<38} {value:9.2e}  {verdict}")


if __name__ == "__main__":
    main()
