"""The tables ``filterbank bench`` prints, one entry per workload module.

A workload module plugs in with one entry in `tables` (and its import
there): it exposes ``run_X(*, quick, repeat, seed)`` returning its rows and
``format_X(rows)`` returning the table as text, and names the workloads
``--only`` selects it by. A run function that also takes ``flops`` gets the
BLAS rates measured once for the whole run (`filterbank.bench.floor`), for
its floor column.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Table", "selected", "tables"]


@dataclass(frozen=True)
class Table:
    """One benchmark table: the workload names ``--only`` knows it by, a title, its run and format functions."""

    names: tuple[str, ...]
    title: str
    run: Callable[..., Any]
    format: Callable[[Any], str]

    def __call__(self, *, quick: bool, repeat: int, seed: int = 0, flops: dict[str, float] | None = None,
                 names: Sequence[str] | None = None) -> str:
        """Run the table's workloads and return the formatted table."""
        kwargs: dict[str, Any] = {"quick": quick, "repeat": repeat, "seed": seed}
        parameters = inspect.signature(self.run).parameters
        if flops is not None and "flops" in parameters:
            kwargs["flops"] = flops
        if names and "names" in parameters:
            kwargs["names"] = names
        return self.format(self.run(**kwargs))


def tables() -> tuple[Table, ...]:
    """Every table, in the order a run prints them.

    Examples
    --------
    >>> [t.names[0] for t in tables()][:3]
    ['W1', 'T1', 'P1']
    """
    from filterbank.bench import engine, match, packets

    from filterbank.bench import mchannel

    entries = [
        Table(engine.NAMES, "engine: DWT, SWT and CWT against PyWavelets", engine.run, engine.format_table),
        Table(("T1",), "template matching against skimage", match.run_match, match.format_match),
        Table(("P1", "P2"), "wavelet packets against PyWavelets (float64)", packets.run_packets, packets.format_packets),
        Table(("M1",), "M-channel filter banks: PQMF against scipy and plain conv1d", mchannel.run_mchannel,
              mchannel.format_mchannel),
    ]
    return tuple(entries)


def selected(only: Sequence[str] | None) -> list[Table]:
    """The tables a ``--only`` list asks for (all for None, none for an empty list).

    Examples
    --------
    >>> [t.names for t in selected(["P2", "T1"])]
    [('T1',), ('P1', 'P2')]
    >>> selected([])
    []
    """
    if only is None:
        return list(tables())
    wanted = {name.split()[0] for name in only}
    return [t for t in tables() if wanted & set(t.names)]
