"""Maintain an app's git repo and build leftovers."""
