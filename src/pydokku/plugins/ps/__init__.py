"""Manage app processes: scale, start, stop, restart, rebuild."""
