"""The Jinja environment: built-in templates, an optional user folder that cannot be escaped, strict variables."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..domain.errors import DomainError
from .plaintext import register_text_filters

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "_templates"
SOURCE_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HTML_SUFFIXES = (".html.j2", ".html", ".htm")


def builtin_templates_dir() -> Path:
    """The templates shipped with the package (installed wheel) or the checkout's `templates/`."""
    return PACKAGE_TEMPLATES if PACKAGE_TEMPLATES.is_dir() else SOURCE_TEMPLATES


class ConfinedLoader(FileSystemLoader):
    """A folder loader that refuses any template whose real path (after symlinks) lies outside the folder."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        super().__init__(str(self.root), followlinks=False)

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.root):
            raise TemplateNotFound(template)
        return source, filename, uptodate


def _autoescape(name: str | None) -> bool:
    """HTML templates escape every value; plain text and CSS do not."""
    return bool(name) and str(name).endswith(HTML_SUFFIXES)


def make_environment(user_dir: Path | None = None) -> Environment:
    """A sandboxed environment; templates in `user_dir` override the built-in ones of the same name, which stay
    reachable as `builtin/NAME` (so a user's `email.html.j2` can extend `builtin/email.html.j2`)."""
    loaders: list[BaseLoader] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise DomainError(f"templates_dir {user_dir} is not a folder")
        loaders.append(ConfinedLoader(user_dir))
    builtin = ConfinedLoader(builtin_templates_dir())
    loaders += [builtin, PrefixLoader({"builtin": builtin})]
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders), autoescape=_autoescape, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    register_text_filters(env)
    return env


@lru_cache(maxsize=8)
def cached_environment(user_dir: Path | None) -> Environment:
    """One environment per template folder (Jinja caches compiled templates inside it)."""
    return make_environment(user_dir)
