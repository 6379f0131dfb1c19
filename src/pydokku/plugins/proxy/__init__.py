"""Choose and control the proxy in front of an app."""
