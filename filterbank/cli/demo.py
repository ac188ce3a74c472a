"""``filterbank demo``: the correlation trap and the wavelet transforms, on bundled data.

Part one filters PyWavelets' camera image with an asymmetric scipy-designed
kernel three ways (raw tf.nn.conv2d, which correlates; filterbank.convolve;
scipy.signal.convolve2d, the reference) and prints the errors. Part two
decomposes the camera image and the ECG signal with the bundled db4 spec on
TensorFlow, reconstructs them, and prints the reconstruction error, the error
against PyWavelets and both timings. Pictures go into the output folder: the
trap with the difference images, the 2-D wavelet mosaic with its subbands
named, and a 1-D scalogram, each with a colour bar.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from filterbank.cli._common import describe
from filterbank.modes import Mode, check_mode

__all__ = ["demo_kernel", "mosaic", "mosaic_layout", "register", "run_trap", "run_wavelet", "run_wavelets"]

#: The bundled spec the demo decomposes with, and the levels for the image and the signal.
SPEC = "db4"
LEVELS = {"camera": 3, "ecg": 5}
#: The pictures the demo writes into its output folder.
PICTURES = ("convolution-trap.png", "wavelet-mosaic.png", "ecg-scalogram.png")


def register(sub: Any) -> None:
    """Add the ``demo`` sub-command."""
    p = sub.add_parser(
        "demo",
        help="the convolution trap and wavelet transforms on bundled data, against scipy and PyWavelets",
        description=describe(__doc__),
    )
    p.add_argument("-o", "--output", default="filterbank-demo", help="output folder (default: ./filterbank-demo)")
    p.add_argument("-f", "--force", action="store_true", help="overwrite pictures of an earlier run")
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
    from filterbank.backend.system import raw_conv2d

    x = image.astype(np.float64)
    reference = ss.convolve2d(x, kernel, mode="same")
    raw = raw_conv2d(x, kernel)
    ours = fb.convolve(x, kernel, "same")
    return {
        "tf_conv2d": raw,
        "filterbank": ours,
        "scipy": reference,
        "err_tf_conv2d": float(np.max(np.abs(raw - reference))),
        "err_filterbank": float(np.max(np.abs(ours - reference))),
    }


def run_wavelet(image: np.ndarray, wavelet: str = "db4", level: int = 3, mode: Mode = "symmetric") -> dict[str, Any]:
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


def _best_time(fn: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _max_error(ours: list[Any], theirs: list[Any]) -> float:
    """Largest absolute difference over every subband of two PyWavelets-layout lists."""
    flat_a = [ours[0]] + [d for level in ours[1:] for d in (level if isinstance(level, tuple) else (level,))]
    flat_b = [theirs[0]] + [d for level in theirs[1:] for d in (level if isinstance(level, tuple) else (level,))]
    if len(flat_a) != len(flat_b) or any(np.shape(a) != np.shape(b) for a, b in zip(flat_a, flat_b)):
        return float("inf")
    return max(float(np.max(np.abs(np.asarray(a) - b))) for a, b in zip(flat_a, flat_b))


def run_wavelets(signal: np.ndarray, bank: Any, level: int) -> dict[str, Any]:
    """Decompose ``signal`` (1-D or 2-D) with ``bank`` on TensorFlow and with PyWavelets; compare and time.

    Returns
    -------
    dict
        ``coeffs`` (filterbank's), ``reconstruction_error`` and ``pywt_error``
        (max abs, float64), ``first_s`` (the first call, which builds and
        compiles the plan), ``fb_s`` and ``pywt_s`` (best of three warm
        decompositions), ``fb_inverse_s`` and ``pywt_inverse_s``.

    Examples
    --------
    >>> import filterbank as fb
    >>> r = run_wavelets(np.arange(64.0), fb.load("haar"), 2)
    >>> r["reconstruction_error"] < 1e-12 and r["pywt_error"] < 1e-12
    True
    """
    import pywt

    import filterbank as fb

    x = np.asarray(signal, dtype=np.float64)
    two_d = x.ndim == 2
    decompose = fb.wavedec2 if two_d else fb.wavedec
    recompose = fb.waverec2 if two_d else fb.waverec
    pdecompose = pywt.wavedec2 if two_d else pywt.wavedec
    precompose = pywt.waverec2 if two_d else pywt.waverec
    wavelet = pywt.Wavelet(bank.name, filter_bank=(bank.dec_lo, bank.dec_hi, bank.rec_lo, bank.rec_hi))
    mode = check_mode(bank.mode or "symmetric")

    start = time.perf_counter()
    coeffs = decompose(x, bank, mode, level)
    back = recompose(coeffs, bank, mode)
    first = time.perf_counter() - start
    reference = pdecompose(x, wavelet, mode, level)
    return {
        "coeffs": coeffs,
        "reconstruction_error": float(np.max(np.abs(np.asarray(back) - x))) if np.shape(back) == x.shape else float("inf"),
        "pywt_error": _max_error(coeffs, reference),
        "first_s": first,
        "fb_s": _best_time(lambda: decompose(x, bank, mode, level)),
        "pywt_s": _best_time(lambda: pdecompose(x, wavelet, mode, level)),
        "fb_inverse_s": _best_time(lambda: recompose(coeffs, bank, mode)),
        "pywt_inverse_s": _best_time(lambda: precompose(reference, wavelet, mode)),
    }


def mosaic(coeffs: list[Any]) -> np.ndarray:
    """The classic picture of a 2-D decomposition: each level's details around the coarser ones.

    Subbands are placed by their keys (``aa | ad`` over ``da | dd``, PyWavelets'
    ``coeffs_to_array`` layout); each is scaled to [0, 1] by its own magnitude so
    that faint details stay visible.

    Examples
    --------
    >>> c = [np.ones((2, 2)), (np.zeros((2, 2)), np.ones((2, 2)), np.zeros((2, 2)))]
    >>> mosaic(c).shape
    (4, 4)
    """
    return mosaic_layout(coeffs)[0]


def mosaic_layout(coeffs: list[Any]) -> tuple[np.ndarray, list[tuple[str, int, int, int, int]]]:
    """`mosaic` and where each subband sits in it: ``(name, row, column, height, width)``.

    Names are PyWavelets': ``cA3``, then ``cH3``, ``cV3``, ``cD3`` (level 3 the
    coarsest) down to ``cD1``.

    Examples
    --------
    >>> c = [np.ones((2, 2)), (np.zeros((2, 3)), np.ones((2, 2)), np.zeros((2, 2)))]
    >>> mosaic_layout(c)[1]
    [('cA1', 0, 0, 2, 2), ('cV1', 0, 3, 2, 2), ('cH1', 2, 0, 2, 3), ('cD1', 2, 3, 2, 2)]
    """

    def scaled(a: Any, detail: bool) -> np.ndarray:
        a = np.asarray(a, dtype=np.float64)
        if detail:
            return np.abs(a) / max(float(np.abs(a).max()), 1e-300)
        lo, hi = float(a.min()), float(a.max())
        return (a - lo) / (hi - lo) if hi > lo else np.zeros_like(a)

    level = len(coeffs) - 1
    block = scaled(coeffs[0], False)
    boxes = [(f"cA{level}", 0, 0, *block.shape)]
    for j, (cH, cV, cD) in zip(range(level, 0, -1), coeffs[1:]):
        h, v, d = (scaled(c, True) for c in (cH, cV, cD))
        rows = max(block.shape[0], v.shape[0]) + max(h.shape[0], d.shape[0])
        cols = max(block.shape[1], h.shape[1]) + max(v.shape[1], d.shape[1])
        top, left = max(block.shape[0], v.shape[0]), max(block.shape[1], h.shape[1])
        canvas = np.zeros((rows, cols))  # dark gaps where subband sizes differ by a few samples
        canvas[: block.shape[0], : block.shape[1]] = block
        canvas[: v.shape[0], left: left + v.shape[1]] = v  # cV = 'ad', top right
        canvas[top: top + h.shape[0], : h.shape[1]] = h  # cH = 'da', bottom left
        canvas[top: top + d.shape[0], left: left + d.shape[1]] = d
        boxes += [(f"cV{j}", 0, left, *v.shape), (f"cH{j}", top, 0, *h.shape), (f"cD{j}", top, left, *d.shape)]
        block = canvas
    return block, boxes


def _figure(**kwargs: Any) -> Any:
    """A matplotlib figure on the Agg canvas (no pyplot, no global backend switch)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(**kwargs)
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Any, path: Path, force: bool) -> Path:
    from filterbank.cli._write import atomic_write

    return atomic_write(path, lambda f: fig.savefig(f, format="png", dpi=80, bbox_inches="tight"), force=force)


def _write_trap_png(out: Path, image: np.ndarray, result: dict[str, Any], force: bool) -> Path:
    """Input, the three results, and the two differences from scipy, each difference with its colour bar."""
    from matplotlib.colors import TwoSlopeNorm

    fig = _figure(figsize=(13, 9.4), layout="constrained")
    axes = fig.subplots(2, 3)
    reference = result["scipy"]
    images = [
        (axes[0, 0], image, "input (pywt camera)"),
        (axes[0, 1], reference, "scipy.signal.convolve2d (reference)"),
        (axes[0, 2], result["filterbank"], "filterbank.convolve"),
        (axes[1, 0], result["tf_conv2d"], "raw tf.nn.conv2d (correlates)"),
    ]
    for ax, img, title in images:
        ax.imshow(img, cmap="gray")
        ax.set_title(title, fontsize=10)
        ax.axis("off")
    differences = [
        (axes[1, 1], result["tf_conv2d"] - reference, f"raw tf.nn.conv2d - scipy\nmax |err| {result['err_tf_conv2d']:.3g}"),
        (axes[1, 2], result["filterbank"] - reference, f"filterbank.convolve - scipy\nmax |err| {result['err_filterbank']:.2g}"),
    ]
    for ax, diff, title in differences:
        bound = max(float(np.abs(diff).max()), 1e-300)
        shown = ax.imshow(diff, cmap="RdBu_r", norm=TwoSlopeNorm(0.0, -bound, bound))
        ax.set_title(title, fontsize=10)
        ax.axis("off")
        fig.colorbar(shown, ax=ax, shrink=0.8, label="difference (image units, 0..255)")
    return _save(fig, out / "convolution-trap.png", force)


def _write_mosaic_png(out: Path, coeffs: list[Any], name: str, force: bool) -> Path:
    """The mosaic with every subband named, and a colour bar for the per-subband scale."""
    from matplotlib.colors import PowerNorm

    picture, boxes = mosaic_layout(coeffs)
    fig = _figure(figsize=(8.2, 7), layout="constrained")
    ax = fig.subplots()
    shown = ax.imshow(picture, cmap="gray", norm=PowerNorm(0.5, 0.0, 1.0))  # a gentle gamma for the small details
    for label, row, col, height, width in boxes:
        ax.text(col + 3, row + 3, label, color="yellow", fontsize=8 if height < 40 else 10, va="top", ha="left",
                bbox={"facecolor": "black", "alpha": 0.5, "pad": 1.5, "linewidth": 0})
    ax.set_title(f"camera, {name}, level {len(coeffs) - 1} (filterbank on TensorFlow)", fontsize=10)
    ax.axis("off")
    fig.colorbar(shown, ax=ax, shrink=0.8,
                 label="cA: min..max of the subband; details: |coefficient| / subband max (square-root scale)")
    return _save(fig, out / "wavelet-mosaic.png", force)


def _write_scalogram_png(
    out: Path, signal: np.ndarray, coeffs: list[Any], name: str, filter_len: int, force: bool
) -> Path:
    """|detail coefficients| per level, each drawn where it sits in time, with a colour bar.

    Outside ``periodization``, coefficient ``k`` of level ``j`` is centred near
    sample ``2**j * k + (2**j - 1) * (1 - (L - 1) / 2)`` (the filter's delay
    accumulates over the levels), and spans ``2**j`` samples.
    """
    n = signal.size
    level = len(coeffs) - 1
    fig = _figure(figsize=(11, 5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1.4]})
    top.plot(signal, lw=0.8, color="k")
    top.set_title(f"ECG (pywt.data.ecg), {name}, level {level}: |detail coefficients| per level", fontsize=10)
    shown = None
    for row, c in enumerate(coeffs[1:]):  # coarsest first, drawn at the top
        j = level - row
        c = np.abs(np.asarray(c))
        step = 2.0**j
        first = (step - 1) * (1 - (filter_len - 1) / 2)
        extent = (first - step / 2, first + step * (c.size - 0.5), row + 1.5, row + 0.5)
        shown = bottom.imshow(c[None, :] / max(float(c.max()), 1e-300), aspect="auto", cmap="magma",
                              interpolation="nearest", extent=extent, vmin=0.0, vmax=1.0)
    bottom.set_xlim(0, n)
    bottom.set_ylim(level + 0.5, 0.5)
    bottom.set_yticks(range(1, level + 1), [f"cD{level - i}" for i in range(level)])
    bottom.set_xlabel("sample")
    if shown is not None:
        fig.colorbar(shown, ax=bottom, label="|cD| / level max")
    return _save(fig, out / "ecg-scalogram.png", force)


def _ms(seconds: float) -> str:
    """A duration in the unit that suits it.

    Examples
    --------
    >>> _ms(0.0123), _ms(0.000045), _ms(2.5)
    ('12.3 ms', '45 us', '2.50 s')
    """
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} us"


def _main(args: argparse.Namespace) -> int:
    import pywt.data

    import filterbank as fb
    from filterbank.backend.system import device_kind
    from filterbank.cli._write import check_writable

    start = time.perf_counter()
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise fb.InputError(f"--output {args.output!r} must be a folder; it is a file")
    for name in PICTURES:  # refuse before the long computations; writing checks again, atomically
        check_writable(out / name, force=args.force)
    image = pywt.data.camera().astype(np.float64)
    ecg = pywt.data.ecg().astype(np.float64)
    kernel = demo_kernel()

    print(f"1. the trap: camera image {image.shape}, asymmetric scipy kernel {kernel.shape} (minimum-phase firwin)")
    result = run_trap(image, kernel)
    scale = float(np.abs(result["scipy"]).max())
    print("max |error| against scipy.signal.convolve2d (image range 0..255):")
    print(f"  raw tf.nn.conv2d       {result['err_tf_conv2d']:10.3g}   (relative {result['err_tf_conv2d'] / scale:.2g})  <- correlates: wrong")
    print(f"  filterbank.convolve    {result['err_filterbank']:10.3g}   (relative {result['err_filterbank'] / scale:.2g})")
    written = [_write_trap_png(out, image, result, args.force)]

    bank = fb.load(SPEC)
    if not isinstance(bank, fb.FilterBank):
        raise fb.SpecError(f"{SPEC}: the demo needs a filter bank spec, not a single filter")
    device = device_kind()
    print()
    print(f"2. wavelets: bundled spec {SPEC!r}, mode {bank.mode or 'symmetric'}, float64, TensorFlow on {device}")
    print(f"  {'signal':<18} {'level':>5} {'recon err':>10} {'vs pywt':>10} {'1st call':>9} "
          f"{'fb fwd':>9} {'pywt fwd':>9} {'fb inv':>9} {'pywt inv':>9}")
    results = {}
    for name, signal in (("camera", image), ("ecg", ecg)):
        r = run_wavelets(signal, bank, LEVELS[name])
        results[name] = r
        label = f"{name} {signal.shape}"
        print(f"  {label:<18} {LEVELS[name]:>5} {r['reconstruction_error']:>10.2g} {r['pywt_error']:>10.2g} "
              f"{_ms(r['first_s']):>9} {_ms(r['fb_s']):>9} {_ms(r['pywt_s']):>9} "
              f"{_ms(r['fb_inverse_s']):>9} {_ms(r['pywt_inverse_s']):>9}")
    print(f"  errors: max |difference| (camera values {image.min():.0f}..{image.max():.0f}, "
          f"ECG {ecg.min():.0f}..{ecg.max():.0f}); times: best of 3 after the 1st call,")
    print("  which builds and compiles the plan. Single small inputs measure latency; see `filterbank bench`")
    print("  for throughput on batches.")
    written.append(_write_mosaic_png(out, results["camera"]["coeffs"], SPEC, args.force))
    written.append(_write_scalogram_png(out, ecg, results["ecg"]["coeffs"], SPEC, bank.dec_len, args.force))
    print()
    for path in written:
        print(f"wrote {path}")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0
