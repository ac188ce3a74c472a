"""Public testing helpers: hypothesis strategies and assertions for filter banks.

Use them to property-test your own filters the way filterbank's suite does.

Examples
--------
>>> from hypothesis import given
>>> from filterbank.testing import orthogonal_banks
>>> @given(orthogonal_banks(max_length=6))
... def test_orthogonal(bank):
...     assert bank.check().orthogonal
>>> test_orthogonal()
"""

from __future__ import annotations

from filterbank.testing.banks import biorthogonal_banks, lattice_lowpass, lifting_bank, orthogonal_banks

__all__ = [
    "biorthogonal_banks",
    "lattice_lowpass",
    "lifting_bank",
    "orthogonal_banks",
]
