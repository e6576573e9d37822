"""Network access (httpx), politely: rate limits, timeouts, size caps. Never imports Qt."""
