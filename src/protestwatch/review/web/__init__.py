"""The HTTP API (FastAPI) for finding, reading, correcting and approving events."""
