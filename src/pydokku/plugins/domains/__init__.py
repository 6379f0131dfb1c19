"""Manage the domains an app answers to."""
