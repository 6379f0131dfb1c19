"""pydokku: a Dokku-compatible, self-hosted PaaS."""

__version__ = "0.1.0"
