"""A highlight survives the app being killed (SIGKILL) the moment after it was made."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from readerapp.app import open_services
from tests.annotation_helpers import PAGE_ONE, add_pdf_item, line_rects, make_pdf

ROOT = Path(__file__).resolve().parents[1]

# The same code path the viewer uses: AnnotationService.create_text through open_services.
DRIVER = """
import sys
from readerapp.app import open_services
services = open_services(sys.argv[1], seed=False)
rects = [tuple(map(float, r.split(","))) for r in sys.argv[3:]]
ann = services.annotations.create_text(int(sys.argv[2]), 0, rects, "residual stream", comment="killed")
print(ann.id, flush=True)
sys.stdin.read()  # stay alive, connection open, until killed
"""


def test_highlight_is_there_after_sigkill(home: Path, tmp_path: Path) -> None:
    services = open_services(str(home), seed=False)
    pdf = make_pdf(tmp_path / "paper.pdf", [PAGE_ONE])
    item_id = add_pdf_item(services, pdf)
    services.close()
    rects = [",".join(str(v) for v in r) for r in line_rects(pdf, 0, "residual stream")]
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(home), str(item_id), *rects],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
    )
    try:
        made = int(proc.stdout.readline())  # type: ignore[union-attr]
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
    reopened = open_services(str(home), seed=False)
    try:
        (ann,) = reopened.annotations.annotations(item_id)
        assert (ann.id, ann.quote, ann.comment) == (made, "residual stream", "killed")
        assert ann.prefix.endswith("We train them on the")
    finally:
        reopened.close()
