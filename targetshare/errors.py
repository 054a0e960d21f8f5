"""Errors the engine raises on purpose, each with a message a campaign staffer can act on."""


class TargetshareError(Exception):
    """Base class: the CLI prints these as a one-line message and exits 1, with no traceback."""


class InputFileError(TargetshareError):
    """An input file cannot be read at all (missing, wrong format, bad encoding, missing columns)."""


class ConfigError(TargetshareError):
    """A settings value or configuration file is invalid."""
