"""Lazy, quiet access to TensorFlow: the only door through which it is imported.

``import filterbank`` must stay light (a CLI ``check`` answers in well under a
second), so modules that run TensorFlow call `tf` when they first need it.
TensorFlow's C++ start-up banner (absl's pre-initialisation warning, oneDNN,
CUDA probing) is printed while the shared libraries load and ignores
``TF_CPP_MIN_LOG_LEVEL`` in the full ``tensorflow`` wheel, so we silence file
descriptor 2 while the import runs, unless the user asked for logs by setting
``TF_CPP_MIN_LOG_LEVEL`` to 0 or 1. Python exceptions are unaffected.

When the user imported TensorFlow first, its log level is fixed already and
filterbank's first XLA compile would print TensorFlow's one-time lines (``XLA
service ... initialized``, ``StreamExecutor ...``, ``Compiled cluster using
XLA!``, on a GPU the cuDNN load). Unless the user asked for logs, `tf` then
runs one tiny compiled convolution on the default device with file descriptor 2
silenced, so that those lines are spent where nobody sees them (about 0.2 s,
once per process).

Unless the user chose (``TF_CPU_ALLOCATOR_USE_BFC`` set to anything) or
imported TensorFlow first, `tf` turns on TensorFlow's BFC allocator for CPU
memory. The default allocator hands every large buffer back to the system,
so each call of a large transform faulted in fresh zeroed pages: on a
2-core AMD EPYC, half of a steady ``wavedec2`` of 16 x 512 x 512 (db4, level
3) was spent in the kernel's page-fault handler, 72 -> 31 ms of CPU a call
with the BFC allocator. Its pool keeps the peak of what was in use.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import Any

import numpy as np

__all__ = ["is_tensor", "keras_module", "tf"]

_TF: ModuleType | None = None


def tf() -> ModuleType:
    """Import TensorFlow once (quietly) and return the module."""
    global _TF
    if _TF is None:
        quiet = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3") not in ("0", "1")
        theirs = "tensorflow" in sys.modules  # imported by the user, with the log level of that moment
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        if not theirs:  # read when TensorFlow first allocates; see the module notes
            os.environ.setdefault("TF_CPU_ALLOCATOR_USE_BFC", "true")
        saved = _mute_stderr() if quiet else None
        try:
            import tensorflow

            if theirs and saved is not None:
                _spend_one_time_logs(tensorflow)
        finally:
            if saved is not None:
                os.dup2(saved, 2)
                os.close(saved)
        tensorflow.get_logger().setLevel("ERROR")
        _opaque_to_autograph()
        _TF = tensorflow
    return _TF


def _opaque_to_autograph() -> None:
    """Tell AutoGraph to call filterbank's code (and the parsers it uses) as plain Python.

    A ``tf.function`` that calls ``fb.wavedec`` or ``fb.mdec`` would otherwise
    have AutoGraph rewrite every function filterbank calls while tracing,
    PyYAML's scanner included: 1.8 s instead of 0.1 s to trace one ``mdec``
    on a named bank. filterbank's functions hold no tensor-dependent Python
    control flow for AutoGraph to convert, so nothing is lost. AutoGraph's rule
    table is not public API; if its shape changes, tracing is only slower.
    """
    try:
        from tensorflow.python.autograph.core import config
    except ImportError:  # pragma: no cover - a TensorFlow without AutoGraph's table
        return
    ours = tuple(config.DoNotConvert(name) for name in ("filterbank", "yaml", "scipy", "pywt"))
    if not any(getattr(rule, "_prefix", None) == "filterbank" for rule in config.CONVERSION_RULES):
        config.CONVERSION_RULES = ours + tuple(config.CONVERSION_RULES)


def keras_module() -> ModuleType:
    """Import Keras after TensorFlow (quietly, through `tf`) and return it."""
    tf()
    import keras

    return keras


def _spend_one_time_logs(tensorflow: ModuleType) -> None:
    """Initialise the devices and XLA with one tiny compiled convolution (outside any caller's graph)."""
    try:
        with tensorflow.init_scope():
            conv = tensorflow.function(
                lambda x: tensorflow.nn.conv2d(x, tensorflow.ones((2, 1, 1, 1)), strides=1, padding="VALID"),
                jit_compile=True, autograph=False)
            conv(tensorflow.ones((1, 4, 1, 1))).numpy()
    except Exception:  # noqa: BLE001 - only a courtesy: the real call reports real problems
        pass


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


#: Exact types that are never tensors: `is_tensor` answers them without TensorFlow, whose
#: ``tf.is_tensor`` took 9.6 us for a numpy array (a protocol ``isinstance`` check), 0.3 ms of
#: a ``waverec2`` of ten numpy bands (2-core Intel Xeon). Subclasses still ask TensorFlow.
_NEVER_TENSORS = frozenset({np.ndarray, list, tuple, dict, int, float, complex, bool, str, type(None)})


def is_tensor(value: Any) -> bool:
    """True for a TensorFlow tensor or variable, without importing TensorFlow.

    If TensorFlow was never imported, nothing can be a tensor.
    """
    if type(value) in _NEVER_TENSORS:
        return False
    if "tensorflow" not in sys.modules:
        return False
    return bool(tf().is_tensor(value))
