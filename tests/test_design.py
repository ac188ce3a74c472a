"""Filter sources and bank construction against PyWavelets and scipy.signal."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import pywt
from scipy import signal

import filterbank as fb
from filterbank.design.bank import filter_taps
from filterbank.errors import FilterBankWarning, PerfectReconstructionError, SpecError
from filterbank.spec.schema import FilterSpec

ALL = pywt.wavelist(kind="discrete")
ROLES = ("dec_lo", "dec_hi", "rec_lo", "rec_hi")


def test_all_discrete_wavelets_are_covered():
    assert len(ALL) >= 106


@pytest.mark.parametrize("name", ALL)
def test_wavelet_source_taps_identical_to_pywt(name):
    w = pywt.Wavelet(name)
    for bank in (
        fb.FilterBank.from_wavelet(name),
        fb.load({"filterbank": 1, "wavelet": name, "tolerance": 1.0}),
    ):
        for role in ROLES:
            got = getattr(bank, role)
            assert got.dtype == np.float64 and not got.flags.writeable
            np.testing.assert_array_equal(got, np.asarray(getattr(w, role)))
        assert bank.orthogonal == w.orthogonal and bank.biorthogonal == w.biorthogonal


@pytest.mark.parametrize("name", ALL)
def test_single_wavelet_filter_per_role_identical_to_pywt(name):
    w = pywt.Wavelet(name)
    for role in ROLES:
        taps = filter_taps(FilterSpec(design="wavelet", params={"wavelet": name, "role": role}), in_bank=True)
        np.testing.assert_array_equal(taps, np.asarray(getattr(w, role)))


ORTHOGONAL = [n for n in ALL if pywt.Wavelet(n).orthogonal and n != "dmey"]
BIORTHOGONAL = [n for n in ALL if n.startswith(("bior", "rbio"))]


@pytest.mark.parametrize("name", ORTHOGONAL)
@pytest.mark.parametrize("given", ["dec_lo", "rec_lo"])
def test_explicit_lowpass_alone_derives_pywt_orthogonal_bank(name, given):
    w = pywt.Wavelet(name)
    bank = fb.FilterBank.from_taps(**{given: getattr(w, given)}, name=name)
    for role in ROLES:
        np.testing.assert_array_equal(getattr(bank, role), np.asarray(getattr(w, role)))
    assert bank.orthogonal


@pytest.mark.parametrize("name", BIORTHOGONAL)
@pytest.mark.parametrize("given", [("dec_lo", "rec_lo"), ("dec_lo", "dec_hi"), ("rec_lo", "rec_hi")])
def test_explicit_pairs_derive_pywt_biorthogonal_bank(name, given):
    w = pywt.Wavelet(name)
    bank = fb.FilterBank.from_taps(**{g: getattr(w, g) for g in given}, name=name)
    # align trims the zero padding PyWavelets keeps; compare without it
    for role in ROLES:
        np.testing.assert_array_equal(np.trim_zeros(getattr(bank, role)), np.trim_zeros(np.asarray(getattr(w, role))))
    report = bank.check()
    assert report.ok and report.biorthogonal and report.delay == report.expected_delay


def test_align_false_keeps_taps_verbatim():
    w = pywt.Wavelet("bior2.2")
    bank = fb.FilterBank.from_taps(w.dec_lo, w.dec_hi, w.rec_lo, w.rec_hi, align=False)
    np.testing.assert_array_equal(bank.dec_lo, w.dec_lo)


def test_time_reversal_from_spec():
    w = pywt.Wavelet("sym5")
    bank = fb.load(
        {"filterbank": 1, "filters": {"dec_lo": list(w.dec_lo), "dec_hi": list(w.dec_hi)}, "derive": "time_reversal"}
    )
    np.testing.assert_array_equal(bank.rec_hi, w.rec_hi)


SCIPY_CASES = [
    ({"design": "firwin", "numtaps": 31, "cutoff": 0.3}, lambda: signal.firwin(31, 0.3)),
    (
        {"design": "firwin", "numtaps": 41, "cutoff": [1000, 3000], "fs": 16000, "window": ["kaiser", 6.0], "pass_zero": False},
        lambda: signal.firwin(41, [1000, 3000], fs=16000, window=("kaiser", 6.0), pass_zero=False),
    ),
    (
        {"design": "firwin", "numtaps": 21, "cutoff": 0.4, "width": 0.1, "scale": False},
        lambda: signal.firwin(21, 0.4, width=0.1, scale=False),
    ),
    (
        {"design": "firwin2", "numtaps": 33, "freq": [0, 0.3, 0.5, 1], "gain": [1, 1, 0, 0], "window": "hann"},
        lambda: signal.firwin2(33, [0, 0.3, 0.5, 1], [1, 1, 0, 0], window="hann"),
    ),
    (
        {"design": "firwin2", "numtaps": 32, "freq": [0, 0.5, 1], "gain": [0, 1, 0], "antisymmetric": True, "nfreqs": 1025},
        lambda: signal.firwin2(32, [0, 0.5, 1], [0, 1, 0], antisymmetric=True, nfreqs=1025),
    ),
    (
        {"design": "remez", "numtaps": 35, "bands": [0, 0.2, 0.3, 0.5], "desired": [1, 0], "fs": 1.0, "weight": [1, 10]},
        lambda: signal.remez(35, [0, 0.2, 0.3, 0.5], [1, 0], fs=1.0, weight=[1, 10]),
    ),
    (
        {"design": "remez", "numtaps": 30, "bands": [0.05, 0.95], "desired": [1], "type": "hilbert", "grid_density": 32},
        lambda: signal.remez(30, [0.05, 0.95], [1], type="hilbert", grid_density=32, fs=2.0),
    ),
    (
        {"design": "firls", "numtaps": 43, "bands": [0, 0.3, 0.4, 1], "desired": [1, 1, 0, 0], "weight": [1, 5]},
        lambda: signal.firls(43, [0, 0.3, 0.4, 1], [1, 1, 0, 0], weight=[1, 5]),
    ),
]


@pytest.mark.parametrize("params, reference", SCIPY_CASES, ids=lambda v: v["design"] if isinstance(v, dict) else "")
def test_scipy_designs_pass_parameters_through(params, reference):
    spec = FilterSpec.from_dict(params)
    np.testing.assert_array_equal(filter_taps(spec), reference())
    flt = fb.load({"filterbank": 1, "kind": "filter", "name": "f", "filter": params})
    assert isinstance(flt, fb.Filter)
    np.testing.assert_array_equal(np.asarray(flt), reference())


def test_kaiser_is_kaiserord_then_firwin():
    spec = FilterSpec.from_dict({"design": "kaiser", "ripple": 65, "width": 500, "cutoff": 3000, "fs": 22050})
    numtaps, beta = signal.kaiserord(65, 500 / (22050 / 2))
    np.testing.assert_array_equal(filter_taps(spec), signal.firwin(numtaps, 3000, window=("kaiser", beta), fs=22050))


def test_kaiser_highpass_gets_odd_length():
    spec = FilterSpec.from_dict({"design": "kaiser", "ripple": 40, "width": 0.1, "cutoff": 0.5, "pass_zero": False})
    numtaps, _ = signal.kaiserord(40, 0.1)
    taps = filter_taps(spec)
    assert taps.size % 2 == 1 and taps.size in (numtaps, numtaps + 1)


def test_scipy_rule_we_do_not_mirror_is_wrapped():
    # firwin2 refuses a type II filter (even numtaps) with non-zero gain at Nyquist
    bad = {"design": "firwin2", "numtaps": 32, "freq": [0, 0.5, 1], "gain": [1, 1, 1]}
    with pytest.raises(SpecError, match=r"^filter: scipy.signal.firwin2 refused the parameters: .*Nyquist"):
        filter_taps(FilterSpec.from_dict(bad))


@pytest.mark.parametrize(
    "how, check",
    [
        ("none", lambda h: np.isclose(h.sum(), 1.0)),
        ("dc", lambda h: np.isclose(h.sum(), 1.0)),
        ("sqrt2", lambda h: np.isclose(h.sum(), np.sqrt(2))),
        ("energy", lambda h: np.isclose(h @ h, 1.0)),
    ],
)
def test_normalize(how, check):
    f = FilterSpec(design="firwin", params={"numtaps": 15, "cutoff": 0.4}, normalize=how)
    assert check(filter_taps(f))


def test_normalize_auto_scales_scipy_designs_in_banks_only():
    f = FilterSpec(design="firwin", params={"numtaps": 16, "cutoff": 0.5})
    assert np.isclose(filter_taps(f).sum(), 1.0)
    assert np.isclose(filter_taps(f, in_bank=True).sum(), np.sqrt(2))
    taps = FilterSpec(design="taps", params={"taps": [2.0, 2.0]})
    assert filter_taps(taps, in_bank=True).tolist() == [2.0, 2.0]


def test_normalize_needs_a_gain():
    f = FilterSpec(design="taps", params={"taps": [1.0, 0.0, -1.0]}, normalize="sqrt2")
    with pytest.raises(SpecError, match=r"^filter.normalize: 'sqrt2' needs a non-zero DC or Nyquist gain; got 0$"):
        filter_taps(f)


def test_one_changed_tap_fails_with_a_clear_message():
    taps = np.array(pywt.Wavelet("db4").dec_lo)
    taps[3] += 1e-3
    with pytest.raises(
        PerfectReconstructionError,
        match=r"^bank 'tampered' does not reconstruct perfectly: PR error 0.00\d+ > tolerance 1e-09 "
        r"\(aliasing error .*\); set 'perfect_reconstruction: false' to load it anyway or give a larger 'tolerance'$",
    ):
        fb.FilterBank.from_taps(taps, name="tampered")
    with pytest.warns(FilterBankWarning, match=r"^bank 'tampered' does not reconstruct perfectly: PR error 0.00\d+"):
        bank = fb.FilterBank.from_taps(taps, name="tampered", perfect_reconstruction=False)
    assert not bank.check().ok
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fb.FilterBank.from_taps(taps, name="tampered", tolerance=1e-2)  # within its tolerance: silent


def test_delay_mismatch_is_reported_and_align_fixes_it():
    w = pywt.Wavelet("db2")
    padded = [np.concatenate([getattr(w, r), [0.0, 0.0]]) for r in ROLES]  # delay 3, but L - 1 = 5
    with pytest.raises(PerfectReconstructionError, match=r"reconstructs with delay 3 where the transforms need 5"):
        fb.FilterBank.from_taps(*padded, align=False)
    aligned = fb.FilterBank.from_taps(*padded, name="db2-padded")
    for role in ROLES:
        np.testing.assert_array_equal(getattr(aligned, role), getattr(w, role))


def test_firwin_qmf_reports_its_error_honestly():
    bank = fb.load("firwin-qmf")
    report = bank.check()
    assert 1e-3 < report.pr_error < 1e-2  # near-PR: not zero, not hidden
    assert report.aliasing_error < 1e-15  # the QMF rule cancels aliasing exactly
    assert report.ok  # within the spec's declared tolerance 1e-2
    assert not bank.orthogonal
    strict = bank.check(tolerance=1e-9)
    assert not strict.ok and "PR error 0.0045" in strict.problem()


def test_user_firwin_qmf_without_tolerance_warns():
    spec = {
        "filterbank": 1,
        "name": "mine",
        "filters": {"dec_lo": {"design": "firwin", "numtaps": 24, "cutoff": 0.52}},
        "derive": "qmf",
        "perfect_reconstruction": False,
    }
    with pytest.warns(FilterBankWarning, match=r"^bank 'mine' does not reconstruct perfectly: PR error") as record:
        bank = fb.load(spec)
    assert record[0].filename == __file__  # the warning points at the caller, not at filterbank
    assert bank.name == "mine" and bank.dec_len == 24
    del spec["perfect_reconstruction"]
    with pytest.raises(PerfectReconstructionError, match=r"^bank 'mine' does not reconstruct perfectly"):
        fb.load(spec)


def test_spec_defaults_travel_with_the_bank():
    bank = fb.load({"filterbank": 1, "wavelet": "db3", "mode": "periodization", "level": 4, "name": "d3"})
    assert (bank.name, bank.mode, bank.level) == ("d3", "periodization", 4)
    assert bank.spec is not None and bank.spec.wavelet == "db3"
    assert fb.FilterBank.from_wavelet("db3").mode is None


def test_as_filterbank_accepts_every_form():
    db2 = fb.FilterBank.from_wavelet("db2")
    assert fb.as_filterbank(db2) is db2
    assert fb.as_filterbank(pywt.Wavelet("db2")) == db2
    assert fb.as_filterbank({"filterbank": 1, "wavelet": "db2"}) == db2
    assert fb.as_filterbank(fb.FilterBankSpec(wavelet="db2")) == db2
    assert fb.as_filterbank("coif3").name == "coif3"
    assert fb.as_filterbank("firwin-qmf").name == "firwin-qmf"


def test_filter_is_a_kernel():
    flt = fb.load({"filterbank": 1, "kind": "filter", "name": "avg", "filter": [0.25, 0.5, 0.25]})
    assert len(flt) == 3 and np.asarray(flt, dtype=np.float32).dtype == np.float32
    assert flt == fb.Filter(name="avg", taps=[0.25, 0.5, 0.25])
    with pytest.raises(ValueError, match="read-only"):
        flt.taps[0] = 1.0


BUNDLED = {
    # name: (PR error bound or approximate value, orthogonal, delay)
    "haar": (1e-15, True, 1),
    "db4": (1e-15, True, 7),
    "coif3": (1e-15, True, 17),
    "sym8": (1e-12, True, 15),
    "bior4.4": (1e-11, False, 9),
    "firwin-qmf": (4.545e-3, False, 31),
    "johnston-qmf": (8.42e-4, False, 31),
}

#: The bundled M-channel specs (kind: mchannel), checked in tests/test_mchannel.py:
#: name: (channels, decimation, taps)
BUNDLED_MCHANNEL = {
    "pqmf4": (4, 4, 63),
    "pqmf8": (8, 8, 127),
    "pqmf16": (16, 16, 255),
    "pqmf32": (32, 32, 512),
    "dft8": (8, 4, 8),
}


#: The bundled continuous wavelets (kind: continuous), checked in tests/test_cwt_spec.py.
BUNDLED_CONTINUOUS = ("cmor1.5-1.0", "mexh")


def test_bundled_specs_are_the_documented_ones():
    assert sorted(fb.bundled_specs()) == sorted([*BUNDLED, *BUNDLED_MCHANNEL, *BUNDLED_CONTINUOUS])
    assert all(fb.bundled_specs().values())  # every one has a description


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_spec_figures(name):
    error, orthogonal, delay = BUNDLED[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # bundled specs load silently
        bank = fb.load(fb.load_spec(name))
    report = bank.check()
    assert report.ok and report.delay == delay and bank.orthogonal == orthogonal
    if name.endswith("qmf"):
        assert report.pr_error == pytest.approx(error, rel=1e-3)
        assert report.tolerance == 1e-2 and bank.spec is not None and not bank.spec.perfect_reconstruction
    else:
        assert report.pr_error < error
        assert bank.spec is not None and bank.spec.wavelet == name
        for role in ROLES:
            np.testing.assert_array_equal(getattr(bank, role), getattr(pywt.Wavelet(name), role))


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_a_name_has_one_meaning(name):
    """A bundled spec with a PyWavelets name is that wavelet with PyWavelets' default mode."""
    if name not in pywt.wavelist(kind="discrete"):
        assert fb.load(name).spec == fb.load_spec(name)  # only the bundled spec has this name
        return
    spec = fb.load_spec(name)
    assert spec.wavelet == name and spec.mode in (None, "symmetric") and spec.level is None
    loaded, coerced = fb.load(name), fb.as_filterbank(name)
    assert loaded is coerced  # the CLI, fb.load and fb.wavedec mean the same bank
    for role in ROLES:
        np.testing.assert_array_equal(getattr(loaded, role), getattr(fb.load(spec), role))


def test_johnston_qmf_meets_its_design_targets():
    h = fb.load("johnston-qmf").dec_lo
    assert h.size == 32 and np.allclose(h, h[::-1], rtol=0, atol=1e-15)
    assert h.sum() == pytest.approx(np.sqrt(2), abs=1e-12)
    w, resp = signal.freqz(h, worN=np.linspace(0.0, np.pi, 4097))  # symmetric grid: resp[::-1] is H(pi - w)
    stop = 20 * np.log10(np.abs(resp[w >= 0.6 * np.pi]).max() / np.sqrt(2))
    assert stop < -34.0
    power = np.abs(resp) ** 2 + np.abs(resp[::-1]) ** 2  # |H(w)|^2 + |H(pi - w)|^2
    assert np.abs(power / 2 - 1).max() < 2.5e-3


def test_firwin_qmf_is_the_scipy_design_it_names():
    bank = fb.load("firwin-qmf")
    ref = signal.firwin(32, 0.525, window="hamming")
    np.testing.assert_allclose(bank.dec_lo, ref * np.sqrt(2) / ref.sum(), rtol=0, atol=1e-16)
    np.testing.assert_allclose(bank.dec_hi, -((-1.0) ** np.arange(32)) * bank.dec_lo, rtol=0, atol=0)


def test_to_spec_round_trips_any_bank(tmp_path):
    from hypothesis import given, settings

    from filterbank.testing import biorthogonal_banks, orthogonal_banks

    @settings(max_examples=10)
    @given(biorthogonal_banks() | orthogonal_banks())
    def round_trip(bank):
        spec = bank.to_spec()
        assert spec.derive == "none" and not spec.align
        from filterbank.spec._yaml import parse_yaml

        assert fb.FilterBank.from_spec(spec) == bank
        assert fb.FilterBank.from_spec(parse_yaml(fb.dump_spec(spec))) == bank  # through YAML text

    round_trip()
    db3 = fb.FilterBank.from_wavelet("db3")
    assert db3.to_spec() == fb.FilterBankSpec(name="db3", wavelet="db3")
    loaded = fb.load("johnston-qmf")
    assert loaded.to_spec() is loaded.spec
    # a non-PR bank's spec says so, so that it loads back (with a warning) instead of failing
    avg = fb.FilterBank(name="my avg", dec_lo=[0.5, 0.5], dec_hi=[0.5, -0.5], rec_lo=[0.5, 0.5], rec_hi=[0.5, -0.5])
    spec = avg.to_spec()
    assert spec.name == "my-avg" and spec.perfect_reconstruction is False
    path = tmp_path / "avg.yaml"
    path.write_text(fb.dump_spec(spec))
    with pytest.warns(FilterBankWarning, match=r"^bank 'my-avg' does not reconstruct perfectly"):
        again = fb.load(path)
    np.testing.assert_array_equal(again.dec_hi, avg.dec_hi)


def test_single_filter_spec_works_with_fb_convolve_and_correlate():
    flt = fb.load({"filterbank": 1, "kind": "filter", "name": "lp", "filter": {"design": "firwin", "numtaps": 9, "cutoff": 0.3}})
    x = np.random.default_rng(3).standard_normal(64)
    np.testing.assert_allclose(np.asarray(fb.convolve(x, flt, mode="full")), np.convolve(x, flt.taps), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        np.asarray(fb.correlate(x, flt, mode="same")), signal.correlate(x, flt.taps, mode="same"), rtol=1e-12, atol=1e-12
    )


def test_as_filterbank_reads_yaml_files_and_refuses_strangers(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("filterbank: 1\nfilters:\n  dec_lo: [0.7071067811865476, 0.7071067811865476]\n")
    assert fb.as_filterbank(str(path)).name == "mine"
    assert fb.as_filterbank(path).orthogonal
    with pytest.raises(fb.InputError, match=r"^wavelet must be a PyWavelets discrete wavelet, a bundled spec \(bior4.4, "
                       r".*\) or a YAML spec file; got 'sym88' \(did you mean 'sym8'\?\)$"):
        fb.as_filterbank("sym88")
    single = tmp_path / "lp.yaml"
    single.write_text("filterbank: 1\nkind: filter\nfilter: [1, 1]\n")
    with pytest.raises(fb.FilterBankTypeError, match=r"is a 'kind: filter' spec; a filter bank is needed here$"):
        fb.as_filterbank(single)


# ------------------------------------------------------------------ one checking policy


def _broken_db2(**kw):
    w = pywt.Wavelet("db2")
    rec_hi = np.array(w.rec_hi)
    rec_hi[1] = -rec_hi[1]  # one synthesis tap negated
    return fb.FilterBank(name="db2-broken", dec_lo=w.dec_lo, dec_hi=w.dec_hi, rec_lo=w.rec_lo, rec_hi=rec_hi, **kw)


@pytest.mark.parametrize("transform", [
    lambda b: fb.wavedec(np.ones(16), b),
    lambda b: fb.dwt(np.ones(8), b),
    lambda b: fb.swt(np.ones(8), b, level=1),
    lambda b: b.wavedec(np.ones(16)),
    lambda b: fb.wavedec2(np.ones((8, 8)), ("haar", b)),
])
def test_a_directly_built_broken_bank_is_refused_by_every_transform(transform):
    bank = _broken_db2()
    assert not bank.check().ok  # reporting on it is fine
    with pytest.raises(fb.PerfectReconstructionError,
                       match=r"^bank 'db2-broken' does not reconstruct perfectly: .*; pass verify=False to FilterBank"):
        transform(bank)


def test_verify_false_is_the_named_opt_out():
    bank = _broken_db2(verify=False)
    cA, cD = fb.dwt(np.arange(8.0), bank, "periodization")
    want = pywt.dwt(np.arange(8.0), pywt.Wavelet("b", filter_bank=[bank.dec_lo, bank.dec_hi, bank.rec_lo, bank.rec_hi]),
                    "periodization")
    np.testing.assert_allclose(cA, want[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(cD, want[1], rtol=0, atol=1e-12)
    spec = {"filterbank": 1, "filters": {r: getattr(bank, r).tolist() for r in ("dec_lo", "dec_hi", "rec_lo", "rec_hi")},
            "derive": "none", "align": False}
    with pytest.raises(fb.PerfectReconstructionError, match=r"set 'perfect_reconstruction: false' to load it anyway"):
        fb.load(spec)
    loaded = fb.load(spec, verify=False)
    assert fb.wavedec(np.ones(8), loaded, level=1)[0].shape == (5,)  # used unchecked, as asked


def test_a_declared_near_pr_bank_warns_once_then_runs(recwarn):
    taps = {r: getattr(_broken_db2(), r) for r in ("dec_lo", "dec_hi", "rec_lo", "rec_hi")}
    with pytest.warns(FilterBankWarning, match=r"^bank 'near' does not reconstruct perfectly"):
        bank = fb.FilterBank.from_taps(**taps, name="near", derive="none", align=False, perfect_reconstruction=False)
    fb.wavedec(np.ones(16), bank)
    fb.waverec(fb.wavedec(np.ones(16), bank), bank)
    assert len(recwarn) == 0  # checked once, at load


def test_the_verdict_is_cached_on_the_bank(monkeypatch):
    import filterbank.design.verify as verify

    calls = []
    real = verify.check_bank
    monkeypatch.setattr(verify, "check_bank", lambda bank, **kw: calls.append(bank.name) or real(bank, **kw))
    w = pywt.Wavelet("db3")
    bank = fb.FilterBank(name="my-db3", dec_lo=w.dec_lo, dec_hi=w.dec_hi, rec_lo=w.rec_lo, rec_hi=w.rec_hi)
    for n in (16, 17, 18):
        fb.wavedec(np.ones(n), bank)
    assert calls == ["my-db3"]
    assert fb.as_filterbank(pywt.Wavelet("db3")) is fb.as_filterbank("db3")  # a pywt object: the cached bank


def test_pywavelets_own_near_pr_wavelet_keeps_working_silently():
    w = pywt.Wavelet("dmey")
    x = np.random.default_rng(1).standard_normal(256)
    want = pywt.wavedec(x, w, level=1)
    taps = {r: np.array(getattr(w, r)) for r in ("dec_lo", "dec_hi", "rec_lo", "rec_hi")}
    for wavelet in ("dmey", w, fb.FilterBank(name="dmey", **taps)):  # the last: a coefficients file's taps
        got = fb.wavedec(x, wavelet, level=1)
        np.testing.assert_allclose(got[1], want[1], rtol=0, atol=1e-12)
    assert not fb.as_filterbank("dmey").check().ok  # still reported honestly
    with pytest.raises(fb.PerfectReconstructionError, match=r"^bank 'not-dmey' does not reconstruct perfectly"):
        fb.wavedec(x, fb.FilterBank(name="not-dmey", **taps), level=1)  # same taps, another name: yours to declare
    custom = pywt.Wavelet("mine", filter_bank=[taps["dec_lo"], taps["dec_hi"], taps["rec_lo"], -taps["rec_hi"]])
    with pytest.raises(fb.PerfectReconstructionError, match=r"^bank 'mine' does not reconstruct perfectly"):
        fb.wavedec(x, custom, level=1)
