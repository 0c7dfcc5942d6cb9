"""Use cases shared by the CLI, the TUI and the web face, one package per capability; each takes an `AppContext`.

subscribers/ bulletins/ sessions/ campaigns/ privacy/ reports/ demo/ (and, as they land, inbox/ web/ mailauth/).
"""
