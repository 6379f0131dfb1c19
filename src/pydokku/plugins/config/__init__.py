"""Manage app and global environment variables."""
