"""Read and write spec YAML safely.

Only PyYAML's *safe* constructors are used, so tags such as
``!!python/object/apply:os.system`` are refused. On top of that, a spec may
not be larger than `MAX_BYTES`, nest deeper than `MAX_DEPTH`, or
use aliases (``*name``), which let a few lines expand into gigabytes
("billion laughs"), or merge keys (``<<``). A key may appear only once in a
mapping (PyYAML would keep the last silently), and integers have at most
`MAX_DIGITS` digits.

Numbers are read as in YAML 1.2 where YAML 1.1 (PyYAML's resolver) gives a
surprise::

    1e-9      float 1e-09 (YAML 1.1: the string '1e-9')
    1:30      the string '1:30' (YAML 1.1: the base-60 integer 90)
    010       the string '010' (YAML 1.1: the octal integer 8)

so that ``numtaps: 1:30`` is refused as "must be an integer" instead of
silently becoming 90.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from filterbank.spec._validate import show
from filterbank.errors import SpecError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "dump_yaml", "parse_yaml"]

#: Largest spec text accepted, in bytes.
MAX_BYTES = 1 << 20
#: Deepest nesting of mappings / lists accepted.
MAX_DEPTH = 8
#: Most digits an integer in a spec may have (Python refuses to convert more than 4300).
MAX_DIGITS = 1000
_MERGE = "tag:yaml.org,2002:merge"


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

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        """PyYAML's mapping, refusing merge keys and a key given twice (PyYAML keeps the last)."""
        if isinstance(node, yaml.MappingNode):
            lines: dict[Any, int] = {}
            for key_node, _ in node.value:
                line = key_node.start_mark.line + 1
                if key_node.tag == _MERGE:
                    raise SpecError(f"yaml: merge keys (<<) are not allowed in a spec (line {line}); write the keys out")
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in lines:
                        raise SpecError(f"yaml: key {show(key)} appears twice in one mapping "
                                        f"(lines {lines[key]} and {line}); give each key once")
                    lines[key] = line
                except TypeError:
                    continue  # unhashable: PyYAML's own message follows
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node: Any) -> int:
        """PyYAML's integer, refusing more than `MAX_DIGITS` digits."""
        text = str(self.construct_scalar(node))
        if len(text.replace("_", "").lstrip("+-")) > MAX_DIGITS:
            raise SpecError(f"yaml: an integer of {len(text)} digits (line {node.start_mark.line + 1}) is longer than "
                            f"{MAX_DIGITS} digits; no spec value needs that many")
        return int(super().construct_yaml_int(node))


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
# YAML 1.1's number resolvers without base 60 and without octal '010', plus YAML 1.2's '1e-9'
_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SpecLoader.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"), list("-+0123456789")
)
_SpecLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?(?:[0-9][0-9_]*)[eE][-+]?[0-9]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_SpecLoader.add_constructor(_INT, _SpecLoader.construct_yaml_int)


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
    loader = None
    try:
        loader = _SpecLoader(text)
        return loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise SpecError(f"yaml: {source} is not valid YAML: it holds the control character #x{ord(char):04x} "
                        f"at position {exc.position}, which YAML does not allow") from None
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
        if loader is not None:
            loader.dispose()


def dump_yaml(data: Any) -> str:
    """Write plain data as block-style YAML that `parse_yaml` reads back.

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
