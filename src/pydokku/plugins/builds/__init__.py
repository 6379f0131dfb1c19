"""builds: a record of every build, with its status, the release it made and its output."""
