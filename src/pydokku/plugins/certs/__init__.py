"""TLS certificates of apps: checked, stored under the app's `tls/` and served by nginx."""
