"""Errors a command raises to stop with a clear one-line message."""


class DokkuError(Exception):
    """A failure the user should see as ` !     message` with a non-zero exit."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        # The last log lines of the containers that failed (kept with a failed release).
        self.log_lines: list[str] = []


class UsageError(DokkuError):
    """Wrong arguments: the command's usage line is shown with the message."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.usage = usage


class AppNotFoundError(DokkuError):
    """The named app does not exist."""

    def __init__(self, app: str) -> None:
        super().__init__(f"App {app} does not exist")
