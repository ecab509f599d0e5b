"""Every table of every domain, gathered on one metadata for Alembic and tests."""

from __future__ import annotations

import importlib
import importlib.util

from tiro.core import models as core_models  # noqa: F401 - registers the core tables
from tiro.core.db import Base
from tiro.domains import DOMAINS

for _domain in DOMAINS:
    if importlib.util.find_spec(f"tiro.{_domain}") and importlib.util.find_spec(
        f"tiro.{_domain}.models"
    ):
        importlib.import_module(f"tiro.{_domain}.models")

metadata = Base.metadata
