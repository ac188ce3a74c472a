"""Property-testing tools for filters and filter banks, shared by our suite and by users.

Hypothesis strategies that draw signals, kernels and convolution problems of
any rank and dtype, random orthogonal and biorthogonal filter banks, and
:func:`assert_close`, whose tolerance scales with the dtype and the number of
terms summed (the kernel size). Use them to property-test your own filters the
way filterbank's suite does. Requires ``hypothesis`` (the ``test`` extra).

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
from filterbank.testing.specs import bank_specs, filter_specs
from filterbank.testing.strategies import conv_cases, dtypes, kernels, shapes, signals

__all__ = [
    "assert_close",
    "bank_specs",
    "biorthogonal_banks",
    "conv_cases",
    "dtypes",
    "filter_specs",
    "kernels",
    "lattice_lowpass",
    "lifting_bank",
    "orthogonal_banks",
    "shapes",
    "signals",
    "tolerance",
]
