"""M-channel filter banks: explicit taps, cosine-modulated (PQMF) and DFT-modulated designs.

An `MChannelBank` holds ``M`` analysis filters ``h_k`` and ``M`` synthesis
filters ``g_k`` (float64, zero-padded to one length ``L``, read-only) and a
decimation ``D <= M``. Like PyWavelets' filters they are applied by *true
convolution*; channel ``k`` is band ``k``, lowest first::

    x ──┬─ h_0 ─ ↓D ─ y_0 ─ ↑D ─ g_0 ─┐
        ├─ h_1 ─ ↓D ─ y_1 ─ ↑D ─ g_1 ─┼─(+)── x delayed by `delay` samples
        ┆                              ┆
        └─ h_M-1 ↓D ─ y_M-1 ↑D ─ g_M-1 ┘

    y_k = scipy.signal.upfirdn(h_k, x, up=1, down=D)
    x̂   = sum_k scipy.signal.upfirdn(g_k, y_k, up=D)[delay : delay + len(x)]

Designs
-------
``cosine_modulated`` (pseudo-QMF): a Kaiser-window prototype
``p = firwin(N, cutoff, window=("kaiser", beta))`` modulated as in
multi-band vocoders (N = numtaps)::

    h_k[n] = 2 p[n] cos((2k + 1) pi / (2M) (n - (N - 1) / 2) + (-1)^k pi / 4)
    g_k[n] = M h_k[N - 1 - n]                       delay = N - 1

so the subbands equal those of the usual PyTorch / TensorFlow PQMF modules.
``cutoff: optimize`` picks the cutoff of Lin & Vaidyanathan's Kaiser
approach: the one minimising ``max_{k != 0} |r[N - 1 + 2Mk]| / r[N - 1]``,
``r = p * p[::-1]`` (the prototype's power response as close as possible to
a 2M-th band filter).

``dft_modulated`` (real form of the DFT / STFT bank): a window
``w = sqrt(get_window(window, N))`` with ``N <= M`` and the channels
``w[n] cos(2 pi c n / M)`` for ``c = 0 .. M // 2`` and ``w[n] sin(2 pi c n / M)``
for ``0 < c < M / 2``, ordered by frequency; ``g_k`` is ``h_k`` reversed,
doubled for the channels that stand for two complex ones, scaled so that
the distortion's peak is 1. It is perfect-reconstruction when ``w**2``
overlap-adds to a constant at hop ``D`` (Hann with ``D = N / 2``).

Examples
--------
>>> bank = MChannelBank.from_spec("pqmf4")
>>> bank.channels, bank.decimation, bank.filter_length, bank.delay
(4, 4, 63, 62)
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from filterbank.cache import named_cache
from filterbank.errors import FilterBankTypeError, FilterBankWarning, InputError, PerfectReconstructionError
from filterbank.spec.mchannel import MChannelSpec
from filterbank.spec.parameters import DEFAULT_TOLERANCE

if TYPE_CHECKING:
    from filterbank.design.bank import FilterBank
    from filterbank.design.mcheck import MChannelReport

__all__ = ["MChannelBank", "cosine_modulated", "dft_modulated", "optimal_cutoff", "periodic_window"]

#: Banks built from specs (a spec is a hashable value) and their reports: designed and measured once.
_BANKS = named_cache("mchannel banks", max_entries=64, max_bytes=64 << 20)
_REPORTS = named_cache("mchannel checks", max_entries=256, max_bytes=16 << 20)


def _matrix(taps: Any, name: str, rows: int | None = None) -> np.ndarray:
    """Filters (one per row) as a read-only float64 matrix, zero-padded at the end to one length."""
    filters = [np.asarray(t, dtype=np.float64).reshape(-1) for t in taps]
    if not filters or (rows is not None and len(filters) != rows):
        raise InputError(f"{name} must hold {rows or 'at least 2'} filters; got {len(filters)}")
    if any(f.size == 0 for f in filters) or not all(np.all(np.isfinite(f)) for f in filters):
        raise InputError(f"{name} must be filters of finite taps, at least one each")
    out = np.zeros((len(filters), max(f.size for f in filters)))
    for k, f in enumerate(filters):
        out[k, : f.size] = f
    out.setflags(write=False)
    return out


def _kaiser_prototype(numtaps: int, cutoff: float, beta: float) -> np.ndarray:
    """``scipy.signal.firwin(numtaps, cutoff, window=("kaiser", beta))``, written with numpy alone.

    The windowed ideal low-pass ``cutoff sinc(cutoff (n - (N - 1) / 2))`` times
    the symmetric Kaiser window, scaled to a DC gain of 1: scipy's formula, so
    the taps are the same (a test compares them), without importing
    ``scipy.signal`` (seconds, on a first call or a ``filterbank check``).
    """
    m = np.arange(numtaps) - (numtaps - 1) / 2
    p = cutoff * np.sinc(cutoff * m) * np.kaiser(numtaps, beta)
    return np.asarray(p / np.sum(p), dtype=np.float64)


def _band_error(p: np.ndarray, m: int) -> float:
    r = np.convolve(p, p[::-1])
    centre = p.size - 1
    off = np.concatenate([r[centre % (2 * m) : centre : 2 * m], r[centre + 2 * m :: 2 * m]])
    return float(np.max(np.abs(off), initial=0.0) / r[centre])


def optimal_cutoff(channels: int, numtaps: int, beta: float) -> float:
    """The prototype cutoff (fraction of Nyquist) of Lin & Vaidyanathan's Kaiser-window approach.

    Examples
    --------
    >>> round(optimal_cutoff(4, 63, 9.0), 3)
    0.142
    """
    from scipy.optimize import minimize_scalar

    def cost(c: float) -> float:
        return _band_error(_kaiser_prototype(numtaps, c, beta), channels)

    grid = np.linspace(0.5, 1.6, 45) / (2 * channels)
    best = int(np.argmin([cost(c) for c in grid]))
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
    res = minimize_scalar(cost, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
    return float(res.x if cost(res.x) <= cost(grid[best]) else grid[best])


def cosine_modulated(channels: int, numtaps: int, cutoff: float, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """Analysis and synthesis filters (``M x N``) of the pseudo-QMF bank (see the module docstring).

    Examples
    --------
    >>> h, g = cosine_modulated(4, 63, 0.142, 9.0)
    >>> h.shape, bool(np.allclose(g, 4 * h[:, ::-1]))
    ((4, 63), True)
    """
    p = _kaiser_prototype(numtaps, cutoff, beta)
    n = np.arange(numtaps) - (numtaps - 1) / 2
    k = np.arange(channels)[:, None]
    phase = (-1.0) ** k * np.pi / 4
    h = 2 * p * np.cos((2 * k + 1) * np.pi / (2 * channels) * n + phase)
    return h, channels * h[:, ::-1]


def periodic_window(window: str, numtaps: int) -> np.ndarray:
    """``scipy.signal.get_window(window, numtaps, fftbins=True)`` for the windows of `MChannelSpec`, in numpy.

    The periodic window of ``N`` points is the first ``N`` points of the
    symmetric one of ``N + 1`` (scipy's rule); the formulas are numpy's
    (``hanning``, ``hamming``, ``blackman``, ``bartlett``) and scipy's
    (``triang``, ``cosine``, ``boxcar``).

    Examples
    --------
    >>> [round(float(v), 3) for v in periodic_window("hann", 4)]
    [0.0, 0.5, 1.0, 0.5]
    """
    n = numtaps + 1
    k = np.arange(n)
    if window == "triang":
        half = np.arange(1, (n + 1) // 2 + 1)
        w = 2 * half / (n + 1) if n % 2 else (2 * half - 1) / n
        sym = np.concatenate([w, w[-(1 + n % 2) :: -1]])
    elif window == "cosine":
        sym = np.sin(np.pi * (k + 0.5) / n)
    elif window == "boxcar":
        sym = np.ones(n)
    else:
        sym = {"hann": np.hanning, "hamming": np.hamming, "blackman": np.blackman, "bartlett": np.bartlett}[window](n)
    return np.asarray(sym[:numtaps], dtype=np.float64)


def _dft_channels(channels: int) -> list[tuple[str, int]]:
    out = []
    for c in range(channels // 2 + 1):
        out.append(("cos", c))
        if 0 < c < channels / 2:
            out.append(("sin", c))
    return out


def dft_modulated(channels: int, numtaps: int, window: str, decimation: int) -> tuple[np.ndarray, np.ndarray]:
    """Analysis and synthesis filters of the real-form DFT bank (see the module docstring).

    Examples
    --------
    >>> h, g = dft_modulated(8, 8, "hann", 4)
    >>> h.shape, [round(float(v), 3) for v in h[0, :3]]
    ((8, 8), [0.0, 0.383, 0.707])
    """
    w = np.sqrt(np.maximum(periodic_window(window, numtaps), 0.0))  # blackman's ends are -1e-17
    n = np.arange(numtaps)
    h, weight = [], []
    for kind, c in _dft_channels(channels):
        arg = 2 * np.pi * c * n / channels
        h.append(w * (np.cos(arg) if kind == "cos" else np.sin(arg)))
        weight.append(1.0 if c == 0 or 2 * c == channels else 2.0)
    ha = np.array(h)
    g = np.array(weight)[:, None] * ha[:, ::-1]
    t = np.sum([np.convolve(a, b) for a, b in zip(ha, g)], axis=0) / decimation
    return ha, g / t[numtaps - 1]


def _bands(channels: int, design: str) -> tuple[tuple[float, float], ...]:
    if design == "dft_modulated":
        return tuple(
            (max(0.0, (2 * c - 1) / channels), min(1.0, (2 * c + 1) / channels)) for _, c in _dft_channels(channels)
        )
    return tuple((k / channels, (k + 1) / channels) for k in range(channels))


def _nbytes(bank: MChannelBank) -> int:
    return int(bank.analysis.nbytes + bank.synthesis.nbytes)


@dataclass(frozen=True, eq=False)
class MChannelBank:
    """An M-channel analysis / synthesis bank with float64 taps (see the module docstring).

    Parameters
    ----------
    name : str
        Bank name.
    analysis, synthesis : array_like
        ``M`` filters each (rows; shorter ones are zero-padded at the end).
    decimation : int
        ``D`` in ``[1, M]``.
    spec : MChannelSpec or None
        The spec the bank came from.
    verify : bool
        Whether transforms check the bank first (``False``: the named opt-out).
    bands : tuple of (float, float)
        Each channel's nominal band, as fractions of Nyquist (used by `check`).

    Examples
    --------
    >>> haar = MChannelBank("haar2", [[1, 1], [1, -1]], [[0.5, 0.5], [-0.5, 0.5]], 2)
    >>> haar.channels, haar.delay, haar.check().ok
    (2, 1, True)
    """

    name: str
    analysis: np.ndarray
    synthesis: np.ndarray
    decimation: int
    spec: MChannelSpec | None = field(default=None, repr=False)
    verify: bool = field(default=True, repr=False)
    bands: tuple[tuple[float, float], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        h = _matrix(self.analysis, "analysis")
        g = _matrix(self.synthesis, "synthesis", h.shape[0])
        length = max(h.shape[1], g.shape[1])
        h, g = (np.pad(f, ((0, 0), (0, length - f.shape[1]))) for f in (h, g))
        for f in (h, g):
            f.setflags(write=False)
        object.__setattr__(self, "analysis", h)
        object.__setattr__(self, "synthesis", g)
        d = self.decimation
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not 1 <= d <= h.shape[0]:
            raise InputError(f"decimation must be an integer in [1, {h.shape[0]}] (the channels); got {d!r}")
        object.__setattr__(self, "decimation", int(d))
        if not self.bands:
            object.__setattr__(self, "bands", _bands(h.shape[0], "taps"))

    @property
    def channels(self) -> int:
        """``M``, the number of channels."""
        return int(self.analysis.shape[0])

    @property
    def filter_length(self) -> int:
        """``L``, the common length of the (zero-padded) filters."""
        return int(self.analysis.shape[1])

    @property
    def delay(self) -> int:
        """The delay the bank reconstructs with: where ``|t|`` peaks, ``t = sum_k h_k * g_k / D``."""
        t = np.sum([np.convolve(a, b) for a, b in zip(self.analysis, self.synthesis)], axis=0)
        return int(np.argmax(np.abs(t)))

    @property
    def key(self) -> tuple[Any, ...]:
        """Name, decimation and taps: equal keys, equal banks."""
        return (self.name, self.decimation, self.analysis.tobytes(), self.synthesis.tobytes(), self.analysis.shape)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MChannelBank) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def check(self, *, tolerance: float | None = None) -> MChannelReport:
        """Measure reconstruction, aliasing and each channel's response (`filterbank.design.mcheck`)."""
        from filterbank.design.mcheck import check_mchannel

        tol = tolerance if tolerance is not None else self.spec.tolerance if self.spec else DEFAULT_TOLERANCE
        report = _REPORTS.get_or_create(self.key, lambda: check_mchannel(self, tolerance=tol), nbytes=4096)
        return report if report.tolerance == tol else replace(report, tolerance=float(tol))

    def verified(self) -> MChannelBank:
        """The bank, once checked against what it declares (the same policy as two-channel banks).

        Raises
        ------
        PerfectReconstructionError
            If the reconstruction error exceeds the tolerance and the bank
            declares perfect reconstruction (``perfect_reconstruction: false``
            warns instead; ``verify=False`` skips the check).
        """
        if not self.verify or self.__dict__.get("_verified"):
            return self
        report = self.check()
        if not report.ok:
            perfect = self.spec is None or self.spec.perfect_reconstruction
            if perfect:
                hint = ("set 'perfect_reconstruction: false' in the spec or pass verify=False to use it anyway"
                        if self.spec else "pass verify=False to use it anyway")
                raise PerfectReconstructionError(f"{report.problem()}; {hint}")
            warnings.warn(report.problem(), FilterBankWarning, stacklevel=3)
        object.__setattr__(self, "_verified", True)
        return self

    @classmethod
    def from_filterbank(cls, bank: FilterBank) -> MChannelBank:
        """The two-channel ``bank`` as an M-channel one (``M = D = 2``).

        Examples
        --------
        >>> from filterbank import FilterBank
        >>> MChannelBank.from_filterbank(FilterBank.from_wavelet("db2")).delay
        3
        """
        return cls(bank.name, _matrix([bank.dec_lo, bank.dec_hi], "analysis"),
                   _matrix([bank.rec_lo, bank.rec_hi], "synthesis"), 2,
                   verify=bool(getattr(bank, "verify", True)))

    @classmethod
    def from_spec(cls, spec: Any, *, verify: bool = True) -> MChannelBank:
        """Build (and, with ``verify``, check) a bank from an `MChannelSpec`, a mapping, a file or a bundled name.

        Raises
        ------
        SpecError
            If the spec is invalid.
        PerfectReconstructionError
            As `verified`, when ``verify`` is true.

        Examples
        --------
        >>> bank = MChannelBank.from_spec({"filterbank": 1, "kind": "mchannel", "channels": 2,
        ...                                "analysis": [[1, 1], [1, -1]], "synthesis": [[0.5, 0.5], [-0.5, 0.5]]})
        >>> bank.name, bank.decimation
        ('custom', 2)
        """
        if isinstance(spec, (str, os.PathLike)):
            from filterbank.spec.files import load_spec

            spec = load_spec(spec)
        elif isinstance(spec, dict):
            spec = MChannelSpec.from_dict(spec)
        if not isinstance(spec, MChannelSpec):
            raise FilterBankTypeError(f"spec must be an M-channel spec (kind: mchannel); got {type(spec).__name__}")
        bank = _BANKS.get_or_create((spec, verify), lambda: cls._design(spec, verify), nbytes=_nbytes)
        return bank.verified()

    @classmethod
    def _design(cls, spec: MChannelSpec, verify: bool) -> MChannelBank:
        m, d = spec.channels, spec.decimation
        assert d is not None
        p = spec.parameters
        if spec.design == "cosine_modulated":
            cutoff = p["cutoff"]
            if cutoff == "optimize":
                cutoff = optimal_cutoff(m, p["numtaps"], p["beta"])
            h, g = cosine_modulated(m, p["numtaps"], cutoff, p["beta"])
        elif spec.design == "dft_modulated":
            h, g = dft_modulated(m, p["numtaps"], p["window"], d)
        else:
            h = _matrix(spec.analysis, "analysis", m)
            g = _matrix([np.asarray(t)[::-1] for t in spec.analysis] if spec.synthesis is None else spec.synthesis,
                        "synthesis", m)
        return cls(spec.name or "custom", h, g, d, spec=spec, verify=verify, bands=_bands(m, spec.design))

    def with_name(self, name: str) -> MChannelBank:
        """A copy called ``name``."""
        return replace(self, name=name)
