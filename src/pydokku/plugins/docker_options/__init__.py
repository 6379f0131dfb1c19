"""docker-options: Docker flags an app's containers get, per phase (build, deploy, run)."""
