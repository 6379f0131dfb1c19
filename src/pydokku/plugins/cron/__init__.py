"""cron: scheduled one-off containers declared in app.json `cron` entries."""
