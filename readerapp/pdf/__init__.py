"""PyMuPDF wrapper: open, render to raw pixels, text, search, links, outline. Never imports Qt."""
