"""network: Docker networks and how app containers join them (Dokku's network plugin)."""
