"""Run one-off commands in new containers of an app."""
