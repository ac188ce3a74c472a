"""Stage 5, transforms: the public, PyWavelets-style functions and their coefficient containers.

======================  ===========================================================
`decimated`             ``dwt``/``wavedec`` families, 1-D, 2-D and n-D, and ``plan``
`stationary`            ``swt``/``iswt`` families and ``swt_max_level``
`coefficients`          containers that remember the input shape
`packets`               ``wpdec``/``wprec``: batched packets, nodes stacked on one axis
`wavelet_packets`       ``WaveletPacket``, ``WaveletPacket2D``, ``WaveletPacketND``
`mchannel`              ``mdec``/``mrec``: M-channel banks (PQMF, DFT), one or more levels
`multiresolution`       ``mra`` / ``imra`` families (additive components)
`separable`             ``fswavedecn`` / ``fswaverecn`` (fully separable)
`coefficient_arrays`    ``coeffs_to_array``, ``ravel_coeffs``, shapes and sizes
`utilities`             ``downcoef``, ``upcoef``, ``pad``, lengths, names
`thresholding`          ``threshold``, ``threshold_firm``
======================  ===========================================================

Each validates its arguments before TensorFlow loads, builds a plan and hands
it to `filterbank.backend.engine`.
"""

from __future__ import annotations

from filterbank.transforms.coefficient_arrays import (
    array_to_coeffs,
    coeffs_to_array,
    dwtn_max_level,
    ravel_coeffs,
    unravel_coeffs,
    wavedecn_shapes,
    wavedecn_size,
)
from filterbank.transforms.coefficients import Coefficients, CoefficientsDict, CoefficientsTuple
from filterbank.transforms.decimated import (
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
from filterbank.transforms.mchannel import as_mchannel, mdec, mrec
from filterbank.transforms.multiresolution import imra, imra2, imran, mra, mra2, mran
from filterbank.transforms.packets import wpdec, wpdec2, wprec, wprec2
from filterbank.transforms.separable import FswavedecnResult, fswavedecn, fswaverecn
from filterbank.transforms.stationary import iswt, iswt2, iswtn, swt, swt2, swt_max_level, swtn
from filterbank.transforms.thresholding import threshold, threshold_firm
from filterbank.transforms.utilities import downcoef, dwt_coeff_len, families, pad, upcoef, wavelist
from filterbank.transforms.wavelet_packets import WaveletPacket, WaveletPacket2D, WaveletPacketND

__all__ = [
    "Coefficients",
    "CoefficientsDict",
    "CoefficientsTuple",
    "FswavedecnResult",
    "WaveletPacket",
    "WaveletPacket2D",
    "WaveletPacketND",
    "array_to_coeffs",
    "as_mchannel",
    "coeffs_to_array",
    "downcoef",
    "dwt",
    "dwt2",
    "dwt_coeff_len",
    "dwt_max_level",
    "dwtn",
    "dwtn_max_level",
    "families",
    "fswavedecn",
    "fswaverecn",
    "idwt",
    "idwt2",
    "idwtn",
    "imra",
    "imra2",
    "imran",
    "iswt",
    "iswt2",
    "iswtn",
    "mdec",
    "mra",
    "mra2",
    "mran",
    "mrec",
    "pad",
    "plan",
    "ravel_coeffs",
    "swt",
    "swt2",
    "swt_max_level",
    "swtn",
    "threshold",
    "threshold_firm",
    "unravel_coeffs",
    "upcoef",
    "wavedec",
    "wavedec2",
    "wavedecn",
    "wavedecn_shapes",
    "wavedecn_size",
    "wavelist",
    "waverec",
    "waverec2",
    "waverecn",
    "wpdec",
    "wpdec2",
    "wprec",
    "wprec2",
]
