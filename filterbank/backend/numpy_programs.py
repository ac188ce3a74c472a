"""numpy programs: a plan walked once by the tree driver, then replayed as a flat list of steps.

The driver (`filterbank.plans.tree`) is run once per plan and input layout
on *slots* (placeholders that know their shape) instead of arrays. Every
step it asks for is built (`filterbank.backend.numpy_executors`) and
recorded with the slots it reads and writes, so a call replays the recorded
list on arrays: no tree walk, no dictionaries of paths, no per-level Python
beyond one loop iteration per step::

    plan --(driver on slots, once)--> [(op, reads, writes), ...] + where the results are
    x ----(replay, every call)-------> coefficients

Programs are cached by plan and layout (the bounded ``"numpy programs"``
cache). No TensorFlow here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from filterbank.backend import numpy_executors as ex
from filterbank.cache import named_cache
from filterbank.plans import tree

__all__ = ["forward", "inverse", "inverse_program", "stationary_forward", "stationary_inverse", "stationary_inverse_program"]

Details = list[dict[str, Any]]
_PROGRAMS = named_cache("numpy programs", max_entries=512, max_bytes=32 << 20)


class _Slot:
    """A placeholder for one array of the program: its index and shape."""

    __slots__ = ("index", "shape")

    def __init__(self, index: int, shape: tuple[int, ...]):
        self.index, self.shape = index, shape


class _Recorder:
    """Collects the steps the driver asks for."""

    def __init__(self) -> None:
        self.count = self.nbytes = 0
        self.steps: list[tuple[Callable[..., Any], tuple[int, ...], tuple[int, ...]]] = []
        self.contiguous: set[int] = set()  # slots written by ops whose results are always C-contiguous

    def slot(self, shape: tuple[int, ...]) -> _Slot:
        self.count += 1
        return _Slot(self.count - 1, shape)

    def record(self, op: Callable[..., Any], reads: Sequence[_Slot | None], out_shapes: Sequence[tuple[int, ...]]) -> list[_Slot]:
        outs = [self.slot(s) for s in out_shapes]
        self.nbytes += int(getattr(getattr(op, "__self__", op), "nbytes", 0))
        if getattr(op, "contiguous", False):
            self.contiguous.update(o.index for o in outs)
        self.steps.append((op, tuple(-1 if r is None else r.index for r in reads), tuple(o.index for o in outs)))
        return outs

    def result(self, slot: _Slot | int) -> str:
        """The expression of a result: ``sN``, made contiguous (``c(sN)``) unless its op promises it is."""
        index = slot if isinstance(slot, int) else slot.index
        return f"s{index}" if index in self.contiguous else f"c(s{index})"


def _replay(rec: _Recorder, inputs: Sequence[int], result: str) -> Callable[..., Any]:
    """The recorded steps as one straight-line function: input arrays -> ``result``.

    The function is written out once per program, one line per step, so a
    call runs no loop over steps and builds no list of slots; ``result`` is
    the expression of what it returns, over the slots ``s0, s1, ...``::

        def run(s0):
            s1, s2 = op0(s0)          # level 1 along the axis
            s3, s4 = op1(s1)          # level 2
            return c(s3), [{'d': c(s4)}, {'d': c(s2)}]

    (``c`` makes a result contiguous; a read of ``-1`` is an absent band, None).
    """
    if len(rec.steps) == 1:
        op, reads, writes = rec.steps[0]
        if reads == tuple(inputs) and result == f"s{writes[0]}" and len(writes) == 1:
            return op  # one step whose result is returned as it is (idwt): the op itself, one call less
    names: dict[str, Any] = {"c": _contiguous}
    lines = [f"def run({', '.join(f's{i}' for i in inputs)}):"]
    for j, (op, reads, writes) in enumerate(rec.steps):
        names[f"op{j}"] = op
        args = ", ".join("None" if r < 0 else f"s{r}" for r in reads)
        target = f"s{writes[0]}" if len(writes) == 1 else ", ".join(f"s{w}" for w in writes)
        lines.append(f"    {target} = op{j}({args})")
    lines.append(f"    return {result}")
    exec(compile("\n".join(lines), "<filterbank numpy program>", "exec"), names)  # noqa: S102 - our own text
    run: Callable[..., Any] = names["run"]
    return run


def _levels(rec: _Recorder, levels: Sequence[dict[str, _Slot]], skip: str = "") -> str:
    """The expression of a list of dicts of contiguous results, one per level (keys other than ``skip``)."""
    return "[" + ", ".join("{" + ", ".join(f"{k!r}: {rec.result(v)}" for k, v in lv.items() if k != skip) + "}" for lv in levels) + "]"


def _bytes(program: Any) -> int:
    """Bytes of the index arrays a program holds (its steps stay alive as long as it does)."""
    return int(getattr(program, "nbytes", 0))


def _contiguous(x: np.ndarray) -> np.ndarray:
    return x if x.flags.c_contiguous else np.ascontiguousarray(x)


def _replaced(shape: tuple[int, ...], axis: int, size: int) -> tuple[int, ...]:
    return shape[:axis] + (size,) + shape[axis + 1 :]


# --------------------------------------------------------------------------- the decimated transform


def forward(plan: Any, shape: tuple[int, ...]) -> Callable[[np.ndarray], tuple[np.ndarray, Details]]:
    """``x -> (cA_n, [details_n, ..., details_1])`` for inputs of ``shape`` (cached by plan and shape)."""
    return _PROGRAMS.get_or_create(("dwt forward", plan, shape), lambda: _forward(plan, shape), _bytes)  # type: ignore[no-any-return]


def _forward(plan: Any, shape: tuple[int, ...]) -> Callable[[np.ndarray], tuple[np.ndarray, Details]]:
    rec = _Recorder()
    root = rec.slot(shape)

    def step(band: _Slot, axis: int, axis_step: Any, first: bool) -> list[_Slot]:
        op = ex.analysis_op(axis_step, band.shape, axis)
        out = _replaced(band.shape, axis, axis_step.n_coef)
        return rec.record(op, [band], [out, out])

    by_level = tree.levels(plan, tree.analysis(plan, root, step))
    approx = "a" * len(plan.axes)
    a_slot = by_level[-1][approx].index if by_level else root.index
    run = _replay(rec, [root.index], f"{rec.result(a_slot)}, {_levels(rec, list(reversed(by_level)), approx)}")
    run.nbytes = rec.nbytes  # type: ignore[attr-defined]
    return run  # type: ignore[no-any-return]


def _layout_of(a: np.ndarray | None, details: Details) -> Any:
    return (
        None if a is None else tuple(a.shape),
        tuple(tuple((k, None if v is None else tuple(v.shape)) for k, v in d.items()) for d in details),
    )


def inverse_program(plan: Any, a: np.ndarray | None, details: Details) -> Callable[..., np.ndarray]:
    """The inverse program for coefficients laid out as ``a`` and ``details`` (cached).

    It takes the arrays in their order (``a``, then every detail that is not None).
    """
    layout = _layout_of(a, details)
    return _PROGRAMS.get_or_create(("dwt inverse", plan, layout), lambda: _inverse(plan, layout), _bytes)  # type: ignore[no-any-return]


def inverse(plan: Any, a: np.ndarray | None, details: Details) -> np.ndarray:
    """The inverse of ``plan`` on numpy arrays (details coarsest first, ``None`` entries allowed)."""
    arrays = ([] if a is None else [a]) + [v for d in details for v in d.values() if v is not None]
    return inverse_program(plan, a, details)(*arrays)


def _inverse(plan: Any, layout: Any) -> Callable[..., np.ndarray]:
    rec = _Recorder()
    a_shape, detail_layout = layout
    a_slot = None if a_shape is None else rec.slot(a_shape)
    detail_slots = [{k: None if s is None else rec.slot(s) for k, s in level} for level in detail_layout]
    inputs = ([] if a_slot is None else [a_slot.index]) + [s.index for d in detail_slots for s in d.values() if s is not None]

    def step(lo: _Slot | None, hi: _Slot | None, axis: int, axis_step: Any) -> _Slot:
        present = lo if lo is not None else hi
        assert present is not None
        op = ex.synthesis_op(axis_step, present.shape, axis)
        return rec.record(op, [lo, hi], [_replaced(present.shape, axis, axis_step.n_signal)])[0]

    out = tree.synthesis(plan, tree.from_levels(len(plan.axes), a_slot, detail_slots), step)
    run = _replay(rec, inputs, rec.result(out))
    run.nbytes = rec.nbytes  # type: ignore[attr-defined]
    return run


# --------------------------------------------------------------------------- the stationary transform


def _atrous(axis_step: Any, shape: tuple[int, ...], axis: int, analysis: bool) -> Any:
    taps, t = axis_step.taps, axis_step.t
    F = len(taps.dec_lo)
    c = (F * t) // 2
    if analysis:
        return ex.atrous_op((taps.dec_lo, taps.dec_hi), t, c, 1.0, shape, axis).analysis
    return ex.atrous_op((taps.rec_lo, taps.rec_hi), t, (F - 1) * t - c, 0.5, shape, axis).synthesis


def stationary_forward(plan: Any, x: np.ndarray) -> list[dict[str, np.ndarray]]:
    """The levels of the stationary transform of ``plan`` on ``x`` (finest first, approximations included)."""
    shape = tuple(x.shape)
    program = _PROGRAMS.get_or_create(("swt forward", plan, shape), lambda: _stationary_forward(plan, shape), _bytes)
    return program(x)  # type: ignore[no-any-return]


def _stationary_forward(plan: Any, shape: tuple[int, ...]) -> Callable[[np.ndarray], list[dict[str, np.ndarray]]]:
    rec = _Recorder()
    root = rec.slot(shape)

    def step(band: _Slot, axis: int, axis_step: Any, first: bool) -> list[_Slot]:
        return rec.record(_atrous(axis_step, band.shape, axis, True), [band], [band.shape, band.shape])

    run = _replay(rec, [root.index], _levels(rec, tree.levels(plan, tree.analysis(plan, root, step))))
    run.nbytes = rec.nbytes  # type: ignore[attr-defined]
    return run


def stationary_inverse_program(plan: Any, a: np.ndarray | None, details: Details) -> Callable[..., np.ndarray]:
    """The inverse stationary program for coefficients laid out as ``a`` and ``details`` (cached).

    It takes the arrays in their order (``a``, then every detail that is not None).
    """
    layout = _layout_of(a, details)
    return _PROGRAMS.get_or_create(("swt inverse", plan, layout), lambda: _stationary_inverse(plan, layout), _bytes)  # type: ignore[no-any-return]


def stationary_inverse(plan: Any, a: np.ndarray | None, details: Details) -> np.ndarray:
    """The inverse stationary transform of ``plan`` (details coarsest first, ``None`` entries allowed)."""
    arrays = ([] if a is None else [a]) + [v for d in details for v in d.values() if v is not None]
    return stationary_inverse_program(plan, a, details)(*arrays)


def _stationary_inverse(plan: Any, layout: Any) -> Callable[..., np.ndarray]:
    rec = _Recorder()
    a_shape, detail_layout = layout
    a_slot = None if a_shape is None else rec.slot(a_shape)
    detail_slots = [{k: None if s is None else rec.slot(s) for k, s in level} for level in detail_layout]
    inputs = ([] if a_slot is None else [a_slot.index]) + [s.index for d in detail_slots for s in d.values() if s is not None]

    def step(lo: _Slot | None, hi: _Slot | None, axis: int, axis_step: Any) -> _Slot:
        present = lo if lo is not None else hi
        assert present is not None
        return rec.record(_atrous(axis_step, present.shape, axis, False), [lo, hi], [present.shape])[0]

    out = tree.synthesis(plan, tree.from_levels(len(plan.axes), a_slot, detail_slots), step)
    run = _replay(rec, inputs, rec.result(out))
    run.nbytes = rec.nbytes  # type: ignore[attr-defined]
    return run
