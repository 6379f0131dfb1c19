"""storage: bind mounts of host directories into app containers, and storage directories."""
