"""PyWavelets' length and level rules, and per-axis arguments: numbers only, no arrays.

With ``L`` the filter length and ``n`` a signal length::

    periodization      n_coef = ceil(n / 2)
    every other mode   n_coef = floor((n + L - 1) / 2)
    inverse            natural length 2 n_coef - L + 2 (periodization: 2 n_coef)
    deepest useful     floor(log2(n / (L - 1)))
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from filterbank.errors import CoefficientsError, FilterBankWarning, InputError, check_count

__all__ = ["DEEPEST_EXTRA", "check_level", "dwt_coeff_len", "dwt_max_level", "idwt_len", "per_axis", "pywt_lengths"]


def dwt_coeff_len(n: int, filter_len: int, mode: str) -> int:
    """Number of coefficients one DWT level produces from ``n`` samples.

    Examples
    --------
    >>> dwt_coeff_len(9, 8, "symmetric"), dwt_coeff_len(9, 8, "periodization")
    (8, 5)
    """
    if mode == "periodization":
        return -(-n // 2)
    return (n + filter_len - 1) // 2


def idwt_len(n_coef: int, filter_len: int, mode: str) -> int:
    """Natural length of one inverse level from ``n_coef`` coefficients (PyWavelets' rule).

    Examples
    --------
    >>> idwt_len(8, 8, "symmetric"), idwt_len(5, 8, "periodization")
    (10, 10)
    """
    if mode == "periodization":
        return 2 * n_coef
    return 2 * n_coef - filter_len + 2


def dwt_max_level(data_len: int, filter_len: int) -> int:
    """Deepest useful level: ``floor(log2(data_len / (filter_len - 1)))``, at least 0.

    Parameters
    ----------
    data_len : int
        Signal length, ``>= 0``.
    filter_len : int
        Filter length, ``>= 2``.

    Examples
    --------
    >>> dwt_max_level(1000, 8)
    7
    >>> dwt_max_level(5, 8)
    0
    """
    if filter_len < 2:
        raise InputError(f"filter_len must be >= 2; got {filter_len}")
    if data_len < filter_len - 1:
        return 0
    return int(math.floor(math.log2(data_len / (filter_len - 1))))


def per_axis(name: str, value: Any, n_axes: int) -> tuple[Any, ...]:
    """``value`` once per transformed axis: a tuple or list has one entry per axis, or one for all (as PyWavelets).

    Examples
    --------
    >>> per_axis("mode", "zero", 2), per_axis("mode", ("zero", "smooth"), 2), per_axis("mode", ["zero"], 2)
    (('zero', 'zero'), ('zero', 'smooth'), ('zero', 'zero'))
    """
    if isinstance(value, (tuple, list)):
        if len(value) == 1:
            return tuple(value) * n_axes
        if len(value) != n_axes:
            raise InputError(
                f"{name}: a sequence must give one entry per transformed axis ({n_axes}); "
                f"got {len(value)}: {tuple(value)!r}"
            )
        return tuple(value)
    return (value,) * n_axes


#: Levels past the maximum useful one are allowed (with PyWavelets' warning) up to this many more.
DEEPEST_EXTRA = 64


def check_level(sizes: list[int], filter_lens: list[int], level: int | None) -> int:
    """PyWavelets' level rule: ``None`` means the maximum; deeper levels warn; negative is an error.

    ``sizes`` and ``filter_lens`` give each transformed axis's length and filter length.
    """
    useful = [dwt_max_level(n, L) for n, L in zip(sizes, filter_lens)]
    limit = int(np.argmin(useful))
    max_level = useful[limit]
    level = check_count("level", level, none=True)
    if level is None:
        return max_level
    if level > max_level + DEEPEST_EXTRA:
        raise InputError(
            f"level {level} is far too deep for an axis of length {sizes[limit]} and a filter of length "
            f"{filter_lens[limit]}: past level {max_level} every coefficient is boundary-only (the signal "
            f"shrinks to {filter_lens[limit] - 1} samples and only grows by the filter gain), so levels beyond "
            f"{max_level + DEEPEST_EXTRA} (the maximum useful level + {DEEPEST_EXTRA}) are refused"
        )
    if level > max_level:
        warnings.warn(
            f"level {level} is too high for an axis of length {sizes[limit]} and a filter of length "
            f"{filter_lens[limit]} (maximum useful level {max_level}): all coefficients will experience "
            "boundary effects",
            FilterBankWarning,
            stacklevel=4,
        )
    return int(level)


def pywt_lengths(
    a_shape: tuple[int | None, ...] | None,
    detail_shapes: list[tuple[int | None, ...] | None],
    axes: tuple[int, ...],
    filter_lens: tuple[int, ...],
    modes: tuple[str, ...],
) -> tuple[tuple[tuple[int, int], ...], ...]:
    """``(n_signal, n_coef)`` per level and axis for a coefficient list made elsewhere.

    Follows PyWavelets: each inverse level has its natural length, trimmed by
    one sample where the next level's details are one shorter; any other
    mismatch is an error. ``filter_lens`` and ``modes`` are per axis.
    """
    lengths = []
    current = a_shape  # the shape this level's approximation has: a_shape, then the previous level's output
    for j, d_shape in enumerate(detail_shapes):
        ref = d_shape if d_shape is not None else current
        if ref is None:
            raise CoefficientsError(f"level {len(detail_shapes) - j}: no coefficient arrays to invert")
        nxt = detail_shapes[j + 1] if j + 1 < len(detail_shapes) else None
        level_lengths = []
        for axis, filter_len, mode in zip(axes, filter_lens, modes):
            n_c = int(ref[axis])  # type: ignore[arg-type]  # transformed axes have known sizes
            natural = idwt_len(n_c, filter_len, mode)
            n_signal = natural
            if nxt is not None:
                n_next = int(nxt[axis])  # type: ignore[arg-type]
                if natural - n_next not in (0, 1):
                    raise CoefficientsError(
                        f"coefficient shape mismatch: level {len(detail_shapes) - j} has length {n_c} "
                        f"along axis {axis}, which reconstructs {natural} samples, but the next level's "
                        f"details have length {n_next} (expected {natural} or {natural - 1})"
                    )
                n_signal = n_next
            level_lengths.append((n_signal, n_c))
        lengths.append(tuple(level_lengths))
        grown = list(ref)
        for axis, (n_signal, _) in zip(axes, level_lengths):
            grown[axis] = n_signal
        current = tuple(grown)
    return tuple(lengths[::-1])
