"""The frozen app's entry point (PyInstaller needs a script; the package's own main does the work)."""

import sys

from readerapp.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
