"""Stage 3, plans: numpy-only descriptions of a transform for one input shape and dtype.

A plan is a tree of filter-bank steps (`filterbank.plans.tree`): which bank,
decimated or dilated a trous, along which axes, and which nodes are split
further. The DWT (`decimated`) and the SWT (`stationary`) are two plans that
one driver walks; the backend only supplies how one step runs. Plans hold
pre-flipped kernels, output lengths and boundary blocks, never TensorFlow
objects.
"""

from __future__ import annotations
