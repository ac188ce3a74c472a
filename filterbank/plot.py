"""Frequency responses and scaling / wavelet functions of a bank, with matplotlib.

matplotlib is imported only when a figure is drawn, and only its object API
with the Agg canvas is used (no ``pyplot``, no global backend switch), so
plotting works headless and never disturbs a user's interactive session.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np

from filterbank.design.check import check_bank
from filterbank.design.derive import convolve
from filterbank.errors import InputError
from filterbank.spec.parameters import ROLES
from filterbank.plot_cwt import scalogram

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from filterbank.design.bank import Filter, FilterBank
    from filterbank.design.mchannel import MChannelBank

__all__ = ["MAX_CASCADE_TAPS", "cascade", "frequency_response", "plot_bank", "plot_mchannel", "sample_rate", "scalogram"]

#: Line styles: analysis filters solid, synthesis filters dashed, so that curves on top of each other stay visible.
_STYLES = {"dec_lo": "-", "dec_hi": "-", "rec_lo": "--", "rec_hi": "--"}


def frequency_response(taps: Any, points: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """Complex response ``H(e^jw) = sum_k h[k] e^(-jwk)`` on ``points`` frequencies in ``[0, pi]``.

    Computed exactly with one FFT of the taps folded modulo ``2 * (points - 1)``
    (the frequencies are ``2 pi k / (2 (points - 1))``, where ``e^(-jwm)`` is
    periodic in ``m``), so any filter length costs ``O(L + points log points)``.

    Examples
    --------
    >>> w, h = frequency_response([0.5, 0.5], points=3)
    >>> w.round(4).tolist(), np.abs(h).round(4).tolist()
    ([0.0, 1.5708, 3.1416], [1.0, 0.7071, 0.0])
    """
    if points < 2:
        raise InputError(f"points must be an integer >= 2; got {points!r}")
    h = np.asarray(taps, dtype=np.float64)
    n = 2 * (points - 1)
    # the frequencies are 2 pi k / n, so e^(-j w m) has period n in m: fold the taps
    folded = np.bincount(np.arange(h.size) % n, weights=h, minlength=n)
    return np.linspace(0.0, np.pi, points), np.fft.rfft(folded)


def sample_rate(bank: FilterBank | Filter) -> float | None:
    """The sampling frequency ``fs`` the bank's spec designed its filters for, or None.

    Only an ``fs`` the spec gives explicitly counts (scipy's default ``fs=2``
    means normalised frequency); filters that disagree give None.

    Examples
    --------
    >>> import filterbank as fb
    >>> lp = fb.load({"filterbank": 1, "kind": "filter",
    ...               "filter": {"design": "firwin", "numtaps": 31, "cutoff": 1000, "fs": 44100}})
    >>> sample_rate(lp), sample_rate(fb.load("db4"))
    (44100.0, None)
    """
    from filterbank.spec.schema import SingleFilterSpec

    spec = bank.spec
    if spec is None:
        return None
    filters = [spec.filter] if isinstance(spec, SingleFilterSpec) else [getattr(spec, r) for r in ROLES]
    rates = {float(f.parameters["fs"]) for f in filters if f is not None and "fs" in f.parameters}
    return rates.pop() if len(rates) == 1 else None


def _merged(curves: list[tuple[str, np.ndarray, np.ndarray]]) -> list[tuple[str, np.ndarray, str]]:
    """Curves that coincide drawn once, labelled with all their names: ``(label, values, line style)``.

    Each curve is ``(name, values drawn, values compared)``: two curves coincide
    when the compared values agree within ``1e-9`` of their largest magnitude.

    Examples
    --------
    >>> a, b = np.array([0.0, 1.0]), np.array([0.0, 2.0])
    >>> curves = [("dec_lo", a, a), ("dec_hi", b, b), ("rec_lo", a, a + 1e-15)]
    >>> [(label, style) for label, _, style in _merged(curves)]
    [('dec_lo = rec_lo', '-'), ('dec_hi', '-')]
    """
    groups: list[tuple[list[str], np.ndarray, np.ndarray]] = []
    for name, values, compared in curves:
        scale = max(float(np.max(np.abs(compared))), 1e-300)
        for names, _, first in groups:
            if np.allclose(compared, first, rtol=0, atol=1e-9 * scale):
                names.append(name)
                break
        else:
            groups.append(([name], values, compared))
    return [(" = ".join(names), values, _STYLES.get(names[0], "-")) for names, values, _ in groups]


def _upsample(h: np.ndarray, factor: int) -> np.ndarray:
    out = np.zeros((h.size - 1) * factor + 1)
    out[::factor] = h
    return out


def cascade(lowpass: Any, highpass: Any, level: int = 8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scaling and wavelet functions by the cascade algorithm.

    With ``G_J(z) = prod_{j<J} H0(z^(2^j))``, ``phi(n / 2^J) ~ 2^(J/2) g_J[n]``
    and ``psi(n / 2^J) ~ 2^(J/2) [G_{J-1}(z) H1(z^(2^(J-1)))]_n``, for a low-pass scaled
    to ``sum(h0) == sqrt(2)``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(phi, psi, t)``, sampled at ``t = n / 2**level``.

    Examples
    --------
    >>> phi, psi, t = cascade([0.5 ** 0.5] * 2, [0.5 ** 0.5, -(0.5 ** 0.5)], level=2)
    >>> phi.round(4).tolist(), psi.round(4).tolist()
    ([1.0, 1.0, 1.0, 1.0, 0.0], [1.0, 1.0, -1.0, -1.0, 0.0])
    """
    h0 = np.asarray(lowpass, dtype=np.float64)
    h1 = np.asarray(highpass, dtype=np.float64)
    g = np.array([1.0])
    for j in range(level - 1):
        g = convolve(g, _upsample(h0, 2**j))
    phi = convolve(g, _upsample(h0, 2 ** (level - 1)))
    psi = convolve(g, _upsample(h1, 2 ** (level - 1)))
    n = max(phi.size, psi.size) + 1
    phi = np.pad(phi, (0, n - phi.size)) * 2 ** (level / 2)
    psi = np.pad(psi, (0, n - psi.size)) * 2 ** (level / 2)
    return phi, psi, np.arange(n) / 2**level


#: Longest filters whose scaling / wavelet functions are drawn.
MAX_CASCADE_TAPS = 512


def _cascade_level(length: int) -> int:
    """Iterations of the cascade: 8, fewer for long filters (about 2**17 samples at most)."""
    return int(np.clip(17 - int(np.ceil(np.log2(max(length, 2)))), 3, 8))


def _functions(bank: FilterBank) -> tuple[bool, bool]:
    """(whether phi / psi exist, whether the bank is orthogonal).

    The cascade converges to functions for PR banks with ``sqrt(2)`` low-pass gain.
    """
    if max(bank.dec_len, bank.rec_len) > MAX_CASCADE_TAPS:
        return False, False
    report = check_bank(bank, tolerance=1e-6)
    gains_ok = all(abs(abs(float(np.sum(getattr(bank, r)))) - np.sqrt(2)) < 1e-6 for r in ("dec_lo", "rec_lo"))
    return report.ok and gains_ok, report.orthogonality_error <= 1e-9


def plot_bank(
    bank: FilterBank | Filter | MChannelBank,
    path: str | os.PathLike[str] | None = None,
    *,
    points: int = 1024,
    fs: float | None = None,
) -> Figure:
    """Draw magnitude (dB) and phase of the four filters, and phi / psi where they exist.

    Parameters
    ----------
    bank : FilterBank or Filter
        The bank (or a single filter: its magnitude and phase only).
    path : str or path, optional
        Save the figure there (format from the suffix: ``.png``, ``.svg``, ``.pdf``...).
    points : int, default 1024
        Number of frequencies in ``[0, pi]``.
    fs : float, optional
        Sampling frequency: the frequency axis is then in Hz, from 0 to
        ``fs / 2``. Default: the ``fs`` the spec's designs give (see
        `sample_rate`), else normalised frequency (x pi rad / sample).

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    The functions are drawn from the synthesis filters (``rec_lo``, ``rec_hi``)
    and, for a bank that is not orthogonal, the dual functions from the
    time-reversed analysis filters. They are drawn only for a bank that
    reconstructs within ``1e-6``, whose low-passes sum to ``sqrt(2)`` and whose
    filters have at most `MAX_CASCADE_TAPS` taps.

    Analysis filters are drawn solid and synthesis filters dashed; curves that
    coincide (the magnitudes of an orthogonal bank's ``dec_lo`` and
    ``rec_lo``) are drawn once, labelled ``dec_lo = rec_lo``.

    Examples
    --------
    >>> from filterbank import FilterBank
    >>> fig = plot_bank(FilterBank.from_wavelet("db2"))
    >>> [ax.get_title() for ax in fig.axes]
    ['magnitude', 'phase', 'scaling functions', 'wavelet functions']
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['dec_lo = rec_lo', 'dec_hi = rec_hi']
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from filterbank.design.bank import Filter
    from filterbank.design.mchannel import MChannelBank

    if isinstance(bank, MChannelBank):
        return plot_mchannel(bank, path, points=points)
    if isinstance(bank, Filter):
        curves = [(bank.name, bank.taps)]
        functions, orthogonal, title = False, False, f"filter {bank.name!r}"
    else:
        curves = [(role, getattr(bank, role)) for role in ROLES]
        (functions, orthogonal), title = _functions(bank), f"filter bank {bank.name!r}"
    fig = Figure(figsize=(11, 7.5 if functions else 4), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(2 if functions else 1, 2, squeeze=False)
    mag, pha = axes[0]
    if fs is None:
        fs = sample_rate(bank)
    elif not (np.isfinite(fs) and fs > 0):
        from filterbank.errors import InputError

        raise InputError(f"fs must be a finite sampling frequency > 0; got {fs!r}")
    responses = [(label, frequency_response(taps, points)) for label, taps in curves]
    w = responses[0][1][0]
    x = w / np.pi if fs is None else w / np.pi * (fs / 2)
    db = [(label, 20 * np.log10(np.maximum(np.abs(h), 1e-12)), np.abs(h)) for label, (_, h) in responses]
    phase = [(label, p, p) for label, p in ((label, np.unwrap(np.angle(h))) for label, (_, h) in responses)]
    for ax, lines in ((mag, _merged(db)), (pha, _merged(phase))):
        for label, values, style in lines:
            ax.plot(x, values, style, label=label)
    mag.set_title("magnitude")
    mag.set_ylabel("|H| (dB)")
    mag.set_ylim(bottom=max(-160.0, mag.get_ylim()[0]))
    pha.set_title("phase")
    pha.set_ylabel("unwrapped phase (rad)")
    for ax in (mag, pha):
        ax.set_xlabel("frequency (x pi rad / sample)" if fs is None else f"frequency (Hz, fs = {fs:g})")
        ax.set_xlim(0, x[-1])
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    if functions and not isinstance(bank, Filter):
        phi_ax, psi_ax = axes[1]
        level = _cascade_level(max(bank.dec_len, bank.rec_len))
        phi, psi, t = cascade(bank.rec_lo, bank.rec_hi, level)
        phi_ax.plot(t, phi, label="phi (synthesis)")
        psi_ax.plot(t, psi, label="psi (synthesis)")
        if not orthogonal:
            dphi, dpsi, dt = cascade(bank.dec_lo[::-1], bank.dec_hi[::-1], level)
            phi_ax.plot(dt, dphi, "--", label="phi (analysis dual)")
            psi_ax.plot(dt, dpsi, "--", label="psi (analysis dual)")
        phi_ax.set_title("scaling functions")
        psi_ax.set_title("wavelet functions")
        for ax in (phi_ax, psi_ax):
            ax.set_xlabel("t")
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize="small")
    fig.suptitle(title)
    if path is not None:
        fig.savefig(os.fspath(path), dpi=100)
    return fig


def plot_mchannel(bank: MChannelBank, path: str | os.PathLike[str] | None = None, *, points: int = 1024) -> Figure:
    """Draw an M-channel bank: every channel's magnitude on one plot, distortion and alias terms on another.

    Parameters
    ----------
    bank : MChannelBank
        The bank.
    path : str or path, optional
        Save the figure there.
    points : int, default 1024
        Number of frequencies in ``[0, pi]``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from filterbank import load
    >>> fig = plot_mchannel(load("pqmf4"))
    >>> [ax.get_title() for ax in fig.axes], len(fig.axes[0].lines), len(fig.axes[1].lines)
    (['channel magnitudes', 'distortion and alias terms'], 4, 4)
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4), layout="constrained")
    FigureCanvasAgg(fig)
    mag, alias = fig.subplots(1, 2)
    x = np.linspace(0.0, 1.0, points)
    for k, h in enumerate(bank.analysis):
        _, r = frequency_response(h, points)
        mag.plot(x, 20 * np.log10(np.maximum(np.abs(r), 1e-12)), label=f"h_{k}")
    d, n = bank.decimation, np.arange(bank.filter_length)
    for l in range(d):
        mod = np.exp(2j * np.pi * l * n / d)
        a = np.sum([np.convolve(hk * mod, gk) for hk, gk in zip(bank.analysis, bank.synthesis)], axis=0) / d
        folded = np.bincount(np.arange(a.size) % (2 * (points - 1)), weights=a.real, minlength=2 * (points - 1)) + 1j * \
            np.bincount(np.arange(a.size) % (2 * (points - 1)), weights=a.imag, minlength=2 * (points - 1))
        r = np.abs(np.fft.fft(folded))[:points]
        alias.plot(x, 20 * np.log10(np.maximum(r, 1e-16)), label="|T|" if l == 0 else f"|A_{l}|")
    mag.set_title("channel magnitudes")
    mag.set_ylabel("|H_k| (dB)")
    mag.set_ylim(bottom=max(-160.0, mag.get_ylim()[0]))
    alias.set_title("distortion and alias terms")
    alias.set_ylabel("dB")
    for ax in (mag, alias):
        ax.set_xlabel("frequency (x pi rad / sample)")
        ax.set_xlim(0, 1)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small", ncol=2 if bank.channels > 8 else 1)
    fig.suptitle(f"M-channel bank {bank.name!r}: {bank.channels} channels, decimation {d}")
    if path is not None:
        fig.savefig(os.fspath(path), dpi=100)
    return fig
