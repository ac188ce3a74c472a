"""``filterbank info``: versions, TensorFlow devices and whether float32 runs as TF32.

On Ampere-and-newer NVIDIA GPUs TensorFlow computes float32 convolutions and
matrix products in TF32 (10-bit mantissa, about 1e-3 relative error) unless
told otherwise; this command says whether that is switched on.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from importlib import metadata
from typing import Any

from filterbank.cli._common import describe

__all__ = ["collect_info", "register"]

_PACKAGES = ("numpy", "scipy", "PyWavelets", "PyYAML", "matplotlib", "tensorflow")


def register(sub: Any) -> None:
    """Add the ``info`` sub-command."""
    p = sub.add_parser(
        "info",
        help="print versions, TensorFlow devices and the TF32 setting",
        description=describe(__doc__),
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.set_defaults(func=_main)


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def collect_info() -> dict[str, Any]:
    """Versions, devices and TF32 state as a plain dict (imports TensorFlow).

    Examples
    --------
    >>> info = collect_info()
    >>> sorted(info)
    ['cuda_build', 'devices', 'filterbank', 'packages', 'platform', 'python', 'tensorflow', 'tf32']
    >>> any(d["type"] == "CPU" for d in info["devices"])
    True
    """
    import filterbank
    from filterbank.backend.system import tensorflow_info

    return {
        "filterbank": filterbank.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": {name: _version(name) for name in _PACKAGES},
        **tensorflow_info(),
    }


def _main(args: argparse.Namespace) -> int:
    info = collect_info()
    if args.json:
        json.dump(info, sys.stdout, indent=2, sort_keys=True)
        print()
        return 0
    print(f"filterbank   {info['filterbank']}")
    print(f"python       {info['python']} ({info['platform']})")
    for name, version in info["packages"].items():
        print(f"{name:<12} {version or 'not installed'}")
    print(f"CUDA build   {'yes' if info['cuda_build'] else 'no'}")
    names = ", ".join(f"{d['name'].removeprefix('/physical_device:')}" for d in info["devices"])
    print(f"devices      {names}")
    gpus = [d for d in info["devices"] if d["type"] == "GPU"]
    tf32 = "on" if info["tf32"] else "off"
    note = ("float32 convolutions on Ampere+ GPUs round to TF32 (~1e-3); "
            "tf.config.experimental.enable_tensor_float_32_execution(False) for exact float32")
    print(f"TF32         {tf32}" + (f"  ({note})" if info["tf32"] and gpus else "  (no GPU: float32 is exact float32)" if not gpus else ""))
    return 0
