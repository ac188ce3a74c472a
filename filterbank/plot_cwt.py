"""Scalograms: ``|coefs|`` of a CWT against time (s) and frequency (Hz, log axis), with a colour bar.

Given the wavelet, the cone of influence is drawn too (`filterbank.design.cone`):
at time ``t`` the coefficients of frequencies below ``tau * fc / d(t)`` feel
the signal's ends (``d`` the distance to the nearer end, ``fc`` the centre
frequency, ``tau`` the e-folding time), so that region is hatched and its
edge drawn as a white dashed line.

matplotlib's object API with the Agg canvas only (no ``pyplot``), as in
`filterbank.plot`; imported when a figure is drawn.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from filterbank.errors import InputError, check_option

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["scalogram"]


def scalogram(coefs: Any, frequencies: Any, *, fs: float = 1.0, hop: int = 1,
              scale: Literal["magnitude", "power", "db"] = "magnitude", title: str | None = None,
              cmap: str = "viridis", path: str | os.PathLike[str] | None = None, wavelet: Any = None,
              coi: bool = True, precision: int = 12) -> Figure:
    """Draw one scalogram (``coefs`` of one signal, from `filterbank.cwt`).

    Parameters
    ----------
    coefs : array_like, shape (n_frequencies, n_times)
        CWT coefficients of one signal (numpy or tf.Tensor; complex allowed).
    frequencies : array_like, shape (n_frequencies,)
        Their frequencies in Hz (`filterbank.cwt`'s second result with
        ``sampling_period = 1 / fs``), all > 0.
    fs : float, optional
        Sampling rate of the signal in Hz (the time axis is in seconds).
    hop : int, optional
        The ``hop`` the coefficients were computed with.
    scale : {"magnitude", "power", "db"}, optional
        Colour: ``|c|``, ``|c|^2`` or ``10 log10 |c|^2``.
    title : str, optional
        Axes title.
    cmap : str, optional
        Colour map name.
    path : str or path, optional
        Save the figure there (format from the suffix).
    wavelet : str, ContinuousWavelet or spec, optional
        The wavelet of the transform; with it (and ``coi``) the cone of
        influence is drawn.
    coi : bool, optional
        Draw the cone of influence when ``wavelet`` is given (default True).
    precision : int, optional
        The ``precision`` of the transform (default 12), for the centre frequency.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np, filterbank as fb
    >>> t = np.arange(500) / 250.0
    >>> coefs, freqs = fb.cwt(np.sin(2 * np.pi * 10 * t), fb.cwt_scales("cmor1.5-1.0", 2, 50, 16, fs=250), \
"cmor1.5-1.0", 1 / 250, method="fft")
    >>> fig = scalogram(coefs, freqs, fs=250, wavelet="cmor1.5-1.0")
    >>> ax = fig.axes[0]
    >>> ax.get_yscale(), ax.get_xlabel(), ax.get_ylabel(), len(fig.axes)
    ('log', 'time (s)', 'frequency (Hz)', 2)
    >>> edge = ax.lines[0]                       # the cone's edge: tau * fc / d(t) Hz
    >>> edge.get_label(), round(float(edge.get_ydata()[0]), 3)   # at t = 0, d = 0.5 / fs
    ('cone of influence', 612.372)
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    scale = check_option("scale", scale, ("magnitude", "power", "db"))
    c = np.abs(np.asarray(coefs))
    f = np.asarray(frequencies, dtype=np.float64).ravel()
    if c.ndim != 2:
        raise InputError(f"coefs must be 2-D (frequencies x times, one signal); got shape {c.shape}")
    if f.shape != (c.shape[0],) or not np.all(np.isfinite(f)) or np.any(f <= 0):
        raise InputError(f"frequencies must be {c.shape[0]} positive numbers (one per row of coefs); got shape {f.shape}")
    if isinstance(fs, bool) or not isinstance(fs, (int, float, np.integer, np.floating)) or not 0 < fs < np.inf:
        raise InputError(f"fs must be a finite sampling rate > 0; got {fs!r}")
    if isinstance(hop, bool) or not isinstance(hop, (int, np.integer)) or hop < 1:
        raise InputError(f"hop must be an integer >= 1; got {hop!r}")
    value = {"magnitude": c, "power": c**2, "db": 10 * np.log10(np.maximum(c**2, 1e-300))}[scale]
    order = np.argsort(f)
    t = np.arange(c.shape[1]) * hop / fs
    fig = Figure(figsize=(10, 4), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    mesh = ax.pcolormesh(t, f[order], value[order], shading="nearest", cmap=cmap)
    ax.set_yscale("log")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("frequency (Hz)")
    if wavelet is not None and coi:
        _draw_cone(ax, wavelet, t, f, fs, hop, c.shape[1], precision)
    if title:
        ax.set_title(title)
    fig.colorbar(mesh, ax=ax, label={"magnitude": "|coefs|", "power": "|coefs|²", "db": "power (dB)"}[scale])
    if path is not None:
        fig.savefig(os.fspath(path), dpi=100)
    return fig


def _draw_cone(ax: Any, wavelet: Any, t: np.ndarray, f: np.ndarray, fs: float, hop: int, count: int,
               precision: int) -> None:
    """Hatch the cone of influence below ``tau * fc / d(t)`` Hz."""
    from filterbank.design.cone import efolding_time
    from filterbank.design.continuous import as_continuous_wavelet
    from filterbank.design.scales import central_frequency

    w = as_continuous_wavelet(wavelet)
    n = count * hop  # the signal's length, to within hop - 1 samples
    d = (np.minimum(t * fs, n - 1 - t * fs) + 0.5) / fs
    edge = efolding_time(w) * central_frequency(w, precision=precision) / d
    lo, hi = float(f.min()), float(f.max())
    ax.fill_between(t, lo, np.clip(edge, lo, hi), facecolor="none", edgecolor="white", hatch="xx",
                    linewidth=0.0, alpha=0.5)
    ax.plot(t, edge, color="white", linestyle="--", linewidth=1.0, label="cone of influence")
    ax.set_ylim(lo, hi)
