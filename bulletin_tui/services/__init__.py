"""Use cases shared by the CLI and the TUI. Each takes an `AppContext`."""
