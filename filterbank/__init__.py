"""filterbank: wavelets and filter banks on TensorFlow, proven equal to scipy and PyWavelets.

``tf.nn.conv*`` computes a cross-correlation; scipy and every wavelet text mean a
true convolution. filterbank compiles filters into correctly oriented TensorFlow
kernels so that results match scipy / PyWavelets exactly.

Importing this package does not import TensorFlow; it is loaded when a
transform first runs.
"""

from __future__ import annotations

from filterbank.backend.tiers import ExecutionOptions, execution, execution_options, set_execution
from filterbank.cache import cache_info, clear_caches, set_cache_limits
from filterbank.design.bank import Filter, FilterBank
from filterbank.design.check import CheckReport, FilterReport
from filterbank.design.mchannel import MChannelBank
from filterbank.design.mcheck import MChannelReport
from filterbank.design.names import as_filterbank, load
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
from filterbank.ops import convolve, convolve2d, correlate, correlate2d
from filterbank.plans.decimated import Plan
from filterbank.spec.files import bundled_specs, dump_spec, load_spec
from filterbank.spec.mchannel import MChannelSpec
from filterbank.spec.schema import FilterBankSpec, FilterSpec, SingleFilterSpec
from filterbank.transforms import (
    Coefficients,
    dwt,
    dwt2,
    dwt_max_level,
    dwtn,
    idwt,
    idwt2,
    idwtn,
    iswt,
    iswt2,
    iswtn,
    mdec,
    mrec,
    plan,
    swt,
    swt2,
    swt_max_level,
    swtn,
    wavedec,
    wavedec2,
    wavedecn,
    waverec,
    waverec2,
    waverecn,
)

__version__ = "0.1.0"

__all__ = [
    "CheckReport",
    "Coefficients",
    "CoefficientsError",
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
    "MChannelBank",
    "MChannelReport",
    "MChannelSpec",
    "MODES",
    "PerfectReconstructionError",
    "Plan",
    "SingleFilterSpec",
    "SpecError",
    "__version__",
    "as_filterbank",
    "bundled_specs",
    "cache_info",
    "clear_caches",
    "convolve",
    "convolve2d",
    "correlate",
    "correlate2d",
    "dump_spec",
    "dwt",
    "dwt2",
    "dwt_max_level",
    "dwtn",
    "execution",
    "execution_options",
    "idwt",
    "idwt2",
    "idwtn",
    "iswt",
    "iswt2",
    "iswtn",
    "load",
    "load_spec",
    "mdec",
    "mrec",
    "plan",
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
