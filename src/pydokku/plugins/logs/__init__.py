"""Show app logs."""
