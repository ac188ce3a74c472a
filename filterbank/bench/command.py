"""The benchmark's options and run, shared by ``filterbank bench`` and ``benchmarks/bench_dwt.py``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["add_arguments", "main", "run_from_args"]


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry shared by ``filterbank bench`` and ``benchmarks/bench_dwt.py``."""
    import argparse

    parser = argparse.ArgumentParser(prog="bench_dwt", description="Time filterbank against the reference libraries.")
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))


def add_arguments(parser: Any) -> None:
    """Add the benchmark options to an ``argparse`` parser."""
    from filterbank.bench.registry import tables

    names = " ".join(name for t in tables() for name in t.names)
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run, seconds)")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per workload (best counts; default 5)")
    parser.add_argument(
        "--only", nargs="*", metavar="W",
        help=f"run only these workloads ({names}; none: only the tables --first-calls or --scaling ask for)",
    )
    parser.add_argument(
        "--first-calls", action="store_true",
        help="also time first calls on new shapes and wavelets, and the memory growth over new shapes",
    )
    parser.add_argument("--shapes", type=int, default=1000, help="distinct shapes for the memory row (default 1000)")
    parser.add_argument(
        "--scaling", action="store_true",
        help="also print the scaling table: ns per sample from 2^8 to 2^24 samples and from 1 to 4096 rows",
    )


def _check(args: Any) -> None:
    from filterbank.bench.registry import tables
    from filterbank.errors import InputError, not_one_of

    if args.repeat < 1:
        raise InputError(f"--repeat must be >= 1; got {args.repeat}")
    if args.shapes < 1:
        raise InputError(f"--shapes must be >= 1; got {args.shapes}")
    known = [name for t in tables() for name in t.names]
    for name in args.only or ():
        if name.split()[0] not in known:
            raise InputError(f"--only: each workload {not_one_of(name, known)}")


def run_from_args(args: Any) -> int:
    """Run with parsed arguments and print the header and the tables; return the exit code."""
    _check(args)
    from filterbank.bench.floor import matmul_rates
    from filterbank.bench.machine import header
    from filterbank.bench.registry import selected

    chosen = selected(args.only)
    flops = matmul_rates(quick=args.quick) if chosen else None
    print(header(args.repeat, flops))
    for table in chosen:
        print()
        print(f"[{table.title}]")
        with _fresh_budget():
            print(table(quick=args.quick, repeat=args.repeat, flops=flops, names=args.only))
        if table.run.__module__ == "filterbank.bench.engine":
            print(_engine_notes())
    if args.scaling:
        from filterbank.bench.scaling import format_scaling, run_scaling

        print()
        print("[scaling: wavedec db4 level 3, float32, numpy in and out, compile='auto']")
        with _fresh_budget():
            print(format_scaling(run_scaling(quick=args.quick, repeat=args.repeat)))
    if args.first_calls:
        from filterbank.bench.first_calls import first_calls, format_first_calls, memory_growth

        print()
        print("[first calls and memory growth]")
        print(format_first_calls(first_calls(quick=args.quick), memory_growth(args.shapes if not args.quick else 100)))
    return 0


def _fresh_budget() -> Any:
    """A fresh process's compile budget on top of what the tables before spent.

    A user's process compiles what it uses; one bench run compiles every
    workload's programs, and with one budget for all of them the later
    tables would find it spent and stay uncompiled (P1/P2 at 1.1x/0.6x of
    PyWavelets instead of 4.5-5x in a full run).
    """
    import filterbank as fb
    from filterbank.backend.tiers import compile_spent, execution_options

    return fb.execution(compile_budget=compile_spent() + execution_options().compile_budget)


def _engine_notes() -> str:
    from filterbank.bench._timing import filterbank_peak

    method = filterbank_peak(lambda: None)[1]
    peak = ("peak MiB fb: rise of the peak resident set (this TensorFlow's CPU allocator keeps no statistics)"
            if method == "rss" else "peak MiB fb: peak bytes in use of TensorFlow's CPU allocator (whole chunks; C1: resident-set rise plus the allocator's peak, which holds its output)")
    return peak + "\nfloor ms: M = the copy of input into output-sized memory, A = the multiply-adds at the BLAS rate"
