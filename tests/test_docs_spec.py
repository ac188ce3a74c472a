"""docs/spec.md documents every key, design parameter, rule name and limit the code accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import filterbank as fb
from filterbank.spec.parameters import DESIGNS, LIMITS, SCIPY_DESIGNS, WINDOWS, validate_params
from filterbank.spec._yaml import parse_yaml
from filterbank.errors import SpecError
from filterbank.modes import MODES
from filterbank.spec.schema import _BANK_KEYS, DERIVE_INPUTS, NORMALIZATIONS

DOC = (Path(__file__).resolve().parents[1] / "docs" / "spec.md").read_text()
DOCUMENTED = set(re.findall(r"`([^`\s]+)`", DOC))


def allowed_keys(design: str) -> list[str]:
    with pytest.raises(SpecError, match=r"allowed keys here are") as info:
        validate_params(design, {"zzz_unknown": 1})
    listed = info.value.errors[0].split("allowed keys here are ", 1)[1]  # the missing keys follow
    return [k.strip() for k in listed.split(",")]


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(_BANK_KEYS, id="bank keys"),
        pytest.param(DESIGNS, id="designs"),
        pytest.param(NORMALIZATIONS, id="normalize"),
        pytest.param(tuple(DERIVE_INPUTS), id="derive"),
        pytest.param(MODES, id="modes"),
        pytest.param(tuple(WINDOWS), id="windows"),
    ],
)
def test_every_name_is_documented(names):
    missing = [n for n in names if n not in DOCUMENTED and f"[{n}," not in DOC]
    assert not missing


@pytest.mark.parametrize("design", [*SCIPY_DESIGNS, "taps", "wavelet"])
def test_every_design_parameter_is_documented(design):
    keys = allowed_keys(design)
    assert keys and not [k for k in keys if k not in DOCUMENTED]
    section = DOC.split(f"`{design}`", 1)[1]
    for key in keys:
        assert f"| `{key}` |" in section, f"{design}.{key} has no table row"


def test_limits_are_documented():
    for value in LIMITS.values():
        assert str(value) in DOC


def test_yaml_examples_in_the_doc_load():
    blocks = re.findall(r"```yaml\n(.*?)```", DOC, flags=re.DOTALL)
    full = [b for b in blocks if b.startswith("filterbank: 1")]
    assert len(full) >= 2
    for block in full:
        loaded = fb.load(parse_yaml(block))
        assert isinstance(loaded, (fb.FilterBank, fb.Filter))


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml")), ids=str)
def test_example_specs_load_silently(path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = fb.load(path)
    if isinstance(loaded, fb.FilterBank):
        assert loaded.check().ok
