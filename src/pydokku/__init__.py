"""pydokku: a Dokku-compatible, self-hosted PaaS."""

__version__ = "0.2.0"
# The Dokku release whose commands, output and defaults pydokku follows (docs/commands.md).
DOKKU_COMPAT_VERSION = "0.38.0"
