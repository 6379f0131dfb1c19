"""Per-app and per-service access control over SSH, compatible with dokku-acl."""
