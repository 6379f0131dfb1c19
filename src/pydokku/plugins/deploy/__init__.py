"""The deploy pipeline: build, release, run, route."""
