"""Errors the clerk can act on. Their message is one Chinese sentence: what happened and what to do."""


class CanlianError(Exception):
    """Base of every error the program expects; its text is shown to the clerk as it is."""


class InputError(CanlianError):
    """The input or the request was wrong; nothing was changed (CLI exit 2)."""


class NotFound(InputError):
    """The person, household or record asked for does not exist."""


class DatabaseError(CanlianError):
    """The database file cannot be used as it is (newer version, in use, damaged)."""
