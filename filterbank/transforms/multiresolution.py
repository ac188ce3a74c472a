"""Additive multiresolution analysis, as PyWavelets' ``mra``, ``mra2`` and ``mran``.

An MRA splits a signal into components that add up to it exactly, one per
subband: each component is the inverse transform of that subband alone
(every other coefficient zero)::

    x  =  A_n  +  D_n  +  ...  +  D_1          imra: the sum

    A_n = inverse([cA_n, 0, ..., 0])
    D_j = inverse([0, ..., cD_j, ..., 0])

``transform="swt"`` (the default, with ``mode="periodization"``: the only
mode the stationary transform has) uses the normalised SWT, whose
components keep the signal's energy split across scales; ``"dwt"`` uses
`wavedec` with any mode. Each component has the input's shape. 2-D and n-D
components are split per detail subband (``(H, V, D)`` per level for
``mra2``, a dict keyed ``'ad'``, ... for ``mran``).

Leading axes that are not transformed are batch axes; numpy in gives
numpy out, tensors in give tensors out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from filterbank.backend.elementwise import namespace
from filterbank.errors import InputError
from filterbank.transforms.coefficients import Coefficients
from filterbank.transforms.decimated import wavedec, wavedec2, wavedecn, waverec, waverec2, waverecn
from filterbank.transforms.stationary import iswt, iswt2, iswtn, swt, swt2, swtn

__all__ = ["imra", "imra2", "imran", "mra", "mra2", "mran"]

Transform = Literal["swt", "dwt", "swt2", "dwt2", "swtn", "dwtn"]


def _kind(transform: Any, mode: Any, suffix: str) -> str:
    """``"swt"`` or ``"dwt"`` from PyWavelets' names (``"swt2"``, ``"dwtn"``...) or the plain ones."""
    allowed = ("swt", "dwt") + ((f"swt{suffix}", f"dwt{suffix}") if suffix else ())
    if transform not in allowed:
        raise InputError(f"transform must be one of {', '.join(map(repr, allowed))}; got {transform!r}")
    kind = str(transform)[:3]
    if kind == "swt" and mode not in ("periodization", 5):
        raise InputError(f"transform 'swt' supports only mode='periodization' (it has no boundary); got mode={mode!r}")
    return kind


def _components(coeffs: list[Any], inverse: Callable[[list[Any]], Any]) -> list[Any]:
    """Invert each subband of ``coeffs`` alone; return the components in the same layout."""
    xp = namespace(coeffs[0])

    def zero(entry: Any) -> Any:
        if isinstance(entry, dict):
            return {k: xp.zeros_like(v) for k, v in entry.items()}
        if isinstance(entry, tuple):
            return tuple(xp.zeros_like(v) for v in entry)
        return xp.zeros_like(entry)

    zeros = [zero(c) for c in coeffs]

    def alone(j: int, key: Any = None) -> Any:
        tmp = list(zeros)
        if key is None:
            tmp[j] = coeffs[j]
        elif isinstance(coeffs[j], dict):
            tmp[j] = {**zeros[j], key: coeffs[j][key]}
        else:
            tmp[j] = tuple(coeffs[j][n] if n == key else z for n, z in enumerate(zeros[j]))
        if isinstance(coeffs, Coefficients):
            tmp = Coefficients(
                tmp, input_shape=getattr(coeffs, "input_shape"), axes=getattr(coeffs, "axes"), mode=getattr(coeffs, "mode")
            )
        return inverse(tmp)

    out: list[Any] = []
    for j, c in enumerate(coeffs):
        if j and isinstance(c, dict):
            out.append({k: alone(j, k) for k in c})
        elif j and isinstance(c, tuple):
            out.append(tuple(alone(j, n) for n in range(len(c))))
        else:
            out.append(alone(j))
    return out


def mra(
    data: Any, wavelet: Any, level: int | None = None, *, axis: int = -1, transform: Transform = "swt",
    mode: Any = "periodization",
) -> list[Any]:
    """1-D additive multiresolution analysis, as `pywt.mra`.

    Parameters
    ----------
    data : array_like or tf.Tensor
        Input; every axis but ``axis`` is a batch axis.
    wavelet : str, pywt.Wavelet or FilterBank
        The filter bank.
    level : int, optional
        Number of levels (default: the deepest the transform allows).
    axis : int, default -1
        Keyword only. The axis to analyse.
    transform : {"swt", "dwt"}, default "swt"
        Keyword only. The normalised stationary transform, or `wavedec`.
    mode : str, default "periodization"
        Keyword only. Extension mode (``"swt"`` allows ``"periodization"`` only).

    Returns
    -------
    list
        ``[A_n, D_n, ..., D_1]``, each the shape of ``data``; `imra` adds them up.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(8.0)
    >>> parts = mra(x, "haar", level=2)
    >>> len(parts), bool(np.allclose(imra(parts), x))
    (3, True)
    """
    if _kind(transform, mode, "") == "swt":
        coeffs = swt(data, wavelet, level, axis=axis, trim_approx=True, norm=True)
        return _components(coeffs, lambda c: iswt(c, wavelet, norm=True, axis=axis))
    dec = wavedec(data, wavelet, mode, level, axis=axis)
    return _components(dec, lambda c: waverec(c, wavelet, mode, axis=axis))


def imra(mra_coeffs: Sequence[Any]) -> Any:
    """Inverse of `mra`: the sum of the components, as `pywt.imra`.

    Examples
    --------
    >>> import numpy as np
    >>> imra([np.ones(3), np.arange(3.0)]).tolist()
    [1.0, 2.0, 3.0]
    """
    out = mra_coeffs[0]
    for c in mra_coeffs[1:]:
        out = out + c
    return out


def mra2(
    data: Any, wavelet: Any, level: int | None = None, *, axes: Sequence[int] = (-2, -1),
    transform: Transform = "swt", mode: Any = "periodization",
) -> list[Any]:
    """2-D additive multiresolution analysis, as `pywt.mra2`.

    ``transform`` is ``"swt"`` / ``"swt2"`` or ``"dwt"`` / ``"dwt2"``; the
    other arguments are as for `mra`. Returns ``[A_n, (H_n, V_n, D_n), ...,
    (H_1, V_1, D_1)]``, each the shape of ``data``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(64.0).reshape(8, 8)
    >>> parts = mra2(x, "db1", level=2)
    >>> len(parts), len(parts[1]), bool(np.allclose(imra2(parts), x))
    (3, 3, True)
    """
    if _kind(transform, mode, "2") == "swt":
        coeffs = swt2(data, wavelet, level, axes=axes, trim_approx=True, norm=True)  # type: ignore[arg-type]
        return _components(coeffs, lambda c: iswt2(c, wavelet, norm=True, axes=axes))
    dec = wavedec2(data, wavelet, mode, level, axes=axes)
    return _components(dec, lambda c: waverec2(c, wavelet, mode, axes=axes))


def imra2(mra_coeffs: Sequence[Any]) -> Any:
    """Inverse of `mra2`, as `pywt.imra2` (the input is not modified).

    Examples
    --------
    >>> import numpy as np
    >>> imra2([np.ones(2), (np.ones(2), np.zeros(2), np.ones(2))]).tolist()
    [3.0, 3.0]
    """
    out = mra_coeffs[0]
    for level in mra_coeffs[1:]:
        for c in level:
            out = out + c
    return out


def mran(
    data: Any, wavelet: Any, level: int | None = None, *, axes: Sequence[int] | None = None,
    transform: Transform = "swt", mode: Any = "periodization",
) -> list[Any]:
    """n-D additive multiresolution analysis, as `pywt.mran`.

    ``transform`` is ``"swt"`` / ``"swtn"`` or ``"dwt"`` / ``"dwtn"``; ``axes``
    defaults to every axis. Returns ``[A_n, {'ad': ..., ...}, ...]``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(64.0).reshape(4, 4, 4)
    >>> parts = mran(x, "haar", level=1)
    >>> sorted(parts[1])[:3], bool(np.allclose(imran(parts), x))
    (['aad', 'ada', 'add'], True)
    """
    if _kind(transform, mode, "n") == "swt":
        coeffs = swtn(data, wavelet, level, axes=axes, trim_approx=True, norm=True)  # type: ignore[arg-type]
        return _components(coeffs, lambda c: iswtn(c, wavelet, axes=axes, norm=True))
    dec = wavedecn(data, wavelet, mode, level, axes=axes)
    return _components(dec, lambda c: waverecn(c, wavelet, mode, axes=axes))


def imran(mra_coeffs: Sequence[Any]) -> Any:
    """Inverse of `mran`, as `pywt.imran` (the input is not modified).

    Examples
    --------
    >>> import numpy as np
    >>> imran([np.ones(2), {"d": np.ones(2)}]).tolist()
    [2.0, 2.0]
    """
    out = mra_coeffs[0]
    for level in mra_coeffs[1:]:
        for c in level.values():
            out = out + c
    return out
