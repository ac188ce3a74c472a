"""Property-testing tools for filters and filter banks, shared by our suite and by users.

Hypothesis strategies that draw signals, kernels and convolution problems of
any rank and dtype, random orthogonal and biorthogonal filter banks, and
`assert_close`, whose tolerance scales with the dtype and the number of
terms summed (the kernel size). Use them to property-test your own filters the
way filterbank's suite does. For your own bank, `bank_properties` builds
the round-trip, PyWavelets-parity and aliasing properties in one line, over
`bank_cases` (lengths, `levels`, modes, dtypes, batch shapes);
`register_profiles` ships the bounded and the deep hypothesis profiles.
See ``docs/testing.md``. Requires ``hypothesis`` (the ``test`` extra).

Examples
--------
>>> import numpy as np
>>> from filterbank.testing import assert_close
>>> assert_close(np.float32([1, 2]) + np.float32(1e-7), np.array([1.0, 2.0]), dtype="float32")
>>> from hypothesis import given
>>> from filterbank.testing import orthogonal_banks
>>> @given(orthogonal_banks(max_length=6))
... def test_orthogonal(bank):
...     assert bank.check().orthogonal
>>> test_orthogonal()
"""

from __future__ import annotations

from filterbank.testing.asserts import assert_close, tolerance
from filterbank.testing.banks import biorthogonal_banks, lattice_lowpass, lifting_bank, orthogonal_banks
from filterbank.testing.profiles import load_profile, register_profiles
from filterbank.testing.properties import (
    BankCase,
    BankProperties,
    assert_aliasing_within,
    assert_matches_pywavelets,
    assert_round_trip,
    bank_cases,
    bank_properties,
    levels,
    pywt_wavelet,
    round_trip_tolerance,
)
from filterbank.testing.specs import bank_specs, filter_specs
from filterbank.testing.strategies import ConvCase, conv_cases, dtypes, kernels, random_array, shapes, signals

__all__ = [
    "BankCase",
    "BankProperties",
    "ConvCase",
    "assert_aliasing_within",
    "assert_close",
    "assert_matches_pywavelets",
    "assert_round_trip",
    "bank_cases",
    "bank_properties",
    "bank_specs",
    "biorthogonal_banks",
    "conv_cases",
    "dtypes",
    "filter_specs",
    "kernels",
    "lattice_lowpass",
    "levels",
    "lifting_bank",
    "load_profile",
    "orthogonal_banks",
    "pywt_wavelet",
    "random_array",
    "register_profiles",
    "round_trip_tolerance",
    "shapes",
    "signals",
    "tolerance",
]
