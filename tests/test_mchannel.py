"""M-channel banks (issue 16): specs, designs, checks, mdec / mrec against scipy's upfirdn, TensorFlow."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.signal import firwin, upfirdn

import filterbank as fb
from filterbank.design.mchannel import cosine_modulated, optimal_cutoff
from filterbank.plans.mchannel import n_coef
from filterbank.spec.schema import spec_from_dict
from filterbank.transforms.mchannel import as_mchannel

ROOT = Path(__file__).resolve().parents[1]
PQMF = {"filterbank": 1, "kind": "mchannel", "channels": 4, "design": "cosine_modulated",
        "prototype": {"numtaps": 63, "cutoff": 0.142, "beta": 9.0}}


def _reference_bands(bank: fb.MChannelBank, x: np.ndarray, axis: int = -1) -> list[np.ndarray]:
    return [upfirdn(h, x, 1, bank.decimation, axis=axis) for h in bank.analysis]


def _reference_synthesis(bank: fb.MChannelBank, bands: list[np.ndarray], n: int, axis: int = -1) -> np.ndarray:
    y = sum(upfirdn(g, c, bank.decimation, 1, axis=axis) for g, c in zip(bank.synthesis, bands))
    return np.take(y, np.arange(bank.delay, bank.delay + n), axis=axis)


# --------------------------------------------------------------------------- specs


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"channels": 1}, r"^channels: must be an integer in \[2, 64\]; got 1$"),
        ({"decimation": 5}, r"^decimation: must be an integer in \[1, 4\]; got 5$"),
        ({"decimation": 2}, r"^decimation: must equal channels \(4\) for a cosine-modulated bank; got 2$"),
        ({"design": "pqmf"}, r"^design: must be one of 'taps', 'cosine_modulated', 'dft_modulated'; got 'pqmf'"),
        ({"prototype": {"numtaps": 63, "cutoff": 1.5}},
         r"^prototype.cutoff: must be a number in \(0, 1\) \(a fraction of Nyquist\) or 'optimize'; got 1.5$"),
        ({"prototype": {"cutoff": 0.1}}, r"^prototype.numtaps: is required; got nothing$"),
        ({"prototype": {"numtaps": 63, "beta": -1}}, r"^prototype.beta: must be a finite number in \[0, 50\]; got -1$"),
        ({"levle": 2}, r"^levle: unknown key; .* \(did you mean 'level'\?\)$"),
        ({"analysis": [[1.0]] * 4}, r"^analysis: is only for design: taps"),
    ],
)
def test_spec_errors_name_the_key_path(change, message):
    with pytest.raises(fb.SpecError, match=message):
        spec_from_dict({**PQMF, **change})


def test_explicit_taps_spec_errors():
    base = {"filterbank": 1, "kind": "mchannel", "channels": 3}
    with pytest.raises(fb.SpecError, match=r"^analysis: is required for design: taps \(3 lists of taps\); got nothing$"):
        spec_from_dict(base)
    with pytest.raises(fb.SpecError, match=r"^analysis: must hold one list of taps per channel \(3\), lowest band first; got '2 lists'$"):
        spec_from_dict({**base, "analysis": [[1.0], [1.0]]})
    with pytest.raises(fb.SpecError, match=r"^synthesis\[1\]\[0\]: must be a finite number"):
        spec_from_dict({**base, "analysis": [[1.0]] * 3, "synthesis": [[1.0], ["x"], [1.0]]})
    with pytest.raises(fb.SpecError, match=r"^2 problems:\n  name: may contain only .*\n  tolerance: must be"):
        spec_from_dict({**base, "analysis": [[1.0]] * 3, "name": "a b", "tolerance": 2})


@pytest.mark.parametrize("name", ["pqmf4", "pqmf8", "pqmf16", "pqmf32", "dft8"])
def test_bundled_specs_round_trip(name, tmp_path):
    spec = fb.load_spec(name)
    assert isinstance(spec, fb.MChannelSpec) and spec.kind == "mchannel"
    path = tmp_path / "copy.yaml"
    path.write_text(fb.dump_spec(spec))
    assert fb.load_spec(path) == spec == fb.MChannelSpec.from_dict(spec.to_dict())


def test_two_channel_specs_still_load():
    assert isinstance(fb.load("johnston-qmf"), fb.FilterBank)
    with pytest.raises(fb.FilterBankTypeError, match=r"^wavelet 'pqmf4' is an M-channel bank \(kind: mchannel\)"):
        fb.as_filterbank("pqmf4")


# --------------------------------------------------------------------------- designs


def test_pqmf_filters_follow_the_vocoder_formula():
    h, g = cosine_modulated(4, 63, 0.142, 9.0)
    p = firwin(63, 0.142, window=("kaiser", 9.0))
    n = np.arange(63) - 31
    for k in range(4):  # the formula of ParallelWaveGAN's PQMF, written out again
        want = 2 * p * np.cos((2 * k + 1) * np.pi / 8 * n + (-1) ** k * np.pi / 4)
        np.testing.assert_allclose(h[k], want, rtol=0, atol=1e-15)
    np.testing.assert_allclose(g, 4 * h[:, ::-1], rtol=0, atol=1e-15)


@pytest.mark.parametrize(("name", "numtaps"), [("pqmf8", 127), ("pqmf16", 255), ("pqmf32", 512)])
def test_bundled_cutoffs_are_the_optimal_ones_quoted(name, numtaps):
    """The bundled specs quote `optimal_cutoff` to 10 digits, so loading them optimises nothing."""
    p = fb.load_spec(name).parameters
    assert (p["numtaps"], p["beta"]) == (numtaps, 9.0)
    channels = fb.load_spec(name).channels
    assert p["cutoff"] == pytest.approx(optimal_cutoff(channels, numtaps, 9.0), rel=1e-9)


@pytest.mark.parametrize("numtaps", [2, 7, 63, 512])
@pytest.mark.parametrize(("cutoff", "beta"), [(0.5, 0.0), (0.142, 9.0), (0.0177, 14.0)])
def test_kaiser_prototype_is_scipy_firwin(numtaps, cutoff, beta):
    from filterbank.design.mchannel import _kaiser_prototype

    want = firwin(numtaps, cutoff, window=("kaiser", beta))
    np.testing.assert_allclose(_kaiser_prototype(numtaps, cutoff, beta), want, rtol=0, atol=1e-15)


@pytest.mark.parametrize("window", ["hann", "hamming", "blackman", "bartlett", "boxcar", "cosine", "triang"])
def test_periodic_windows_are_scipy_get_window(window):
    from scipy.signal import get_window

    from filterbank.design.mchannel import periodic_window

    for numtaps in range(2, 66):
        want = get_window(window, numtaps, fftbins=True)
        np.testing.assert_allclose(periodic_window(window, numtaps), want, rtol=0, atol=1e-15, err_msg=str(numtaps))


def test_optimal_cutoff_is_a_local_minimum_of_the_band_error():
    from filterbank.design.mchannel import _band_error, _kaiser_prototype

    c = optimal_cutoff(8, 127, 9.0)
    best = _band_error(_kaiser_prototype(127, c, 9.0), 8)
    for other in (c * 0.98, c * 1.02):
        assert best <= _band_error(_kaiser_prototype(127, other, 9.0), 8)
    assert abs(c - 1 / 16) < 0.02


def test_dft_bank_is_perfect_reconstruction_and_oversampled():
    bank = fb.load("dft8")
    report = bank.check()
    assert report.ok and report.pr_error < 1e-14 and report.delay == 7
    assert (bank.channels, bank.decimation) == (8, 4) and len(report.aliasing) == 3


# --------------------------------------------------------------------------- checks


#: name: (reconstruction error, delay), as measured (docs/mchannel.md quotes the reports)
FIGURES = {"pqmf4": (5.848e-4, 62), "pqmf8": (7.416e-4, 126), "pqmf16": (8.001e-4, 254), "pqmf32": (7.531e-4, 511)}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_bundled_pqmf_reports(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # within their tolerance: they load silently
        bank = fb.load(name)
    report = bank.check()
    error, delay = FIGURES[name]
    assert report.ok and report.tolerance == 1e-2 and report.delay == delay == report.expected_delay
    assert report.pr_error == pytest.approx(error, rel=1e-3)
    assert len(report.aliasing) == bank.channels - 1 and report.aliasing_error < 5e-5
    assert report.amplitude_distortion < 3e-3
    assert all(c.stopband_attenuation_db > 85 and c.passband_ripple_db < 0.05 for c in report.channel_reports)


def test_alias_terms_match_a_hand_computation():
    # averaging / differencing bank with D = 2: A_1(z) = (H0(-z) G0(z) + H1(-z) G1(z)) / 2 = 0
    bank = fb.MChannelBank("avg", [[0.5, 0.5], [0.5, -0.5]], [[1.0, 1.0], [-1.0, 1.0]], 2)
    r = bank.check()
    assert len(r.aliasing) == 1 and r.aliasing[0] < 1e-15 and r.ok and r.delay == 1
    # a broken bank: synthesis of channel 1 with the wrong sign
    broken = fb.MChannelBank("broken", [[0.5, 0.5], [0.5, -0.5]], [[1.0, 1.0], [1.0, -1.0]], 2)
    r = broken.check()
    assert r.aliasing[0] == pytest.approx(1.0) and not r.ok


@given(m=st.integers(2, 6), data=st.data())
def test_property_alias_terms_equal_freqz_of_the_modulated_filters(m, data):
    """``A_l(e^jw) = 1/D sum_k H_k(e^j(w - 2 pi l / D)) G_k(e^jw)``, each factor from ``scipy.signal.freqz``."""
    from scipy.signal import freqz

    from filterbank.design.mcheck import _NFFT

    d = data.draw(st.integers(1, m))
    length = data.draw(st.integers(1, 16))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    bank = fb.MChannelBank("random", rng.standard_normal((m, length)), rng.standard_normal((m, length)), d, verify=False)
    report = bank.check()
    w = 2 * np.pi * np.arange(_NFFT) / _NFFT  # the check's grid
    assert len(report.aliasing) == d - 1
    for l, got in enumerate(report.aliasing, start=1):
        a = sum(freqz(h, worN=w - 2 * np.pi * l / d)[1] * freqz(g, worN=w)[1]
                for h, g in zip(bank.analysis, bank.synthesis)) / d
        assert got == pytest.approx(np.max(np.abs(a)), rel=1e-9, abs=1e-12)
    t = sum(freqz(h, worN=w)[1] * freqz(g, worN=w)[1] for h, g in zip(bank.analysis, bank.synthesis)) / d
    assert report.amplitude_distortion == pytest.approx(np.max(np.abs(np.abs(t) - 1)), rel=1e-9, abs=1e-12)


def test_a_broken_bank_is_refused_loudly_with_a_named_opt_out():
    spec = {"filterbank": 1, "kind": "mchannel", "channels": 2, "name": "broken",
            "analysis": [[0.5, 0.5], [0.5, -0.5]], "synthesis": [[1.0, 1.0], [1.0, -1.0]]}
    with pytest.raises(fb.PerfectReconstructionError, match=r"^bank 'broken' does not reconstruct perfectly: .*set 'perfect_reconstruction: false'"):
        fb.load(spec)
    with pytest.raises(fb.PerfectReconstructionError, match=r"^bank 'broken' does not reconstruct perfectly"):
        fb.mdec(np.ones(8), spec)
    bank = fb.load(spec, verify=False)  # the opt-out
    assert len(fb.mdec(np.ones(8), bank)) == 2
    with pytest.warns(fb.FilterBankWarning, match=r"^bank 'broken' does not reconstruct perfectly"):
        fb.load({**spec, "perfect_reconstruction": False})
    unchecked = fb.MChannelBank("raw", [[0.5, 0.5], [0.5, -0.5]], [[1.0, 1.0], [1.0, -1.0]], 2)
    with pytest.raises(fb.PerfectReconstructionError, match=r"pass verify=False to use it anyway$"):
        fb.mdec(np.ones(8), unchecked)


def test_cli_check_and_numpy_transforms_import_neither_scipy_signal_nor_tensorflow():
    """``filterbank check pqmf32`` and a small numpy mdec / mrec: no ``scipy.signal`` (seconds to import), no TF."""
    code = (
        "import sys; import numpy as np; import filterbank as fb; from filterbank.cli import main\n"
        "rc = main(['check', 'pqmf32']); main(['check', 'dft8'])\n"
        "x = np.random.default_rng(0).standard_normal((2, 300))\n"
        "err = max(float(np.max(np.abs(fb.mrec(fb.mdec(x, b), b, length=300) - x))) for b in ('pqmf4', 'dft8'))\n"
        "print(rc, err < 0.02, sorted(m for m in ('scipy.signal', 'scipy.optimize', 'tensorflow') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("M-channel bank 'pqmf32': 32 channels, decimation 32 (critically sampled), 512 taps")
    assert "M-channel bank 'dft8': 8 channels, decimation 4 (oversampled), 8 taps" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "0 True []"


def test_cli_check_refuses_a_broken_mchannel_bank(tmp_path, capsys):
    from filterbank.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("filterbank: 1\nkind: mchannel\nchannels: 2\nanalysis: [[1, 1], [1, -1]]\n")
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr()
    assert out.out.startswith("M-channel bank 'bad': 2 channels") and "does not reconstruct perfectly" in out.err


# --------------------------------------------------------------------------- transforms against scipy


@pytest.mark.parametrize("name", ["pqmf4", "dft8", "db4", "pqmf16"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("n", [37, 64])
def test_bands_equal_upfirdn_and_synthesis_the_sum_of_upfirdn(name, dtype, axis, n):
    bank = as_mchannel(name)
    x = np.random.default_rng(n).standard_normal((n, 3) if axis == 0 else (3, n)).astype(dtype)
    bands = fb.mdec(x, name, axis=axis)
    want = _reference_bands(bank, x.astype(np.float64), axis)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    for got, ref in zip(bands, want, strict=True):
        assert got.dtype == dtype and got.shape[axis] == n_coef(n, bank.filter_length, bank.decimation)
        np.testing.assert_allclose(got, ref, rtol=0, atol=rtol * np.max(np.abs(ref)))
    y = fb.mrec(bands, name, axis=axis, length=n)
    ref = _reference_synthesis(bank, [b.astype(np.float64) for b in bands], n, axis)
    np.testing.assert_allclose(y, ref, rtol=0, atol=rtol * np.max(np.abs(ref)))
    error = bank.check().pr_error
    np.testing.assert_allclose(y, x, rtol=0, atol=3 * error * np.max(np.abs(x)) + 10 * rtol)


@pytest.mark.parametrize("name", ["pqmf4", "pqmf32", "dft8"])
def test_scipy_loop_for_large_inputs_equals_the_small_input_path(name, monkeypatch):
    """Above `_LARGE` numpy runs scipy's upfirdn loop; both paths equal the reference."""
    from filterbank.backend import mchannel as executors

    bank = as_mchannel(name)
    x = np.random.default_rng(7).standard_normal((2, 3, 90))
    small = fb.mdec(x, name)
    monkeypatch.setattr(executors, "_LARGE", 0)
    large = fb.mdec(x, name)
    for a, b, ref in zip(small, large, _reference_bands(bank, x), strict=True):
        np.testing.assert_allclose(a, ref, rtol=0, atol=1e-12 * np.max(np.abs(ref)))
        np.testing.assert_allclose(b, ref, rtol=0, atol=1e-12 * np.max(np.abs(ref)))
    ref = _reference_synthesis(bank, small, 90)
    y_large = fb.mrec(small, name, length=90)
    monkeypatch.setattr(executors, "_LARGE", 1 << 62)
    y_small = fb.mrec(small, name, length=90)
    for y in (y_small, y_large):
        np.testing.assert_allclose(y, ref, rtol=0, atol=1e-12 * np.max(np.abs(ref)))


@pytest.mark.parametrize("split", ["lowest", "every"])
def test_levels_split_the_lowest_or_every_band(split):
    x = np.random.default_rng(1).standard_normal(200)
    bank = as_mchannel("dft8")
    bands = fb.mdec(x, "dft8", level=2, split=split)
    assert len(bands) == (15 if split == "lowest" else 64)
    first = _reference_bands(bank, x)
    second = _reference_bands(bank, first[0])
    np.testing.assert_allclose(bands[1], second[1], atol=1e-12)
    if split == "lowest":
        np.testing.assert_allclose(bands[-1], first[-1], atol=1e-12)
    else:
        np.testing.assert_allclose(bands[-1], _reference_bands(bank, first[-1])[-1], atol=1e-12)
    np.testing.assert_allclose(fb.mrec(bands, "dft8", split=split, length=200), x, atol=1e-12)
    longest = fb.mrec(bands, "dft8", split=split)
    np.testing.assert_allclose(longest[:200], x, atol=1e-12)
    assert np.max(np.abs(longest[200:]), initial=0.0) < 1e-12


def test_a_none_band_is_a_band_of_zeros():
    x = np.random.default_rng(2).standard_normal(50)
    bands = fb.mdec(x, "pqmf4")
    dropped = fb.mrec([bands[0], None, bands[2], bands[3]], "pqmf4", length=50)
    zeroed = fb.mrec([bands[0], np.zeros_like(bands[1]), bands[2], bands[3]], "pqmf4", length=50)
    np.testing.assert_allclose(dropped, zeroed, atol=1e-15)


def test_bad_arguments_are_refused_before_tensorflow():
    x = np.ones(16)
    with pytest.raises(fb.InputError, match=r"^split must be one of 'lowest', 'every'; got 'evry' \(did you mean 'every'\?\)$"):
        fb.mdec(x, "pqmf4", split="evry")
    with pytest.raises(fb.InputError, match=r"^level must be an integer >= 1 or None; got 0$"):
        fb.mdec(x, "pqmf4", level=0)
    with pytest.raises(fb.InputError, match=r"^axis: axis 1 is out of range"):
        fb.mdec(x, "pqmf4", axis=1)
    with pytest.raises(fb.CoefficientsError, match=r"^coeffs must hold 1 \+ level \* 3 bands for split='lowest' with 4 channels; got 5$"):
        fb.mrec([x] * 5, "pqmf4")
    bands = fb.mdec(x, "pqmf4")
    with pytest.raises(fb.CoefficientsError, match=r"^coeffs: band 0 must have 20 samples along axis -1 for a signal of 16 samples; got 19$"):
        fb.mrec([bands[0][:-1], *bands[1:]], "pqmf4", length=16)
    with pytest.raises(fb.CoefficientsError, match=r"^coeffs must hold at least one band that is not None$"):
        fb.mrec([None] * 4, "pqmf4")


@given(
    m=st.integers(2, 6),
    data=st.data(),
    n=st.integers(1, 40),
    dtype=st.sampled_from([np.float32, np.float64]),
    level=st.integers(1, 2),
)
def test_property_equals_scipy_upfirdn(m, data, n, dtype, level):
    d = data.draw(st.integers(1, m))
    lengths = data.draw(st.lists(st.integers(1, 12), min_size=m, max_size=m))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    h = [rng.standard_normal(k) for k in lengths]
    g = [rng.standard_normal(k) for k in lengths]
    bank = fb.MChannelBank("random", h, g, d, verify=False)
    x = rng.standard_normal((2, n)).astype(dtype)
    bands = fb.mdec(x, bank, level=level)
    ref = _reference_bands(bank, x.astype(np.float64))
    if level == 2:
        ref = _reference_bands(bank, ref[0]) + ref[1:]
    tol = 1e-4 if dtype == np.float32 else 1e-10
    for got, want in zip(bands, ref, strict=True):
        np.testing.assert_allclose(got, want, rtol=0, atol=tol * (1 + np.max(np.abs(want))))
    if level == 1:
        y = fb.mrec(bands, bank, length=n)
        want = _reference_synthesis(bank, [b.astype(np.float64) for b in bands], n)
        if want.shape[-1] < n:
            want = np.pad(want, [(0, 0), (0, n - want.shape[-1])])
        np.testing.assert_allclose(y, want, rtol=0, atol=tol * (1 + np.max(np.abs(want))))


# --------------------------------------------------------------------------- TensorFlow


@pytest.fixture(scope="module")
def tf():
    from filterbank.backend._tf import tf as load

    return load()


@pytest.mark.parametrize("name", ["pqmf4", "dft8"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_tensors_equal_numpy_in_and_out_of_tf_function(tf, name, dtype):
    x = np.random.default_rng(3).standard_normal((2, 3, 70))
    want = fb.mdec(x, name, level=2)
    got = fb.mdec(tf.constant(x, dtype), name, level=2)
    tol = 1e-5 if dtype == "float32" else 1e-12
    for a, b in zip(got, want, strict=True):
        assert a.dtype.name == dtype
        np.testing.assert_allclose(a.numpy(), b, rtol=0, atol=tol * 10)

    @tf.function(input_signature=[tf.TensorSpec([None, 3, 70], dtype)])
    def roundtrip(t):
        return fb.mrec(fb.mdec(t, name, level=2), name, length=70)

    y = roundtrip(tf.constant(x, dtype)).numpy()
    np.testing.assert_allclose(y, fb.mrec(want, name, length=70), rtol=0, atol=tol * 10)


@given(
    m=st.integers(2, 6),
    data=st.data(),
    n=st.integers(1, 70),
    dtype=st.sampled_from(["float32", "float64"]),
    axis=st.sampled_from([0, 1, -1]),
)
def test_property_tensors_equal_scipy_upfirdn(tf, m, data, n, dtype, axis):
    """The blocked polyphase convolutions equal upfirdn for random M, D, taps, lengths, axes and dtypes."""
    d = data.draw(st.integers(1, m))
    lengths = data.draw(st.lists(st.integers(1, 40), min_size=m, max_size=m))
    level = data.draw(st.integers(1, 2))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    bank = fb.MChannelBank("random", [rng.standard_normal(k) for k in lengths],
                           [rng.standard_normal(k) for k in lengths], d, verify=False)
    shape = [2, 3]
    shape.insert(axis % 3 if axis >= 0 else 2, n)
    x = rng.standard_normal(shape)
    bands = fb.mdec(tf.constant(x, dtype), bank, level=level, axis=axis)
    ref = _reference_bands(bank, x, axis)
    if level == 2:
        ref = _reference_bands(bank, ref[0], axis) + ref[1:]
    tol = 1e-5 if dtype == "float32" else 1e-12
    for got, want in zip(bands, ref, strict=True):
        assert got.dtype.name == dtype and got.shape == want.shape
        np.testing.assert_allclose(got.numpy(), want, rtol=0, atol=tol * (1 + np.max(np.abs(want))))
    y = fb.mrec(bands, bank, axis=axis, length=n)
    if level == 1:
        want = _reference_synthesis(bank, ref, n, axis)
    else:
        low = _reference_synthesis(bank, ref[:m], ref[m].shape[axis], axis)  # level 1's channel 0
        want = _reference_synthesis(bank, [low, *ref[m:]], n, axis)
    if want.shape[axis] < n:
        pad = [(0, 0)] * 3
        pad[axis] = (0, n - want.shape[axis])
        want = np.pad(want, pad)
    assert y.shape == x.shape
    np.testing.assert_allclose(y.numpy(), want, rtol=0, atol=tol * (1 + np.max(np.abs(want))))


def test_xla_and_an_unknown_batch_on_a_middle_axis(tf):
    x = np.random.default_rng(8).standard_normal((3, 50, 2))

    @tf.function(input_signature=[tf.TensorSpec([None, 50, 2], tf.float64)], jit_compile=True)
    def roundtrip(t):
        bands = fb.mdec(t, "pqmf8", axis=1)
        return fb.mrec(bands, "pqmf8", axis=1, length=50), bands[3]

    y, band = roundtrip(tf.constant(x))
    bank = as_mchannel("pqmf8")
    np.testing.assert_allclose(band.numpy(), upfirdn(bank.analysis[3], x, 1, 8, axis=1), rtol=0, atol=1e-12)
    np.testing.assert_allclose(y.numpy(), fb.mrec(fb.mdec(x, "pqmf8", axis=1), "pqmf8", axis=1, length=50),
                               rtol=0, atol=1e-12)


def test_gradients_are_the_adjoint(tf):
    bank = as_mchannel("pqmf4")
    n = 12
    x = tf.constant(np.random.default_rng(4).standard_normal((1, n)))
    w = np.random.default_rng(5).standard_normal((1, n_coef(n, 63, 4)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(fb.mdec(x, bank)[1] * w)
    grad = tape.gradient(loss, x).numpy()
    # d loss / d x[i] = sum_k w[k] * (upfirdn of the unit impulse e_i)[k]
    eye = np.eye(n)
    want = np.array([np.sum(w * upfirdn(bank.analysis[1], eye[i], 1, 4)) for i in range(n)])
    np.testing.assert_allclose(grad[0], want, atol=1e-12)


def test_large_numpy_inputs_run_on_tensorflow_and_come_back_as_numpy():
    from filterbank.backend.mchannel import TENSORFLOW_ABOVE

    bank = as_mchannel("pqmf4")
    x = np.random.default_rng(9).standard_normal((2, TENSORFLOW_ABOVE // 2 + 50))
    bands = fb.mdec(x, "pqmf4")
    assert all(type(b) is np.ndarray and b.dtype == np.float64 for b in bands)
    for got, want in zip(bands, _reference_bands(bank, x), strict=True):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    y = fb.mrec(bands, "pqmf4", length=x.shape[-1])
    assert type(y) is np.ndarray
    np.testing.assert_allclose(y, _reference_synthesis(bank, bands, x.shape[-1]), rtol=0, atol=1e-12)
