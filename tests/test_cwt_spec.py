"""Continuous wavelets as specs (kind: continuous), the cone of influence, and their tools."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import pywt

import filterbank as fb
from filterbank.spec import spec_from_dict
from filterbank.cli import main
from filterbank.design.continuous_check import check_continuous
from filterbank.plot import scalogram

#: spec mapping -> the PyWavelets name it must mean
SPECS = [
    ({"family": "morl"}, "morl"),
    ({"family": "mexh"}, "mexh"),
    ({"family": "gaus", "order": 3}, "gaus3"),
    ({"family": "cgau", "order": 8}, "cgau8"),
    ({"family": "shan", "bandwidth_frequency": 1.5, "center_frequency": 1}, "shan1.5-1.0"),
    ({"family": "fbsp", "fbsp_order": 2, "bandwidth_frequency": 1, "center_frequency": 1.5}, "fbsp2-1.0-1.5"),
    ({"family": "cmor", "bandwidth_frequency": 1.5, "center_frequency": 1.0}, "cmor1.5-1.0"),
    ({"family": "cmor", "bandwidth_frequency": 0.1, "center_frequency": 2.3}, "cmor0.1-2.3"),
]


@pytest.mark.parametrize(("params", "name"), SPECS)
def test_spec_is_pywavelets_wavelet(params, name, tmp_path):
    data = {"filterbank": 1, "kind": "continuous", "name": "w", **params}
    spec = spec_from_dict(data)
    assert isinstance(spec, fb.ContinuousSpec) and spec.kind == "continuous" and spec.wavelet_name == name
    path = tmp_path / "w.yaml"
    path.write_text(fb.dump_spec(spec))
    assert fb.load_spec(path) == spec and fb.ContinuousSpec.from_dict(spec.to_dict()) == spec
    ours = fb.load(path)
    theirs = pywt.ContinuousWavelet(name)
    assert isinstance(ours, fb.ContinuousWavelet)
    for attr in ("center_frequency", "bandwidth_frequency", "fbsp_order", "lower_bound", "upper_bound",
                 "complex_cwt", "symmetry"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    psi, x = ours.wavefun(10)
    ref_psi, ref_x = theirs.wavefun(10)
    np.testing.assert_allclose(psi, ref_psi, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(x, ref_x)
    # fb.cwt takes the file, the spec and the mapping; each equals pywt.cwt with the name
    x = np.random.default_rng(1).standard_normal(200)
    ref, freqs = pywt.cwt(x, [3.0, 9.5], name, method="fft")
    scale = np.abs(ref).max()
    for wavelet in (str(path), spec, data):
        coefs, f = fb.cwt(x, [3.0, 9.5], wavelet, method="fft")
        assert np.abs(coefs - ref).max() <= 1e-10 * scale
        np.testing.assert_allclose(f, freqs, rtol=1e-12)


def test_spec_bounds_change_the_sampling():
    spec = fb.ContinuousSpec(family="gaus", order=2, lower_bound=-3, upper_bound=3.5)
    w = fb.ContinuousWavelet.from_spec(spec)
    ref = pywt.ContinuousWavelet("gaus2")
    ref.lower_bound, ref.upper_bound = -3, 3.5
    np.testing.assert_allclose(w.wavefun(8)[0], ref.wavefun(8)[0], rtol=1e-12, atol=1e-15)
    assert fb.ContinuousSpec.from_dict(spec.to_dict()) == spec


@pytest.mark.parametrize(("data", "message"), [
    ({"family": "cmor", "bandwidth_frequency": -1, "center_frequency": 1},
     r"^bandwidth_frequency: must be a finite number > 0; got -1$"),
    ({"family": "cmor", "bandwidth_frequency": 1, "center_frequency": float("nan")},
     r"^center_frequency: must be a finite number >= 0; got nan$"),
    ({"family": "gaus", "order": 9}, r"^order: must be an integer from 1 to 8; got 9$"),
    ({"family": "fbsp", "fbsp_order": 1.5, "bandwidth_frequency": 1, "center_frequency": 1},
     r"^fbsp_order: must be an integer >= 1; got 1.5$"),
    ({"family": "cmr"}, r"^family: must be one of .*; got 'cmr' \(did you mean 'cmor'\?\)$"),
    ({"family": "shan"}, r"^2 problems:\n  bandwidth_frequency: is required for family 'shan' \(a finite number > 0\); "
                         r"got nothing\n  center_frequency: is required"),
    ({"family": "morl", "order": 2}, r"^order: unknown key; allowed keys here are family, lower_bound, upper_bound"),
    ({"family": "morl", "lower_bound": -2}, r"^lower_bound: needs both lower_bound and upper_bound; got \[-2, None\]$"),
    ({"family": "morl", "lower_bound": 2, "upper_bound": 1}, r"^upper_bound: must exceed lower_bound; got \[2, 1\]$"),
    ({"family": "morl", "bandwith_frequency": 2}, r"unknown key; allowed keys here are filterbank, kind, name, "
                                                   r".*\(did you mean 'bandwidth_frequency'\?\)$"),
    ({"filterbank": 2, "family": "morl"}, r"^filterbank: must be 1, the spec format version"),
])
def test_spec_errors_name_the_key(data, message):
    with pytest.raises(fb.SpecError, match=message):
        spec_from_dict({"filterbank": 1, "kind": "continuous", **data})


def test_nested_wavelet_mapping_errors_carry_the_path():
    with pytest.raises(fb.SpecError, match=r"^w.bandwidth_frequency: must be a finite number > 0; got 0$"):
        fb.ContinuousWavelet.from_dict({"family": "cmor", "bandwidth_frequency": 0, "center_frequency": 1}, path="w")


def test_bundled_continuous_specs_are_pywavelets_wavelets():
    for name in ("cmor1.5-1.0", "mexh"):
        spec = fb.load_spec(name)
        assert spec.kind == "continuous" and spec.wavelet_name == name and spec.description
        assert fb.load(name) == fb.ContinuousWavelet(name)
    with pytest.raises(fb.FilterBankTypeError, match=r"is a continuous wavelet \(kind: continuous\); use filterbank.cwt"):
        fb.wavedec(np.zeros(16), "mexh")
    with pytest.raises(fb.InputError, match=r"wavelet must be a continuous wavelet .*got 'db4'"):
        fb.cwt(np.zeros(16), [2.0], "db4")


def test_cwt_refuses_a_bank_spec_file(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text("filterbank: 1\nwavelet: db2\n")
    with pytest.raises(fb.InputError, match=r"is a kind: bank spec; a continuous wavelet \(kind: continuous\)"):
        fb.cwt(np.zeros(16), [2.0], str(path))


# -- the cone of influence ------------------------------------------------------------------------

def test_efolding_times_by_hand():
    # Torrence & Compo (1998), table 1: sqrt(2) s for the Morlet and the DOG (Mexican hat) wavelets
    assert fb.efolding_time("morl") == math.sqrt(2) and fb.efolding_time("mexh") == math.sqrt(2)
    # exp(-x^2 / B)^2 = e^-2 at x = sqrt(B); exp(-x^2)^2 at x = 1
    assert fb.efolding_time("cmor2.5-1.0") == pytest.approx(math.sqrt(2.5), rel=1e-7)  # B is float32-rounded
    assert fb.efolding_time("gaus5") == 1.0 and fb.efolding_time("cgau2") == 1.0
    for name, m, b in (("shan1.5-1.0", 1, 1.5), ("fbsp3-2.0-1.0", 3, 2.0)):
        tau = fb.efolding_time(name)
        assert np.sinc(b * tau / m) ** m == pytest.approx(math.exp(-1), rel=1e-12)
        assert 0 < b * tau / m < 1  # on the main lobe


def test_efolding_time_is_where_the_sampled_envelope_falls_to_1_over_e():
    for name in ("cmor1.5-1.0", "cmor0.7-2.0", "shan1.5-1.0", "fbsp2-1.0-1.5"):
        psi, x = fb.ContinuousWavelet(name).wavefun(length=2**16 + 1)
        env = np.abs(psi) / np.abs(psi).max()
        right = x[(x > 0) & (env >= math.exp(-1))].max()   # last sample above 1/e on the main lobe
        first_zero = x[(x > 0) & (env < 1e-3)].min() if name[:4] != "cmor" else np.inf
        assert right < first_zero
        assert fb.efolding_time(name) == pytest.approx(right, abs=2 * (x[1] - x[0]))


def test_cone_of_influence_by_hand():
    n, dt = 11, 0.5
    scales = np.array([1.0, 2.0, 4.0])
    for name in ("morl", "mexh"):
        cone = fb.cone_of_influence(n, scales, name, sampling_period=dt)
        np.testing.assert_array_equal(cone.efolding, math.sqrt(2) * scales * dt)
        np.testing.assert_array_equal(cone.distance, [0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 2.25, 1.75, 1.25, 0.75, 0.25])
        # scale 2: tau = 2 sqrt(2) = 2.83 samples: 0.5, 1.5, 2.5 inside, 3.5 outside
        np.testing.assert_array_equal(cone.mask[1], [1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1])
        assert cone.mask[2].all() and cone.mask.shape == (3, n)
    with pytest.raises(fb.InputError, match=r"^n must be an integer >= 1 \(the number of samples\); got 0$"):
        fb.cone_of_influence(0, [1.0], "morl")
    with pytest.raises(fb.InputError, match=r"^sampling_period must be a finite number > 0; got -1$"):
        fb.cone_of_influence(8, [1.0], "morl", sampling_period=-1)


def test_the_cone_is_where_the_edges_bias_the_coefficients():
    # a constant-amplitude tone: outside the cone |coefs| is within a few % of the middle; inside, well below
    fs, n = 200.0, 2000
    t = np.arange(n) / fs
    scales = fb.cwt_scales("cmor1.5-1.0", 8.0, 12.0, 3, fs=fs)
    coefs, _ = fb.cwt(np.cos(2 * np.pi * 10 * t), scales, "cmor1.5-1.0", 1 / fs, method="fft")
    mag = np.abs(coefs[1])
    cone = fb.cone_of_influence(n, scales, "cmor1.5-1.0", sampling_period=1 / fs)
    middle = mag[n // 2]
    assert np.all(np.abs(mag[~cone.mask[1]] / middle - 1) < 0.15)
    assert mag[0] / middle < 0.6


def test_scalogram_draws_the_cone():
    fs = 100.0
    scales = fb.cwt_scales("morl", 1, 40, 12, fs=fs)
    coefs, freqs = fb.cwt(np.sin(np.arange(300) / 3.0), scales, "morl", 1 / fs)
    fig = scalogram(coefs, freqs, fs=fs, wavelet="morl")
    ax = fig.axes[0]
    (line,) = ax.lines
    t = np.arange(300) / fs
    d = (np.minimum(np.arange(300), 299 - np.arange(300)) + 0.5) / fs
    np.testing.assert_allclose(line.get_xdata(), t)
    np.testing.assert_allclose(line.get_ydata(), math.sqrt(2) * fb.central_frequency("morl", precision=12) / d,
                               rtol=1e-12)
    assert len(ax.collections) == 2  # the mesh and the hatched cone
    assert ax.get_ylim() == pytest.approx((freqs.min(), freqs.max()))
    bare = scalogram(coefs, freqs, fs=fs, wavelet="morl", coi=False).axes[0]
    assert not bare.lines and len(bare.collections) == 1


def test_check_report_on_continuous_wavelets(capsys):
    report = check_continuous("cmor1.5-1.0")
    assert report.ok and report.mean == pytest.approx(math.exp(-math.pi**2 * 1.5), rel=1e-3)
    # cmor energy: (pi B)^-1 int exp(-2 x^2 / B) dx = 1 / sqrt(2 pi B)
    assert report.energy == pytest.approx(1 / math.sqrt(2 * math.pi * 1.5), rel=1e-9)
    assert check_continuous("gaus4").energy == pytest.approx(1.0, rel=1e-9)
    assert not check_continuous("cmor1.0-0.1").ok
    assert main(["check", "cmor1.5-1.0"]) == 0
    out = capsys.readouterr().out
    assert "admissible" in out and "e-folding time    1.22474" in out
    assert main(["check", "--tolerance", "1e-8", "cmor1.5-1.0"]) == 1
    assert "is not admissible: relative mean 3.72e-07 > tolerance 1e-08" in capsys.readouterr().err


def test_cli_cwt_takes_a_spec_file(tmp_path, capsys):
    spec = tmp_path / "w.yaml"
    spec.write_text("filterbank: 1\nkind: continuous\nfamily: cmor\nbandwidth_frequency: 1.5\ncenter_frequency: 1.0\n")
    x = np.random.default_rng(0).standard_normal(256)
    np.save(tmp_path / "x.npy", x)
    assert main(["cwt", str(tmp_path / "x.npy"), "-o", str(tmp_path / "o.npz"), "--wavelet", str(spec),
                 "--freqs", "2:50:6", "--fs", "200", "--plot", str(tmp_path / "p.png")]) == 0
    assert "with cmor1.5-1.0 at 6 frequencies" in capsys.readouterr().out
    with np.load(tmp_path / "o.npz") as z:
        ref, _ = pywt.cwt(x, z["scales"], "cmor1.5-1.0", method="fft")
        assert np.abs(z["coefs"] - ref).max() <= 1e-10 * np.abs(ref).max()
    bad = tmp_path / "bad.yaml"
    bad.write_text("filterbank: 1\nkind: continuous\nfamily: cmor\nbandwidth_frequency: -1\ncenter_frequency: 1\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        assert main(["cwt", str(tmp_path / "x.npy"), "-o", str(tmp_path / "o2.npz"), "--wavelet", str(bad)]) == 2
    assert "bandwidth_frequency: must be a finite number > 0; got -1" in capsys.readouterr().err
