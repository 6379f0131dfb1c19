"""The nginx proxy: per-app server configs, validated before every reload."""
