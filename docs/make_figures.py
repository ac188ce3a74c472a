"""Draw the figures of the documentation with filterbank itself.

Writes into ``docs/img/`` (or the folder given):

- ``correlation-vs-convolution.png``: a unit impulse filtered with an asymmetric
  kernel by ``scipy.signal.convolve``, ``fb.convolve``, raw ``tf.nn.conv1d`` and
  ``fb.correlate``: convolution returns the kernel, correlation its mirror image.
- ``extension-modes.png``: the signal extension modes drawn on one short signal.
- ``coefficient-mosaic.png``: a 2-level ``fb.wavedec2`` of the camera image,
  subbands laid out by key, labelled.
- ``packet-chirp.png``: a packet scalogram of a linear chirp, the 32 nodes of
  ``fb.wpdec(chirp, "sym8", 5, order="freq")`` in frequency order: one
  bright line climbing from 0 to Nyquist.

Run from the repository root::

    python docs/make_figures.py [OUTDIR]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

KERNEL = np.array([1.0, 0.7, 0.45, 0.25, 0.1])  # a decaying, clearly asymmetric impulse response
SIGNAL = np.array([1.0, 2.5, 1.8, 3.0, 3.6, 2.2])  # short and irregular, so every mirror shows


def _style() -> object:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 8, "axes.titlesize": 9, "figure.dpi": 80})
    return plt


def correlation_vs_convolution(path: Path) -> dict[str, np.ndarray]:
    """Draw the four responses to a unit impulse; return them for checking."""
    import scipy.signal

    import filterbank as fb
    from filterbank.backend._tf import tf

    plt = _style()
    x = np.zeros(15)
    x[5] = 1.0
    t = tf()
    raw = t.nn.conv1d(x[None, :, None], KERNEL[:, None, None], stride=1, padding="SAME")[0, :, 0].numpy()
    results = {
        "scipy.signal.convolve": scipy.signal.convolve(x, KERNEL, "same"),
        "fb.convolve": fb.convolve(x, KERNEL, "same"),
        "tf.nn.conv1d (raw)": raw,
        "fb.correlate": fb.correlate(x, KERNEL, "same"),
    }
    fig, axes = plt.subplots(1, 5, figsize=(11, 2.1), sharey=True)
    axes[0].stem(np.arange(KERNEL.size), KERNEL, basefmt=" ")
    axes[0].set_title("kernel k")
    for ax, (name, y) in zip(axes[1:], results.items()):
        color = "C0" if "convolve" in name else "C3"
        markers, stems, _ = ax.stem(np.arange(x.size), y, basefmt=" ")
        markers.set_color(color)
        stems.set_color(color)
        ax.axvline(5, color="0.7", lw=0.8, ls=":")
        ax.set_title(name)
    axes[1].set_ylabel("response to an impulse at n = 5")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return results


def _extend(x: np.ndarray, pad: int, mode: str) -> np.ndarray:
    """``x`` extended by ``pad`` samples on both sides with ``mode``."""
    from filterbank.modes import INDEX_MODES, index_map

    if mode in INDEX_MODES:
        idx = index_map(x.size, pad, pad, mode)
        return np.where(idx >= 0, x[np.maximum(idx, 0)], 0.0)
    import pywt  # the arithmetic modes, drawn with PyWavelets' own padding

    return pywt.pad(x, pad, mode)


def extension_modes(path: Path) -> None:
    """Draw every PyWavelets extension mode on `SIGNAL`."""
    from filterbank.modes import MODES

    plt = _style()
    pad = 7
    modes = [m for m in MODES if m != "periodization"]
    fig, axes = plt.subplots(2, 4, figsize=(11, 3.6), sharex=True, sharey=True)
    n = np.arange(-pad, SIGNAL.size + pad)
    for ax, mode in zip(axes.flat, modes):
        y = _extend(SIGNAL, pad, mode)
        inside = (n >= 0) & (n < SIGNAL.size)
        ax.axvspan(-0.5, SIGNAL.size - 0.5, color="0.92")
        ax.plot(n, y, color="0.75", lw=0.8)
        ax.plot(n[~inside], y[~inside], "o", ms=3.5, color="C1")
        ax.plot(n[inside], y[inside], "o", ms=4, color="C0")
        ax.axhline(0, color="0.6", lw=0.5)
        ax.set_title(mode)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def coefficient_mosaic(path: Path) -> list:
    """Draw a labelled 2-level decomposition of the camera image (periodization: exact halves)."""
    import pywt.data

    import filterbank as fb
    from filterbank.cli.demo import mosaic

    plt = _style()
    image = pywt.data.camera().astype(np.float64)[::2, ::2]
    coeffs = fb.wavedec2(image, "db2", "periodization", 2)
    fig, ax = plt.subplots(figsize=(4.4, 4.6))
    ax.imshow(np.sqrt(mosaic(coeffs)), cmap="gray")
    n = image.shape[0]
    labels = {(0, 0): "cA2 'aa'", (0, 1): "cV2 'ad'", (1, 0): "cH2 'da'", (1, 1): "cD2 'dd'"}
    for (r, c), text in labels.items():
        ax.text(c * n / 4 + 2, r * n / 4 + 9, text, color="k", fontsize=6, bbox={"fc": "yellow", "pad": 1, "lw": 0})
    for (r, c), text in {(0, 1): "cV1 'ad'", (1, 0): "cH1 'da'", (1, 1): "cD1 'dd'"}.items():
        ax.text(c * n / 2 + 4, r * n / 2 + 12, text, color="k", fontsize=7, bbox={"fc": "yellow", "pad": 1, "lw": 0})
    ax.set_title("fb.wavedec2(camera, 'db2', 'periodization', 2)", fontsize=8)
    ax.axis("off")
    fig.tight_layout()
    _save_quantized(fig, path)
    plt.close(fig)
    return coeffs


#: The chirp of the packet figure: n samples, its frequency climbing linearly from 0 to 0.95 Nyquist.
CHIRP_N, CHIRP_LEVEL, CHIRP_TOP = 4096, 5, 0.95 * 0.5


def chirp() -> np.ndarray:
    """The linear chirp drawn in ``packet-chirp.png`` (frequency ``CHIRP_TOP * t / n`` cycles per sample)."""
    import scipy.signal

    t = np.arange(CHIRP_N, dtype=np.float64)
    return scipy.signal.chirp(t, f0=0.0, t1=CHIRP_N, f1=CHIRP_TOP, method="linear")


def packet_chirp(path: Path) -> np.ndarray:
    """Draw the frequency-ordered packet scalogram of `chirp`; return the nodes ``(2 ** level, m)``."""
    import filterbank as fb

    plt = _style()
    nodes = fb.wpdec(chirp(), "sym8", CHIRP_LEVEL, "periodization", order="freq")
    fig, ax = plt.subplots(figsize=(5.6, 2.6))
    bands = nodes.shape[0]
    ax.imshow(np.abs(nodes), aspect="auto", origin="lower", cmap="magma", interpolation="nearest",
              extent=(0, CHIRP_N, 0, 0.5))
    ax.set_xlabel("time (samples)")
    ax.set_ylabel("frequency (cycles / sample)")
    ax.set_title(f"|fb.wpdec(chirp, 'sym8', {CHIRP_LEVEL}, order='freq')|: {bands} bands, low to high", fontsize=8)
    fig.tight_layout()
    _save_quantized(fig, path, colors=32)
    plt.close(fig)
    return nodes


def _save_quantized(fig, path: Path, colors: int = 48) -> None:
    """Save through a small palette: detail subbands look like noise to PNG's compressor."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    buffer.seek(0)
    with Image.open(buffer) as img:
        img.convert("RGB").quantize(colors).save(path, optimize=True)


def main(outdir: str | None = None) -> list[Path]:
    out = Path(outdir) if outdir else Path(__file__).resolve().parent / "img"
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "correlation-vs-convolution.png", out / "extension-modes.png", out / "coefficient-mosaic.png",
             out / "packet-chirp.png"]
    correlation_vs_convolution(paths[0])
    extension_modes(paths[1])
    coefficient_mosaic(paths[2])
    packet_chirp(paths[3])
    return paths


if __name__ == "__main__":
    for p in main(sys.argv[1] if len(sys.argv) > 1 else None):
        print(f"wrote {p} ({p.stat().st_size // 1024} KiB)")
