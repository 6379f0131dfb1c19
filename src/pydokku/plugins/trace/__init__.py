"""Trace mode: full tracebacks and DOKKU_TRACE for every command."""
