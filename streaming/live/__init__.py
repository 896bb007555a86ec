"""Live sessions: stream keys, the ingest server's callbacks, packaging and archiving."""
