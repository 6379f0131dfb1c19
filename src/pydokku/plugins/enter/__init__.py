"""Enter running app containers."""
