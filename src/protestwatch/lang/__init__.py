"""Language packs: the words and phrases each language's rules read, as YAML in a folder per language
(`lang/en/`), loaded once. Edit the words here, not in Python."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

# libyaml's parser where PyYAML was built with it (the wheels are): the packs load several times faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load(name: str, language: str = "en") -> Any:
    """Load `lang/<language>/<name>.yaml`."""
    with (resources.files(__package__) / language / f"{name}.yaml").open(encoding="utf-8") as handle:
        return read_yaml(handle)


def read_yaml(handle) -> Any:
    return yaml.load(handle, Loader=_LOADER)
