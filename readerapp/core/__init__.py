"""Pure-Python domain logic. Never imports Qt."""
