"""Transform methods of :class:`filterbank.FilterBank`, kept apart from design.

``FilterBank`` inherits these so that ``bank.wavedec(x)`` works, while the
design module stays free of TensorFlow: every method imports the transform
module only when called.
"""

from __future__ import annotations


class TransformMethods:
    """Mixin giving a filter bank PyWavelets-style transform methods."""
