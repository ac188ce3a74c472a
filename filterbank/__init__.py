"""filterbank: wavelets and filter banks on TensorFlow, proven equal to scipy and PyWavelets.

``tf.nn.conv*`` computes a cross-correlation; scipy and every wavelet text mean a
true convolution. filterbank compiles filters into correctly oriented TensorFlow
kernels so that results match scipy / PyWavelets exactly.

Importing this package does not import TensorFlow; it is loaded when a
transform first runs.
"""

from __future__ import annotations

from filterbank.design import FilterBank, as_filterbank
from filterbank.errors import (
    CoefficientsError,
    FilterBankError,
    FilterBankTypeError,
    FilterBankWarning,
    InputError,
    PerfectReconstructionError,
    SpecError,
)
from filterbank.modes import MODES
from filterbank.ops import convolve, correlate

__version__ = "0.1.0"

__all__ = [
    "CoefficientsError",
    "FilterBank",
    "FilterBankError",
    "FilterBankTypeError",
    "FilterBankWarning",
    "InputError",
    "MODES",
    "PerfectReconstructionError",
    "SpecError",
    "__version__",
    "as_filterbank",
    "convolve",
    "correlate",
]
