"""Errors a user can cause and fix; the CLI prints them on one line and exits 2."""
from __future__ import annotations


class XlingoError(Exception):
    """Base class of every error xlingo reports to the user without a traceback."""


class InputError(XlingoError):
    """An input file or folder cannot be used (missing, empty, binary, undecodable...)."""


class ModelError(XlingoError):
    """The embedding model cannot be provisioned, loaded or verified."""


class ConfigError(XlingoError):
    """The configuration (CLI flags, pyproject.toml, xlingo.toml) is invalid."""
