"""readerapp: a desktop reading list for AI research."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("readerapp")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"

APP_NAME = "readerapp"
APP_ID = "io.github.readerapp.ReaderApp"
