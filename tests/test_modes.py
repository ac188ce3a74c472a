"""Signal extension: every mode against ``pywt.pad`` and hand-derived values, any pad width."""

from __future__ import annotations

import numpy as np
import pytest
import pywt

from filterbank.errors import InputError
from filterbank.modes import MODES, check_mode, extend, extension, index_map


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("n", [2, 3, 4, 7])
def test_extension_equals_pywt_pad_for_pads_wider_than_the_signal(mode, n):
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n)
    for left, right in [(1, 1), (1, 3), (n, n), (3 * n + 1, 2 * n + 5)]:  # pywt.pad breaks on 0 widths
        want = pywt.pad(x, (left, right), mode)
        # pywt.pad first makes an odd signal even; here that sample belongs to the right pad
        extra = n % 2 if mode == "periodization" else 0
        got = extend(x, left, right + extra, mode)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=f"{mode} {left} {right}")


def test_hand_derived_values():
    x = np.array([1.0, 2.0, 4.0])
    np.testing.assert_array_equal(extend(x, 2, 2, "smooth"), [-1, 0, 1, 2, 4, 6, 8])
    # half-sample mirror, negated, sign flipping every n samples
    np.testing.assert_array_equal(extend(x, 4, 0, "antisymmetric"), [4, -4, -2, -1, 1, 2, 4])
    # antireflect about x[0] = 1: 2*1 - 2 = 0, 2*1 - 4 = -2, then about -2: 2*(-2) - 0 = -4
    np.testing.assert_array_equal(extend(x, 3, 0, "antireflect"), [-4, -2, 0, 1, 2, 4])
    np.testing.assert_array_equal(extend(x, 0, 3, "periodization"), [1, 2, 4, 4, 1, 2])


def test_extension_matrix_and_terms():
    ext = extension(4, 2, 3, "smooth")
    assert ext.terms == 2
    assert ext.indices.shape == ext.weights.shape == (2, 9)
    m = ext.matrix(4)
    np.testing.assert_allclose(m[2:6], np.eye(4))
    assert extension(4, 1, 1, "antireflect").terms == 3


def test_smooth_of_one_sample_is_constant():
    np.testing.assert_array_equal(extend(np.array([5.0]), 2, 3, "smooth"), [5.0] * 6)


@pytest.mark.parametrize("mode", ["reflect", "antireflect"])
def test_whole_sample_mirrors_refuse_a_single_sample(mode):
    with pytest.raises(InputError, match=rf"mode '{mode}' needs a signal of length >= 2.*got length 1"):
        extension(1, 1, 1, mode)


def test_bad_arguments():
    with pytest.raises(InputError, match=r"mode must be one of .*got 'smoth' \(did you mean 'smooth'\?\)"):
        check_mode("smoth")
    with pytest.raises(InputError, match=r"pad widths must be >= 0; got left=-1, right=0"):
        extension(3, -1, 0, "zero")
    with pytest.raises(InputError, match=r"signal length must be >= 1; got 0"):
        extension(0, 1, 1, "zero")
    with pytest.raises(InputError, match=r"for an index map; got 'smooth'"):
        index_map(3, 1, 1, "smooth")
