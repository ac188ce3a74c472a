"""Extension edge cases that kill mutmut survivors of filterbank.modes (tools/mutate.py --modules modes).

References: ``pywt.pad``, and values derived by hand from the mode definitions.
"""

from __future__ import annotations

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.modes import edges, extension, index_map


@pytest.mark.parametrize("mode", fb.MODES)
def test_a_one_sample_signal_without_pads_is_the_identity(mode):
    ext = extension(1, 0, 0, mode)
    assert ext.indices.dtype == np.int64 and ext.weights.dtype == np.float64
    assert ext.indices.shape == ext.weights.shape == (1, 1)
    np.testing.assert_array_equal(ext.matrix(1), [[1.0]])
    e = edges(1, 0, 0, mode)
    assert (e.left, e.right, e.head_terms, e.tail_terms) == (0, 0, (), ())


def test_smooth_of_one_sample_is_one_constant_term():
    ext = extension(1, 2, 3, "smooth")
    assert ext.terms == 1 and ext.indices.shape == ext.weights.shape == (1, 6)
    np.testing.assert_array_equal(ext.matrix(1), np.ones((6, 1)))


@pytest.mark.parametrize("mode", ["reflect", "antireflect"])
@pytest.mark.parametrize(("left", "right"), [(1, 0), (0, 1)])
def test_whole_sample_mirrors_refuse_one_sample_with_a_pad_on_either_side(mode, left, right):
    with pytest.raises(fb.InputError, match=rf"^mode '{mode}' needs a signal of length >= 2 along the transformed axis; got length 1$"):
        extension(1, left, right, mode)


def test_index_map_of_periodization_is_periodic_for_even_lengths_as_pywt_pad():
    x = np.arange(4.0)
    idx = index_map(4, 3, 5, "periodization")
    np.testing.assert_array_equal(x[idx], pywt.pad(x, (3, 5), "periodization"))
    np.testing.assert_array_equal(idx, [1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0])


def test_index_map_edge_cases():
    # a whole-sample mirror of one sample is that sample repeated
    idx = index_map(1, 2, 2, "reflect")
    assert idx.dtype == np.int64 and idx.tolist() == [0, 0, 0, 0, 0]
    # zero-width pads on either side are allowed
    np.testing.assert_array_equal(index_map(3, 0, 2, "symmetric"), [0, 1, 2, 2, 1])
    np.testing.assert_array_equal(index_map(3, 2, 0, "periodic"), [1, 2, 0, 1, 2])
    assert index_map(3, 0, 0, "zero").dtype == np.int64


def test_index_map_refuses_bad_arguments_with_the_rule():
    with pytest.raises(fb.InputError, match=r"^signal length must be >= 1; got 0$"):
        index_map(0, 1, 1, "zero")
    with pytest.raises(fb.InputError, match=r"^pad widths must be >= 0; got left=0, right=-1$"):
        index_map(3, 0, -1, "zero")
    with pytest.raises(fb.InputError, match=r"^pad widths must be >= 0; got left=-2, right=0$"):
        index_map(3, -2, 0, "zero")
    with pytest.raises(
        fb.InputError,
        match=r"^mode must be one of 'zero', 'constant', 'symmetric', 'periodic', 'periodization', 'reflect' "
        r"for an index map; got 'antireflect'$",
    ):
        index_map(3, 1, 1, "antireflect")


@pytest.mark.parametrize(("n", "k"), [(1, 5), (2, 7), (3, 9)])
@pytest.mark.parametrize("boundary", ["wrap", "symm"])
def test_convolve2d_with_pads_wider_than_the_signal_equals_scipy(n, k, boundary):
    # wrap / symm use index_map with pads several times the signal length
    import scipy.signal as ss

    rng = np.random.default_rng(n * k)
    x, h = rng.standard_normal((n, n + 1)), rng.standard_normal((k, 3))
    for mode in ("full", "same"):
        np.testing.assert_allclose(fb.convolve2d(x, h, mode, boundary=boundary),
                                   ss.convolve2d(x, h, mode, boundary=boundary), rtol=0, atol=1e-12)
