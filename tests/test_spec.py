"""Spec values: validation messages, immutability, dict and YAML round trips."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given

import filterbank as fb
from filterbank.spec._yaml import dump_yaml, parse_yaml
from filterbank.errors import SpecError
from filterbank.spec.schema import FilterBankSpec, FilterSpec, SingleFilterSpec, spec_from_dict
from filterbank.testing import bank_specs, filter_specs


def bank(**filters):
    return {"filterbank": 1, "filters": filters}


def firwin(**params):
    return bank(dec_lo={"design": "firwin", **params})


# (spec, the start of the message) - each message names the key path, the rule and the value.
INVALID = {
    "not a mapping": ([1, 2], r"^spec: must be a mapping .*; got 'list'$"),
    "version missing": ({"wavelet": "db2"}, r"^filterbank: is required; got nothing$"),
    "version 2": ({"filterbank": 2, "wavelet": "db2"}, r"^filterbank: must be 1, the spec format version; got 2$"),
    "version bool": ({"filterbank": True, "wavelet": "db2"}, r"^filterbank: must be 1, .*; got True$"),
    "unknown top key": (
        {"filterbank": 1, "wavelet": "db2", "levle": 2},
        r"^levle: unknown key; allowed keys here are .* \(did you mean 'level'\?\)$",
    ),
    "kind typo": ({"filterbank": 1, "kind": "fitler"}, r"^kind: must be one of 'bank', 'filter', 'mchannel', 'continuous'; got 'fitler' \(did you mean 'filter'\?\)$"),
    "wavelet typo": (
        {"filterbank": 1, "wavelet": "db44"},
        r"^wavelet: must be a discrete PyWavelets wavelet .*; got 'db44' \(did you mean 'db4'\?\)$",
    ),
    "continuous wavelet": ({"filterbank": 1, "wavelet": "morl"}, r"^wavelet: must be a discrete PyWavelets wavelet"),
    "wavelet and filters": (
        {"filterbank": 1, "wavelet": "db2", "filters": {"dec_lo": [1.0, 1.0]}},
        r"^filters: cannot be combined with 'wavelet' \(give one source\); got \['dec_lo'\]$",
    ),
    "no source": ({"filterbank": 1}, r"^filters: a bank needs 'wavelet' or at least one filter"),
    "unknown role": (bank(lowpass=[1.0, 1.0]), r"^filters.lowpass: unknown key; allowed keys here are dec_lo, dec_hi, rec_lo, rec_hi$"),
    "role typo": (bank(dec_low=[1.0, 1.0]), r"^filters.dec_low: unknown key; .* \(did you mean 'dec_lo'\?\)$"),
    "derive typo": (
        {**bank(dec_lo=[1.0, 1.0]), "derive": "qfm"},
        r"^derive: must be one of 'auto', .*; got 'qfm' \(did you mean 'qmf'\?\)$",
    ),
    "derive needs other filters": (
        {**bank(dec_lo=[1.0, 1.0], rec_lo=[1.0, 1.0]), "derive": "qmf"},
        r"^filters: derive 'qmf' needs the filters \{dec_lo\}; got \['dec_lo', 'rec_lo'\]$",
    ),
    "underdetermined subset": (
        bank(dec_lo=[1.0, 1.0], rec_hi=[1.0, -1.0]),
        r"^filters: derive 'auto' needs the filters \{dec_lo\} or \{rec_lo\} or .*; got \['dec_lo', 'rec_hi'\]$",
    ),
    "derive with wavelet": (
        {"filterbank": 1, "wavelet": "db2", "derive": "qmf"},
        r"^derive: must be 'auto' when the bank comes from a wavelet; got 'qmf'$",
    ),
    "filter not list or mapping": (bank(dec_lo="0.5 0.5"), r"^filters.dec_lo: must be a list of taps or a mapping with a 'design'; got '0.5 0.5'$"),
    "no design": (bank(dec_lo={"numtaps": 8}), r"^filters.dec_lo.design: is required, one of taps, wavelet, firwin"),
    "design typo": (bank(dec_lo={"design": "firwn", "numtaps": 8}), r"^filters.dec_lo.design: must be one of .*; got 'firwn' \(did you mean 'firwin'\?\)$"),
    "empty taps": (bank(dec_lo={"taps": []}), r"^filters.dec_lo.taps: must be a list of 1 to 16384 numbers \(length 0\); got \[\]$"),
    "too many taps": (bank(dec_lo={"taps": [0.0] * 16385}), r"^filters.dec_lo.taps: must be a list of 1 to 16384 numbers \(length 16385\)"),
    "tap not a number": (bank(dec_lo=[0.5, "x"]), r"^filters.dec_lo.taps\[1\]: must be a finite number .*; got 'x'$"),
    "tap infinite": (bank(dec_lo=[0.5, float("inf")]), r"^filters.dec_lo.taps\[1\]: must be a finite number .*; got inf$"),
    "numtaps zero": (firwin(numtaps=0, cutoff=0.5), r"^filters.dec_lo.numtaps: must be an integer in \[1, 16384\]; got 0$"),
    "numtaps absurd": (firwin(numtaps=10**9, cutoff=0.5), r"^filters.dec_lo.numtaps: must be an integer in \[1, 16384\]; got 1000000000$"),
    "numtaps float": (firwin(numtaps=8.5, cutoff=0.5), r"^filters.dec_lo.numtaps: must be an integer in \[1, 16384\]; got 8.5$"),
    "numtaps bool": (firwin(numtaps=True, cutoff=0.5), r"^filters.dec_lo.numtaps: must be an integer .*; got True$"),
    "numtaps missing": (firwin(cutoff=0.5), r"^filters.dec_lo.numtaps: is required; got nothing$"),
    "cutoff at nyquist": (firwin(numtaps=8, cutoff=1.0), r"^filters.dec_lo.cutoff: must lie strictly between 0 and fs/2 = 1; got 1.0$"),
    "cutoff zero with fs": (
        firwin(numtaps=8, cutoff=0.0, fs=100.0),
        r"^filters.dec_lo.cutoff: must lie strictly between 0 and fs/2 = 50; got 0.0$",
    ),
    "cutoff list out of range": (
        firwin(numtaps=9, cutoff=[0.2, 1.5]),
        r"^filters.dec_lo.cutoff\[1\]: must lie strictly between 0 and fs/2 = 1; got 1.5$",
    ),
    "cutoff not increasing": (
        firwin(numtaps=9, cutoff=[0.6, 0.2]),
        r"^filters.dec_lo.cutoff: must be strictly increasing; got \[0.6, 0.2\]$",
    ),
    "cutoff text": (firwin(numtaps=9, cutoff="half"), r"^filters.dec_lo.cutoff: must be a list of 1 to 1024 numbers; got 'half'$"),
    "fs negative": (firwin(numtaps=8, cutoff=0.5, fs=-2.0), r"^filters.dec_lo.fs: must be a finite number in \(0, inf\); got -2.0$"),
    "scipy param typo": (
        firwin(numtaps=8, cutoff=0.5, windw="hann"),
        r"^filters.dec_lo.windw: unknown key; allowed keys here are numtaps, cutoff, width, window, pass_zero, scale, fs \(did you mean 'window'\?\)$",
    ),
    "window typo": (
        firwin(numtaps=8, cutoff=0.5, window="hamm1ng"),
        r"^filters.dec_lo.window: must name one of the windows .*; got 'hamm1ng' \(did you mean 'hamming'\?\)$",
    ),
    "window missing parameter": (
        firwin(numtaps=8, cutoff=0.5, window="kaiser"),
        r"^filters.dec_lo.window: window 'kaiser' takes 1 parameter\(s\); got 'kaiser'$",
    ),
    "even highpass": (
        firwin(numtaps=8, cutoff=0.5, pass_zero=False),
        r"^filters.dec_lo.numtaps: must be odd for a filter that passes the Nyquist frequency .*; got 8$",
    ),
    "pass_zero typo": (
        firwin(numtaps=9, cutoff=0.5, pass_zero="lowpas"),
        r"^filters.dec_lo.pass_zero: must be one of 'lowpass', .*; got 'lowpas' \(did you mean 'lowpass'\?\)$",
    ),
    "bandpass one cutoff": (
        firwin(numtaps=9, cutoff=0.5, pass_zero="bandpass"),
        r"^filters.dec_lo.cutoff: pass_zero 'bandpass' needs at least two cutoffs; got \[0.5\]$",
    ),
    "firls even numtaps": (
        bank(dec_lo={"design": "firls", "numtaps": 8, "bands": [0, 0.4, 0.6, 1], "desired": [1, 1, 0, 0]}),
        r"^filters.dec_lo.numtaps: must be odd \(scipy's firls designs type I filters\); got 8$",
    ),
    "firls desired length": (
        bank(dec_lo={"design": "firls", "numtaps": 9, "bands": [0, 0.4, 0.6, 1], "desired": [1, 0]}),
        r"^filters.dec_lo.desired: must be a list of 4 to 4 numbers \(length 2\); got \[1, 0\]$",
    ),
    "remez odd bands": (
        bank(dec_lo={"design": "remez", "numtaps": 9, "bands": [0, 0.4, 0.6], "desired": [1]}),
        r"^filters.dec_lo.bands: must have an even number of band edges .*; got \[0.0, 0.4, 0.6\]$",
    ),
    "remez band above nyquist": (
        bank(dec_lo={"design": "remez", "numtaps": 9, "bands": [0, 0.4, 0.6, 1.2], "desired": [1, 0]}),
        r"^filters.dec_lo.bands\[3\]: must lie in \[0, fs/2 = 1\]; got 1.2$",
    ),
    "remez numtaps over limit": (
        bank(dec_lo={"design": "remez", "numtaps": 5000, "bands": [0, 0.4, 0.6, 1], "desired": [1, 0]}),
        r"^filters.dec_lo.numtaps: must be an integer in \[1, 1024\]; got 5000$",
    ),
    "remez weight not positive": (
        bank(dec_lo={"design": "remez", "numtaps": 9, "bands": [0, 0.4, 0.6, 1], "desired": [1, 0], "weight": [1, 0]}),
        r"^filters.dec_lo.weight\[1\]: must be > 0; got 0.0$",
    ),
    "firwin2 freq not ending at nyquist": (
        bank(dec_lo={"design": "firwin2", "numtaps": 9, "freq": [0, 0.5, 0.9], "gain": [1, 1, 0]}),
        r"^filters.dec_lo.freq: must start at 0 and end at fs/2 = 1; got \[0.0, 0.5, 0.9\]$",
    ),
    "kaiser ripple negative": (
        bank(dec_lo={"design": "kaiser", "ripple": -3, "width": 0.1, "cutoff": 0.5}),
        r"^filters.dec_lo.ripple: must be a number of dB in \[8, 300\] \(the range of Kaiser's formula\); got -3$",
    ),
    "kaiser too many taps": (
        bank(dec_lo={"design": "kaiser", "ripple": 120, "width": 1e-5, "cutoff": 0.5}),
        r"^filters.dec_lo.width: with this ripple needs \d+ taps, more than the limit 16384; widen the transition; got 1e-05$",
    ),
    "normalize typo": (
        bank(dec_lo={"taps": [1.0, 1.0], "normalize": "sqrt"}),
        r"^filters.dec_lo.normalize: must be one of 'auto', 'none', 'sqrt2', 'dc', 'energy'; got 'sqrt' \(did you mean 'sqrt2'\?\)$",
    ),
    "wavelet role typo": (
        bank(dec_lo={"wavelet": "db2", "role": "dec_low"}),
        r"^filters.dec_lo.role: must be one of 'dec_lo', .*; got 'dec_low' \(did you mean 'dec_lo'\?\)$",
    ),
    "odd length qmf": (
        {**bank(dec_lo=[0.5, 0.5, 0.5]), "derive": "qmf"},
        r"^derive: the qmf rule needs an even number of taps; got 3 \(pad with one zero tap or choose an even numtaps\)$",
    ),
    "tolerance zero": ({"filterbank": 1, "wavelet": "db2", "tolerance": 0}, r"^tolerance: must be a finite number in \(0, 1\]; got 0$"),
    "tolerance text": ({"filterbank": 1, "wavelet": "db2", "tolerance": "1e-x"}, r"^tolerance: must be a finite number .*; got '1e-x'$"),
    "pr not bool": (
        {"filterbank": 1, "wavelet": "db2", "perfect_reconstruction": "no"},
        r"^perfect_reconstruction: must be true or false; got 'no'$",
    ),
    "mode typo": (
        {"filterbank": 1, "wavelet": "db2", "mode": "periodisation"},
        r"^mode: must be one of 'zero', .*; got 'periodisation' \(did you mean 'periodization'\?\)$",
    ),
    "level zero": ({"filterbank": 1, "wavelet": "db2", "level": 0}, r"^level: must be an integer in \[1, 64\]; got 0$"),
    "name with space": ({"filterbank": 1, "wavelet": "db2", "name": "my bank"}, r"^name: may contain only letters, digits and _ . \+ -; got 'my bank'$"),
    "name too long": ({"filterbank": 1, "wavelet": "db2", "name": "a" * 65}, r"^name: must be at most 64 characters \(length 65\); got 'aaaa"),
    "single filter without filter": (
        {"filterbank": 1, "kind": "filter", "name": "x"},
        r"^filter: is required; got nothing$",
    ),
    "single filter bad design": (
        {"filterbank": 1, "kind": "filter", "filter": {"design": "firwin", "numtaps": -1, "cutoff": 0.1}},
        r"^filter.numtaps: must be an integer in \[1, 16384\]; got -1$",
    ),
    "non-string key": ({"filterbank": 1, "wavelet": "db2", 3: 4}, r"^3: keys must be strings; got 3$"),
}


def build(data):
    """Parse and build, as fb.load does (some rules need the designed taps)."""
    return fb.load(spec_from_dict(data))


def test_catalogue_is_large_enough():
    assert len(INVALID) >= 25


@pytest.mark.parametrize("case", sorted(INVALID), ids=str)
def test_invalid_spec_message(case):
    data, message = INVALID[case]
    with pytest.raises(SpecError, match=message):
        build(data)


@pytest.mark.parametrize("case", ["numtaps zero", "cutoff at nyquist", "window typo", "even highpass"])
def test_invalid_spec_from_yaml_gives_the_same_message(case, tmp_path):
    data, message = INVALID[case]
    path = tmp_path / "bad.yaml"
    path.write_text(dump_yaml(data))
    with pytest.raises(SpecError, match=message):
        fb.load(path)


THREE_TYPOS = {
    "filterbank": 1,
    "levle": 3,
    "mode": "periodisation",
    "filters": {"dec_lo": {"design": "firwin", "numtaps": 32, "cutof": 0.5}},
    "derive": "qmf",
}


def test_every_problem_of_a_spec_is_reported_in_one_pass():
    with pytest.raises(SpecError, match=r"^3 problems:\n  levle: unknown key") as info:
        build(THREE_TYPOS)
    assert info.value.errors == (
        "levle: unknown key; allowed keys here are filterbank, kind, name, description, wavelet, filters, derive, "
        "align, perfect_reconstruction, tolerance, mode, level (did you mean 'level'?)",
        "mode: must be one of 'zero', 'constant', 'symmetric', 'periodic', 'smooth', 'periodization', 'reflect', "
        "'antisymmetric', 'antireflect'; got 'periodisation' (did you mean 'periodization'?)",
        "filters.dec_lo.cutof: unknown key; allowed keys here are numtaps, cutoff, width, window, pass_zero, scale, "
        "fs (did you mean 'cutoff'?)",
    )
    assert str(info.value) == "3 problems:\n" + "\n".join(f"  {e}" for e in info.value.errors)


def test_independent_fields_and_filters_are_all_checked():
    data = {"filterbank": 2, "name": "a b", "tolerance": 0, "level": 0,
            "filters": {"dec_lo": {"design": "firwin", "numtaps": 0, "cutoff": 0.5}, "rec_lo": [1.0, "x"]}}
    with pytest.raises(SpecError, match=r"^6 problems:") as info:
        FilterBankSpec.from_dict(data)
    assert [e.split(":")[0] for e in info.value.errors] == [
        "filterbank", "name", "tolerance", "level", "filters.dec_lo.numtaps", "filters.rec_lo.taps[1]"]
    with pytest.raises(SpecError, match=r"^2 problems:\n  name: .*\n  filter.numtaps: must be an integer") as info:
        spec_from_dict({"filterbank": 1, "kind": "filter", "name": "a b", "filter": {"design": "firwin",
                                                                                     "numtaps": 0, "cutoff": 0.5}})
    assert len(info.value.errors) == 2


def test_a_tolerance_of_none_is_refused():
    with pytest.raises(SpecError, match=r"^tolerance: must be a finite number in \(0, 1\]; got None$"):
        FilterBankSpec(wavelet="db2", tolerance=None)


def test_a_broken_filter_is_not_reported_again_as_missing():
    data = {"filterbank": 1, "filters": {"dec_low": [0.5, 0.5]}, "derive": "qmf"}
    with pytest.raises(SpecError, match=r"^filters.dec_low: unknown key; .*\(did you mean 'dec_lo'\?\)$"):
        FilterBankSpec.from_dict(data)


def test_spec_error_is_a_value_error():
    with pytest.raises(ValueError, match=r"^level: must be an integer"):
        FilterBankSpec(wavelet="db2", level=-1)


def test_hostile_values_are_shortened_in_messages():
    with pytest.raises(SpecError, match=r"^name: must be at most 64 characters") as info:
        FilterBankSpec(wavelet="db2", name="x" * 100_000)
    assert len(str(info.value)) < 200


def test_specs_are_frozen_and_keyword_only():
    spec = FilterBankSpec(wavelet="db2")
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'wavelet'"):
        spec.wavelet = "db3"  # type: ignore[misc]
    with pytest.raises(TypeError, match="positional argument"):
        FilterBankSpec(1, "x")  # type: ignore[misc]
    f = FilterSpec(design="taps", params={"taps": [1, 2]})
    assert f.params == (("taps", (1.0, 2.0)),)
    assert hash(f) == hash(FilterSpec(design="taps", params={"taps": (1.0, 2.0)}))


def test_constructor_and_from_dict_agree():
    built = FilterBankSpec(
        name="q",
        dec_lo=FilterSpec(design="firwin", params={"numtaps": 16, "cutoff": 0.55}),
        derive="qmf",
        perfect_reconstruction=False,
        tolerance=1.0,
    )
    parsed = FilterBankSpec.from_dict(
        {
            "filterbank": 1,
            "name": "q",
            "filters": {"dec_lo": {"design": "firwin", "numtaps": 16, "cutoff": [0.55]}},
            "derive": "qmf",
            "perfect_reconstruction": False,
            "tolerance": 1.0,
        }
    )
    assert built == parsed


def test_yaml_reads_exponent_floats_and_refuses_python_tags():
    assert parse_yaml("tolerance: 1e-6")["tolerance"] == 1e-6
    with pytest.raises(SpecError, match=r"^yaml: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"):
        parse_yaml("filterbank: !!python/object/apply:os.system ['echo hi']")
    with pytest.raises(SpecError, match=r"^yaml: tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"):
        parse_yaml("x: !!python/name:os.system ''")


def test_yaml_refuses_aliases_depth_size_and_garbage():
    bomb = "a: &a [1, 1, 1]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    with pytest.raises(SpecError, match=r"^yaml: aliases \(\*a\) are not allowed in a spec \(line 2\)"):
        parse_yaml(bomb)
    with pytest.raises(SpecError, match=r"^yaml: nesting deeper than 8 levels"):
        parse_yaml("a: " + "[" * 20 + "]" * 20)
    with pytest.raises(SpecError, match=r"^yaml: spec is \d+ characters, more than the limit of 1048576$"):
        parse_yaml("#" * (1 << 20) + "\n")
    with pytest.raises(SpecError, match=r"^yaml: spec is not valid YAML: .*\(line 2, column"):
        parse_yaml("a: [1, 2\nb: }")
    with pytest.raises(SpecError, match=r"^yaml: spec is not UTF-8 text"):
        parse_yaml(b"\xff\xfe\x00a")


@given(bank_specs())
def test_bank_specs_round_trip_through_dict_and_yaml(data):
    spec = FilterBankSpec.from_dict(data)
    assert type(spec).from_dict(spec.to_dict()) == spec
    assert FilterBankSpec.from_dict(parse_yaml(dump_yaml(spec.to_dict()))) == spec
    assert spec_from_dict(parse_yaml(fb.dump_spec(spec))) == spec


@given(filter_specs())
def test_filter_specs_round_trip(data):
    f = FilterSpec.from_dict(data)
    assert FilterSpec.from_dict(f.to_dict()) == f
    single = SingleFilterSpec(name="f", filter=f)
    assert spec_from_dict(parse_yaml(dump_yaml(single.to_dict()))) == single


def test_to_dict_omits_defaults_and_orders_keys():
    spec = FilterBankSpec.from_dict(
        {"level": 3, "wavelet": "sym4", "filterbank": 1, "name": "s", "tolerance": 1e-9, "align": True}
    )
    assert list(spec.to_dict()) == ["filterbank", "name", "wavelet", "level"]


def test_error_messages_start_with_a_key_path():
    # every catalogue message starts with "path: " where path is keys, dots and [i]
    for data, _ in INVALID.values():
        with pytest.raises(SpecError, match=r".") as info:
            build(data)
        assert re.match(r"^[\w.\[\]]+: ", str(info.value)), str(info.value)


def test_constructors_accept_plain_filters_and_refuse_junk():
    assert FilterBankSpec(dec_lo={"wavelet": "db2"}) == FilterBankSpec(
        dec_lo=FilterSpec(design="wavelet", params={"wavelet": "db2"})
    )
    assert SingleFilterSpec(filter=[1, 2]).filter == FilterSpec(design="taps", params={"taps": [1.0, 2.0]})
    with pytest.raises(SpecError, match=r"^filters.rec_lo.numtaps: must be an integer in \[1, 16384\]; got 0$"):
        FilterBankSpec(rec_lo={"design": "firwin", "numtaps": 0, "cutoff": 0.5})
    with pytest.raises(SpecError, match=r"^filters.dec_hi: must be a FilterSpec, a mapping or a list of taps; got 'int'$"):
        FilterBankSpec(dec_lo=[1.0], dec_hi=3)
    with pytest.raises(SpecError, match=r"^params: must be a mapping of parameter names to values; got \[1, 2\]$"):
        FilterSpec(design="taps", params=[1, 2])
    with pytest.raises(SpecError, match=r"^filter: is required: a FilterSpec, a mapping or a list of taps; got None$"):
        SingleFilterSpec(name="x")


@pytest.mark.parametrize("name", sorted(fb.bundled_specs()))
def test_bundled_specs_round_trip_through_files(name, tmp_path):
    spec = fb.load_spec(name)
    path = tmp_path / "copy.yaml"
    path.write_text(fb.dump_spec(spec))
    assert fb.load_spec(path) == spec
    assert type(spec).from_dict(spec.to_dict()) == spec
