"""The year's registers in the app: the partner organisations and the awareness calendar, each a list with keys to
add, edit and remove (and, for a campaign, record a year's dates), through the same services as the CLI."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import attempt_call
from .messages import DataChanged
from .screens.confirm import ConfirmModal
from .screens.records_modal import FieldsModal, RecordChoice, RecordListModal

if TYPE_CHECKING:
    from textual.app import App

    from ..services.context import AppContext

    _AppBase = App[None]
else:
    _AppBase = object

T = TypeVar("T")
RULE_HINT = "'January', '25 Nov to 10 Dec', 'third Monday of November for 7 days' ('' : recorded dates only)"


def _many(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class YearRegisters(_AppBase):
    """Partners and the awareness calendar, as lists over the current screen."""

    ctx: AppContext

    def _register_call(self, action: str, call: Callable[[], T]) -> T | None:
        return attempt_call(self, self.ctx.store, action, call)

    def _apply(self, action: str, call: Callable[[], object], message: str, reopen: Callable[[], None]) -> None:
        """Run one change; when it went through, say so, refresh the screens and show the list again."""
        if self._register_call(action, call) is not None:
            self._changed(message, reopen)

    def _changed(self, message: str, reopen: Callable[[], None]) -> None:
        self.notify(message)
        self.post_message(DataChanged("all"))
        reopen()

    # -- partners ---------------------------------------------------------------------------------------------
    def action_partners(self) -> None:
        from ..services.partners.registry import list_partners

        rows = [(p.slug, [p.name, p.type or "–", ", ".join([*p.domains, *p.addresses]) or "–", p.note or ""])
                for p in list_partners(self.ctx)]
        self.push_screen(RecordListModal(
            f"Partner organisations ({len(rows)}): their e-mails to the team mailbox become draft items",
            ["Name", "Type", "Domains and addresses", "Note"], rows,
            [("add", "Add"), ("edit", "Edit"), ("remove", "Remove")]), self._partner_chosen)

    def _partner_chosen(self, choice: RecordChoice | None) -> None:
        from ..services.partners.registry import add_partner, edit_partner, find_partner, remove_partner

        action, slug = choice or ("", None)
        partner = find_partner(self.ctx, slug) if slug and action in ("edit", "remove") else None

        def added(v: dict[str, str] | None) -> None:
            if v:
                self._apply("Add partner", lambda: add_partner(self.ctx, v["name"], v["type"], _many(v["domains"]),
                                                               _many(v["addresses"]), v["note"]),
                            f"Added partner {v['name']}.", self.action_partners)

        def edited(v: dict[str, str] | None) -> None:
            if v and partner is not None:
                self._apply("Edit partner", lambda: edit_partner(
                    self.ctx, partner.slug, name=v["name"], type_=v["type"], note=v["note"],
                    **_changes("domains", partner.domains, _many(v["domains"])),
                    **_changes("addresses", partner.addresses, _many(v["addresses"]))),
                    f"Saved partner {v['name']}.", self.action_partners)

        def removed(yes: bool | None) -> None:
            if yes and partner is not None:
                self._apply("Remove partner", lambda: remove_partner(self.ctx, partner.slug),
                            f"Removed {partner.name}.", self.action_partners)

        if action == "add":
            self.push_screen(FieldsModal("New partner organisation", self._partner_fields(None)), added)
        elif action == "edit" and partner is not None:
            self.push_screen(FieldsModal(f"Partner: {partner.name}", self._partner_fields(partner)), edited)
        elif action == "remove" and partner is not None:
            self.push_screen(ConfirmModal(f"Remove partner {partner.name}? Its e-mails are no longer drafted; items "
                                          "made earlier keep its name.", confirm_label="Remove", danger=True), removed)

    @staticmethod
    def _partner_fields(partner: Any) -> list[tuple[str, str, str, str]]:
        return [("name", "Name", partner.name if partner else "", "Kent Police"),
                ("type", "Type", partner.type if partner else "", "responsible authority, charity, board…"),
                ("domains", "E-mail domains (comma between; sub-domains count too)",
                 ", ".join(partner.domains) if partner else "", "kent.police.uk"),
                ("addresses", "Individual addresses (comma between)",
                 ", ".join(partner.addresses) if partner else "", "someone@example.org"),
                ("note", "Note", partner.note if partner else "", "")]

    # -- the awareness calendar -------------------------------------------------------------------------------
    def action_awareness_calendar(self) -> None:
        from ..services.awareness.campaigns import list_campaigns
        from ..services.awareness.schedule import upcoming

        next_dates = {o.campaign.slug: o.span.words() for o in reversed(upcoming(self.ctx, weeks=53))}
        rows = [(c.slug, [c.name, c.rule.text() if c.rule else "recorded dates only",
                          next_dates.get(c.slug, "–"), ", ".join(c.topics) or "–"]) for c in list_campaigns(self.ctx)]
        self.push_screen(RecordListModal(
            f"Awareness calendar ({len(rows)} campaigns): the dashboard's next eight weeks and the items offered "
            "for an issue's month come from here", ["Campaign", "Usually", "Next", "Topics"], rows,
            [("add", "Add"), ("edit", "Edit"), ("dates", "A year's dates"), ("remove", "Remove"),
             ("seed", "Add the usual")]), self._campaign_chosen)

    def _campaign_chosen(self, choice: RecordChoice | None) -> None:
        from ..services.awareness.campaigns import add_campaign, edit_campaign, find_campaign, remove_campaign
        from ..services.awareness.seed import seed_campaigns

        action, slug = choice or ("", None)
        campaign = find_campaign(self.ctx, slug) if slug and action in ("edit", "remove") else None
        reopen = self.action_awareness_calendar

        def added(v: dict[str, str] | None) -> None:
            if v:
                self._apply("Add campaign", lambda: add_campaign(
                    self.ctx, v["name"], rule=v["rule"] or None, link=v["link"] or None, topics=_many(v["topics"]),
                    note=v["note"]), f"Added {v['name']}.", reopen)

        def edited(v: dict[str, str] | None) -> None:
            if v and campaign is not None:
                self._apply("Edit campaign", lambda: edit_campaign(
                    self.ctx, campaign.slug, name=v["name"], rule=v["rule"], link=v["link"], topics=_many(v["topics"]),
                    note=v["note"]), f"Saved {v['name']}.", reopen)

        def removed(yes: bool | None) -> None:
            if yes and campaign is not None:
                self._apply("Remove campaign", lambda: remove_campaign(self.ctx, campaign.slug),
                            f"Removed {campaign.name}.", reopen)

        if action == "seed":
            report = self._register_call("Awareness calendar", lambda: seed_campaigns(self.ctx))
            if report is not None:
                self._changed(f"Awareness campaigns added: {', '.join(report.added) or 'none (all there already)'}.",
                              reopen)
        elif action == "add":
            self.push_screen(FieldsModal("New awareness campaign", self._campaign_fields(None)), added)
        elif action == "edit" and campaign is not None:
            self.push_screen(FieldsModal(f"Campaign: {campaign.name}", self._campaign_fields(campaign)), edited)
        elif action == "dates" and slug:
            self._ask_dates(slug)
        elif action == "remove" and campaign is not None:
            self.push_screen(ConfirmModal(f"Remove {campaign.name} and its recorded dates from the calendar? Items "
                                          "already made from it stay.", confirm_label="Remove", danger=True), removed)

    def _ask_dates(self, slug: str) -> None:
        from ..services.awareness.campaigns import record_dates

        def recorded(v: dict[str, str] | None) -> None:
            year = int(v["year"]) if v and v["year"].isdigit() else None
            done = self._register_call("Record dates", lambda: record_dates(self.ctx, slug, year, v["dates"])) \
                if v and v["dates"] else None
            if done is not None:
                campaign, span = done
                self._changed(f"{campaign.name} {span.start.year}: {span.words()}.", self.action_awareness_calendar)

        this_year = str(self.ctx.clock.now().year)
        self.push_screen(FieldsModal("A year's actual dates (they override the usual ones for that year)", [
            ("dates", "Dates", "", "15-21 November, or 28 Dec to 3 Jan, or 2027-11-15 to 2027-11-21"),
            ("year", "Year they start in", this_year, this_year)]), recorded)

    @staticmethod
    def _campaign_fields(campaign: Any) -> list[tuple[str, str, str, str]]:
        return [("name", "Name", campaign.name if campaign else "", "Hate Crime Awareness Week"),
                ("rule", "When it usually runs", campaign.rule.text() if campaign and campaign.rule else "", RULE_HINT),
                ("link", "Link", str(campaign.link or "") if campaign else "", "https://…"),
                ("topics", "Topics (comma between)", ", ".join(campaign.topics) if campaign else "", "hate crime"),
                ("note", "Note", campaign.note if campaign else "", "")]


def _changes(field: str, before: list[str], after: list[str]) -> dict[str, list[str]]:
    """`add_domains=[...], remove_domains=[...]` from the list before and the list typed."""
    return {f"add_{field}": [x for x in after if x not in before],
            f"remove_{field}": [x for x in before if x not in after]}
