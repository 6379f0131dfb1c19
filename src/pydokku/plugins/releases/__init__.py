"""Numbered releases of an app, and rollback to any of them."""
