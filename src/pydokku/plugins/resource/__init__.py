"""resource: CPU, memory and GPU limits and reservations per app and process type."""
