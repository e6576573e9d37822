"""A sentence for the user when Qt cannot load because a system library is missing.

Qt needs a few libraries that neither the wheels nor the frozen bundle carry (libGL, libEGL,
libxcb...). Without one, importing PySide6 fails with an ImportError that names the file; the
user should read which package to install instead.
"""

from __future__ import annotations

import re

from readerapp.resource_files import resource_path

_MISSING = re.compile(r"(lib[\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")


def debian_packages() -> dict[str, str]:
    """soname -> the Debian/Ubuntu package that provides it (resources/system-libraries.tsv)."""
    table: dict[str, str] = {}
    for line in resource_path("system-libraries.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            soname, package = line.split("\t")
            table[soname] = package
    return table


def missing_library_sentence(error: ImportError) -> str | None:
    """What to tell the user when ``error`` is a missing system library, else None."""
    match = _MISSING.search(str(error))
    if match is None:
        return None
    soname = match.group(1)
    package = debian_packages().get(soname)
    how = (
        f"on Debian or Ubuntu: sudo apt-get install {package}"
        if package
        else "install the package of your system that provides it"
    )
    return (
        f"The desktop app cannot start because the system library {soname} is missing ({how}). "
        "The command line works without it."
    )
