"""List and switch plugins."""
