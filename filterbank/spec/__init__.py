"""Stage 1, the spec: what a filter bank is, as frozen values read from YAML or dicts.

No design, no TensorFlow: this stage validates and round-trips text. Every
error names the key path, the rule and the value received.

=================  ===========================================================
`schema`           `FilterBankSpec`, `FilterSpec`, `SingleFilterSpec`
`parameters`       filter sources and their parameters; the names later stages
                   share (`ROLES`, `DERIVATIONS`, `DEFAULT_TOLERANCE`)
`files`            YAML files and the bundled specs
=================  ===========================================================
"""

from __future__ import annotations

from filterbank.spec.files import bundled_specs, dump_spec, load_spec, read_spec_text
from filterbank.spec.schema import FilterBankSpec, FilterSpec, SingleFilterSpec, Spec, spec_from_dict

__all__ = [
    "FilterBankSpec",
    "FilterSpec",
    "SingleFilterSpec",
    "Spec",
    "bundled_specs",
    "dump_spec",
    "load_spec",
    "read_spec_text",
    "spec_from_dict",
]
