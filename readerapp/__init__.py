"""readerapp: a desktop reading list for AI research."""

from __future__ import annotations

APP_NAME = "readerapp"
APP_ID = "io.github.readerapp.ReaderApp"
_FALLBACK_VERSION = "0.1.0"  # a source tree that was never installed


def __getattr__(name: str) -> str:
    # The version comes from the package metadata (one source of truth), read on first use:
    # importlib.metadata costs tens of milliseconds that start-up need not pay.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("readerapp")
        except PackageNotFoundError:
            value = _FALLBACK_VERSION
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module 'readerapp' has no attribute {name!r}")
