"""M-channel transforms: `mdec` splits a signal into bands with an M-channel bank, `mrec` rebuilds it.

Alignment (scipy's, with zero extension, so nothing is lost at the edges)::

    one level       y_k = scipy.signal.upfirdn(h_k, x, up=1, down=D)     ceil((n + L - 1) / D) samples
    its inverse     x   = sum_k upfirdn(g_k, y_k, up=D)[delay : delay + n]

``delay`` is the bank's (`MChannelBank.delay`; ``L - 1`` for the modulated
designs). Several levels split channel 0 again (``split="lowest"``: M-band
wavelets) or every channel (``split="every"``: a uniform ``M ** level``
split); the output order is `filterbank.plans.mchannel.MChannelPlan.leaves`::

    split="lowest", M = 4, level = 2:   [y_00, y_01, y_02, y_03, y_1, y_2, y_3]
    split="every",  M = 2, level = 2:   [y_00, y_01, y_10, y_11]

numpy inputs run on numpy, TensorFlow tensors as TensorFlow ops (one strided
convolution with M output channels per level): they work inside
``tf.function``, with unknown batch sizes, and are differentiable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from filterbank.backend import mchannel as executors
from filterbank.backend.convert import is_tensor
from filterbank.design.bank import FilterBank
from filterbank.design.mchannel import MChannelBank
from filterbank.design.names import resolve
from filterbank.design.verify import verify_bank
from filterbank.errors import CoefficientsError, FilterBankTypeError, InputError, check_count, check_option, normalize_axes
from filterbank.plans.mchannel import MChannelPlan, MSplit, mchannel_plan

__all__ = ["as_mchannel", "mdec", "mrec"]

_SPLITS = ("lowest", "every")
_MAX_BANDS = 4096


def as_mchannel(bank: Any) -> MChannelBank:
    """Coerce a name, spec, file, `MChannelBank` or two-channel bank to a checked `MChannelBank`.

    A two-channel bank (``"db4"``, a `FilterBank`) becomes its ``M = D = 2`` form.

    Raises
    ------
    PerfectReconstructionError
        For a bank that does not reconstruct within its declared tolerance
        (unless built with ``verify=False``, or declared
        ``perfect_reconstruction: false``, which warns).

    Examples
    --------
    >>> as_mchannel("pqmf4").channels, as_mchannel("db2").channels
    (4, 2)
    """
    loaded = resolve(bank)
    if isinstance(loaded, FilterBank):
        return MChannelBank.from_filterbank(verify_bank(loaded))
    if not isinstance(loaded, MChannelBank):
        raise FilterBankTypeError(f"bank {bank!r} is a 'kind: filter' spec; an M-channel or two-channel bank is needed")
    return loaded.verified()


def _data(data: Any, name: str) -> tuple[Any, bool]:
    """The input as a float numpy array or a float tensor, and whether it is a tensor."""
    if is_tensor(data):
        if data.dtype.name not in ("float32", "float64"):
            raise InputError(f"{name} must be a float32 or float64 tensor; got {data.dtype.name}")
        return data, True
    arr = np.asarray(data)
    if arr.dtype.kind not in "biufc":
        raise FilterBankTypeError(f"{name} must be numeric; got an array of dtype {arr.dtype}")
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64)
    if arr.dtype == np.float16:
        arr = arr.astype(np.float32)
    return arr, False


def _length_of(x: Any, axis: int) -> int:
    n = x.shape[axis]
    if n is None:
        raise InputError(f"axis {axis} must have a static size; got a tensor of shape {x.shape}")
    return int(n)


def mdec(data: Any, bank: Any, *, level: int | None = None, axis: int = -1, split: MSplit = "lowest") -> list[Any]:
    """Split ``data`` into bands with an M-channel bank (see the module docstring for the alignment).

    Parameters
    ----------
    data : array_like or tf.Tensor
        The signal; any shape, transformed along ``axis`` (numpy: any float or
        complex dtype, integers become float64; tensors: float32 or float64).
    bank : str, MChannelBank, spec, path or two-channel bank
        ``"pqmf4"``, a ``kind: mchannel`` spec or file, an `MChannelBank`, or a
        two-channel bank (``M = D = 2``).
    level : int, optional
        Number of levels, ``>= 1`` (default: the spec's ``level``, else 1).
    axis : int, default -1
        The axis to split.
    split : {'lowest', 'every'}, default 'lowest'
        Split channel 0 again at each level, or every channel.

    Returns
    -------
    list of arrays or tensors
        The bands in `MChannelPlan.leaves` order; each has ``ceil((n + L - 1) / D)``
        samples along ``axis`` per level.

    Raises
    ------
    InputError
        For a bad ``level``, ``axis``, ``split`` or dtype.
    PerfectReconstructionError
        For a bank that does not reconstruct within its declared tolerance.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.signal import upfirdn
    >>> x = np.arange(16.0)
    >>> bands = mdec(x, "pqmf4")
    >>> len(bands), bands[0].shape
    (4, (20,))
    >>> bank = as_mchannel("pqmf4")
    >>> bool(np.allclose(bands[2], upfirdn(bank.analysis[2], x, 1, 4)))
    True
    """
    x, tensor = _data(data, "data")
    plan = _plan(bank, x, level, axis, split)
    return executors.analysis(plan, x, tensor)


def _plan(bank: Any, x: Any, level: int | None, axis: int, split: str, n: int | None = None) -> MChannelPlan:
    check_option("split", split, _SPLITS)
    check_count("level", level, minimum=1, none=True)
    (ax,) = normalize_axes(axis, len(x.shape), "axis")
    b = as_mchannel(bank)
    j = level if level is not None else (b.spec.level if b.spec is not None and b.spec.level else 1)
    if j > 16 or (split == "every" and b.channels**j > _MAX_BANDS):
        raise InputError(f"level must be at most 16 (and give at most {_MAX_BANDS} bands with split='every'); got {j}")
    return mchannel_plan(b, _length_of(x, ax) if n is None else n, level=j, axis=ax, split=split)  # type: ignore[arg-type]


def _levels_of(count: int, channels: int, split: str) -> int:
    if split == "every":
        j = round(math.log(count, channels)) if count > 1 else 0
        ok = j >= 1 and channels**j == count
    else:
        j, rest = divmod(count - 1, channels - 1)
        ok = j >= 1 and rest == 0
    if not ok:
        rule = f"{channels} ** level" if split == "every" else f"1 + level * {channels - 1}"
        raise CoefficientsError(f"coeffs must hold {rule} bands for split={split!r} with {channels} channels; got {count}")
    return j


def mrec(coeffs: Sequence[Any], bank: Any, *, axis: int = -1, split: MSplit = "lowest", length: int | None = None) -> Any:
    """Rebuild the signal from the bands of `mdec` (the synthesis bank; exact for a PR bank).

    Parameters
    ----------
    coeffs : sequence of arrays or tensors
        The bands in `mdec`'s order; ``None`` stands for a band of zeros. The
        number of bands gives the level.
    bank : str, MChannelBank, spec, path or two-channel bank
        The bank `mdec` used.
    axis : int, default -1
        The axis that was split.
    split : {'lowest', 'every'}, default 'lowest'
        The split `mdec` used.
    length : int, optional
        The signal's length along ``axis``. Default: the longest length the
        bands allow (``n_coef * D - L + 1`` per level), which may exceed the
        original by up to ``D - 1`` samples (nearly zero).

    Returns
    -------
    array or tensor

    Raises
    ------
    CoefficientsError
        For a number of bands or band lengths that no signal gives.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal(100)
    >>> y = mrec(mdec(x, "dft8"), "dft8", length=100)
    >>> y.shape, float(np.max(np.abs(y - x))) < 1e-12
    ((100,), True)
    """
    bands = list(coeffs)
    present = [c for c in bands if c is not None]
    if not present:
        raise CoefficientsError("coeffs must hold at least one band that is not None")
    tensor = any(is_tensor(c) for c in present)
    arrays = [None if c is None else _data(c, "coeffs")[0] for c in bands]
    b = as_mchannel(bank)
    check_count("length", length, minimum=1, none=True)
    j = _levels_of(len(bands), b.channels, split)
    first = next(c for c in arrays if c is not None)
    (ax,) = normalize_axes(axis, len(first.shape), "axis")
    n = length if length is not None else _longest(arrays, b, j, ax, split)
    plan = _plan(b, first, j, ax, split, n)
    for path, c in zip(plan.leaves(), arrays):
        want = plan.steps[len(path) - 1][0].n_coef
        if c is not None and _length_of(c, ax) != want:
            raise CoefficientsError(
                f"coeffs: band {''.join(path)} must have {want} samples along axis {axis} "
                f"for a signal of {n} samples; got {_length_of(c, ax)}"
            )
    return executors.synthesis(plan, arrays, tensor)


def _longest(arrays: list[Any], bank: MChannelBank, level: int, axis: int, split: str) -> int:
    """The longest signal length the bands allow (from the shallowest band given)."""
    paths = mchannel_plan(bank, 1, level=level, axis=axis, split=split).leaves()  # type: ignore[arg-type]
    depth, c = min(((len(p), c) for p, c in zip(paths, arrays) if c is not None), key=lambda t: t[0])
    n = _length_of(c, axis)
    for _ in range(depth):
        n = n * bank.decimation - bank.filter_length + 1
    if n < 1:
        raise CoefficientsError(f"coeffs: bands of {_length_of(c, axis)} samples are too short for any signal")
    return n
