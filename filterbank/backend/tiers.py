"""When to compile: the execution tiers every transform shares, and the one cache of compiled functions.

A call runs in one of four tiers::

    numpy      small numpy inputs: the plan on numpy, TensorFlow is never touched
    eager      first calls of a shape: TensorFlow ops one by one (conv executor), no compile
    compiled   shapes that came back: one traced (and, on CPU, XLA-compiled) function
    graph      inside a caller's tf.function: traced inline, the caller decides

A shape is *hot* once it has been called ``promote_calls`` times and has spent
``promote_seconds`` in the eager tier; it is then compiled in a background
thread while later calls keep running eagerly, and served compiled once ready.
So no call waits for a compile it did not ask for (``compile="always"`` asks:
it compiles on the first call and waits). ``compile="never"`` stays eager.
The policy is process-wide (`set_execution`, or `execution` for a
block); ``compile=`` on a call overrides it for that call.

Compiled functions live in the bounded ``"compiled"`` cache
(`filterbank.cache_info`), shared by the DWT, the SWT and every later
transform. No TensorFlow at import.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import sys
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from filterbank.cache import named_cache
from filterbank.errors import InputError, check_count, check_option

__all__ = [
    "COMPILE_MODES",
    "Compile",
    "ExecutionOptions",
    "Traced",
    "check_compile",
    "compile_spent",
    "execution",
    "execution_options",
    "in_graph",
    "numpy_first",
    "program_bytes",
    "run",
    "set_execution",
    "wait_for_compiles",
]

Compile = Literal["auto", "always", "never"]

#: Values of the ``compile`` option.
COMPILE_MODES: tuple[str, ...] = ("auto", "always", "never")


@dataclass(frozen=True)
class ExecutionOptions:
    """The process-wide tiering policy.

    Attributes
    ----------
    compile : {"auto", "always", "never"}
        ``"auto"``: first calls without a compile, hot shapes compiled in the
        background. ``"always"``: compile on the first call of a shape (and
        wait). ``"never"``: never compile (numpy or eager only).
    numpy_always_below : int
        numpy inputs with at most this many elements always run on numpy
        (TensorFlow's fixed cost per call would dominate), unless
        ``executor`` or ``compile="always"`` asks for TensorFlow. The default,
        128 Ki, is where a single signal's compiled call stopped losing to
        numpy on a 2-core AMD EPYC (``wavedec`` / ``waverec``, db4, level 5).
        The decimated transforms of 1-D signals (every input one axis: the
        block products of `filterbank.backend.numpy_blocks`) take
        `SIGNAL_FACTOR` times this: on a 2-core Intel Xeon their numpy tier
        beat the compiled call up to 256 Ki samples (``wavedec`` db4 level 3,
        float32: 3.1 against 6.0 ns per sample at 256 Ki; at 512 Ki float64
        lost to PyWavelets, its temporaries faulting in every call).
    numpy_below : int
        Larger numpy inputs up to this many elements run on numpy until
        their shape is hot, then compiled; beyond it, first calls run
        TensorFlow ops eagerly. 0 turns the numpy tier off.
    promote_calls : int
        A shape is hot after this many calls ...
    promote_seconds : float
        ... that together spent at least this long uncompiled.
    background : bool
        Compile hot shapes in a background thread (else in the call that
        makes them hot).
    compile_budget : int
        Bytes of compiled programs this process may create on its own
        (estimated from each traced program's size; XLA keeps its
        executables for the life of the process, so the budget is never
        given back). Hot shapes past it stay uncompiled; ``compile="always"``
        is counted but always honoured.
    """

    compile: Compile = "auto"
    numpy_always_below: int = 1 << 17
    numpy_below: int = 1 << 25
    promote_calls: int = 2
    promote_seconds: float = 0.05
    background: bool = True
    compile_budget: int = 256 << 20


_OPTIONS = ExecutionOptions()
_OPTIONS_LOCK = threading.Lock()


def execution_options() -> ExecutionOptions:
    """The current tiering policy.

    Examples
    --------
    >>> execution_options().compile
    'auto'
    """
    return _OPTIONS


def check_compile(value: Any) -> str:
    """Validate a ``compile`` argument (``None`` means the process-wide policy)."""
    if value is None:
        return _OPTIONS.compile
    return str(check_option("compile", value, COMPILE_MODES))


def set_execution(**changes: Any) -> ExecutionOptions:
    """Change the process-wide tiering policy; return the previous one.

    Parameters
    ----------
    **changes
        Fields of `ExecutionOptions` (``compile``, ``numpy_always_below``,
        ``numpy_below``, ``promote_calls``, ``promote_seconds``, ``background``,
        ``compile_budget``).

    Examples
    --------
    >>> old = set_execution(compile="never")
    >>> execution_options().compile, old.compile
    ('never', 'auto')
    >>> _ = set_execution(**dataclasses.asdict(old))
    """
    global _OPTIONS
    fields = {f.name for f in dataclasses.fields(ExecutionOptions)}
    for name in changes:
        check_option("option", name, sorted(fields))
    if "compile" in changes:
        check_option("compile", changes["compile"], COMPILE_MODES)
    for name in ("numpy_always_below", "numpy_below", "promote_calls", "compile_budget"):
        check_count(name, changes.get(name, 0))
    v = changes.get("promote_seconds", 0.0)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not v >= 0:
        raise InputError(f"promote_seconds must be a non-negative number; got {v!r}")
    with _OPTIONS_LOCK:
        old = _OPTIONS
        _OPTIONS = dataclasses.replace(old, **changes)
    return old


@contextlib.contextmanager
def execution(**changes: Any) -> Iterator[ExecutionOptions]:
    """A block with a changed tiering policy (process-wide while it runs).

    Examples
    --------
    >>> with execution(compile="always") as opts:
    ...     opts.compile
    'always'
    >>> execution_options().compile
    'auto'
    """
    old = set_execution(**changes)
    try:
        yield _OPTIONS
    finally:
        set_execution(**dataclasses.asdict(old))


_EAGERLY: list[Callable[[], bool]] = []  # TensorFlow's executing_eagerly, once it is loaded


def in_graph() -> bool:
    """Whether we are being traced inside a caller's ``tf.function`` (never before TensorFlow loads)."""
    if not _EAGERLY:
        if "tensorflow" not in sys.modules:
            return False
        from filterbank.backend._tf import tf

        _EAGERLY.append(tf().executing_eagerly)
    return not _EAGERLY[0]()


#: How much larger than ``numpy_always_below`` a 1-D signal of a decimated transform may be and stay on numpy.
SIGNAL_FACTOR = 2


def numpy_first(executor: str | None, compile: str, inputs: list[Any], signal: bool = False) -> str | None:
    """The numpy tier a call starts in: ``"only"`` (never compiled), ``"first"`` (until hot) or None.

    ``inputs`` are `Inspected` values; tensors, an
    explicit TensorFlow executor, ``compile="always"`` and tracing inside a
    ``tf.function`` all mean TensorFlow. ``signal``: the caller is a
    decimated transform, whose 1-D inputs get `SIGNAL_FACTOR` times
    ``numpy_always_below``.
    """
    if executor == "numpy":
        if any(not i.numpy for i in inputs):
            raise InputError("executor='numpy' runs on numpy arrays only; got a tf.Tensor (use 'auto', 'conv' or 'shift')")
        return "only"
    if executor not in (None, "auto") or compile == "always" or any(not i.numpy for i in inputs) or in_graph():
        return None
    size = sum(i.size or 0 for i in inputs)
    opts = _OPTIONS
    always = opts.numpy_always_below
    if signal and all(len(i.shape) == 1 for i in inputs):  # never past numpy_below: that still starts compiled
        always = min(always * SIGNAL_FACTOR, max(opts.numpy_below, always))
    if size <= always:
        return "only"
    if size <= opts.numpy_below:
        return "first" if compile == "auto" else "only"
    return None


def functions_run_eagerly() -> bool:
    """``tf.config.run_functions_eagerly(True)`` is on: nothing is compiled."""
    from filterbank.backend._tf import tf

    return bool(tf().config.functions_run_eagerly())


# --------------------------------------------------------------------------- compiled functions

#: One registry for the compiled functions of every transform. Entries are never
#: evicted: XLA keeps an executable for the life of the process even when its
#: function is dropped, so recompiling an evicted shape would only add memory.
#: The registry is bounded instead by the process's compile budget.
_COMPILED = named_cache("compiled", max_entries=4096, max_bytes=1 << 40)
_HOT = named_cache("hotness", max_entries=8192, max_bytes=1 << 30)
_REFUSED = named_cache("uncompiled", max_entries=8192, max_bytes=1 << 30)  # shapes that stay uncompiled
_BYTES_PER_OP = 20 << 10  # measured: 1-D db4 level 3, 290 ops, 4.8 MiB; 2-D, 850 ops, 15.9 MiB
_BYTES_PER_PROGRAM = 1 << 20


class Traced(NamedTuple):
    """A traced, not yet compiled function: ``warm()`` compiles it by running it once."""

    function: Callable[..., Any]
    ops: int
    warm: Callable[[], Any]


class _Budget:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.spent = 0

    def reserve(self, nbytes: int, force: bool = False) -> bool:
        with self._lock:
            if self.spent + nbytes > _OPTIONS.compile_budget and not force:
                return False
            self.spent += nbytes
            return True


_BUDGET = _Budget()


def compile_spent() -> int:
    """Bytes of compiled programs this process has created (estimated; see ``compile_budget``)."""
    return _BUDGET.spent


def program_bytes(ops: int) -> int:
    """Estimated memory of a compiled program of ``ops`` graph operations."""
    return _BYTES_PER_PROGRAM + _BYTES_PER_OP * ops


def _compile(key: Hashable, trace: Callable[[], Traced], asked: bool = False) -> Callable[..., Any] | None:
    """Trace, check the budget, compile and register; None (and remembered) when over budget.

    A compile the caller ``asked`` for (``compile="always"``) is counted but never refused:
    the budget bounds what filterbank decides on its own.
    """
    traced = trace()
    cost = program_bytes(traced.ops)
    if not _BUDGET.reserve(cost, force=asked):
        _REFUSED.put(key, "over budget", 64)
        return None
    traced.warm()
    return _COMPILED.put(key, traced.function, cost)  # type: ignore[no-any-return]


def _compile_or_mark(key: Hashable, trace: Callable[[], Traced]) -> None:
    """An automatic compile: a shape that cannot compile is remembered and stays uncompiled."""
    try:
        _compile(key, trace)
    except Exception:  # noqa: BLE001 - any failure to trace or compile means: stay uncompiled
        _REFUSED.put(key, "failed", 64)


class _Background:
    """At most one compile in flight, in a daemon thread joined at exit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, key: Hashable, trace: Callable[[], Traced]) -> bool:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return False
            self._thread = threading.Thread(target=self._work, args=(key, trace), name="filterbank-compile", daemon=True)
            self._thread.start()
            return True

    @staticmethod
    def _work(key: Hashable, trace: Callable[[], Traced]) -> None:
        _compile_or_mark(key, trace)

    def join(self, timeout: float | None = None) -> None:
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)


_BACKGROUND = _Background()
atexit.register(_BACKGROUND.join)  # never let the interpreter finalise under a running compile


def wait_for_compiles(timeout: float | None = None) -> None:
    """Block until the background compile in flight (if any) is done (for tests and benchmarks)."""
    _BACKGROUND.join(timeout)


def run(
    key: Hashable,
    first: Callable[[], Any],
    trace: Callable[[], Traced],
    call: Callable[[Callable[..., Any]], Any],
    compile: str,
) -> Any:
    """Run one call of the signature ``key`` in the right tier.

    Parameters
    ----------
    key : hashable
        Everything the compiled function depends on (plan, signature, executor).
    first : callable
        Runs the call uncompiled (numpy or eager TensorFlow).
    trace : callable
        Traces the compiled function (`Traced`).
    call : callable
        Runs the call with a compiled function.
    compile : {"auto", "always", "never"}
        The policy for this call.
    """
    if compile != "never":
        fn = _COMPILED.get(key)
        if fn is not None:
            return call(fn)
    refused = _REFUSED.get(key)
    if compile == "always" and refused != "failed":
        fn = _compile(key, trace, asked=True)
        if fn is not None:
            return call(fn)
    t0 = time.perf_counter()
    out = first()
    if compile == "auto" and refused is None:
        _note(key, time.perf_counter() - t0, trace)
    return out


def _note(key: Hashable, seconds: float, trace: Callable[[], Traced]) -> None:
    state = _HOT.get_or_create(key, lambda: [0, 0.0], 64)
    state[0] += 1
    state[1] += seconds
    opts = _OPTIONS
    if state[0] < opts.promote_calls or state[1] < opts.promote_seconds:
        return
    if opts.background:
        if _BACKGROUND.submit(key, trace):
            _HOT.discard(key)
        return
    _HOT.discard(key)
    _compile_or_mark(key, trace)
