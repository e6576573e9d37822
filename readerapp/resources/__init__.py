"""Data files shipped with readerapp (starter library, sample PDF, icons)."""
