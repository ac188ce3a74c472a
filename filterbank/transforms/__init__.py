"""Stage 5, transforms: the public, PyWavelets-style functions and their coefficient containers.

=================  ===========================================================
`decimated`        ``dwt``/``wavedec`` families, 1-D, 2-D and n-D, and ``plan``
`stationary`       ``swt``/``iswt`` families and ``swt_max_level``
`coefficients`     containers that remember the input shape
`packets`          ``wpdec``/``wprec``: batched packets, nodes stacked on one axis
`wavelet_packets`  ``WaveletPacket``, ``WaveletPacket2D``, ``WaveletPacketND``
=================  ===========================================================

Each validates its arguments before TensorFlow loads, builds a plan and hands
it to `filterbank.backend.engine`.
"""

from __future__ import annotations

from filterbank.transforms.packets import wpdec, wpdec2, wprec, wprec2
from filterbank.transforms.wavelet_packets import WaveletPacket, WaveletPacket2D, WaveletPacketND
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
from filterbank.transforms.stationary import iswt, iswt2, iswtn, swt, swt2, swt_max_level, swtn

__all__ = [
    "Coefficients",
    "CoefficientsDict",
    "CoefficientsTuple",
    "WaveletPacket",
    "WaveletPacket2D",
    "WaveletPacketND",
    "dwt",
    "dwt2",
    "dwt_max_level",
    "dwtn",
    "idwt",
    "idwt2",
    "idwtn",
    "iswt",
    "iswt2",
    "iswtn",
    "plan",
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
    "wpdec",
    "wpdec2",
    "wprec",
    "wprec2",
]
