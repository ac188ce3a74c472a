"""Read and write spec YAML safely.

Only PyYAML's *safe* constructors are used, so tags such as
``!!python/object/apply:os.system`` are refused. On top of that, a spec may
not be larger than :data:`MAX_BYTES`, nest deeper than :data:`MAX_DEPTH`, or
use aliases (``*name``), which let a few lines expand into gigabytes
("billion laughs"). ``1e-9`` is read as a float, as in YAML 1.2 (PyYAML's
YAML 1.1 resolver would read it as a string).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from filterbank.errors import SpecError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "dump_yaml", "parse_yaml"]

#: Largest spec text accepted, in bytes.
MAX_BYTES = 1 << 20
#: Deepest nesting of mappings / lists accepted.
MAX_DEPTH = 8


class _SpecLoader(yaml.SafeLoader):
    """SafeLoader without aliases, with a depth limit and YAML 1.2 floats."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise SpecError(
                f"yaml: aliases (*{event.anchor}) are not allowed in a spec "
                f"(line {event.start_mark.line + 1}); write the value out"
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise SpecError(f"yaml: nesting deeper than {MAX_DEPTH} levels (line {mark.line + 1})")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def parse_yaml(text: str | bytes, source: str = "spec") -> Any:
    """Parse spec text with the safe loader and the limits above.

    Examples
    --------
    >>> parse_yaml("filterbank: 1\\ntolerance: 1e-6\\n")
    {'filterbank': 1, 'tolerance': 1e-06}
    >>> parse_yaml("a: !!python/object/apply:os.system [ls]")
    Traceback (most recent call last):
    ...
    filterbank.errors.SpecError: yaml: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed (line 1): specs are read with a safe loader
    """
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise SpecError(f"yaml: {source} is {len(text)} bytes, more than the limit of {MAX_BYTES}")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SpecError(f"yaml: {source} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if len(text) > MAX_BYTES:
        raise SpecError(f"yaml: {source} is {len(text)} characters, more than the limit of {MAX_BYTES}")
    loader = _SpecLoader(text)
    try:
        return loader.get_single_data()
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        match = re.search(r"tag '([^']*)'", str(exc.problem))
        if match:
            raise SpecError(
                f"yaml: tag {match.group(1)!r} is not allowed (line {line}): specs are read with a safe loader"
            ) from None
        raise SpecError(f"yaml: {exc.problem} (line {line})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError(f"yaml: {source} is not valid YAML: {problem}{where}") from None
    finally:
        loader.dispose()


def dump_yaml(data: Any) -> str:
    """Write plain data as block-style YAML that :func:`parse_yaml` reads back.

    Examples
    --------
    >>> print(dump_yaml({"filterbank": 1, "filters": {"dec_lo": {"taps": [0.5, 0.5]}}}), end="")
    filterbank: 1
    filters:
      dec_lo:
        taps:
        - 0.5
        - 0.5
    """
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True)
