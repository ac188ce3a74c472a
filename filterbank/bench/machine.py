"""The header of every benchmark run: the machine and the settings that change its timings."""

from __future__ import annotations

import os
import platform
from importlib import metadata

__all__ = ["cpu_model", "header", "machine_line", "tensorflow_flags"]


def cpu_model() -> str:
    """The CPU's model name from ``/proc/cpuinfo`` (``platform.processor()`` elsewhere, ``unknown`` if neither says).

    Examples
    --------
    >>> isinstance(cpu_model(), str) and cpu_model() != ""
    True
    """
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def tensorflow_flags() -> dict[str, str]:
    """TensorFlow's version and the settings that move CPU timings, as TensorFlow reports them (imports it).

    ``onednn``: whether TensorFlow runs with oneDNN's CPU kernels (its own
    answer, which follows ``TF_ENABLE_ONEDNN_OPTS`` and the CPU; TensorFlow
    turns them on by default only on some Intel CPUs); ``xla``: filterbank's
    compiled tier XLA-compiles on CPU, plus TensorFlow's global auto-clustering
    setting and ``TF_XLA_FLAGS``; ``threads``: the intra- and inter-op pools
    (0 lets TensorFlow use every core).
    """
    from filterbank.backend._tf import tf

    TF = tf()
    try:
        from tensorflow.python.util import _pywrap_util_port

        onednn = "on" if _pywrap_util_port.IsMklEnabled() else "off"
    except (ImportError, AttributeError):
        onednn = "unknown"
    onednn += f" (TF_ENABLE_ONEDNN_OPTS={os.environ.get('TF_ENABLE_ONEDNN_OPTS', 'unset')})"
    jit = TF.config.optimizer.get_jit() or "off"
    xla = f"compiled tier jit-compiled with the shift executor (the CPU default); auto-clustering {jit}; TF_XLA_FLAGS={os.environ.get('TF_XLA_FLAGS', 'unset')}"
    threading = TF.config.threading
    threads = f"intra-op {threading.get_intra_op_parallelism_threads()}, inter-op {threading.get_inter_op_parallelism_threads()}"
    return {
        "tensorflow": TF.__version__,
        "onednn": onednn,
        "xla": xla,
        "threads": threads + " (0 = one per core)",
        "bfc": os.environ.get("TF_CPU_ALLOCATOR_USE_BFC", "unset"),
    }


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _pywt_version() -> str:
    """The installed PyWavelets, and ``pywt.__version__`` where it says otherwise (1.9.0 says 1.8.0)."""
    import pywt

    installed = _version("PyWavelets")
    return installed if pywt.__version__ == installed else f"{installed} (pywt.__version__ {pywt.__version__})"


def header(repeat: int, flops: dict[str, float] | None = None) -> str:
    """The lines a benchmark run starts with: CPU, cores, library versions, TensorFlow's flags, the BLAS rate."""
    flags = tensorflow_flags()
    lines = [
        f"machine: {cpu_model()}, {os.cpu_count()} core(s), {platform.machine()}, {platform.system()}; "
        f"load average {_load()}",
        f"libraries: TensorFlow {flags['tensorflow']}, PyWavelets {_pywt_version()}, numpy {_version('numpy')}, "
        f"filterbank {_version('filterbank')}; float32 unless a table says otherwise; best of {repeat}",
        f"TensorFlow: oneDNN {flags['onednn']}; XLA: {flags['xla']}; threads: {flags['threads']}; "
        f"BFC CPU allocator: {flags['bfc']}",
    ]
    if flops:
        rates = ", ".join(f"{dtype} {rate / 1e9:.1f} GFLOP/s" for dtype, rate in flops.items())
        lines.append(f"floor: numpy BLAS matmul {rates} (measured now); copies timed per workload")
    return "\n".join(lines)


def _load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def machine_line() -> str:
    """The CPU model and the TensorFlow settings that change CPU timings, in one line (no TensorFlow import).

    Examples
    --------
    >>> machine_line().startswith("cpu: ")
    True
    """
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default")
    bfc = os.environ.get("TF_CPU_ALLOCATOR_USE_BFC", "default")
    return f"cpu: {cpu_model()}; oneDNN opts: {onednn}; BFC CPU allocator: {bfc}; XLA: compiled tier (shift executor)"
