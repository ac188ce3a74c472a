"""The dtype policy (filterbank.dtypes) on the inputs a mutant of it would get wrong."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal as ss

import filterbank as fb
from filterbank.dtypes import compute_dtype, is_complex, numpy_compute_dtype


@pytest.mark.parametrize("dtype", [np.dtype(">c16"), np.dtype("<c8"), "complex128", np.dtype(">c8")])
def test_complex_dtypes_of_any_byte_order_are_complex(dtype):
    assert is_complex(dtype)
    assert numpy_compute_dtype(dtype) == ("complex64" if np.dtype(dtype).itemsize == 8 else "complex128")


def test_a_big_endian_complex_signal_convolves_as_in_scipy():
    rng = np.random.default_rng(2)
    x = (rng.standard_normal(9) + 1j * rng.standard_normal(9)).astype(">c16")
    k = np.array([1.0, -0.5j, 0.25])
    got = fb.convolve(x, k)
    np.testing.assert_allclose(got, ss.convolve(x.astype(np.complex128), k), rtol=0, atol=1e-14)


@pytest.mark.parametrize("func", [compute_dtype, numpy_compute_dtype])
def test_a_non_numeric_dtype_is_refused_naming_the_argument(func):
    with pytest.raises(fb.FilterBankTypeError, match=r"^kernel must be numeric \(bool, int, float or complex\); got dtype <U1$"):
        func(np.dtype("<U1"), "kernel")


def test_a_string_kernel_is_refused_by_name():
    with pytest.raises(fb.FilterBankTypeError, match=r"^kernel must be numeric .*; got dtype <U1$"):
        fb.convolve(np.ones(4), np.array(["a", "b"]))


def test_the_default_argument_name_is_data():
    with pytest.raises(fb.FilterBankTypeError, match=r"^data must be numeric .*; got dtype <U1$"):
        numpy_compute_dtype(np.dtype("<U1"))
