"""filterbank: wavelets and filter banks on TensorFlow, proven equal to scipy and PyWavelets.

``tf.nn.conv*`` computes a cross-correlation; scipy and every wavelet text mean a
true convolution. filterbank compiles filters into correctly oriented TensorFlow
kernels so that results match scipy / PyWavelets exactly.

Importing this package does not import TensorFlow; it is loaded when a
transform first runs.
"""

from __future__ import annotations

from filterbank.cache import cache_info, clear_caches, set_cache_limits
from filterbank.check import CheckReport, FilterReport
from filterbank.design import Filter, FilterBank, as_filterbank
from filterbank.errors import (
    CoefficientsError,
    FilterBankError,
    FilterBankTypeError,
    FilterBankWarning,
    InputError,
    PerfectReconstructionError,
    SpecError,
)
from filterbank.coeffs import Coefficients
from filterbank.continuous import (
    CONTINUOUS_FAMILIES,
    ContinuousWavelet,
    central_frequency,
    cwt_scales,
    frequency2scale,
    integrate_wavelet,
    scale2frequency,
)
from filterbank.continuous_transform import CWTResult, cwt
from filterbank.loading import bundled_specs, dump_spec, load, load_spec
from filterbank.modes import MODES
from filterbank.plan import Plan
from filterbank.ops import convolve, convolve2d, correlate, correlate2d
from filterbank.spec import FilterBankSpec, FilterSpec, SingleFilterSpec
from filterbank.tiers import ExecutionOptions, execution, execution_options, set_execution
from filterbank.swt import iswt, iswt2, iswtn, swt, swt2, swt_max_level, swtn
from filterbank.transform import (
    dwt,
    dwt2,
    dwt_max_level,
    dwtn,
    idwt,
    idwt2,
    idwtn,
    plan,
    wavedec,
    wavedec2,
    wavedecn,
    waverec,
    waverec2,
    waverecn,
)

__version__ = "0.1.0"

__all__ = [
    "CONTINUOUS_FAMILIES",
    "CWTResult",
    "CheckReport",
    "Coefficients",
    "CoefficientsError",
    "ContinuousWavelet",
    "ExecutionOptions",
    "Filter",
    "FilterBank",
    "FilterBankError",
    "FilterBankSpec",
    "FilterBankTypeError",
    "FilterBankWarning",
    "FilterReport",
    "FilterSpec",
    "InputError",
    "MODES",
    "PerfectReconstructionError",
    "Plan",
    "SingleFilterSpec",
    "SpecError",
    "__version__",
    "as_filterbank",
    "bundled_specs",
    "cache_info",
    "central_frequency",
    "clear_caches",
    "convolve",
    "convolve2d",
    "correlate",
    "correlate2d",
    "cwt",
    "cwt_scales",
    "dump_spec",
    "dwt",
    "dwt2",
    "dwt_max_level",
    "dwtn",
    "execution",
    "execution_options",
    "frequency2scale",
    "idwt",
    "idwt2",
    "idwtn",
    "integrate_wavelet",
    "iswt",
    "iswt2",
    "iswtn",
    "load",
    "load_spec",
    "plan",
    "scale2frequency",
    "set_cache_limits",
    "set_execution",
    "swt",
    "swt2",
    "swt_max_level",
    "swtn",
    "wavedec",
    "wavedec2",
    "wavedecn",
    "waverec",
    "waverec2",
    "waverecn",
]
