"""What a name means: the one resolver behind `load`, `as_filterbank` and the CLI.

A string, path, spec, ``pywt.Wavelet`` or bank is resolved in this order,
the same everywhere (``fb.wavedec(x, "db4")``, ``fb.load("db4")``,
``filterbank check db4``):

1. a `FilterBank` or `Filter` is itself;
2. a `FilterBankSpec`, `SingleFilterSpec` or mapping is built from the spec;
3. a PyWavelets discrete wavelet name (``"db4"``) is PyWavelets' taps;
4. the name of a bundled spec (``"johnston-qmf"``, ``filterbank specs``) is
   that spec;
5. any other string or path must be an existing YAML spec file;
6. a ``pywt.Wavelet`` (custom ones included) gives its taps.

A bundled spec never changes what a PyWavelets name means: one that shares a
name (``db4``, ``bior4.4``, ...) describes exactly that wavelet with
PyWavelets' default mode, which a test checks. Names win over files, so a
file called ``db4`` in the working directory does not change ``"db4"``;
give a path with its ``.yaml`` suffix instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from filterbank.design.bank import Filter, FilterBank, discrete_wavelets
from filterbank.design.continuous import ContinuousWavelet
from filterbank.design.mchannel import MChannelBank
from filterbank.design.verify import verify_bank
from filterbank.errors import FilterBankTypeError, InputError, did_you_mean
from filterbank.spec.files import bundled_specs, load_spec
from filterbank.spec.continuous import ContinuousSpec
from filterbank.spec.mchannel import MChannelSpec
from filterbank.spec.schema import FilterBankSpec, SingleFilterSpec, spec_from_dict

__all__ = ["as_filterbank", "load", "resolve"]

Loaded = FilterBank | Filter | MChannelBank | ContinuousWavelet


def resolve(source: Any, *, verify: bool = True) -> Loaded:
    """Resolve ``source`` to a bank or a single filter, in the documented order.

    Parameters
    ----------
    source : FilterBank, Filter, spec, mapping, str, path or pywt.Wavelet
        What to resolve (see the module's order).
    verify : bool, default True
        Check perfect reconstruction when a spec is built (`FilterBank.from_spec`).

    Examples
    --------
    >>> resolve("db2").dec_len, resolve("johnston-qmf").dec_len
    (4, 32)
    """
    if isinstance(source, (FilterBank, Filter, MChannelBank, ContinuousWavelet)):
        return source
    if isinstance(source, ContinuousSpec):
        return ContinuousWavelet.from_spec(source)
    if isinstance(source, MChannelSpec):
        return MChannelBank.from_spec(source, verify=verify)
    if isinstance(source, FilterBankSpec):
        return FilterBank.from_spec(source, verify=verify)
    if isinstance(source, SingleFilterSpec):
        return Filter.from_spec(source)
    if isinstance(source, Mapping):
        return resolve(spec_from_dict(dict(source)), verify=verify)
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        if isinstance(source, str) and source in discrete_wavelets():
            return FilterBank.from_wavelet(source)
        bundled = bundled_specs()
        if text in bundled or Path(text).is_file():
            return resolve(load_spec(text), verify=verify)
        listed = ", ".join(bundled)
        if os.sep in text or "/" in text or text.endswith((".yaml", ".yml")):
            raise InputError(f"spec file {text!r} does not exist")
        raise InputError(
            f"wavelet must be a PyWavelets discrete wavelet, a bundled spec ({listed}) or a YAML spec file; "
            f"got {text!r}{did_you_mean(text, [*discrete_wavelets(), *bundled])}"
        )
    import pywt

    if isinstance(source, pywt.Wavelet):
        return FilterBank.from_wavelet(source)
    if isinstance(source, pywt.ContinuousWavelet) or type(source).__name__ == "ContinuousWavelet":
        raise InputError(  # a ValueError, as PyWavelets raises for a continuous wavelet in a discrete transform
            f"wavelet must be a discrete wavelet; got the continuous wavelet {getattr(source, 'name', source)!r} "
            "(continuous wavelets are for filterbank.cwt)"
        )
    raise FilterBankTypeError(
        "wavelet must be a name, a YAML file, a spec, a pywt.Wavelet or a FilterBank; "
        f"got {type(source).__name__}"
    )


def load(source: Any, *, verify: bool = True) -> Loaded:
    """Load a filter bank (or a single filter) from a spec file, a name, or a spec.

    Parameters
    ----------
    source : str, path, FilterBankSpec, SingleFilterSpec or mapping
        A YAML file, the name of a bundled spec (``filterbank specs``), a
        PyWavelets discrete wavelet name, or a spec value.
    verify : bool, default True
        Check perfect reconstruction as the spec asks.

    Returns
    -------
    FilterBank, Filter or MChannelBank
        A `FilterBank` for ``kind: bank``, a `Filter` for ``kind: filter``,
        an `MChannelBank` for ``kind: mchannel``, a `ContinuousWavelet`
        for ``kind: continuous``.

    Raises
    ------
    SpecError
        If the spec is invalid (the message starts with the key path).
    PerfectReconstructionError
        If the bank does not reconstruct within its tolerance and the spec
        does not say ``perfect_reconstruction: false`` (then a
        `FilterBankWarning` is issued instead). ``verify=False``
        skips that gate.

    Examples
    --------
    >>> import filterbank as fb
    >>> bank = fb.load("db4")
    >>> bank.name, bank.dec_len, bank.check().ok
    ('db4', 8, True)
    >>> fb.load("db5").name  # any PyWavelets wavelet works too
    'db5'
    """
    return resolve(source, verify=verify)


def as_filterbank(wavelet: Any) -> FilterBank:
    """Coerce a name, YAML file, ``pywt.Wavelet``, spec or bank to a `FilterBank`.

    Names are resolved by `resolve`, in the one order every entry point
    uses. Every transform gets its bank here, so the bank is checked here,
    once (`filterbank.design.verify.verify_bank`).

    Raises
    ------
    InputError
        For a string that is none of these, with the closest name.
    PerfectReconstructionError
        For a bank that is not PR within its declared tolerance (unless
        built with ``verify=False``).
    FilterBankTypeError
        For any other type, or a ``kind: filter`` spec.

    Examples
    --------
    >>> as_filterbank("sym4").name
    'sym4'
    >>> as_filterbank("johnston-qmf").name
    'johnston-qmf'
    >>> as_filterbank({"filterbank": 1, "wavelet": "db3"}).dec_len
    6
    >>> as_filterbank("johnston")
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: wavelet must be a PyWavelets discrete wavelet, a bundled spec (bior4.4, ...) or a YAML spec file; got 'johnston' (did you mean 'johnston-qmf'?)
    """
    bank = resolve(wavelet)
    if isinstance(bank, MChannelBank):
        raise FilterBankTypeError(
            f"wavelet {wavelet!r} is an M-channel bank (kind: mchannel); use filterbank.mdec / filterbank.mrec"
        )
    if isinstance(bank, ContinuousWavelet):
        raise FilterBankTypeError(f"wavelet {wavelet!r} is a continuous wavelet (kind: continuous); use filterbank.cwt")
    if not isinstance(bank, FilterBank):
        raise FilterBankTypeError(f"wavelet {wavelet!r} is a 'kind: filter' spec; a filter bank is needed here")
    return verify_bank(bank)
