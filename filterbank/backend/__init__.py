"""Stage 4, the backend: every line that runs TensorFlow, behind one seam.

=====================  =======================================================
`_tf`                  the lazy, quiet import of TensorFlow (the only one)
`convert`              arrays in (inspected without TensorFlow) and out
`tf_executors`         one level of a plan as TensorFlow ops (conv or XLA
                       shift-and-add), decimated or a trous
`numpy_executors`      the same level on numpy (the first tier, and the
                       reference every tier is tested against)
`engine`               runs a plan on an input in the tier `tiers` picks
`tiers`                when a shape is compiled; the one compile cache
`correlate`            scipy-exact convolution / correlation windows on TF
`conv_dtypes`          dtypes TensorFlow's conv kernels accept, per device
=====================  =======================================================

Plans (`filterbank.plans`) carry no TensorFlow names: the backend decides
how a step runs. Importing this package does not import TensorFlow.
"""

from __future__ import annotations
