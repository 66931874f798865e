"""Developer entry points: the embedded system behind `make run`, the SMTP sink, helpers for tests."""
