"""Tables and edge maps the numpy executors share: filters by dtype, extension index maps, weighted edge gathers.

`filter_table` keeps a step's filters in float32 and float64 (complex data
meets the real filters of its precision), `extension_index` turns a mode's
edge rules (`filterbank.modes.Edges`) into one index map of the extended
axis plus the edge blocks that carry weights, and `gather` evaluates such a
weighted block. Used by `filterbank.backend.numpy_executors` and
`filterbank.backend.numpy_blocks`. No TensorFlow here.
"""

from __future__ import annotations

import numpy as np

from filterbank.modes import Edges, Term

__all__ = ["WIDE", "extension_index", "filter_table", "gather"]

#: The dtype a short signal is summed in, by the dtype character of its data.
WIDE = {char: np.dtype(np.result_type(char, np.float64)) for char in "fdFD"}


def _real(char: str) -> str:
    return {"F": "f", "D": "d", "G": "g"}.get(char, char)


def filter_table(*filters: np.ndarray) -> dict[str, tuple[np.ndarray, ...]]:
    """The filters in float32 and float64, by the dtype character of the data they meet.

    Examples
    --------
    >>> t = filter_table(np.array([0.5, 0.5]))
    >>> t["f"][0].dtype, t["D"][0].dtype
    (dtype('float32'), dtype('float64'))
    """
    table: dict[str, tuple[np.ndarray, ...]] = {}
    for char in "fd":
        table[char] = tuple(np.ascontiguousarray(f, dtype=char) for f in filters)
    for char in "FD":
        table[char] = table[_real(char)]
    return table


def gather(x: np.ndarray, terms: tuple[Term, ...], width: int) -> np.ndarray:
    """``sum_k weights[k] * x[..., indices[k]]`` along ``x``'s last axis (zeros for no terms).

    Examples
    --------
    >>> gather(np.array([1.0, 2.0, 3.0]), ((np.array([2, 0]), np.array([2.0, -1.0])),), 2).tolist()
    [6.0, -1.0]
    """
    out = None
    for idx, w in terms:
        term = np.take(x, idx, axis=-1)
        if w is not None:
            term = term * w.astype(x.real.dtype)
        out = term if out is None else out + term
    return np.zeros(x.shape[:-1] + (width,), x.dtype) if out is None else out


def extension_index(edges: Edges, n: int) -> tuple[np.ndarray, list[tuple[slice, tuple[Term, ...], int]]]:
    """One index map for the whole extended axis, and the edge blocks that need weights on top.

    Examples
    --------
    >>> from filterbank.modes import edges
    >>> index, fixes = extension_index(edges(4, 2, 2, "symmetric"), 4)
    >>> index.tolist(), fixes
    ([1, 0, 0, 1, 2, 3, 3, 2], [])
    """
    parts, fixes = [], []
    for terms, width, start in ((edges.head_terms, edges.left, 0), (edges.tail_terms, edges.right, edges.left + n)):
        if width == 0:
            parts.append(np.zeros(0, np.int64))
        elif len(terms) == 1 and terms[0][1] is None:
            parts.append(np.asarray(terms[0][0], np.int64))
        else:
            parts.append(np.zeros(width, np.int64))
            fixes.append((slice(start, start + width), terms, width))
    index = np.concatenate([parts[0], np.arange(n, dtype=np.int64), parts[1]])
    return index, fixes
