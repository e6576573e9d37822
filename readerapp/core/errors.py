"""Errors whose message is a sentence for the user; the CLI maps them to exit codes."""


class UserError(Exception):
    """Something the user must be told; str() is the sentence. CLI exit code 1."""

    exit_code = 1


class BadInputError(UserError):
    """The user's input (a file, an argument) cannot be used. CLI exit code 2."""

    exit_code = 2
