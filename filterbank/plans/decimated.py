"""Compile a filter bank for one input geometry: the numpy-only "plan" stage.

A `Plan` fixes everything a wavelet transform needs before any
TensorFlow runs: the kernels in the orientation TensorFlow wants, the signal
extension of every level and axis as a weighted gather, and the length of every
intermediate signal and coefficient array. Plans are cached, so repeated calls
with the same bank, shape, dtype, mode, level and axes are planned once. A plan
holds ``O(filter length x levels)`` numbers whatever the signal length (only
the extension's edge blocks are stored), and the plan cache is bounded
(`filterbank.cache_info`). Plans name no executor: the same plan runs on
numpy or on TensorFlow (see `filterbank.engine`).

Kernel orientation
------------------
``tf.nn.conv*`` computes a cross-correlation (it slides the kernel without
flipping it), while PyWavelets' filters are applied by true convolution. The
plan therefore stores the analysis kernels *reversed*::

    pywt (convolution):   cA[k] = sum_j dec_lo[j]        * x_ext[2k + 1 - j]
    TF   (correlation):   cA[k] = sum_j dec_lo[L - 1 - j] * e[2k + j]
                          with e the extension starting at x index -(L - 2)

Synthesis is a transposed (up-sampling) correlation, which *is* a convolution
of the up-sampled coefficients, so the synthesis kernels are the ``rec_*``
filters unflipped::

    y[2k + j] += c[k] * rec[j]        (tf.nn.conv*_transpose, stride 2)
    x[i]       = y[i + crop]          crop = L - 2 (plus 0/1 for periodization)

Lengths (PyWavelets' rules), with ``L`` the filter length::

    periodization      n_coef = ceil(n / 2)
    every other mode   n_coef = floor((n + L - 1) / 2)
    inverse            natural length 2 n_coef - L + 2 (periodization: 2 n_coef),
                       cropped to the recorded signal length when it is known
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from filterbank.design.bank import FilterBank
from filterbank.errors import CoefficientsError, InputError, normalize_axes
from filterbank.cache import named_cache
from filterbank.modes import Edges, check_mode, edges
from filterbank.plans.lengths import dwt_coeff_len, idwt_len, per_axis
from filterbank.plans.tree import Split

__all__ = [
    "AxisStep",
    "Kernels",
    "Plan",
    "analysis_plan",
    "kernels_of",
    "synthesis_plan",
]

def _even_length(taps: np.ndarray, length: int) -> np.ndarray:
    out = np.zeros(length)
    out[: taps.size] = taps
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class Kernels:
    """The filters of one bank as the executors apply them (all of even length ``L``).

    Attributes
    ----------
    name : str
        Filter-bank name.
    filter_length : int
        Common even length ``L`` (odd filters are zero-padded at the end).
    analysis_lo, analysis_hi : numpy.ndarray
        REVERSED ``dec_lo`` / ``dec_hi`` (TensorFlow correlates).
    synthesis_lo, synthesis_hi : numpy.ndarray
        ``rec_lo`` / ``rec_hi`` for the transposed correlation.
    """

    name: str
    filter_length: int
    analysis_lo: np.ndarray = field(repr=False)
    analysis_hi: np.ndarray = field(repr=False)
    synthesis_lo: np.ndarray = field(repr=False)
    synthesis_hi: np.ndarray = field(repr=False)

    def same_as(self, other: Kernels) -> bool:
        """Whether ``other`` holds the same filters."""
        return self is other or (
            self.filter_length == other.filter_length
            and all(
                np.array_equal(getattr(self, f), getattr(other, f))
                for f in ("analysis_lo", "analysis_hi", "synthesis_lo", "synthesis_hi")
            )
        )


@dataclass(frozen=True)
class AxisStep:
    """One level of the two-channel bank along one axis.

    Attributes
    ----------
    n_signal : int
        Signal length (analysis input, synthesis output).
    n_coef : int
        Length of each coefficient array.
    left, right : int
        Analysis pad widths; the extended signal has ``left + n_signal + right`` samples.
    edges : Edges or None
        The analysis extension's two edge blocks as weighted gathers (``None``
        in a synthesis-only plan); the middle is the signal itself.
    coef_edges : Edges or None
        Periodic extension of the coefficients before synthesis (periodization).
    coef_left : int
        Samples that ``coef_edges`` adds on the left.
    crop : int
        Offset of the output inside the transposed-correlation result.
    mode : str
        Extension mode along this axis.
    kernels : Kernels
        Filters along this axis.
    """

    n_signal: int
    n_coef: int
    left: int
    right: int
    edges: Edges | None = field(repr=False)
    coef_edges: Edges | None = field(repr=False)
    coef_left: int
    crop: int
    mode: str
    kernels: Kernels = field(repr=False)

    @property
    def n_coef_extended(self) -> int:
        """Coefficients entering the synthesis filters (``n_coef`` plus the periodic extension)."""
        if self.coef_edges is None:
            return self.n_coef
        return self.coef_edges.left + self.n_coef + self.coef_edges.right

    @property
    def nbytes(self) -> int:
        """Bytes held by the edge maps (kernels are shared and counted apart)."""
        return sum(e.nbytes for e in (self.edges, self.coef_edges) if e is not None)


def _axis_step(n_signal: int, n_coef: int, kernels: Kernels, mode: str, analysis: bool) -> AxisStep:
    L = kernels.filter_length
    if mode == "periodization":
        left = L // 2 - 1
        # Extension that the synthesis of a periodic signal needs.
        coef_left = (L // 2) // 2
        crop_extra = 2 * coef_left - L // 2 + 1
        n_ext_coef = n_coef + -(-(crop_extra + L - 2) // 2)
        coef_ext = edges(n_coef, coef_left, n_ext_coef - n_coef - coef_left, "periodic")
        crop = L - 2 + crop_extra
    else:
        left = L - 2
        coef_left, coef_ext, crop = 0, None, L - 2
    n_ext = 2 * (n_coef - 1) + L
    right = n_ext - left - n_signal
    ext = edges(n_signal, left, right, mode) if analysis else None
    return AxisStep(n_signal, n_coef, left, right, ext, coef_ext, coef_left, crop, mode, kernels)


@dataclass(frozen=True, eq=False)
class Plan:
    """A compiled multi-level transform for one geometry (numpy only).

    Build one with `analysis_plan` (from an input shape) or
    `synthesis_plan` (from coefficient lengths). ``str(plan)`` gives a
    readable description.

    Attributes
    ----------
    name : str
        Filter-bank name (names joined by ``" x "`` when the axes differ).
    shape : tuple of int
        Shape of the signal (input of the forward transform, output of the
        inverse); ``None`` for a batch axis of unknown size.
    dtype : str
        Compute dtype (``"float32"`` or ``"float64"``).
    modes : tuple of str
        Extension mode per transformed axis.
    axes : tuple of int
        Transformed axes, non-negative, in order.
    kernels : tuple of Kernels
        Filters per transformed axis.
    steps : tuple of tuple of AxisStep
        ``steps[j][i]``: level ``j + 1`` (finest first) along ``axes[i]``.
    """

    name: str
    shape: tuple[int | None, ...]
    dtype: str
    modes: tuple[str, ...]
    axes: tuple[int, ...]
    kernels: tuple[Kernels, ...] = field(repr=False)
    steps: tuple[tuple[AxisStep, ...], ...] = field(repr=False)

    def _kernels(self, what: str) -> Kernels:
        first = self.kernels[0]
        if not all(k.same_as(first) for k in self.kernels[1:]):
            raise InputError(f"plan.{what}: this plan uses a different bank per axis; read plan.kernels")
        return first

    @property
    def mode(self) -> str:
        """The extension mode, when every axis uses the same one (else see ``modes``)."""
        if len(set(self.modes)) > 1:
            raise InputError(f"plan.mode: this plan uses a mode per axis, {self.modes}; read plan.modes")
        return self.modes[0]

    @property
    def filter_length(self) -> int:
        """The filter length ``L``, when every axis uses the same bank."""
        return self._kernels("filter_length").filter_length

    @property
    def analysis_lo(self) -> np.ndarray:
        """Analysis low-pass kernel (reversed ``dec_lo``), when every axis uses the same bank."""
        return self._kernels("analysis_lo").analysis_lo

    @property
    def analysis_hi(self) -> np.ndarray:
        """Analysis high-pass kernel (reversed ``dec_hi``), when every axis uses the same bank."""
        return self._kernels("analysis_hi").analysis_hi

    @property
    def synthesis_lo(self) -> np.ndarray:
        """Synthesis low-pass kernel (``rec_lo``), when every axis uses the same bank."""
        return self._kernels("synthesis_lo").synthesis_lo

    @property
    def synthesis_hi(self) -> np.ndarray:
        """Synthesis high-pass kernel (``rec_hi``), when every axis uses the same bank."""
        return self._kernels("synthesis_hi").synthesis_hi

    @property
    def level(self) -> int:
        """Number of decomposition levels."""
        return len(self.steps)

    def coeff_shape(self, level: int) -> tuple[int | None, ...]:
        """Shape of every coefficient array of level ``level`` (1 = finest; 0 gives the input's shape)."""
        shape = list(self.shape)
        if level:
            for axis, step in zip(self.axes, self.steps[level - 1]):
                shape[axis] = step.n_coef
        return tuple(shape)

    @property
    def split(self) -> Split:
        """The DWT splits the approximation only (`filterbank.plans.tree`)."""
        return "approximation"

    @property
    def nbytes(self) -> int:
        """Bytes of numpy arrays the plan holds (its edge maps and kernels)."""
        kernel_bytes = sum(
            getattr(k, f).nbytes for k in {id(k): k for k in self.kernels}.values()
            for f in ("analysis_lo", "analysis_hi", "synthesis_lo", "synthesis_hi")
        )
        return kernel_bytes + sum(step.nbytes for level in self.steps for step in level)

    def describe(self) -> str:
        """A readable multi-line description of the plan.

        Examples
        --------
        >>> from filterbank.design import FilterBank
        >>> p = analysis_plan(FilterBank.from_wavelet("db2"), (7,), "float64", "symmetric", 2)
        >>> print(p.describe())  # doctest: +NORMALIZE_WHITESPACE
        Plan 'db2': shape (7,) float64, mode 'symmetric', level 2, axes (0,)
          analysis kernels (reversed dec_lo / dec_hi, L=4):
            lo [0.48296, 0.83652, 0.22414, -0.12941]
            hi [-0.12941, -0.22414, 0.83652, -0.48296]
          level 1 axis 0: 7 -> 5 coefficients, pad 2 + 7 + 3
          level 2 axis 0: 5 -> 4 coefficients, pad 2 + 5 + 3
        """

        def fmt(a: np.ndarray) -> str:
            shown = ", ".join(f"{v:.5f}" for v in a[:8])
            return f"[{shown}{', ...' if a.size > 8 else ''}]"

        modes = self.modes[0] if len(set(self.modes)) == 1 else self.modes
        lines = [
            f"Plan {self.name!r}: shape {self.shape} {self.dtype}, mode {modes!r}, "
            f"level {self.level}, axes {self.axes}",
        ]
        shown: list[Kernels] = []
        for axis, k in zip(self.axes, self.kernels):
            if any(k.same_as(other) for other in shown):
                continue
            shown.append(k)
            where = "" if len(self.axes) == 1 or all(k.same_as(o) for o in self.kernels) else f" axis {axis}, {k.name}"
            lines += [
                f"  analysis kernels{where} (reversed dec_lo / dec_hi, L={k.filter_length}):",
                f"    lo {fmt(k.analysis_lo)}",
                f"    hi {fmt(k.analysis_hi)}",
            ]
        for j, level_steps in enumerate(self.steps, start=1):
            for axis, s in zip(self.axes, level_steps):
                lines.append(
                    f"  level {j} axis {axis}: {s.n_signal} -> {s.n_coef} coefficients, "
                    f"pad {s.left} + {s.n_signal} + {s.right}"
                )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


_KERNELS = named_cache("kernels", max_entries=512, max_bytes=64 << 20)
_PLANS = named_cache("plans", max_entries=1024, max_bytes=256 << 20)


def kernels_of(bank: FilterBank) -> Kernels:
    """The `Kernels` of ``bank`` (cached): filters zero-padded to a common even length."""
    return _KERNELS.get_or_create(bank, lambda: _make_kernels(bank), lambda k: 4 * k.filter_length * 8)


def _make_kernels(bank: FilterBank) -> Kernels:
    L = max(bank.dec_len, bank.rec_len)
    L += L % 2
    if L < 2:
        raise InputError(f"filters must have at least 2 taps; got {L}")
    flip_lo = _even_length(bank.dec_lo, L)[::-1].copy()
    flip_hi = _even_length(bank.dec_hi, L)[::-1].copy()
    for a in (flip_lo, flip_hi):
        a.setflags(write=False)
    return Kernels(bank.name, L, flip_lo, flip_hi, _even_length(bank.rec_lo, L), _even_length(bank.rec_hi, L))


def _prepare(
    bank: FilterBank | tuple[FilterBank, ...], mode: str | tuple[str, ...], n_axes: int
) -> tuple[str, tuple[Kernels, ...], tuple[str, ...]]:
    kernels = tuple(kernels_of(b) for b in per_axis("wavelet", bank, n_axes))
    modes = tuple(check_mode(m) for m in per_axis("mode", mode, n_axes))
    names = list(dict.fromkeys(k.name for k in kernels))
    return " x ".join(k.name for k in kernels) if len(names) > 1 else names[0], kernels, modes


def analysis_plan(
    bank: FilterBank | tuple[FilterBank, ...],
    shape: tuple[int | None, ...],
    dtype: str,
    mode: str | tuple[str, ...],
    level: int,
    axes: tuple[int, ...] = (-1,),
) -> Plan:
    """Plan a ``level``-deep forward transform of an input of ``shape`` (cached).

    ``bank`` and ``mode`` are one value for every axis or a tuple with one
    entry per axis of ``axes``.

    Examples
    --------
    >>> from filterbank.design import FilterBank
    >>> p = analysis_plan(FilterBank.from_wavelet("db4"), (16, 13), "float32", "periodization", 2, (0, 1))
    >>> p.coeff_shape(1), p.coeff_shape(2)
    ((8, 7), (4, 4))
    """
    key = ("analysis", bank, tuple(shape), dtype, mode, level, tuple(axes))
    return _PLANS.get_or_create(key, lambda: _analysis_plan(bank, shape, dtype, mode, level, axes), _plan_bytes)


def _plan_bytes(p: Plan) -> int:
    return p.nbytes


def _analysis_plan(
    bank: FilterBank | tuple[FilterBank, ...],
    shape: tuple[int | None, ...],
    dtype: str,
    mode: str | tuple[str, ...],
    level: int,
    axes: tuple[int, ...],
) -> Plan:
    axes = normalize_axes(axes, len(shape))
    name, kernels, modes = _prepare(bank, mode, len(axes))
    steps = []
    sizes = [shape[a] for a in axes]
    for _ in range(level):
        level_steps = []
        for i, n in enumerate(sizes):
            if n is None:
                raise InputError(f"shape: transformed axis {axes[i]} must have a known size; got {shape}")
            n_coef = dwt_coeff_len(n, kernels[i].filter_length, modes[i])
            level_steps.append(_axis_step(n, n_coef, kernels[i], modes[i], analysis=True))
            sizes[i] = n_coef
        steps.append(tuple(level_steps))
    return Plan(name, tuple(shape), dtype, modes, axes, kernels, tuple(steps))


def synthesis_plan(
    bank: FilterBank | tuple[FilterBank, ...],
    shape: tuple[int | None, ...],
    lengths: tuple[tuple[tuple[int, int], ...], ...],
    dtype: str,
    mode: str | tuple[str, ...],
    axes: tuple[int, ...],
) -> Plan:
    """Plan an inverse transform from explicit ``(n_signal, n_coef)`` pairs (cached).

    Parameters
    ----------
    shape : tuple of int
        Shape of the reconstructed signal.
    lengths : tuple
        ``lengths[j][i] = (n_signal, n_coef)`` for level ``j + 1`` along ``axes[i]``;
        ``n_signal`` may be the natural inverse length or one less.

    Examples
    --------
    >>> from filterbank.design import FilterBank
    >>> p = synthesis_plan(FilterBank.from_wavelet("haar"), (5,), (((5, 3),),), "float64", "zero", (0,))
    >>> p.steps[0][0].n_signal, p.steps[0][0].crop
    (5, 0)
    """
    key = ("synthesis", bank, tuple(shape), lengths, dtype, mode, tuple(axes))
    return _PLANS.get_or_create(key, lambda: _synthesis_plan(bank, shape, lengths, dtype, mode, axes), _plan_bytes)


def _synthesis_plan(
    bank: FilterBank | tuple[FilterBank, ...],
    shape: tuple[int | None, ...],
    lengths: tuple[tuple[tuple[int, int], ...], ...],
    dtype: str,
    mode: str | tuple[str, ...],
    axes: tuple[int, ...],
) -> Plan:
    axes = normalize_axes(axes, len(shape))
    name, kernels, modes = _prepare(bank, mode, len(axes))
    steps = []
    for level_lengths in lengths:
        level_steps = []
        for i, (n_signal, n_coef) in enumerate(level_lengths):
            L, mode = kernels[i].filter_length, modes[i]
            natural = idwt_len(n_coef, L, mode)
            if natural < 1:
                raise CoefficientsError(
                    f"coefficient arrays of length {n_coef} are too short for a filter of "
                    f"length {L} in mode {mode!r} (the inverse would have length {natural}); "
                    "use the wavelet and mode of the decomposition"
                )
            if not 1 <= n_signal <= natural:
                raise CoefficientsError(
                    f"cannot reconstruct {n_signal} samples from {n_coef} coefficients "
                    f"(at most {natural} with L={L}, mode {mode!r})"
                )
            level_steps.append(_axis_step(n_signal, n_coef, kernels[i], mode, analysis=False))
        steps.append(tuple(level_steps))
    return Plan(name, tuple(shape), dtype, modes, axes, kernels, tuple(steps))
