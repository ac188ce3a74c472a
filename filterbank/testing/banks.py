"""Hypothesis strategies for filter banks and filter-bank specs.

Two factorisations generate banks that are perfect-reconstruction *by
construction*, whatever numbers hypothesis draws, so a property test can use
them to look for bugs in a transform rather than in the bank:

* `orthogonal_banks` - the paraunitary lattice. The low-pass of length
  ``2K`` is built from ``K`` rotations ``R(a) = [[cos a, sin a], [-sin a, cos a]]``
  separated by two-sample delays on the second branch; every such filter is
  orthonormal to its even shifts, and angles summing to ``pi / 4`` give
  ``sum(dec_lo) == sqrt(2)`` (one vanishing moment). The other three filters
  follow by the alternating-flip rule.

* `biorthogonal_banks` - lifting. The polyphase analysis matrix is a
  product of predict steps ``[[1, 0], [-P(z), 1]]``, update steps
  ``[[1, U(z)], [0, 1]]`` and a scaling ``diag(K, 1/K)``; its determinant is 1,
  so the synthesis filters given by the cross-modulation rule reconstruct
  exactly. The bank is then zero-padded to PyWavelets' layout (four filters of
  one length ``L``, reconstruction delay ``L - 1``).

Examples
--------
>>> from hypothesis import given
>>> @given(orthogonal_banks(max_length=8))
... def test_pr(bank):
...     assert bank.check().ok
>>> test_pr()
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from filterbank.design.derive import align, alternating_flip, distortion, synthesis_from_analysis

__all__ = [
    "biorthogonal_banks",
    "lattice_lowpass",
    "lifting_bank",
    "orthogonal_banks",
]


def lattice_lowpass(angles: Any) -> np.ndarray:
    """Orthonormal low-pass of length ``2 * len(angles)`` from lattice rotation angles.

    Examples
    --------
    >>> h = lattice_lowpass([np.pi / 4])
    >>> h.round(4).tolist()
    [0.7071, 0.7071]
    >>> h = lattice_lowpass([0.3, -0.2, np.pi / 4 - 0.1])
    >>> bool(np.isclose(h.sum(), np.sqrt(2))), bool(np.isclose(h @ h, 1.0))
    (True, True)
    """
    angles = [float(a) for a in angles]
    if not angles:
        raise ValueError("lattice_lowpass needs at least one angle")
    c, s = math.cos(angles[0]), math.sin(angles[0])
    p0, p1 = np.array([c, s]), np.array([-s, c])
    for a in angles[1:]:
        c, s = math.cos(a), math.sin(a)
        q0 = np.concatenate([p0, [0.0, 0.0]])
        q1 = np.concatenate([[0.0, 0.0], p1])
        p0, p1 = c * q0 + s * q1, -s * q0 + c * q1
    return p0


def _polyadd(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    n = max(a.size, b.size)
    return np.pad(a, (0, n - a.size)) + np.pad(b, (0, n - b.size))


def lifting_bank(
    steps: Any, scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Perfect-reconstruction bank from lifting steps, in PyWavelets' layout.

    Parameters
    ----------
    steps : sequence of (str, sequence of float)
        ``("predict", P)`` or ``("update", U)`` with the coefficients of a causal
        polynomial in the polyphase variable.
    scale : float, default 1.0
        The final scaling ``K`` (low band times ``K``, high band divided by it).

    Returns
    -------
    tuple of numpy.ndarray
        ``(dec_lo, dec_hi, rec_lo, rec_hi)``, equal lengths, delay ``L - 1``.

    Examples
    --------
    The S-transform (``d = odd - even``, ``s = even + d / 2``) scaled by
    ``sqrt(2)`` is the Haar bank with the opposite sign of the high band:

    >>> bank = lifting_bank([("predict", [1.0]), ("update", [0.5])], scale=np.sqrt(2))
    >>> [t.round(4).tolist() for t in bank]
    [[0.7071, 0.7071], [0.7071, -0.7071], [0.7071, 0.7071], [-0.7071, 0.7071]]
    """
    rows = [[np.array([1.0]), np.array([0.0])], [np.array([0.0]), np.array([1.0])]]
    for kind, coeffs in steps:
        poly = np.asarray(coeffs, dtype=np.float64)
        if kind == "predict":
            rows[1] = [_polyadd(rows[1][j], -np.convolve(poly, rows[0][j])) for j in range(2)]
        elif kind == "update":
            rows[0] = [_polyadd(rows[0][j], np.convolve(poly, rows[1][j])) for j in range(2)]
        else:
            raise ValueError(f"lifting step must be 'predict' or 'update'; got {kind!r}")
    rows[0] = [scale * r for r in rows[0]]
    rows[1] = [r / scale for r in rows[1]]

    def interleave(row: list[np.ndarray]) -> np.ndarray:
        # a[i] = (x * h)[2i + 1]: even taps of h act on odd samples and vice versa
        odd_part, even_part = row
        n = max(odd_part.size, even_part.size)
        h = np.zeros(2 * n)
        h[0::2] = np.pad(even_part, (0, n - even_part.size))
        h[1::2] = np.pad(odd_part, (0, n - odd_part.size))
        return h

    h0, h1 = interleave(rows[0]), interleave(rows[1])
    bank = synthesis_from_analysis(h0, h1)
    t, _ = distortion(bank)
    gain = t[int(np.argmax(np.abs(t)))]
    h0, h1, f0, f1 = bank
    return align((h0, h1, f0 / gain, f1 / gain))


def _finite(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def orthogonal_banks(draw: st.DrawFn, *, min_length: int = 2, max_length: int = 20) -> Any:
    """Random orthogonal `FilterBank` from the paraunitary lattice.

    Parameters
    ----------
    min_length, max_length : int, default 2 and 20
        Bounds on the (even) filter length.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(orthogonal_banks(min_length=4, max_length=4))
    ... def test_len(bank):
    ...     assert bank.dec_len == 4 and bank.orthogonal
    >>> test_len()
    """
    from filterbank.design.bank import FilterBank

    k = draw(st.integers(max(1, min_length // 2), max(1, max_length // 2)))
    free = draw(st.lists(_finite(-math.pi, math.pi), min_size=k - 1, max_size=k - 1))
    angles = [*free, math.pi / 4 - sum(free)]
    dec_lo, dec_hi, rec_lo, rec_hi = alternating_flip(lattice_lowpass(angles))
    return FilterBank(
        name=f"lattice{2 * k}",
        dec_lo=dec_lo,
        dec_hi=dec_hi,
        rec_lo=rec_lo,
        rec_hi=rec_hi,
        orthogonal=True,
        biorthogonal=True,
    )



@st.composite
def biorthogonal_banks(draw: st.DrawFn, *, max_steps: int = 4, max_step_taps: int = 2) -> Any:
    """Random biorthogonal `FilterBank` from lifting steps.

    Parameters
    ----------
    max_steps : int, default 4
        Largest number of predict / update steps (they alternate, predict first).
    max_step_taps : int, default 2
        Largest number of coefficients of each step's polynomial.

    Notes
    -----
    Step coefficients are drawn from ``[-1, 1]`` and the scaling from
    ``[0.5, 2]``; with the defaults the filters have at most 18 taps and (in
    20000 seeded draws) no tap above 7.3 in magnitude, which keeps float32
    round-off of transforms predictable.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(biorthogonal_banks())
    ... def test_pr(bank):
    ...     report = bank.check()
    ...     assert report.ok and report.biorthogonal
    >>> test_pr()
    """
    from filterbank.design.bank import FilterBank

    n = draw(st.integers(1, max_steps))
    coeff = _finite(-1.0, 1.0)
    steps = []
    for i in range(n):
        kind = "predict" if i % 2 == 0 else "update"
        steps.append((kind, draw(st.lists(coeff, min_size=1, max_size=max_step_taps))))
    scale = draw(_finite(0.5, 2.0))
    dec_lo, dec_hi, rec_lo, rec_hi = lifting_bank(steps, scale)
    return FilterBank(
        name=f"lifting{n}", dec_lo=dec_lo, dec_hi=dec_hi, rec_lo=rec_lo, rec_hi=rec_hi, biorthogonal=True
    )
