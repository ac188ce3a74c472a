"""Specs as files: YAML in and out, and the specs bundled with the package.

Bundled specs live in ``filterbank/spec/bundled/*.yaml`` and are listed by
``filterbank specs``. A bundled spec that has a PyWavelets wavelet's name
describes exactly that wavelet with PyWavelets' defaults, so that a name has
one meaning everywhere (`filterbank.design.names`).
"""

from __future__ import annotations

import dataclasses
import os
from importlib import resources
from pathlib import Path
from typing import Any

from filterbank.cache import named_cache
from filterbank.errors import InputError, SpecError, did_you_mean
from filterbank.spec._yaml import MAX_BYTES, dump_yaml, parse_yaml
from filterbank.spec.schema import FilterBankSpec, Spec, spec_from_dict

__all__ = ["bundled_specs", "dump_spec", "load_spec", "read_spec_text"]


#: The bundled specs are package data, read once: their descriptions, and each parsed spec (an immutable value).
_BUNDLED = named_cache("bundled specs", max_entries=64, max_bytes=4 << 20)


def _bundled() -> Any:
    # one segment per joinpath call: Python 3.10 accepts no more
    return resources.files("filterbank").joinpath("spec").joinpath("bundled")


def bundled_specs() -> dict[str, str]:
    """Names of the bundled specs, mapped to their descriptions.

    Examples
    --------
    >>> sorted(bundled_specs())
    ['bior4.4', 'cmor1.5-1.0', 'coif3', 'db4', 'dft8', 'firwin-qmf', 'haar', 'johnston-qmf', 'mexh', 'pqmf16', 'pqmf32', 'pqmf4', 'pqmf8', 'sym8']
    """
    return dict(_BUNDLED.get_or_create("", _descriptions, nbytes=16384))


def _descriptions() -> dict[str, str]:
    out = {}
    for entry in sorted(_bundled().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = parse_yaml(entry.read_bytes(), entry.name)
            out[entry.name[: -len(".yaml")]] = str(data.get("description", "")).strip()
    return out


def read_spec_text(name: str) -> str:
    """The YAML text of a bundled spec.

    Examples
    --------
    >>> print(read_spec_text("haar"))  # doctest: +ELLIPSIS
    filterbank: 1
    name: haar
    ...
    """
    names = bundled_specs()
    if name not in names:
        listed = ", ".join(names)
        raise InputError(f"bundled spec must be one of {listed}; got {name!r}{did_you_mean(name, names)}")
    return _bundled().joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def _read_file(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SpecError(f"yaml: {path.name} is {size} bytes, more than the limit of {MAX_BYTES}")
        return parse_yaml(path.read_bytes(), path.name)
    except OSError as exc:
        raise InputError(f"cannot read spec file {str(path)!r}: {exc.strerror}") from None


def load_spec(source: str | os.PathLike[str]) -> Spec:
    """Read and validate a spec from a YAML file or a bundled spec name.

    A spec without ``name`` takes the file's stem.

    Examples
    --------
    >>> spec = load_spec("bior4.4")
    >>> spec.name, spec.wavelet
    ('bior4.4', 'bior4.4')
    """
    path = Path(source)
    if path.is_file():
        data = _read_file(path)
        default_name = path.stem
    else:
        text = str(source)
        names = bundled_specs()
        if text not in names:
            if os.sep in text or "/" in text or text.endswith((".yaml", ".yml")):
                raise InputError(f"spec file {text!r} does not exist")
            listed = ", ".join(names)
            raise InputError(
                f"spec must be a YAML file, a bundled spec ({listed}) or a PyWavelets wavelet name; "
                f"got {text!r}{did_you_mean(text, list(names))}"
            )
        return _BUNDLED.get_or_create(("spec", text), lambda: _named(spec_from_dict(
            parse_yaml(read_spec_text(text), f"{text}.yaml")), text), nbytes=65536)
    return _named(spec_from_dict(data), default_name)


def _named(spec: Spec, default_name: str) -> Spec:
    """``spec``, named after its file when it has no name."""
    if not spec.name:
        return dataclasses.replace(spec, name="".join(c if c.isalnum() or c in "_.+-" else "-" for c in default_name)[:64])
    return spec


def dump_spec(spec: Spec) -> str:
    """The spec as YAML text that `load_spec` reads back to an equal spec.

    Examples
    --------
    >>> print(dump_spec(FilterBankSpec(name="b", wavelet="db2")), end="")
    filterbank: 1
    name: b
    wavelet: db2
    """
    return dump_yaml(spec.to_dict())
