"""The bounds of a session's settings (no imports: the CLI reads them at start-up for `--help`)."""

MAX_TABLES = 50
MAX_ROUNDS = 100
MIN_MINUTES = 0.01
MAX_MINUTES = 600.0
