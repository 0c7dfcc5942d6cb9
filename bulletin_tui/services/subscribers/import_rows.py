"""Turning one CSV row into validated subscriber fields (or a reason it cannot be used)."""

from __future__ import annotations

import re

from pydantic import Field, ValidationError

from ...domain.base import Model
from ...domain.errors import describe_validation_error
from ...domain.organisation import OrganisationType
from ...domain.subscribers import canonical_topic
from ...domain.text import EmailAddress, OneLine
from ..subscribers.csvread import LIST_COLUMN, CsvRow, header_key

_NAMED_ADDRESS = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]+@[^<>]+)>$")
_TOPIC_SPLIT = re.compile(r"[;|\n]")
OPTED_OUT = {"unsubscribed", "no", "n", "false", "0", "optedout", "optout", "withdrawn", "removed"}


class RowFields(Model):
    """The subscriber fields one import row may set."""

    email: EmailAddress
    name: OneLine = Field(default="", max_length=200)
    organisation: OneLine = Field(default="", max_length=200)
    role: OneLine = Field(default="", max_length=200)
    area: OneLine = Field(default="", max_length=100)
    topics: list[OneLine] = Field(default_factory=list)
    opted_out: bool = False
    organisation_type: OrganisationType | None = None
    """From the file's organisation-type column; None: the column is absent or empty (the address is guessed)."""


def row_fields(row: CsvRow, list_slug: str) -> RowFields | str:
    """The row's fields, or a one-line reason naming the field that is wrong.

    A row that says the person unsubscribed (our own export's `List: <slug>` column, or a Status column)
    is marked `opted_out`, so moving lists between installations never re-subscribes anyone."""
    values = row.values
    email = values.get("email", "")
    if not email:
        return "no e-mail address"
    written_type = values.get("organisation_type", "").strip()
    organisation_type = OrganisationType.parse(written_type) if written_type else None
    if written_type and organisation_type is None:
        return (f"organisation type '{written_type[:40]}' is not one of: public body, company (or other corporate "
                "body), individual (or sole trader)")
    name = _spaces(values.get("name", "")) or _spaces(f"{values.get('first_name', '')} {values.get('last_name', '')}")
    named = _NAMED_ADDRESS.match(email)
    if named:
        email, name = named["email"].strip(), name or _spaces(named["name"].strip(" \"'"))
    try:
        return RowFields(
            email=email, name=name, organisation=_spaces(values.get("organisation", "")),
            role=_spaces(values.get("role", "")), area=_spaces(values.get("area", "")),
            topics=[canonical_topic(t) for t in _TOPIC_SPLIT.split(values.get("topics", "")) if t.strip()],
            opted_out=_opted_out(values.get(f"{LIST_COLUMN}{list_slug}") or values.get("status", "")),
            organisation_type=organisation_type,
        )
    except ValidationError as exc:
        return describe_validation_error(exc)


def _opted_out(value: str) -> bool:
    return header_key(value) in OPTED_OUT


def _spaces(value: str) -> str:
    """Collapse runs of whitespace, including newlines from quoted multi-line cells, to single spaces."""
    return " ".join(value.split())
