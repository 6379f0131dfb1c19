"""Manage the SSH keys allowed to push and run commands."""
