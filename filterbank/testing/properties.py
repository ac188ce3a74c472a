"""Property tests for *your* filter bank: round trip, PyWavelets parity, aliasing.

Give a bank (a `FilterBank`, a wavelet or bundled-spec
name, a YAML path or a spec) and get three ready hypothesis tests::

    from filterbank.testing import bank_properties

    props = bank_properties("my_bank.yaml")
    test_round_trip = props.round_trip              # waverec(wavedec(x)) == x within the declared tolerance
    test_matches_pywavelets = props.pywavelets_parity  # same coefficients as pywt, given the same taps
    test_aliasing = props.aliasing                  # a real round trip aliases no more than check() says

Each draws a `BankCase` (signal length, level, extension mode, dtype,
batch shape and axis) from `bank_cases`; levels come from
`levels`, which never draws one PyWavelets would warn about. The
assertions are public too (`assert_round_trip`,
`assert_matches_pywavelets`, `assert_aliasing_within`), to use
in your own ``@given`` tests. A falsifying example prints as a
``BankCase(...)`` call: paste it into ``assert_round_trip(bank, BankCase(...))``
to reproduce it.

The signals are small numpy arrays, so every example runs on filterbank's
numpy tier (`filterbank.tiers`): no TensorFlow, no compile, and
shrinking a counterexample takes seconds.

Examples
--------
>>> import filterbank as fb
>>> props = bank_properties("db2", max_length=24)
>>> props.round_trip()
>>> props.pywavelets_parity()
>>> props.aliasing()
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from filterbank.testing.asserts import tolerance as dtype_tolerance
from filterbank.testing.strategies import random_array
from filterbank.modes import Mode
from filterbank.spec.parameters import ROLES

__all__ = [
    "BankCase",
    "BankProperties",
    "assert_aliasing_within",
    "assert_matches_pywavelets",
    "assert_round_trip",
    "bank_cases",
    "bank_properties",
    "levels",
    "pywt_wavelet",
    "round_trip_tolerance",
]


def _bank(bank: Any) -> Any:
    from filterbank.design.bank import FilterBank
    from filterbank.design.names import as_filterbank

    return bank if isinstance(bank, FilterBank) else as_filterbank(bank)


def _filter_length(bank: Any) -> int:
    """The length both PyWavelets' and filterbank's level rules use, whichever is stricter."""
    n = max(bank.dec_len, bank.rec_len)
    return max(2, n + n % 2)


def levels(bank: Any, length: int, *, min_level: int = 1, max_level: int | None = None, deep: int = 0) -> st.SearchStrategy[int]:
    """Decomposition levels for ``bank`` and a signal of ``length`` samples.

    Draws from ``min_level`` to ``dwt_max_level(length, L)`` (``L``: the
    longest filter, rounded up to even, so that neither PyWavelets nor
    filterbank warns "level too high"); ``deep`` adds that many levels beyond
    it, for tests of the warning. When the signal is too short for
    ``min_level``, the only level drawn is the maximum (0 for a signal shorter
    than ``L - 1``).

    Parameters
    ----------
    bank : FilterBank, str or spec
        The bank (anything `filterbank.as_filterbank` takes).
    length : int
        Signal length along the transformed axis.
    min_level : int, default 1
        Smallest level drawn.
    max_level : int, optional
        Cap on the level drawn (before ``deep``).
    deep : int, default 0
        Extra levels beyond the maximum useful one.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(levels("db2", 64), lambda lv: lv > 3)
    4
    >>> find(levels("db2", 64, deep=2), lambda lv: lv > 4)
    5
    >>> find(levels("db4", 5), lambda lv: True)
    0
    """
    from filterbank.plans.lengths import dwt_max_level

    top = dwt_max_level(int(length), _filter_length(_bank(bank)))
    if max_level is not None:
        top = min(top, int(max_level))
    return st.integers(min(int(min_level), top), top + int(deep))


class BankCase(NamedTuple):
    """One transform problem for a bank; ``signal()`` builds its input.

    Examples
    --------
    >>> case = BankCase(shape=(2, 9), axis=-1, level=1, mode="zero", dtype="float32", seed=3)
    >>> case.signal().shape, case.signal().dtype, case.length
    ((2, 9), dtype('float32'), 9)
    """

    shape: tuple[int, ...]
    axis: int
    level: int
    mode: Mode
    dtype: str
    seed: int

    @property
    def length(self) -> int:
        """Samples along the transformed axis."""
        return int(self.shape[self.axis])

    def signal(self) -> np.ndarray:
        """The input: `random_array` of the case's shape, dtype and seed."""
        return random_array(self.shape, dtype=self.dtype, seed=self.seed)


@st.composite
def bank_cases(
    draw: Any,
    bank: Any,
    *,
    min_length: int = 1,
    max_length: int | None = None,
    modes: tuple[str, ...] | None = None,
    dtypes: tuple[str, ...] = ("float64", "float32"),
    max_batch_dims: int = 2,
    max_batch_side: int = 3,
    deep: int = 0,
) -> BankCase:
    """Random `BankCase` for ``bank``: length, level, mode, dtype, batch shape and axis.

    Parameters
    ----------
    bank : FilterBank, str or spec
        The bank.
    min_length, max_length : int, default 1 and ``max(64, 8 * L)``
        Bounds on the transformed axis (``L``: the bank's filter length, so
        that long filters still get several levels).
    modes : tuple of str, optional
        Extension modes (default: all of `filterbank.modes.MODES`).
    dtypes : tuple of str, default ('float64', 'float32')
        Input dtypes.
    max_batch_dims, max_batch_side : int, default 2 and 3
        Up to this many other axes, each of up to this many samples; the
        transformed axis is drawn among all of them.
    deep : int, default 0
        Passed to `levels`.

    Examples
    --------
    >>> from hypothesis import find
    >>> case = find(bank_cases("haar", max_length=16), lambda c: len(c.shape) > 1 and c.level > 1)
    >>> case.level, case.mode, case.dtype
    (2, 'zero', 'float64')
    """
    from filterbank.modes import MODES

    fb_bank = _bank(bank)
    if max_length is None:
        max_length = max(64, 8 * _filter_length(fb_bank))
    length = draw(st.integers(min_length, max_length))
    batch = draw(st.lists(st.integers(1, max_batch_side), max_size=max_batch_dims))
    position = draw(st.integers(0, len(batch)))
    shape = tuple(batch[:position]) + (length,) + tuple(batch[position:])
    axis = position - len(shape) if draw(st.booleans()) else position
    level = draw(levels(fb_bank, length, deep=deep))
    mode = draw(st.sampled_from(tuple(modes) if modes is not None else MODES))
    dtype = draw(st.sampled_from(tuple(dtypes)))
    return BankCase(shape, axis, level, mode, dtype, draw(st.integers(0, 2**32 - 1)))


def pywt_wavelet(bank: Any) -> Any:
    """A ``pywt.Wavelet`` with the bank's four filters (PyWavelets' own one for its own names).

    Examples
    --------
    >>> w = pywt_wavelet("db2")
    >>> w.name, w.dec_len
    ('db2', 4)
    """
    import pywt

    from filterbank.design.verify import is_pywavelets_own

    fb_bank = _bank(bank)
    if is_pywavelets_own(fb_bank):
        return pywt.Wavelet(fb_bank.name)
    taps = [np.asarray(getattr(fb_bank, r)).tolist() for r in ROLES]
    return pywt.Wavelet(fb_bank.name, filter_bank=taps)


def _gains(bank: Any) -> tuple[float, float]:
    """(analysis gain, synthesis gain) per level in the max norm: sum|h| and the larger polyphase sum|f|."""
    dec = max(float(np.abs(bank.dec_lo).sum()), float(np.abs(bank.dec_hi).sum()), 1.0)
    rec = max(float(np.abs(f[p::2]).sum()) for f in (bank.rec_lo, bank.rec_hi) for p in (0, 1))
    return dec, max(rec, 1.0)


def round_trip_tolerance(bank: Any, level: int, dtype: str) -> float:
    """Bound on ``max|waverec(wavedec(x)) - x|``, relative to the computation's scale.

    ``(tol + r) * (1 + g + ... + g**(level - 1))``: ``tol`` the bank's
    declared tolerance (what its PR error may be for one level), ``r`` the
    rounding of one analysis + synthesis level in ``dtype``
    (`tolerance` with ``L`` terms, times the
    filters' max-norm gains) and ``g >= 1`` the max-norm gain of one synthesis
    level (the larger polyphase ``sum|f|``), through which each level's error
    reaches the output. The scale it multiplies is the largest of ``max|x|``
    and the largest coefficient (extension modes such as ``smooth`` grow the
    coefficients).

    Examples
    --------
    >>> f"{round_trip_tolerance('haar', 1, 'float64'):.4g}", f"{round_trip_tolerance('haar', 3, 'float32'):.3g}"
    ('1.006e-09', '2.49e-05')
    """
    from filterbank.design.verify import declared

    fb_bank = _bank(bank)
    dec, rec = _gains(fb_bank)
    rounding = 4.0 * dtype_tolerance(dtype, terms=_filter_length(fb_bank)) * dec * rec
    growth = sum(rec**j for j in range(max(int(level), 1)))
    return (declared(fb_bank)[0] + rounding) * growth


def _scale(x: np.ndarray, coeffs: Any) -> float:
    return max([float(np.max(np.abs(x), initial=0.0))] + [float(np.max(np.abs(np.asarray(c)), initial=0.0)) for c in coeffs])


def _where(case: BankCase) -> str:
    return f"level {case.level}, mode {case.mode!r}, dtype {case.dtype}, shape {case.shape}, axis {case.axis}"


def assert_round_trip(bank: Any, case: BankCase) -> None:
    """Assert ``waverec(wavedec(x))`` gives ``x`` back within `round_trip_tolerance`, in ``x``'s dtype.

    Examples
    --------
    >>> assert_round_trip("sym3", BankCase(shape=(3, 20), axis=1, level=2, mode="smooth", dtype="float32", seed=1))
    """
    import filterbank as fb

    fb_bank = _bank(bank)
    x = case.signal()
    coeffs = fb.wavedec(x, fb_bank, case.mode, case.level, axis=case.axis)
    y = np.asarray(fb.waverec(coeffs, fb_bank, case.mode, axis=case.axis))
    if y.dtype != x.dtype:
        raise AssertionError(f"round trip of {x.dtype} input came back {y.dtype} ({_where(case)})")
    y = np.take(y, np.arange(case.length), axis=case.axis)
    scale = _scale(x, coeffs)
    bound = round_trip_tolerance(fb_bank, case.level, case.dtype) * scale
    err = float(np.max(np.abs(y.astype(np.float64) - x.astype(np.float64)), initial=0.0))
    if not err <= bound:
        raise AssertionError(
            f"bank {fb_bank.name!r}: round trip error {err:.3g} > bound {bound:.3g} "
            f"(declared tolerance x scale {scale:.3g}; {_where(case)})"
        )


def assert_matches_pywavelets(bank: Any, case: BankCase) -> None:
    """Assert ``fb.wavedec`` and ``fb.waverec`` equal PyWavelets' with the same taps (`pywt_wavelet`).

    Coefficients are compared with `assert_close`
    (tolerance for the dtype and ``L * level`` summed terms, scale the largest
    PyWavelets coefficient); the reference is PyWavelets in float64.

    Examples
    --------
    >>> assert_matches_pywavelets("bior2.2", BankCase(shape=(17,), axis=0, level=1, mode="periodic", dtype="float64", seed=5))
    """
    import pywt

    import filterbank as fb
    from filterbank.testing.asserts import assert_close

    fb_bank = _bank(bank)
    wavelet = pywt_wavelet(fb_bank)
    x = case.signal()
    with warnings.catch_warnings():  # the reference's "level too high" (only with levels(deep=...))
        warnings.filterwarnings("ignore", "Level value of", UserWarning)
        want = pywt.wavedec(x.astype(np.float64), wavelet, case.mode, case.level, axis=case.axis)
    got = fb.wavedec(x, fb_bank, case.mode, case.level, axis=case.axis)
    if len(got) != len(want):
        raise AssertionError(f"{len(got)} coefficient arrays, PyWavelets gives {len(want)} ({_where(case)})")
    terms = _filter_length(fb_bank) * max(case.level, 1)
    scale = _scale(x, want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert_close(g, w, dtype=case.dtype, terms=terms, scale=scale, err_msg=f"wavedec coefficient {i} ({_where(case)})")
    back = pywt.waverec(want, wavelet, case.mode, axis=case.axis)
    rec = fb.waverec([np.asarray(w).astype(case.dtype) for w in want], fb_bank, case.mode, axis=case.axis)
    assert_close(rec, back, dtype=case.dtype, terms=2 * terms, scale=scale, err_msg=f"waverec ({_where(case)})")


def assert_aliasing_within(bank: Any, case: BankCase) -> None:
    """Assert a real one-level round trip aliases no more than ``bank.check().aliasing_error`` says.

    With ``periodization`` and an even length the round trip is
    ``y = T x + A (M x)``: ``T`` and ``A`` circular filters with the
    distortion and alias responses, ``M x = (-1)**n x``. Shifting the input
    by one sample flips the sign of the alias term only, so
    ``(y(x) - shift(y(shift(x)), -1)) / 2 = A (M x)``, whose energy is at
    most ``max|A(e^jw)|**2`` times that of ``x`` (Parseval). The case's
    length is rounded up to even and its level and mode are not used.

    Examples
    --------
    >>> assert_aliasing_within("johnston-qmf", BankCase(shape=(64,), axis=0, level=1, mode="zero", dtype="float64", seed=2))
    """
    import filterbank as fb

    fb_bank = _bank(bank)
    shape = list(case.shape)
    shape[case.axis] += shape[case.axis] % 2
    x = random_array(tuple(shape), dtype=case.dtype, seed=case.seed)

    def round_trip(v: np.ndarray) -> np.ndarray:
        cA, cD = fb.dwt(v, fb_bank, "periodization", axis=case.axis)
        return np.asarray(fb.idwt(cA, cD, fb_bank, "periodization", axis=case.axis)).astype(np.float64)

    shifted = np.roll(round_trip(np.roll(x, 1, axis=case.axis)), -1, axis=case.axis)
    alias = (round_trip(x) - shifted) / 2
    norm_x = float(np.linalg.norm(x.astype(np.float64)))
    report = fb_bank.check()
    dec, rec = _gains(fb_bank)
    noise = dtype_tolerance(case.dtype, terms=_filter_length(fb_bank)) * dec * rec * np.sqrt(x.size)
    bound = (report.aliasing_error * (1 + 1e-9) + noise) * norm_x
    got = float(np.linalg.norm(alias))
    if not got <= bound:
        raise AssertionError(
            f"bank {fb_bank.name!r}: alias energy of a real round trip {got:.3g} > check()'s aliasing error "
            f"{report.aliasing_error:.3g} x |x| {norm_x:.3g} (+ rounding); {_where(case)}"
        )


class BankProperties(NamedTuple):
    """Three ready hypothesis tests for one bank (assign them to ``test_*`` names)."""

    round_trip: Any
    pywavelets_parity: Any
    aliasing: Any


def bank_properties(bank: Any, **case_options: Any) -> BankProperties:
    """Build the three property tests of a bank in one line.

    Parameters
    ----------
    bank : FilterBank, str, path or spec
        The bank under test: an object, a wavelet or bundled-spec name, a
        YAML file. It is checked as a transform would check it (a bank that
        is not PR within its declared tolerance raises here; build it with
        ``verify=False`` to property-test a broken bank).
    **case_options
        Passed to `bank_cases` (``max_length``, ``modes``, ``dtypes``...).

    Returns
    -------
    BankProperties
        ``round_trip``, ``pywavelets_parity`` and ``aliasing``: zero-argument
        hypothesis tests, named ``test_<property>_<bank>``; they take the
        active hypothesis profile (see `register_profiles`), or wrap
        them in ``settings(...)``.

    Examples
    --------
    >>> props = bank_properties("haar", max_length=8, dtypes=("float64",))
    >>> props.round_trip.__name__
    'test_round_trip_haar'
    >>> props.round_trip()
    """
    fb_bank = _bank(bank)
    cases = bank_cases(fb_bank, **case_options)
    slug = "".join(c if c.isalnum() else "_" for c in fb_bank.name)

    def build(check: Any, name: str) -> Any:
        def test(case: BankCase) -> None:
            check(fb_bank, case)

        test.__name__ = test.__qualname__ = f"test_{name}_{slug}"
        test.__doc__ = f"{check.__doc__.splitlines()[0]} (bank {fb_bank.name!r})"
        return given(case=cases)(test)

    return BankProperties(
        build(assert_round_trip, "round_trip"),
        build(assert_matches_pywavelets, "pywavelets_parity"),
        build(assert_aliasing_within, "aliasing"),
    )
