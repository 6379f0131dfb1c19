"""Choose the scheduler that runs an app's processes."""
