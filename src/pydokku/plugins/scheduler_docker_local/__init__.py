"""Run app processes as containers on this Docker engine."""
