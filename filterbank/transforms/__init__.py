"""Stage 5, transforms: the public, PyWavelets-style functions and their coefficient containers.

=================  ===========================================================
`decimated`        ``dwt``/``wavedec`` families, 1-D, 2-D and n-D, and ``plan``
`stationary`       ``swt``/``iswt`` families and ``swt_max_level``
`coefficients`     containers that remember the input shape
`mchannel`         ``mdec``/``mrec``: M-channel banks (PQMF, DFT), one or more levels
=================  ===========================================================

Each validates its arguments before TensorFlow loads, builds a plan and hands
it to `filterbank.backend.engine`.
"""

from __future__ import annotations

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
from filterbank.transforms.stationary import iswt, iswt2, iswtn, swt, swt2, swt_max_level, swtn

__all__ = [
    "Coefficients",
    "CoefficientsDict",
    "CoefficientsTuple",
    "as_mchannel",
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
    "mdec",
    "mrec",
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
]
