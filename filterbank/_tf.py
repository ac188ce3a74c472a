"""Lazy, quiet access to TensorFlow: the only door through which it is imported.

``import filterbank`` must stay light (a CLI ``check`` answers in well under a
second), so modules that run TensorFlow call :func:`tf` when they first need it.
Before the first import we default ``TF_CPP_MIN_LOG_LEVEL`` to 3, which silences
the C++ start-up banner; a value the user already set is respected.
"""

from __future__ import annotations

import os
from types import ModuleType
from typing import Any

__all__ = ["is_tensor", "tf"]

_TF: ModuleType | None = None


def tf() -> ModuleType:
    """Import TensorFlow once (quietly) and return the module."""
    global _TF
    if _TF is None:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow

        tensorflow.get_logger().setLevel("ERROR")
        _TF = tensorflow
    return _TF


def is_tensor(value: Any) -> bool:
    """True for a TensorFlow tensor or variable, without importing TensorFlow.

    If TensorFlow was never imported, nothing can be a tensor.
    """
    import sys

    if "tensorflow" not in sys.modules:
        return False
    return bool(tf().is_tensor(value))
