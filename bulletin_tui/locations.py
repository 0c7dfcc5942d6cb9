"""Where things live: tiny functions returning (and creating) the data, config and cache folders."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "bulletin-tui"


def default_data_dir() -> Path:
    """`BULLETIN_DATA_DIR`, else the platform's user data folder (e.g. ~/.local/share/bulletin-tui)."""
    override = os.environ.get("BULLETIN_DATA_DIR")
    return Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP))


def config_file() -> Path:
    """`BULLETIN_CONFIG`, else config.toml in the platform's user config folder."""
    override = os.environ.get("BULLETIN_CONFIG")
    return Path(override).expanduser() if override else Path(platformdirs.user_config_dir(APP)) / "config.toml"


def ensure_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def outbox_dir(data_dir: Path, *, create: bool = True) -> Path:
    """The outbox folder; `create=False` for readers, which must never create anything."""
    folder = data_dir / "outbox"
    return ensure_dir(folder) if create else folder


def ledger_dir(data_dir: Path, *, create: bool = True) -> Path:
    """The send ledgers' folder; `create=False` for readers, which must never create anything."""
    folder = data_dir / "ledgers"
    return ensure_dir(folder) if create else folder


def confirmations_ledger(data_dir: Path) -> Path:
    """The web face's confirmation e-mails, one durable campaign (its folder is made by the ledger's writer)."""
    return data_dir / "ledgers" / "confirmations" / "web.jsonl"


def exports_dir(data_dir: Path, *, create: bool = True) -> Path:
    """The exports folder; `create=False` for readers, which must never create anything."""
    folder = data_dir / "exports"
    return ensure_dir(folder) if create else folder


def builtin_templates_dir() -> Path:
    """The templates shipped with the package (inside the wheel), or the source tree's `templates/`."""
    packaged = Path(__file__).parent / "_templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "templates"


def tui_state_file() -> Path:
    """The terminal app's small per-user state (the chosen theme): `BULLETIN_STATE_DIR`, else the platform's user
    state folder (e.g. ~/.local/state/bulletin-tui/tui.json). Each officer's own, not the shared data folder's."""
    override = os.environ.get("BULLETIN_STATE_DIR")
    folder = Path(override).expanduser() if override else Path(platformdirs.user_state_dir(APP))
    return folder / "tui.json"
