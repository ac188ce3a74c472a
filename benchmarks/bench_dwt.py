"""Time filterbank against PyWavelets on the engine workloads W1-W4 (float32, this machine).

Usage::

    python benchmarks/bench_dwt.py            # full sizes
    python benchmarks/bench_dwt.py --quick    # small sizes, a smoke run

Same as ``filterbank bench``; the implementation lives in :mod:`filterbank.bench`.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from filterbank.bench import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
