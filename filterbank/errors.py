"""One exception family for everything filterbank refuses.

Every error filterbank raises on purpose derives from `FilterBankError`,
so ``except fb.FilterBankError`` catches all of them. Each concrete class also
derives from the builtin a caller would expect (``ValueError`` for a bad value,
``TypeError`` for a bad type), so existing ``except ValueError`` code keeps
working.

Messages follow one rule: name the parameter (or spec key path), state the
rule, show the value received and, for names, suggest the closest valid one::

    mode must be one of 'full', 'same', 'valid'; got 'smae' (did you mean 'same'?)

Examples
--------
>>> from filterbank.errors import check_option
>>> check_option("mode", "smae", ("full", "same", "valid"))
Traceback (most recent call last):
...
filterbank.errors.InputError: mode must be one of 'full', 'same', 'valid'; got 'smae' (did you mean 'same'?)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import numpy as np

__all__ = [
    "AxisError",
    "CoefficientsError",
    "FilterBankError",
    "FilterBankTypeError",
    "FilterBankWarning",
    "InputError",
    "PathError",
    "PerfectReconstructionError",
    "SpecError",
    "check_count",
    "check_option",
    "closest",
    "did_you_mean",
    "normalize_axes",
    "not_one_of",
]

_T = TypeVar("_T")


class FilterBankError(Exception):
    """Base class of every error raised by filterbank."""

    # Exception's own constructor (not ValueError's): TensorFlow's autograph then
    # re-raises our errors from inside a tf.function with their own type, where
    # it would otherwise turn them into a StagingError.
    __init__ = Exception.__init__


class InputError(FilterBankError, ValueError):
    """An argument has an invalid value (bad name, rank, shape, range...)."""


class FilterBankTypeError(FilterBankError, TypeError):
    """An argument has an unsupported type (non-numeric array, wrong object)."""


class SpecError(FilterBankError, ValueError):
    """A filter-bank specification is invalid.

    The message starts with the key path of the offending entry, for example
    ``filters.lowpass.numtaps: must be >= 1; got 0``. A spec with several
    problems raises one error that lists them all, one per line; `errors`
    holds them one by one.

    Examples
    --------
    >>> exc = SpecError.collect(["levle: unknown key", "mode: must be one of ..."])
    >>> print(exc)
    2 problems:
      levle: unknown key
      mode: must be one of ...
    >>> exc.errors
    ('levle: unknown key', 'mode: must be one of ...')
    >>> SpecError("level: must be an integer").errors
    ('level: must be an integer',)
    """

    @property
    def errors(self) -> tuple[str, ...]:
        """Every problem, each message starting with its key path."""
        return getattr(self, "_errors", None) or (str(self),)

    @classmethod
    def collect(cls, messages: Iterable[str]) -> SpecError:
        """One error for all ``messages`` (repeats dropped): the message itself when there is one."""
        unique = tuple(dict.fromkeys(messages))
        if len(unique) == 1:
            return cls(unique[0])
        exc = cls(f"{len(unique)} problems:\n" + "\n".join(f"  {m}" for m in unique))
        exc._errors = unique
        return exc


class PerfectReconstructionError(FilterBankError, ValueError):
    """A bank claimed (or assumed) to reconstruct perfectly does not."""


_NUMPY_AXIS_ERROR: type[Exception] = getattr(np, "exceptions", np).AxisError


class AxisError(InputError, _NUMPY_AXIS_ERROR):  # type: ignore[misc,valid-type]
    """An axis out of range for the data: an `InputError` that is also a ``numpy.AxisError`` (and ``IndexError``)."""

    def __init__(self, message: str):
        Exception.__init__(self, message)
        self._message = message

    def __str__(self) -> str:
        return self._message


class PathError(FilterBankError, IndexError):
    """A wavelet packet path deeper than the tree's maximum level."""


class CoefficientsError(FilterBankError, ValueError):
    """A coefficient list or dict does not fit the transform that should invert it."""


class FilterBankWarning(UserWarning):
    """Legal but dubious input, e.g. a decomposition level deeper than useful."""


def did_you_mean(value: object, allowed: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest allowed name, or ``""``.

    Examples
    --------
    >>> did_you_mean("periodisation", ["periodic", "periodization"])
    " (did you mean 'periodization'?)"
    >>> did_you_mean("xyz", ["full", "same"])
    ''
    """
    close = closest(value, allowed)
    return f" (did you mean {close!r}?)" if close is not None else ""


def closest(value: object, allowed: Iterable[str]) -> str | None:
    """The allowed name closest to ``value``, or None when none is close.

    Examples
    --------
    >>> closest("cutof", ["numtaps", "cutoff"]), closest("xyz", ["full"])
    ('cutoff', None)
    """
    if not isinstance(value, str):
        return None
    close = difflib.get_close_matches(value.lower(), list(allowed), n=1, cutoff=0.6)
    return close[0] if close else None


def check_option(name: str, value: _T, allowed: Iterable[_T]) -> _T:
    """Return ``value`` if it is one of ``allowed``; raise `InputError` otherwise.

    Parameters
    ----------
    name : str
        The parameter name used in the message.
    value : object
        The value received.
    allowed : iterable
        The valid values, in the order they should be listed.

    Returns
    -------
    object
        ``value`` unchanged.

    Raises
    ------
    InputError
        Naming the parameter, the allowed set, the value and a close match.

    Examples
    --------
    >>> check_option("boundary", "wrap", ("fill", "wrap", "symm"))
    'wrap'
    """
    options = tuple(allowed)
    if isinstance(value, str) and value in options:
        return value
    if not isinstance(value, str) and any(value is o for o in options):
        return value
    raise InputError(f"{name} {not_one_of(value, options)}")


def not_one_of(value: Any, options: Sequence[Any], shown: str | None = None) -> str:
    """The one wording of a "one of" rule: ``must be one of 'a', 'b'; got 'c' (did you mean ...?)``.

    `check_option` (parameters) and the spec validator (key paths) both use it;
    ``shown`` replaces ``repr(value)`` (the spec validator shortens hostile values).

    Examples
    --------
    >>> not_one_of("haer", ("haar", "db2"))
    "must be one of 'haar', 'db2'; got 'haer' (did you mean 'haar'?)"
    """
    listed = ", ".join(repr(o) for o in options)
    hint = did_you_mean(value, [o for o in options if isinstance(o, str)])
    return f"must be one of {listed}; got {shown if shown is not None else repr(value)}{hint}"


def check_count(name: str, value: Any, *, minimum: int = 0, none: bool = False) -> int | None:
    """Return ``value`` as an int if it is an integer ``>= minimum`` (``None`` too with ``none``).

    The one rule for levels, lengths and counts: booleans and floats are
    refused, numpy integers accepted.

    Examples
    --------
    >>> check_count("level", 3), check_count("level", None, none=True)
    (3, None)
    >>> check_count("level", -1, none=True)
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: level must be a non-negative integer or None; got -1
    """
    if value is None and none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        rule = "a non-negative integer" if minimum == 0 else f"an integer >= {minimum}"
        raise InputError(f"{name} must be {rule}{' or None' if none else ''}; got {value!r:.80}")
    return int(value)


def normalize_axes(axes: Any, ndim: int, name: str = "axes") -> tuple[int, ...]:
    """Validate ``axes`` (an int or a sequence of ints) for ``ndim`` dimensions; return them non-negative.

    Shared by the transforms and `filterbank.convolve` / `filterbank.correlate`
    (one rule, one set of messages).

    Examples
    --------
    >>> normalize_axes((-1, 0), 3)
    (2, 0)
    """
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, bool):
        axes = (axes,)
    if isinstance(axes, (str, bytes)):
        raise InputError(f"{name} must be an integer or a sequence of integers; got {axes!r}")
    try:
        axes = tuple(axes)
    except TypeError:
        raise InputError(f"{name} must be an integer or a sequence of integers; got {axes!r}") from None
    if not axes:
        raise InputError(f"{name} must name at least one axis; got {axes!r}")
    out = []
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise InputError(f"{name} must contain integers; got {a!r}")
        if not -ndim <= a < ndim:
            raise AxisError(
                f"{name}: axis {a} is out of range for data with {ndim} dimension(s) "
                f"(valid: -{ndim} to {ndim - 1})"
            )
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise InputError(f"{name} must be unique; got {tuple(axes)}")
    return tuple(out)
