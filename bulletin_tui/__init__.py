"""bulletin-tui: the Kent Community Safety Team's e-bulletin and information sessions, in a terminal."""

__version__ = "0.1.0"
