"""Write THIRD_PARTY_NOTICES.md: what the installers bundle, under which licence, with the texts.

Run: python packaging/make_notices.py  (the output is committed; rerun when a dependency changes).
Licence texts are copied verbatim from the installed packages' metadata, from Python's own LICENSE
and from Debian's /usr/share/common-licenses, so nothing is retyped by hand.
"""

from __future__ import annotations

import sys
import sysconfig
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "THIRD_PARTY_NOTICES.md"
COMMON = Path("/usr/share/common-licenses")

# (distribution name, what it is, SPDX licence as used by readerapp, project home)
PACKAGES = [
    ("PySide6-Essentials", "Qt for Python: the Qt 6 libraries and plugins and their Python bindings",
     "LGPL-3.0-only (chosen from LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only)", "https://pyside.org"),
    ("shiboken6", "the binding generator runtime of Qt for Python",
     "LGPL-3.0-only (chosen from LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only)", "https://pyside.org"),
    ("pymupdf", "PyMuPDF and the MuPDF library it contains (PDF rendering, text, annotations)",
     "AGPL-3.0-only (see LICENSE for the full text)", "https://pymupdf.readthedocs.io"),
    ("feedparser", "RSS and Atom parsing", "BSD-2-Clause", "https://github.com/kurtmckee/feedparser"),
    ("feedparser-sgmllib", "the SGML parser feedparser uses", "PSF-2.0",
     "https://github.com/kurtmckee/feedparser-sgmllib"),
    ("platformdirs", "per-user folders", "MIT", "https://github.com/tox-dev/platformdirs"),
    ("filelock", "the lock that paces arXiv requests across readerapp processes", "MIT",
     "https://github.com/tox-dev/filelock"),
    ("httpx", "the HTTP client", "BSD-3-Clause", "https://www.python-httpx.org"),
    ("httpcore", "httpx's transport", "BSD-3-Clause", "https://github.com/encode/httpcore"),
    ("h11", "HTTP/1.1 protocol", "MIT", "https://github.com/python-hyper/h11"),
    ("anyio", "async compatibility layer used by httpx", "MIT", "https://github.com/agronholm/anyio"),
    ("sniffio", "async library detection", "MIT OR Apache-2.0", "https://github.com/python-trio/sniffio"),
    ("idna", "internationalised domain names", "BSD-3-Clause", "https://github.com/kjd/idna"),
    ("certifi", "Mozilla's CA certificate bundle", "MPL-2.0", "https://github.com/certifi/python-certifi"),
    ("markdown-it-py", "Markdown parsing", "MIT", "https://github.com/executablebooks/markdown-it-py"),
    ("mdurl", "URL handling for markdown-it-py", "MIT", "https://github.com/executablebooks/mdurl"),
    ("mdit-py-plugins", "task lists in the notes preview", "MIT",
     "https://github.com/executablebooks/mdit-py-plugins"),
    ("linkify-it-py", "links recognised in notes", "MIT", "https://github.com/tsutsu3/linkify-it-py"),
    ("bibtexparser", "BibTeX import and export", "BSD-3-Clause (chosen from LGPL-3.0 OR BSD)",
     "https://github.com/sciunto-org/python-bibtexparser"),
    ("pyparsing", "the parser bibtexparser uses", "MIT", "https://github.com/pyparsing/pyparsing"),
    ("pylatexenc", "LaTeX in feed titles and abstracts shown as text", "MIT",
     "https://github.com/phfaist/pylatexenc"),
    ("typing_extensions", "typing back-ports", "PSF-2.0", "https://github.com/python/typing_extensions"),
]  # fmt: skip

HEADER = """# Third-party notices

readerapp is free software under the GNU Affero General Public License, version 3 or later
(see `LICENSE`). The installers (the frozen app, the `.deb`, the per-user installer, the AppImage,
the Windows and macOS packages) bundle the Python interpreter and the components below. Each keeps
its own licence; the full texts follow.

Qt and Qt for Python are used under the LGPL-3.0: they are shipped as separate shared libraries in
the app folder (`_internal/PySide6/Qt/lib`), so you may replace them with a compatible build of your
own. The source code of Qt is at https://download.qt.io and of Qt for Python at
https://code.qt.io/cgit/pyside/pyside-setup.git. The source of readerapp itself, which the AGPL
entitles you to, is the repository this file ships in.

| Component | What it does in readerapp | Licence | Home |
| --- | --- | --- | --- |
"""

EXTRA_ROWS = [
    ("Python", "the interpreter the app runs on", "PSF-2.0", "https://www.python.org"),
    ("Qt 6", "bundled inside PySide6-Essentials: Core, Gui, Widgets, PrintSupport, DBus, XcbQpa, "
     "OpenGL and their plugins", "LGPL-3.0-only", "https://www.qt.io"),
    ("ICU", "bundled inside PySide6-Essentials: Unicode support for Qt", "Unicode-DFS-2016",
     "https://icu.unicode.org"),
    ("MuPDF third-party libraries", "inside PyMuPDF: FreeType (FTL), HarfBuzz (MIT), jbig2dec "
     "(AGPL-3.0), lcms2 (MIT), libjpeg (IJG), OpenJPEG (BSD-2-Clause), zlib (Zlib), gumbo-parser "
     "(Apache-2.0), MuJS (ISC), extract (AGPL-3.0)", "as listed", "https://mupdf.com"),
    ("PyInstaller bootloader", "starts the frozen app", "GPL-2.0-or-later WITH Bootloader-exception",
     "https://pyinstaller.org"),
]  # fmt: skip

COMMON_TEXTS = [
    ("GNU Lesser General Public License, version 3", "LGPL-3"),
    ("GNU General Public License, version 3 (which the LGPL-3.0 supplements)", "GPL-3"),
    ("Mozilla Public License, version 2.0", "MPL-2.0"),
    ("Apache License, version 2.0", "Apache-2.0"),
]


def licence_files(dist_name: str) -> list[tuple[str, str]]:
    """The licence files a distribution ships in its metadata, as (name, text)."""
    try:
        dist = distribution(dist_name)
    except PackageNotFoundError:
        sys.exit(f"make_notices: {dist_name} is not installed; install readerapp's dependencies")
    found = []
    for file in dist.files or []:
        name = file.name.upper()
        if ".dist-info" in str(file) and (name.startswith("LICEN") or name.startswith("COPYING")):
            found.append((file.name, file.read_text(encoding="utf-8")))
    return sorted(found)


def fenced(text: str) -> str:
    return "```text\n" + text.strip("\n") + "\n```\n"


def installed(dist_name: str) -> bool:
    try:
        distribution(dist_name)
    except PackageNotFoundError:
        return False
    return True


def build() -> str:
    """The notices for the packages installed here, which are the ones a build bundles (a
    dependency's own dependencies change between releases: httpx no longer pulls in sniffio)."""
    parts = [HEADER]
    bundled = [row for row in PACKAGES if installed(row[0])]
    for name, *_rest in PACKAGES:
        if not installed(name):
            print(f"make_notices: {name} is not installed here, so it is not listed", file=sys.stderr)
    rows = [(f"{n} {distribution(n).version}", what, lic, url) for n, what, lic, url in bundled]
    for name, what, lic, url in rows + EXTRA_ROWS:
        parts.append(f"| {name} | {what} | {lic} | {url} |\n")
    parts.append("\n## Licence texts shipped by the components\n")
    for name, _what, _lic, _url in bundled:
        if name == "pymupdf":  # its COPYING is a one-line pointer to the AGPL, which is LICENSE
            continue
        for filename, text in licence_files(name):
            parts.append(f"\n### {name}: {filename}\n\n{fenced(text)}")
    python_licence = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    parts.append(f"\n### Python\n\n{fenced(python_licence.read_text(encoding='utf-8'))}")
    parts.append("\n## Full texts of the licences named above\n")
    for title, filename in COMMON_TEXTS:
        text = (COMMON / filename).read_text(encoding="utf-8")
        parts.append(f"\n### {title}\n\n{fenced(text)}")
    return "".join(parts)


if __name__ == "__main__":
    OUT.write_text(build(), encoding="utf-8")
    print(OUT)
