"""Zero-downtime deploy checks: healthchecks gate every switch of traffic."""
