"""Stage 2, the design: numpy float64 filters from a spec, derived and checked.

=================  ===========================================================
`bank`             `FilterBank` and `Filter`: taps from PyWavelets, explicit
                   taps or scipy designs
`derive`           the other filters of a bank from one or two of them
`check`            perfect reconstruction, aliasing, orthogonality, responses
`verify`           the checking policy: every bank a transform uses, checked once
`names`            what a name means (`resolve`, `load`, `as_filterbank`)
=================  ===========================================================

numpy, scipy and PyWavelets only; nothing here imports TensorFlow or a later
stage (the transform methods of `FilterBank` go through one declared door,
`filterbank.design._methods.transforms`).
"""

from __future__ import annotations

from filterbank.design.bank import Filter, FilterBank, filter_taps
from filterbank.design.check import CheckReport, FilterReport, check_bank
from filterbank.design.names import as_filterbank, load, resolve

__all__ = [
    "CheckReport",
    "Filter",
    "FilterBank",
    "FilterReport",
    "as_filterbank",
    "check_bank",
    "filter_taps",
    "load",
    "resolve",
]
