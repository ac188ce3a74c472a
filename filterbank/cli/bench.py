"""``filterbank bench``: time the workloads against the reference libraries and print the tables."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``bench`` sub-command."""
    from filterbank.bench import add_arguments

    parser = subparsers.add_parser(
        "bench",
        help="time wavedec/wavedec2/waverec2/swt/cwt against PyWavelets, with this machine's floor",
        description="Run the benchmark workloads W1-W4 (wavedec2, wavedec, waverec2), S1 (swt) and C1 (cwt), "
        "in float32, with filterbank and PyWavelets on the same arrays and print times, speed-ups, "
        "the floor measured in the same run (copy and BLAS rate), compile time and peak memory; "
        "T1 (match_template against skimage) and P1, P2 (wavelet packets). A header names the CPU, "
        "the versions and TensorFlow's oneDNN, XLA and thread settings. --scaling adds time per sample "
        "at every size, --first-calls the first calls on new shapes.",
    )
    add_arguments(parser)
    parser.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    from filterbank.bench import run_from_args

    return run_from_args(args)
