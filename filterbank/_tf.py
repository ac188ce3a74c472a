"""Lazy, quiet access to TensorFlow: the only door through which it is imported.

``import filterbank`` must stay light (a CLI ``check`` answers in well under a
second), so modules that run TensorFlow call :func:`tf` when they first need it.
TensorFlow's C++ start-up banner (absl's pre-initialisation warning, oneDNN,
CUDA probing) is printed while the shared libraries load and ignores
``TF_CPP_MIN_LOG_LEVEL`` in the full ``tensorflow`` wheel, so we silence file
descriptor 2 while the import runs, unless the user asked for logs by setting
``TF_CPP_MIN_LOG_LEVEL`` to 0 or 1. Python exceptions are unaffected. The command line goes further
and re-executes itself with the variable set (see :mod:`filterbank.cli`).
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
        quiet = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3") not in ("0", "1")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        saved = _mute_stderr() if quiet else None
        try:
            import tensorflow
        finally:
            if saved is not None:
                os.dup2(saved, 2)
                os.close(saved)
        tensorflow.get_logger().setLevel("ERROR")
        _TF = tensorflow
    return _TF


def _mute_stderr() -> int | None:
    """Point fd 2 at /dev/null; return a duplicate of the old fd (None if impossible)."""
    try:
        saved = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return None
    os.dup2(null, 2)
    os.close(null)
    return saved


def is_tensor(value: Any) -> bool:
    """True for a TensorFlow tensor or variable, without importing TensorFlow.

    If TensorFlow was never imported, nothing can be a tensor.
    """
    import sys

    if "tensorflow" not in sys.modules:
        return False
    return bool(tf().is_tensor(value))
