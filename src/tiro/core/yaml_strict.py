"""A YAML loader that refuses duplicate keys.

PyYAML silently keeps the last of two equal keys; in a parameter file that would hide a
policy value, so the loader treats it as an error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml


class DuplicateKeyError(ValueError):
    """Two equal keys in one YAML mapping."""


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when built with it


class StrictLoader(_BASE):  # type: ignore[misc, valid-type]
    """SafeLoader (libyaml-backed when available) that raises on duplicate mapping keys."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            line = key_node.start_mark.line + 1
            shown = key.isoformat() if isinstance(key, dt.date) else repr(key)
            raise DuplicateKeyError(f"duplicate key {shown} at line {line}")
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file strictly."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=StrictLoader)


def read_user_yaml(path: str | Path, *, field: str = "file", what: str = "key") -> Any:
    """A YAML file a user names (an allocation request, a scenario, a rule), read strictly.

    Every way the file can be wrong — missing, a directory, not UTF-8, not YAML, a key twice
    — is one InvalidInput on ``field``, so each command that reads such a file refuses it the
    same way. ``what`` names the file's kind of key in the duplicate-key message.
    """
    from tiro.core.errors import InvalidInput

    file = Path(path)
    if not file.is_file():
        reason = "is a directory, not a file" if file.is_dir() else "no such file"
        raise InvalidInput(f"{reason}: {file}", field=field)
    try:
        return load_yaml(file)
    except DuplicateKeyError as exc:
        raise InvalidInput(f"{exc}: a {what} may appear once", field=field) from None
    except yaml.YAMLError as exc:
        raise InvalidInput(f"not valid YAML: {' '.join(str(exc).split())}", field=field) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise InvalidInput(f"cannot read the file: {exc}", field=field) from None
