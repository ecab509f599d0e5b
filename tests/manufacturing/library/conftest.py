"""Fixtures of the data-library tests (the builders live in library_factories)."""

from .library_factories import lib  # noqa: F401 - the fixture: people on a fresh database
