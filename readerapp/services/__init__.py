"""Plain-Python services that tie storage, network and PDF work together (no Qt)."""
