"""PyWavelets' ``Wavelet`` attributes and the cascade algorithm, for every `FilterBank`.

A bank whose taps are those of a PyWavelets wavelet answers what
``pywt.Wavelet`` answers (family, symmetry, vanishing moments); any other
bank answers what PyWavelets gives a wavelet built from a filter bank
(``''``, ``'unknown'``, None). ``wavefun`` runs PyWavelets' cascade for
both. Numpy only.

The cascade, with ``p = 2**level`` and ``L`` the filter length::

    phi = sqrt(2)**level * upcoef('a', [1], level)    (upsample by 2, convolve with rec_lo, repeat)
    psi = sqrt(2)**level * upcoef('d', [1], level)    (first step with rec_hi)
    x   = linspace(0, (n - 1) / p, n)                 n = (L - 1) * p + 1 (orthogonal), (L - 1) * p otherwise

each trimmed to its central ``keep`` samples and framed by one leading zero
and trailing zeros, exactly as PyWavelets does. A bank that is not
orthogonal gives ``(phi_d, psi_d, phi_r, psi_r, x)``: the decomposition
functions from the time-reversed analysis filters, then the reconstruction
ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from filterbank.errors import InputError, check_count

__all__ = ["WaveletAttributes", "upcoef_taps"]


def upcoef_taps(coeffs: np.ndarray, first: np.ndarray, rec_lo: np.ndarray, level: int, take: int = 0) -> np.ndarray:
    """``level`` upsample-and-convolve steps along the last axis: ``first`` once, then ``rec_lo``.

    Each step keeps the full convolution: ``n`` coefficients give
    ``2 n + L - 2`` samples. ``take > 0`` keeps the central ``take``
    samples as PyWavelets' ``upcoef`` does (the extra sample of an odd
    difference is dropped on the right).

    Examples
    --------
    >>> h = np.array([0.5, 0.5]) ** 0.5
    >>> upcoef_taps(np.array([1.0]), h, h, 2).round(4).tolist()
    [0.5, 0.5, 0.5, 0.5]
    """
    y = np.asarray(coeffs)
    for i in range(level):
        h = first if i == 0 else rec_lo
        up = np.zeros(y.shape[:-1] + (2 * y.shape[-1] - 1,), dtype=np.result_type(y, np.float64))
        up[..., ::2] = y
        y = np.apply_along_axis(np.convolve, -1, up, h) if up.ndim > 1 else np.convolve(up, h)
    n = y.shape[-1]
    if 0 < take < n:
        left = (n - take) // 2
        y = y[..., left:left + take]
    return y


def _keep_length(level: int, filter_len: int) -> int:
    keep = 1
    for _ in range(level):
        keep = 2 * keep + filter_len - 2
    return keep


def _framed(values: np.ndarray, keep: int, right: int) -> np.ndarray:
    if keep < values.size:
        left = (values.size - keep) // 2
        values = values[left:left + keep]
    return np.concatenate(([0.0], values, np.zeros(right)))


def _functions(
    lo: np.ndarray, hi: np.ndarray, level: int, size: int, extra: int, scale: float, sign: float
) -> tuple[Any, ...]:
    """PyWavelets' framed ``(phi, psi, n)`` for synthesis filters ``lo`` / ``hi`` of length ``size``."""
    keep = _keep_length(level, size)
    n = (size - 1) * 2**level + extra
    n = keep + 2 if n - keep - 2 < 0 else n
    right = n - keep - 1
    one = np.array([scale])
    phi = _framed(upcoef_taps(one, lo, lo, level), keep, right)
    psi = _framed(upcoef_taps(sign * one, hi, lo, level), keep, right)
    return phi, psi, n


class WaveletAttributes:
    """Mixin: PyWavelets' ``Wavelet`` attributes and ``wavefun`` for `filterbank.FilterBank`.

    Examples
    --------
    >>> from filterbank import FilterBank
    >>> bank = FilterBank.from_wavelet("sym4")
    >>> bank.family_name, bank.short_family_name, bank.symmetry, bank.vanishing_moments_psi
    ('Symlets', 'sym', 'near symmetric', 4)
    """

    name: str
    dec_lo: np.ndarray
    dec_hi: np.ndarray
    rec_lo: np.ndarray
    rec_hi: np.ndarray
    orthogonal: bool
    biorthogonal: bool
    spec: Any

    def _pywt_wavelet(self) -> Any:
        """The ``pywt.Wavelet`` with this bank's taps, or None."""
        import pywt

        base = getattr(self.spec, "wavelet", None) or self.name
        if base not in pywt.wavelist(kind="discrete"):
            return None
        ref = pywt.Wavelet(base)
        roles = ("dec_lo", "dec_hi", "rec_lo", "rec_hi")
        if not all(np.array_equal(getattr(self, r), np.asarray(getattr(ref, r), np.float64)) for r in roles):
            return None
        return ref

    def _known(self, attr: str, default: Any) -> Any:
        w = self._pywt_wavelet()
        return default if w is None else getattr(w, attr)

    @property
    def filter_bank(self) -> tuple[list[float], list[float], list[float], list[float]]:
        """``(dec_lo, dec_hi, rec_lo, rec_hi)`` as lists, as ``pywt.Wavelet.filter_bank``."""
        return (self.dec_lo.tolist(), self.dec_hi.tolist(), self.rec_lo.tolist(), self.rec_hi.tolist())

    @property
    def inverse_filter_bank(self) -> tuple[list[float], list[float], list[float], list[float]]:
        """``(rec_lo[::-1], rec_hi[::-1], dec_lo[::-1], dec_hi[::-1])``, as PyWavelets."""
        return (self.rec_lo[::-1].tolist(), self.rec_hi[::-1].tolist(), self.dec_lo[::-1].tolist(), self.dec_hi[::-1].tolist())

    @property
    def family_name(self) -> str:
        """PyWavelets' family name (``'Daubechies'``), ``''`` for other banks."""
        return str(self._known("family_name", ""))

    @property
    def short_family_name(self) -> str:
        """PyWavelets' short family name (``'db'``), ``''`` for other banks."""
        return str(self._known("short_family_name", ""))

    @property
    def symmetry(self) -> str:
        """``'asymmetric'``, ``'near symmetric'``, ``'symmetric'`` or ``'unknown'``."""
        return str(self._known("symmetry", "unknown"))

    @property
    def vanishing_moments_psi(self) -> int | None:
        """Vanishing moments of the wavelet function, None where unknown."""
        return self._known("vanishing_moments_psi", None)  # type: ignore[no-any-return]

    @property
    def vanishing_moments_phi(self) -> int | None:
        """Vanishing moments of the scaling function, None where unknown."""
        return self._known("vanishing_moments_phi", None)  # type: ignore[no-any-return]

    @property
    def number(self) -> int | None:
        """PyWavelets' family number (4 for ``db4``, 24 for ``bior2.4``), None where unknown."""
        return self._known("number", None)  # type: ignore[no-any-return]

    def wavefun(self, level: int = 8) -> tuple[np.ndarray, ...]:
        """Scaling and wavelet functions by the cascade algorithm, as ``pywt.Wavelet.wavefun``.

        Parameters
        ----------
        level : int, default 8
            Iterations of the cascade, 1 to 30; the functions are sampled
            at ``2**level`` points per unit.

        Returns
        -------
        tuple of numpy.ndarray
            ``(phi, psi, x)`` for an orthogonal bank, else
            ``(phi_d, psi_d, phi_r, psi_r, x)``.

        Examples
        --------
        >>> from filterbank import FilterBank
        >>> phi, psi, x = FilterBank.from_wavelet("haar").wavefun(level=1)
        >>> phi.tolist(), psi.tolist(), x.tolist()
        ([0.0, 1.0, 1.0, 0.0], [0.0, 1.0, -1.0, 0.0], [0.0, 0.5, 1.0, 1.5])
        """
        level = int(check_count("level", level) or 0)
        if not 1 <= level <= 30:
            raise InputError(f"level must be an integer from 1 to 30 (2**level samples per unit); got {level}")
        scale, p = np.sqrt(2.0) ** level, 2.0 ** level
        dec_len, rec_len = max(self.dec_lo.size, self.dec_hi.size), max(self.rec_lo.size, self.rec_hi.size)
        if self.orthogonal:
            phi, psi, n = _functions(self.rec_lo, self.rec_hi, level, dec_len, 1, scale, 1.0)
            return phi, psi, np.linspace(0.0, (n - 1) / p, n)
        moments = self.vanishing_moments_psi or 0
        sign = -1.0 if self.biorthogonal and moments % 4 != 1 else 1.0
        phi_d, psi_d, _ = _functions(self.dec_lo[::-1], self.dec_hi[::-1], level, rec_len, 0, scale, sign)
        phi_r, psi_r, n = _functions(self.rec_lo, self.rec_hi, level, dec_len, 0, scale, sign)
        return phi_d, psi_d, phi_r, psi_r, np.linspace(0.0, (n - 1) / p, n)
