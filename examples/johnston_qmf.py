"""Design a Johnston-style 32-tap QMF low-pass and print it as a filterbank spec.

Johnston (1980) chose the even-length, linear-phase low-pass ``h`` of a QMF
bank by minimising a weighted sum of two energies on a frequency grid:

* the stop-band energy ``Es = integral over [ws, pi] of |H(w)|^2``, and
* the reconstruction ripple ``Er = integral over [0, pi] of (|H(w)|^2 + |H(pi - w)|^2 - 2)^2``

(``2`` because filterbank scales ``sum(h) == sqrt(2)``, PyWavelets' gain). This script
redoes that optimisation with scipy (BFGS on the free half of the symmetric taps,
starting from a windowed design) rather than copying a published table, so the
taps in ``filterbank/spec/bundled/johnston-qmf.yaml`` can be regenerated:

    python examples/johnston_qmf.py > filterbank/spec/bundled/johnston-qmf.yaml
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, signal

NUMTAPS = 32
STOP_EDGE = 0.6 * np.pi  # start of the stop band
RIPPLE_WEIGHT = 1.0
GRID = np.linspace(0.0, np.pi, 1024)


def taps(half: np.ndarray) -> np.ndarray:
    return np.concatenate([half, half[::-1]])


def cost(half: np.ndarray) -> float:
    h = taps(half)
    n = np.arange(h.size)
    e = np.exp(-1j * np.outer(GRID, n))
    power = np.abs(e @ h) ** 2
    mirrored = power[::-1]  # |H(pi - w)|^2 on the same grid
    stop = power[GRID >= STOP_EDGE].mean() * (np.pi - STOP_EDGE)
    ripple = ((power + mirrored - 2.0) ** 2).mean() * np.pi
    return float(stop + RIPPLE_WEIGHT * ripple)


def design() -> np.ndarray:
    start = signal.firwin(NUMTAPS, 0.525, window="hamming")
    start *= np.sqrt(2.0) / start.sum()
    result = optimize.minimize(cost, start[: NUMTAPS // 2], method="BFGS", options={"gtol": 1e-12, "maxiter": 5000})
    h = taps(result.x)
    return h * (np.sqrt(2.0) / h.sum())


def main() -> None:
    h = design()
    print("filterbank: 1")
    print("name: johnston-qmf")
    print("description: >-")
    print("  Johnston-style 32-tap QMF bank: linear-phase low-pass minimising stop-band")
    print("  energy above 0.6 pi plus reconstruction ripple (examples/johnston_qmf.py).")
    print("  Near-perfect reconstruction only, as every FIR QMF bank beyond Haar.")
    print("filters:")
    print("  dec_lo:")
    print("    taps:")
    for t in h:
        print(f"    - {float(t)!r}")
    print("derive: qmf")
    print("perfect_reconstruction: false")
    print("tolerance: 1.0e-2")


if __name__ == "__main__":
    main()
