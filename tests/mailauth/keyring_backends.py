"""Keyring backends a CLI child can be given through PYTHON_KEYRING_BACKEND (no desktop keyring in tests)."""

from __future__ import annotations

from keyring.backend import KeyringBackend


class ProcessKeyring(KeyringBackend):
    """Keeps entries for the life of the process: enough for `mail store-secret` to write and read back."""

    priority = 1  # type: ignore[assignment]
    entries: dict[tuple[str, str], str] = {}  # noqa: RUF012 - one store per process, as a real keyring is

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)
