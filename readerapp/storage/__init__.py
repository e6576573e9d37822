"""SQLite storage (stdlib sqlite3). Never imports Qt."""
