"""Small validators shared by the spec modules.

Each takes the key path of the value (``filters.dec_lo.numtaps``) and raises
`filterbank.errors.SpecError` whose message starts with that path,
states the rule and shows the value received. `Problems` gathers the errors
of independent checks, so that a spec reports all its problems in one pass.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from filterbank.errors import SpecError, closest, did_you_mean, not_one_of

__all__ = [
    "Problems",
    "at",
    "check_keys",
    "fail",
    "join",
    "show",
    "to_bool",
    "to_choice",
    "to_float",
    "to_floats",
    "to_int",
    "to_str",
]

_MISSING = object()


def join(path: str, key: str) -> str:
    """Join key-path parts: ``join("filters", "dec_lo") == "filters.dec_lo"``."""
    return f"{path}.{key}" if path else key


def show(value: Any, limit: int = 60) -> str:
    """``repr`` of a received value, shortened so hostile input cannot flood a message.

    Examples
    --------
    >>> show("x" * 100, 20), show(10**5000)
    ("'xxxxxxxxxxxxxx ...)", 'an integer of about 5001 digits')
    """
    try:
        text = repr(value)
    except ValueError:  # Python refuses to print integers of more than 4300 digits
        if isinstance(value, int):
            return f"an integer of about {int(abs(value).bit_length() * math.log10(2)) + 1} digits"
        return f"a {type(value).__name__} that cannot be printed"
    return text if len(text) <= limit else text[: limit - 5] + " ...)"


def fail(path: str, rule: str, value: Any = _MISSING) -> SpecError:
    """Build the error ``"{path}: {rule}; got {value!r}"``."""
    got = "nothing" if value is _MISSING else show(value)
    return SpecError(f"{path}: {rule}; got {got}")


@contextmanager
def at(prefix: str) -> Iterator[None]:
    """Re-raise a `SpecError` raised inside with ``prefix.`` before the key path of each of its problems."""
    try:
        yield
    except SpecError as exc:
        raise SpecError.collect(join(prefix, m) for m in exc.errors) from None


class Problems:
    """The problems of independent checks, raised together as one `SpecError`.

    Examples
    --------
    >>> problems = Problems()
    >>> with problems.check():
    ...     to_int("level", 0, 1, 64)
    >>> with problems.check("filters.dec_lo"):
    ...     to_choice("design", "firwn", ("firwin", "remez"))
    >>> problems.raise_any()
    Traceback (most recent call last):
    ...
    filterbank.errors.SpecError: 2 problems:
      level: must be an integer in [1, 64]; got 0
      filters.dec_lo.design: must be one of 'firwin', 'remez'; got 'firwn' (did you mean 'firwin'?)
    """

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.messages)

    @contextmanager
    def check(self, prefix: str = "") -> Iterator[None]:
        """Record a `SpecError` raised inside (``prefix.`` before its key paths) and carry on after the block."""
        try:
            yield
        except SpecError as exc:
            self.messages.extend(join(prefix, m) for m in exc.errors)

    def raise_any(self) -> None:
        """Raise one `SpecError` listing every problem recorded, if any."""
        if self.messages:
            raise SpecError.collect(self.messages)


def check_keys(path: str, mapping: Any, allowed: Iterable[str], required: Iterable[str] = ()) -> None:
    """Require a mapping with string keys among ``allowed`` and all of ``required`` (every problem at once).

    Examples
    --------
    >>> check_keys("filters.dec_lo", {"numtap": 8, "cutof": 0.5}, ("numtaps", "cutoff"), ("numtaps",))
    Traceback (most recent call last):
    ...
    filterbank.errors.SpecError: 2 problems:
      filters.dec_lo.numtap: unknown key; allowed keys here are numtaps, cutoff (did you mean 'numtaps'?)
      filters.dec_lo.cutof: unknown key; allowed keys here are numtaps, cutoff (did you mean 'cutoff'?)
    """
    allowed = tuple(allowed)
    if not isinstance(mapping, Mapping):
        raise fail(path or "spec", "must be a mapping of keys to values", type(mapping).__name__)
    problems = []
    meant = set()  # a required key that a typo stands for is not reported missing as well
    for key in mapping:
        if not isinstance(key, str):
            problems.append(str(fail(join(path, str(key)), "keys must be strings", key)))
        elif key not in allowed:
            listed = ", ".join(allowed)
            problems.append(f"{join(path, key)}: unknown key; allowed keys here are {listed}{did_you_mean(key, allowed)}")
            meant.add(closest(key, allowed))
    problems.extend(str(fail(join(path, key), "is required")) for key in required
                    if key not in mapping and key not in meant)
    if problems:
        raise SpecError.collect(problems)


def to_int(path: str, value: Any, lo: int, hi: int) -> int:
    """An integer (not a bool) in ``[lo, hi]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise fail(path, f"must be an integer in [{lo}, {hi}]", value)
    if not lo <= value <= hi:
        raise fail(path, f"must be an integer in [{lo}, {hi}]", value)
    return int(value)


def to_float(
    path: str,
    value: Any,
    lo: float = -math.inf,
    hi: float = math.inf,
    *,
    open_lo: bool = False,
    open_hi: bool = False,
    rule: str | None = None,
) -> float:
    """A finite real number within the given (open or closed) bounds."""
    left = "(" if open_lo else "["
    right = ")" if open_hi else "]"
    text = rule or f"must be a finite number in {left}{lo:g}, {hi:g}{right}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(path, text, value)
    try:
        x = float(value)
    except OverflowError:  # an integer beyond float range
        raise fail(path, text, value) from None
    if not math.isfinite(x):
        raise fail(path, text, value)
    if x < lo or x > hi or (open_lo and x == lo) or (open_hi and x == hi):
        raise fail(path, text, value)
    return x


def to_floats(path: str, value: Any, min_len: int, max_len: int) -> tuple[float, ...]:
    """A list of finite numbers with ``min_len <= len <= max_len``."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (list, tuple)):
        raise fail(path, f"must be a list of {min_len} to {max_len} numbers", value)
    if not min_len <= len(value) <= max_len:
        raise fail(path, f"must be a list of {min_len} to {max_len} numbers (length {len(value)})", value)
    return tuple(to_float(f"{path}[{i}]", v) for i, v in enumerate(value))


def to_bool(path: str, value: Any) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise fail(path, "must be true or false", value)
    return value


def to_str(path: str, value: Any, max_len: int = 200) -> str:
    """A string of at most ``max_len`` characters."""
    if not isinstance(value, str):
        raise fail(path, "must be a string", value)
    if len(value) > max_len:
        raise fail(path, f"must be at most {max_len} characters (length {len(value)})", value)
    return value


def check_header(problems: Problems, version: Any, name: Any, description: Any) -> None:
    """The keys every spec kind shares: ``filterbank`` (the format version), ``name`` and ``description``."""
    with problems.check():
        if type(version) is not int or version != 1:
            raise fail("filterbank", "must be 1, the spec format version, written as an integer", version)
    with problems.check():
        text = to_str("name", name, 64)
        if text and not all(c.isalnum() or c in "_.+-" for c in text):
            raise fail("name", "may contain only letters, digits and _ . + -", text)
    with problems.check():
        to_str("description", description, 2000)


def to_choice(path: str, value: Any, allowed: Iterable[str]) -> str:
    """One of the ``allowed`` names, with a did-you-mean hint."""
    options = tuple(allowed)
    if isinstance(value, str) and value in options:
        return value
    raise SpecError(f"{path}: {not_one_of(value, options, show(value))}")
