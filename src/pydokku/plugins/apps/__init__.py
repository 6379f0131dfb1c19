"""Manage apps: create, destroy, rename, clone, lock."""
