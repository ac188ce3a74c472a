"""``filterbank bench``: time the engine workloads against PyWavelets and print the table."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``bench`` sub-command."""
    from filterbank.bench import add_arguments

    parser = subparsers.add_parser(
        "bench",
        help="time wavedec/wavedec2/waverec2/swt/cwt against PyWavelets",
        description="Run the benchmark workloads W1-W4 (wavedec2, wavedec, waverec2), S1 (swt) and C1 (cwt), "
        "in float32, with filterbank and PyWavelets on the same arrays and print times, speed-ups, "
        "compile time and peak memory; and M1 (match_template against skimage).",
    )
    add_arguments(parser)
    parser.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    from filterbank.bench import run_from_args

    return run_from_args(args)
