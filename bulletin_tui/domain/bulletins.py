"""Bulletin items and issues."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from .base import Model
from .errors import DomainError
from .text import Link, MultiLine, OneLine, Slug


class Category(StrEnum):
    """Sections of the bulletin, in the order they appear."""

    LEGISLATION = "legislation"
    PUBLICATION = "publication"
    DATA = "data"
    NEWS = "news"
    FUNDING = "funding"
    SERVICE_CHANGE = "service-change"
    TRAINING = "training"
    CAMPAIGN = "campaign"
    GOOD_PRACTICE = "good-practice"

    @property
    def heading(self) -> str:
        return CATEGORY_HEADINGS[self]

    @classmethod
    def parse(cls, text: str) -> Category:
        """Accept the slug or the wording of the partnership papers ("legislative change", "data release")."""
        key = text.strip().lower().replace("_", "-")
        if key in _SYNONYMS:
            return _SYNONYMS[key]
        try:
            return cls(key)
        except ValueError:
            choices = ", ".join(c.value for c in cls)
            raise DomainError(f"unknown category '{text}' (choose from: {choices})") from None


CATEGORY_HEADINGS = {
    Category.LEGISLATION: "Legislation and policy",
    Category.PUBLICATION: "New publications",
    Category.DATA: "Data releases",
    Category.NEWS: "News",
    Category.FUNDING: "Funding opportunities",
    Category.SERVICE_CHANGE: "Changes to services",
    Category.TRAINING: "Training",
    Category.CAMPAIGN: "Campaigns and awareness events",
    Category.GOOD_PRACTICE: "Good practice and good news",
}

_SYNONYMS = {
    "legislative change": Category.LEGISLATION,
    "legislative changes": Category.LEGISLATION,
    "policy": Category.LEGISLATION,
    "publications": Category.PUBLICATION,
    "data release": Category.DATA,
    "data releases": Category.DATA,
    "media": Category.NEWS,
    "funding opportunity": Category.FUNDING,
    "change to services": Category.SERVICE_CHANGE,
    "changes to services": Category.SERVICE_CHANGE,
    "service change": Category.SERVICE_CHANGE,
    "training offer": Category.TRAINING,
    "awareness event": Category.CAMPAIGN,
    "campaigns": Category.CAMPAIGN,
    "good news": Category.GOOD_PRACTICE,
    "good practice": Category.GOOD_PRACTICE,
}


class Classification(StrEnum):
    UNRESTRICTED = "unrestricted"
    RESTRICTED = "restricted"


class IssueStatus(StrEnum):
    DRAFT = "draft"
    READY = "ready"
    SENT = "sent"


class BulletinItem(Model):
    id: Slug
    title: OneLine = Field(min_length=1, max_length=200)
    category: Category
    summary: MultiLine = Field(default="", max_length=5000, description="Markdown; raw HTML is not rendered")
    link: Link | None = None
    link_text: OneLine = Field(default="", max_length=120)
    source_organisation: OneLine = Field(default="", max_length=200)
    topics: list[OneLine] = Field(default_factory=list)
    classification: Classification = Classification.UNRESTRICTED
    closing_date: date | None = None
    contributed_by: OneLine = ""
    created_at: datetime
    promotional: bool = Field(default=False, description="paid training, a sponsor: individuals need consent (PECR)")

    @model_serializer(mode="wrap")
    def _omit_not_promotional(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """An item that is not promotional is stored (and exported) as before the flag existed."""
        data: dict[str, Any] = handler(self)
        if not self.promotional:
            data.pop("promotional", None)
        return data

    @property
    def restricted(self) -> bool:
        return self.classification is Classification.RESTRICTED


class BulletinIssue(Model):
    slug: Slug
    title: OneLine = Field(min_length=1, max_length=200)
    intro: MultiLine = Field(default="", max_length=5000)
    item_ids: list[str] = Field(default_factory=list, description="the items of this issue, in order")
    status: IssueStatus = IssueStatus.DRAFT
    created_at: datetime
    ready_at: datetime | None = None
    sent_at: datetime | None = None
