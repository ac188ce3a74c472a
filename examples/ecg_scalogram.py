"""Detect the heartbeats of PyWavelets' bundled ECG from its scalogram, and draw it.

The QRS complexes hold most of the ECG's energy between about 8 and 30 Hz; the
CWT power in that band, summed over frequency, peaks once per beat. Run
``python examples/ecg_scalogram.py [OUT.png]``.
"""

from __future__ import annotations

import sys

import numpy as np
import pywt.data
import scipy.signal

import filterbank as fb

FS = 360.0  # pywt.data.ecg is sampled at 360 Hz


def detect_beats(ecg: np.ndarray, fs: float = FS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Beat positions (samples), the CWT power and its frequencies (Hz)."""
    scales = fb.cwt_scales("cmor1.5-1.0", 1.0, 60.0, 48, fs=fs)
    coefs, freqs = fb.cwt(ecg - ecg.mean(), scales, "cmor1.5-1.0", 1 / fs, method="fft")
    power = np.abs(coefs) ** 2
    band = (freqs >= 8) & (freqs <= 30)
    energy = power[band].sum(axis=0)
    beats, _ = scipy.signal.find_peaks(energy, height=0.3 * energy.max(), distance=int(0.3 * fs))
    return beats, power, freqs


def main(argv: list[str]) -> int:
    ecg = pywt.data.ecg().astype(np.float64)
    beats, power, freqs = detect_beats(ecg)
    rate = 60 * FS / np.median(np.diff(beats))
    print(f"{len(beats)} beats in {len(ecg) / FS:.2f} s, heart rate {rate:.0f} per minute")
    if argv:
        from filterbank.plot import scalogram

        scalogram(np.sqrt(power), freqs, fs=FS, title="pywt.data.ecg, cmor1.5-1.0", path=argv[0])
        print(f"wrote {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
