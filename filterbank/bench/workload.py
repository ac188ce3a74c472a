"""The rows of the engine table: a workload and its result (shared by `filterbank.bench.engine` and its row modules)."""

from __future__ import annotations

from dataclasses import dataclass

from filterbank.bench.floor import Floor

__all__ = ["Result", "Workload"]


@dataclass(frozen=True)
class Workload:
    """One benchmark case: a name, a shape, a wavelet, a level and the transform."""

    name: str
    kind: str  # "wavedec", "wavedec2", "waverec2", "swt" or "cwt"
    shape: tuple[int, ...]
    wavelet: str
    level: int  # number of scales for "cwt"


@dataclass(frozen=True)
class Result:
    """Timings (seconds), peak memory (bytes) and the floor of one workload."""

    workload: Workload
    pywt_s: float
    fb_numpy_s: float
    fb_tensor_s: float
    compile_s: float
    pywt_peak: int | None
    fb_peak: int | None
    fb_peak_method: str = "allocator"
    floor: Floor | None = None

    @property
    def speedup(self) -> float:
        """PyWavelets time over filterbank time (numpy in, numpy out)."""
        return self.pywt_s / self.fb_numpy_s

    @property
    def over_floor(self) -> float | None:
        """filterbank's time (numpy in, numpy out) over the floor."""
        return None if self.floor is None else self.fb_numpy_s / self.floor.seconds
