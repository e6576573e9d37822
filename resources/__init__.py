"""Data files shipped with readerapp: starter library, sample PDF, icons, desktop entry.

This folder installs as the package ``readerapp.resources`` (see pyproject.toml); read its files
with ``readerapp.resource_files.resource_path``.
"""
