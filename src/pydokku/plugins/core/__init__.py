"""Core commands: help, version and the full report."""
