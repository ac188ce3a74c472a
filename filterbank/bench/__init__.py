"""Side-by-side timing of filterbank and the reference libraries on the same arrays, in one process.

``filterbank bench`` (or ``python benchmarks/bench_dwt.py``) prints a header
(`machine`: CPU, cores, versions, TensorFlow's oneDNN, XLA and thread
settings, the BLAS rate measured for the floor) and then one table per
workload module of the `registry`:

=========================  ==============================================
`engine` (W1-W4, S1, C1)   ``wavedec``, ``wavedec2``, ``waverec2``, ``swt``
                           and ``cwt`` (`cwt`) against PyWavelets
`match` (T1)               ``match_template`` against scikit-image
`packets` (P1, P2)         wavelet packet trees against PyWavelets
``bench_mchannel`` (M1)    M-channel banks (issue 16), where present
=========================  ==============================================

``--scaling`` adds time per sample from 2^8 to 2^24 samples and from 1 to
4096 rows (`scaling`); ``--first-calls`` the first calls on new shapes and
the memory over many shapes (`first_calls`). Every workload row has a floor
measured in the same run (`floor`). Timing and memory probes live in one
place (`filterbank.bench._timing`). Timings are never asserted in tests.
"""

from __future__ import annotations

from filterbank.bench._timing import filterbank_peak
from filterbank.bench.command import add_arguments, main, run_from_args
from filterbank.bench.engine import format_table, run, workloads
from filterbank.bench.first_calls import (
    FirstCall,
    MemoryGrowth,
    first_call_cases,
    first_calls,
    format_first_calls,
    memory_growth,
)
from filterbank.bench.floor import Floor, matmul_rates, measure_floor
from filterbank.bench.machine import header, machine_line
from filterbank.bench.match import MatchResult, format_match, run_match
from filterbank.bench.packets import PacketResult, format_packets, run_packets
from filterbank.bench.registry import Table, tables
from filterbank.bench.scaling import ScalingRow, format_scaling, run_scaling
from filterbank.bench.workload import Result, Workload

__all__ = [
    "FirstCall",
    "Floor",
    "MatchResult",
    "MemoryGrowth",
    "PacketResult",
    "Result",
    "ScalingRow",
    "Table",
    "Workload",
    "add_arguments",
    "filterbank_peak",
    "first_call_cases",
    "first_calls",
    "format_first_calls",
    "format_match",
    "format_packets",
    "format_scaling",
    "format_table",
    "header",
    "machine_line",
    "main",
    "matmul_rates",
    "measure_floor",
    "memory_growth",
    "run",
    "run_from_args",
    "run_match",
    "run_packets",
    "run_scaling",
    "tables",
    "workloads",
]
