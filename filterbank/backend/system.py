"""What the command line asks TensorFlow about, behind the backend's seam.

The CLI and the benchmarks never import TensorFlow themselves: they ask
here for the devices, versions and error classes they report, and for the
raw ``tf.nn.conv2d`` the demo shows the trap with.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from filterbank.backend._tf import tf

__all__ = ["device_kind", "is_out_of_memory", "raw_conv2d", "tensorflow_info"]


def device_kind() -> str:
    """``"GPU"`` when TensorFlow sees one, else ``"CPU"`` (imports TensorFlow)."""
    return "GPU" if tf().config.list_logical_devices("GPU") else "CPU"


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is a ``MemoryError`` or TensorFlow's ``ResourceExhaustedError``.

    TensorFlow is imported only when it is loaded already (an exception from
    it cannot arrive otherwise).
    """
    if isinstance(exc, MemoryError):
        return True
    import sys

    return "tensorflow" in sys.modules and isinstance(exc, tf().errors.ResourceExhaustedError)


def tensorflow_info() -> dict[str, Any]:
    """TensorFlow's version, CUDA build, physical devices and TF32 setting."""
    t = tf()
    return {
        "tensorflow": t.__version__,
        "cuda_build": bool(t.test.is_built_with_cuda()),
        "devices": [{"name": d.name, "type": d.device_type} for d in t.config.list_physical_devices()],
        "tf32": bool(t.config.experimental.tensor_float_32_execution_enabled()),
    }


def raw_conv2d(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``tf.nn.conv2d(image, kernel, padding="SAME")`` as a neural-network layer runs it: unflipped.

    Examples
    --------
    >>> raw_conv2d(np.eye(3), np.array([[1.0, 0.0], [0.0, 0.0]])).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    x = image[None, :, :, None]
    return np.asarray(tf().nn.conv2d(x, kernel[:, :, None, None], strides=1, padding="SAME")[0, :, :, 0])
