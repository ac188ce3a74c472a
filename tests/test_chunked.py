"""Dask arrays in, Dask arrays out (issue 17): filterbank.chunked against scipy and PyWavelets on the whole array."""

from __future__ import annotations

import numpy as np
import pytest
import pywt
import scipy.signal
from hypothesis import given
from hypothesis import strategies as st

import filterbank as fb

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")
fc = pytest.importorskip("filterbank.chunked")


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def _chunks(draw, n: int) -> tuple[int, ...]:
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=min(6, n - 1)))) if n > 1 else []
    edges = [0, *cuts, n]
    return tuple(b - a for a, b in zip(edges, edges[1:]))


@given(data=st.data(), n=st.integers(1, 60), k=st.integers(1, 12), mode=st.sampled_from(["full", "same", "valid"]),
       boundary=st.sampled_from(["fill", "wrap", "symm"]), flip=st.booleans())
def test_property_chunked_convolution_equals_scipy_on_the_whole_array(data, n, k, mode, boundary, flip):
    rng = np.random.default_rng(n * 100 + k)
    x, kernel = rng.standard_normal(n), rng.standard_normal(k)
    chunks = _chunks(data.draw, n)
    X = da.from_array(x, chunks=(chunks,))
    fill = 0.0 if boundary == "fill" and k % 2 else 0.5
    ours = (fc.convolve if flip else fc.correlate)(X, kernel, mode, boundary=boundary, fillvalue=fill)
    whole = (fb.convolve if flip else fb.correlate)(x, kernel, mode, boundary=boundary, fillvalue=fill)
    assert isinstance(ours, da.Array) and ours.shape == whole.shape and ours.dtype == whole.dtype
    got = ours.compute()
    np.testing.assert_allclose(got, whole, rtol=1e-12, atol=1e-12)
    if boundary == "fill" and fill == 0.0:  # scipy's own 1-D functions (zero fill)
        ref = (scipy.signal.convolve if flip else scipy.signal.correlate)(x, kernel, mode)
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("boundary", ["fill", "wrap", "symm"])
@pytest.mark.parametrize("shape", [(2, 3), (3, 3), (4, 1)])
def test_2d_chunked_equals_scipy(mode, boundary, shape):
    rng = np.random.default_rng(1)
    img, kernel = rng.standard_normal((30, 41)), rng.standard_normal(shape)
    image = da.from_array(img, chunks=(7, 9))
    for ours, ref in [(fc.convolve2d, scipy.signal.convolve2d), (fc.correlate2d, scipy.signal.correlate2d)]:
        got = ours(image, kernel, mode, boundary, 0.25)
        np.testing.assert_allclose(got.compute(), ref(img, kernel, mode, boundary, 0.25), rtol=1e-12, atol=1e-12)


def test_scipy_fill_convolution_of_a_chunked_batch():
    rng = np.random.default_rng(2)
    x, k = rng.standard_normal((5, 300)), rng.standard_normal(65)
    got = fc.convolve(da.from_array(x, chunks=(2, 70)), k, "same", axes=-1)
    assert got.chunks == ((2, 2, 1), (102, 70, 70, 58))  # pad halves join the edge chunks; a short last chunk its neighbour
    want = np.stack([scipy.signal.convolve(row, k, "same") for row in x])
    np.testing.assert_allclose(got.compute(), want, rtol=1e-12, atol=1e-12)


def test_halo_is_exactly_the_kernel_reach():
    # a 'full' convolution: the pad joins the edge chunks, and each task reads K - 1 samples of its right neighbour
    x = da.from_array(np.arange(40.0), chunks=10)
    y = fc.convolve(x, np.ones(4))
    assert y.chunks == ((13, 10, 10, 10),)
    blocks = [y.blocks[i].compute() for i in range(4)]
    np.testing.assert_array_equal(np.concatenate(blocks), np.convolve(np.arange(40.0), np.ones(4)))
    # a chunk shorter than the kernel joins its neighbour (a halo must fit in one chunk)
    assert fc.convolve(da.from_array(np.arange(40.0), chunks=(2, 20, 18)), np.ones(4), "valid").chunks == ((22, 15),)


@pytest.mark.parametrize("wavelet", ["haar", "db4", "sym5"])
@pytest.mark.parametrize("level", [1, 3])
def test_swt_chunked_along_the_transformed_axis_equals_pywt(wavelet, level):
    x = np.random.default_rng(3).standard_normal((3, 512))
    got = fc.swt(da.from_array(x, chunks=(2, 96)), wavelet, level)
    want = pywt.swt(x, wavelet, level)
    assert got[0][0].chunks[1][0] % 2**level == 0 and len(got[0][0].chunks[1]) > 1
    for (ca, cd), (ra, rd) in zip(got, want, strict=True):
        np.testing.assert_allclose(ca.compute(), ra, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(cd.compute(), rd, rtol=1e-12, atol=1e-12)


def test_swt_trim_approx_norm_and_axis_0():
    x = np.random.default_rng(4).standard_normal((256, 2))
    got = fc.swt(da.from_array(x, chunks=(64, 1)), "db2", 2, axis=0, trim_approx=True, norm=True)
    want = pywt.swt(x, "db2", 2, axis=0, trim_approx=True, norm=True)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g.compute(), w, rtol=1e-12, atol=1e-12)


def test_decimated_transforms_over_chunked_batch_axes_equal_pywt():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((6, 100))
    got = fc.wavedec(da.from_array(x, chunks=(4, 30)), "db3", "periodization", 3)
    for g, w in zip(got, pywt.wavedec(x, "db3", "periodization", 3), strict=True):
        assert g.chunks[0] == (4, 2)
        np.testing.assert_allclose(g.compute(), w, rtol=1e-12, atol=1e-12)
    img = rng.standard_normal((3, 40, 36))
    got2 = fc.wavedec2(da.from_array(img, chunks=(1, 20, 18)), "db2", "reflect", 2)
    want2 = pywt.wavedec2(img, "db2", "reflect", 2)
    np.testing.assert_allclose(got2[0].compute(), want2[0], rtol=1e-12, atol=1e-12)
    for g, w in zip(got2[1:], want2[1:], strict=True):
        for a, b in zip(g, w, strict=True):
            np.testing.assert_allclose(a.compute(), b, rtol=1e-12, atol=1e-12)
    vol = rng.standard_normal((8, 8, 2, 8))
    gotn = fc.wavedecn(da.from_array(vol, chunks=(4, 4, 1, 4)), "haar", level=1, axes=(0, 1, 3))
    wantn = pywt.wavedecn(vol, "haar", level=1, axes=(0, 1, 3))
    assert set(gotn[1]) == set(wantn[1])
    for key, w in wantn[1].items():
        assert gotn[1][key].shape == w.shape
        np.testing.assert_allclose(gotn[1][key].compute(), w, rtol=1e-12, atol=1e-12)


def test_packets_and_cwt_over_chunked_batch_axes():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((5, 128))
    nodes = fc.wpdec(da.from_array(x, chunks=(2, 64)), "db2", 3)
    np.testing.assert_allclose(nodes.compute(), fb.wpdec(x, "db2", 3), rtol=1e-12, atol=1e-12)
    wp = pywt.WaveletPacket(x[1], "db2", maxlevel=3)
    np.testing.assert_allclose(nodes[1].compute(), np.stack([n.data for n in wp.get_level(3, "freq")]), rtol=1e-12, atol=1e-12)
    coefs, freqs = fc.cwt(da.from_array(x, chunks=(2, 128)), np.arange(1, 9), "cmor1.5-1.0")
    want, wfreqs = pywt.cwt(x, np.arange(1, 9), "cmor1.5-1.0")
    assert coefs.dtype == want.dtype and coefs.shape == want.shape
    np.testing.assert_allclose(coefs.compute(), want, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(freqs, wfreqs, rtol=1e-12)


def test_lazy_until_computed():
    calls = []

    def source(block):
        if block.size:  # dask probes functions with empty blocks to learn their output type
            calls.append(block.shape)
        return block

    x = da.from_array(np.arange(64.0), chunks=16).map_blocks(source, dtype=np.float64)
    y = fc.swt(x, "haar", 2)
    z = fc.convolve(x, np.ones(3), "same")
    w = fc.wavedec(x, "db1", level=2)
    assert calls == []  # graphs only, dtypes and shapes already known
    assert (y[0][0].shape, z.shape, w[0].shape, z.dtype) == ((64,), (64,), (16,), np.float64)
    z.compute()
    assert calls


def test_bad_input_is_refused_before_any_graph():
    x = da.from_array(np.zeros(16), chunks=4)
    with pytest.raises(fb.FilterBankTypeError, match=r"^x must be a dask.array.Array .*; got ndarray$"):
        fc.convolve(np.zeros(16), np.ones(3))
    with pytest.raises(fb.InputError, match=r"mode"):
        fc.convolve(x, np.ones(3), "sam")
    with pytest.raises(fb.InputError, match=r"boundary"):
        fc.correlate(x, np.ones(3), boundary="reflect")
    with pytest.raises(fb.InputError, match=r"level"):
        fc.swt(x, "haar", 9)
    with pytest.raises(fb.InputError, match=r"wavelet|name"):
        fc.wavedec(x, "db999")


@pytest.fixture(scope="module")
def cluster_client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


def test_on_a_local_cluster_of_two_worker_processes(cluster_client):
    assert len(cluster_client.scheduler_info()["workers"]) == 2
    rng = np.random.default_rng(7)
    x = rng.standard_normal((4, 2048))
    X = da.from_array(x, chunks=(2, 512))
    conv = fc.convolve(X, scipy.signal.firwin(65, 0.2), "same", axes=-1)
    swt = fc.swt(X, "db4", 4)
    dec = fc.wavedec(X, "db4", level=4)
    conv_v, swt_v, dec_v = dask.compute(conv, swt, dec, scheduler=cluster_client.get)
    np.testing.assert_allclose(conv_v, np.stack([scipy.signal.convolve(r, scipy.signal.firwin(65, 0.2), "same") for r in x]),
                               rtol=1e-12, atol=1e-12)
    for (ca, cd), (ra, rd) in zip(swt_v, pywt.swt(x, "db4", 4), strict=True):
        np.testing.assert_allclose(ca, ra, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(cd, rd, rtol=1e-12, atol=1e-12)
    for g, w in zip(dec_v, pywt.wavedec(x, "db4", level=4), strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
