"""Subcommands beyond the foundation's, one module per feature, each with ``register(subparsers)``.

A module's ``register`` adds its subparser(s) and sets ``handler=callable(args, services) -> int``
on each (``set_defaults(handler=...)``). Handlers raise ``UserError`` for failures.
"""

FEATURE_MODULES: list[str] = [
    "readerapp.commands.annotations",
    "readerapp.commands.add",
    "readerapp.commands.search",
    "readerapp.commands.feeds",
    "readerapp.commands.importexport",
    "readerapp.commands.backups",
]
