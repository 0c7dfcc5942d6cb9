"""Turning one CSV row into validated subscriber fields (or a reason it cannot be used)."""

from __future__ import annotations

import re

from pydantic import Field, ValidationError

from ..domain.base import Model
from ..domain.errors import describe_validation_error
from ..domain.text import EmailAddress, OneLine
from .csvread import CsvRow

_NAMED_ADDRESS = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]+@[^<>]+)>$")
_TOPIC_SPLIT = re.compile(r"[;|\n]")


class RowFields(Model):
    """The subscriber fields one import row may set."""

    email: EmailAddress
    name: OneLine = Field(default="", max_length=200)
    organisation: OneLine = Field(default="", max_length=200)
    role: OneLine = Field(default="", max_length=200)
    area: OneLine = Field(default="", max_length=100)
    topics: list[OneLine] = Field(default_factory=list)


def row_fields(row: CsvRow) -> RowFields | str:
    """The row's fields, or a one-line reason naming the field that is wrong."""
    values = row.values
    email = values.get("email", "")
    if not email:
        return "no e-mail address"
    name = _spaces(values.get("name", "")) or _spaces(f"{values.get('first_name', '')} {values.get('last_name', '')}")
    named = _NAMED_ADDRESS.match(email)
    if named:
        email, name = named["email"].strip(), name or _spaces(named["name"].strip(" \"'"))
    try:
        return RowFields(
            email=email, name=name, organisation=_spaces(values.get("organisation", "")),
            role=_spaces(values.get("role", "")), area=_spaces(values.get("area", "")),
            topics=[t.strip() for t in _TOPIC_SPLIT.split(values.get("topics", "")) if t.strip()],
        )
    except ValidationError as exc:
        return describe_validation_error(exc)


def _spaces(value: str) -> str:
    """Collapse runs of whitespace, including newlines from quoted multi-line cells, to single spaces."""
    return " ".join(value.split())
