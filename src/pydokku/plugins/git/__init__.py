"""Deploy apps with git push: bare repos, the pre-receive hook and git settings."""
