"""Template matching on the camera image: correlate the template as is, never flipped.

A matched filter slides the template over the image and scores each position
by how well they agree: a *correlation*. ``fb.match_template`` computes the
normalised one on TensorFlow (or numpy, for numpy input), equal to
``skimage.feature.match_template``. The classic mistake is to flip the template first (expecting the
"convolution" to flip it back, or copying a convolution recipe), which scores
the image against a mirrored template. With an asymmetric template the
correct search finds the true position with a normalised score of 1, the
flipped one finds a wrong place.

Normalised cross-correlation (NCC) keeps bright regions from winning by
brightness alone::

    ncc[p] = sum_j (x[p + j] - mean_p(x)) * (t[j] - mean(t)) / (sqrt(n) * std_p(x) * ||t - mean(t)||)

where the local mean and standard deviation under the window at ``p`` come
from box sums computed once for the whole image. ``fb.best_matches`` then
picks the best positions.

Run it (``--fast`` searches a 256 x 256 crop)::

    python examples/template_matching.py [--fast] [-o matches.png]
"""

from __future__ import annotations

import argparse
import os

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

#: Top-left corner and size of the template cut from the image: the camera man's head and shoulder.
TRUE_POSITION = (60, 200)
TEMPLATE_SHAPE = (48, 40)


def ncc(image: np.ndarray, template: np.ndarray) -> np.ndarray:
    """Normalised cross-correlation of every fully overlapping position (the template's top-left corner)."""
    import filterbank as fb

    return fb.match_template(image, template)


def best(scores: np.ndarray) -> tuple[int, ...]:
    """Position of the best score."""
    import filterbank as fb

    return tuple(int(i) for i in fb.best_matches(scores, k=1).positions[0])


def run(fast: bool = False) -> dict[str, object]:
    """Find the template with the correct and with the flipped correlation; return positions and scores."""
    import pywt.data
    import scipy.signal

    image = pywt.data.camera().astype(np.float64)
    if fast:
        image = image[:256, 100:356]
    top, left = TRUE_POSITION[0], TRUE_POSITION[1] - (100 if fast else 0)
    template = image[top:top + TEMPLATE_SHAPE[0], left:left + TEMPLATE_SHAPE[1]].copy()
    correct = ncc(image, template)
    flipped = ncc(image, template[::-1, ::-1])  # the mistake
    reference = scipy.signal.correlate(image, template - template.mean(), mode="valid", method="direct")
    ours = __import__("filterbank").correlate(image, template - template.mean(), "valid")
    return {
        "true position": (top, left),
        "found (fb.match_template)": best(correct),
        "score there": float(correct.max()),
        "found (flipped template)": best(flipped),
        "flipped best score": float(flipped.max()),
        "max |fb.correlate - scipy.signal.correlate| / max": float(np.abs(ours - reference).max() / np.abs(reference).max()),
        "_maps": (image, template, correct, flipped),
    }


def plot(results: dict[str, object], path: str) -> None:
    """Draw the image with both matches and the two score maps."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    image, template, correct, flipped = results["_maps"]  # type: ignore[misc]
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.6))
    axes[0].imshow(image, cmap="gray")
    for key, color in (("found (fb.match_template)", "lime"), ("found (flipped template)", "red")):
        r, c = results[key]  # type: ignore[misc]
        axes[0].add_patch(Rectangle((c, r), template.shape[1], template.shape[0], fill=False, color=color, lw=2))
    axes[0].set_title("green: fb.match_template  red: flipped template")
    for ax, m, title in ((axes[1], correct, "NCC, template as is"), (axes[2], flipped, "NCC, template flipped")):
        im = ax.imshow(m, cmap="magma", vmin=-1, vmax=1)
        ax.set_title(f"{title} (max {m.max():.2f})")
    fig.colorbar(im, ax=axes[1:], shrink=0.8)
    for ax in axes:
        ax.axis("off")
    fig.savefig(path, dpi=70, bbox_inches="tight")
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="search a 256 x 256 crop")
    parser.add_argument("-o", "--output", help="also write a PNG of the matches")
    args = parser.parse_args(argv)
    results = run(fast=args.fast)
    for key, value in results.items():
        if not key.startswith("_"):
            print(f"{key:<50} {value:.3g}" if isinstance(value, float) else f"{key:<50} {value}")
    if args.output:
        plot(results, args.output)
        print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
