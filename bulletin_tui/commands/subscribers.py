"""`bulletin-tui subscribers ...`: lists, import, export, single changes, subject access and erasure."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..domain.organisation import OrganisationType
from ..domain.subscribers import LawfulBasis
from ..domain.times import LONDON
from ..services.mailings.bounce_lift import lift_campaign_bounces
from ..services.privacy import subject as privacy
from ..services.subscribers import export as subscribers_export
from ..services.subscribers import import_commit as imports_commit
from ..services.subscribers import lists, suppression, who
from ..services.subscribers import people as subscribers
from ..services.subscribers import unsubscribe_mail as subscribers_mail
from ..services.subscribers.imports import ImportPreview
from .common import check_output, print_json, state
from .subscribers_who import type_counts_json, type_counts_line, who_json, who_line

app = typer.Typer(no_args_is_help=True)
ListOption = Annotated[str | None, typer.Option("--list", help="List slug or name (default: e-bulletin).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


@app.command("lists")
def lists_(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Distribution lists with their subscribed / unsubscribed counts."""
    context = state(ctx).context(read_only=True)
    counts = lists.member_counts(context)
    rows = [{"slug": d.slug, "title": d.name, "name": d.name, "status": "restricted-cleared"
             if d.cleared_for_restricted else "open", "public": d.public, "subscribed": counts[d.slug]["subscribed"],
             "unsubscribed": counts[d.slug]["unsubscribed"]} for d in lists.all_lists(context)]
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo("No lists yet. Add one with: bulletin-tui subscribers list-add SLUG --name NAME")
    for row in rows:
        typer.echo(f"{row['slug']:<26} {row['subscribed']:>7} subscribed {row['unsubscribed']:>6} unsubscribed"
                   f"  {row['name']}{'  (cleared for restricted items)' if row['status'] != 'open' else ''}")


@app.command("list-add")
def list_add(
    ctx: typer.Context, slug: str, name: Annotated[str, typer.Option("--name")],
    description: Annotated[str, typer.Option("--description")] = "",
    restricted: Annotated[bool, typer.Option("--restricted", help="Cleared for restricted items.")] = False,
    public: Annotated[bool, typer.Option("--public", help="Offer it on the web sign-up page.")] = False,
) -> None:
    """Create a distribution list."""
    made = lists.add_list(state(ctx).context(), slug, name, description=description,
                          cleared_for_restricted=restricted, public=public)
    typer.echo(f"Added list {made.slug}: {made.name}{' (offered on the sign-up page)' if made.public else ''}")


@app.command("list-public")
def list_public(ctx: typer.Context, list_name: str,
                off: Annotated[bool, typer.Option("--off", help="Stop offering it.")] = False) -> None:
    """Offer a list (slug or name) on the web sign-up page, or with --off stop offering it."""
    changed = lists.set_public(state(ctx).context(), list_name, not off)
    typer.echo(f"List {changed.slug} is {'now' if changed.public else 'no longer'} offered on the sign-up page")


@app.command("list-rename")
def list_rename(ctx: typer.Context, list_name: str, new_name: str) -> None:
    """Give a list (slug or name) a new name; its slug stays, so tokens and ledgers still match."""
    renamed = lists.rename_list(state(ctx).context(), list_name, new_name)
    typer.echo(f"List {renamed.slug} is now called {renamed.name}")


@app.command("list")
def list_people(ctx: typer.Context, list_name: ListOption = None, as_json: JsonOption = False,
                needs_consent: Annotated[bool, typer.Option("--needs-consent", help="Only sole traders and "
                                                            "individuals subscribed without consent.")] = False,
                ) -> None:
    """Subscribers (all, or those with a status on one list), by address."""
    context = state(ctx).context(read_only=True)
    slug = lists.resolve_list(context, list_name).slug if list_name else None
    people = subscribers.subscribers_on(context, slug)
    if needs_consent:
        people = who.needing_consent(people, slug)
    if as_json:
        print_json([{"email": p.email, "slug": p.key, "title": p.name, "name": p.name,
                     "organisation": p.organisation, "role": p.role, "area": p.area, "topics": p.topics,
                     **who_json(p),
                     "status": p.lists[slug].status.value if slug else
                     ("subscribed" if any(p.is_subscribed(s) for s in p.lists) else "unsubscribed"),
                     "lists": {s: m.status.value for s, m in p.lists.items()}} for p in people])
        return
    for p in people:
        statuses = ", ".join(f"{s}: {m.status.value}" for s, m in sorted(p.lists.items()))
        typer.echo(f"{p.email:<40} {p.name[:24]:<24} {statuses}")
    typer.echo(f"{len(people)} subscribers", err=True)


@app.command("add")
def add(
    ctx: typer.Context, email: str, name: Annotated[str, typer.Option("--name")] = "",
    organisation: Annotated[str, typer.Option("--organisation")] = "", list_name: ListOption = None,
    source: Annotated[str, typer.Option("--source", help="How they asked: email request, form, ...")] =
    "email request",
    reference: Annotated[str, typer.Option("--reference", help="Message reference or consent wording.")] = "",
    basis: Annotated[LawfulBasis, typer.Option("--basis")] = LawfulBasis.CONSENT,
    resubscribe: Annotated[bool, typer.Option("--resubscribe", help="They unsubscribed before and asked to "
                                              "rejoin.")] = False,
    topic: Annotated[list[str] | None, typer.Option("--topic", help="A priority or theme they follow "
                                                    "(repeatable).")] = None,
) -> None:
    """Add one person to a list, recording how they consented."""
    person = subscribers.add_subscriber(state(ctx).context(), email, name=name, organisation=organisation,
                                        list_name=list_name, source=source, reference=reference, basis=basis,
                                        resubscribe=resubscribe, topics=topic)
    joined = person.consent[-1].list_slug
    flag = " (needs an SMTPUTF8 server)" if person.smtputf8 else ""
    typer.echo(f"Subscribed {person.email} to {joined}{flag}")


@app.command("edit")
def edit(
    ctx: typer.Context, email: str, name: Annotated[str | None, typer.Option("--name")] = None,
    organisation: Annotated[str | None, typer.Option("--organisation")] = None,
    role: Annotated[str | None, typer.Option("--role")] = None,
    area: Annotated[str | None, typer.Option("--area", help="District or area, e.g. Swale.")] = None,
    topic: Annotated[list[str] | None, typer.Option("--topic", help="Replaces their topics (repeatable).")] = None,
    org_type: Annotated[OrganisationType | None, typer.Option("--org-type", help="Organisation type (replaces a "
                                                              "guess from the address).")] = None,
    basis: Annotated[LawfulBasis | None, typer.Option("--basis", help="Record the lawful basis for their lists "
                                                      "(a consent record each).")] = None,
    list_name: Annotated[str | None, typer.Option("--list", help="Record --basis for this list only.")] = None,
    reference: Annotated[str, typer.Option("--reference", help="Consent wording or message reference.")] = "",
) -> None:
    """Change a person's details; options left out keep their value (lists change with add/unsubscribe)."""
    context = state(ctx).context()
    who_given = org_type is not None or basis is not None
    if any(value is not None for value in (name, organisation, role, area, topic)) or not who_given:
        person = subscribers.update_details(context, email, name=name, organisation=organisation, role=role,
                                            area=area, topics=topic)
        typer.echo(f"Updated {person.email}: {person.name or '(no name)'}, "
                   f"{person.organisation or '(no organisation)'}"
                   f"{', ' + ', '.join(person.topics) if person.topics else ''}")
    if who_given:
        typer.echo(who_line(who.set_who(context, email, organisation_type=org_type, basis=basis,
                                        list_name=list_name, reference=reference)))


@app.command("import")
def import_(
    ctx: typer.Context, file: Path, list_name: ListOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Preview the counts; change nothing.")] = False,
    basis: Annotated[LawfulBasis, typer.Option("--basis")] = LawfulBasis.CONSENT, as_json: JsonOption = False,
) -> None:
    """Import a CSV (any common encoding and delimiter); one atomic write; undo with `undo-import`."""
    context = state(ctx).context(read_only=dry_run)
    preview, record = imports_commit.import_file(context, file, list_name, basis=basis, dry_run=dry_run)
    if as_json:
        print_json({"import_id": record.id if record else None, "dry_run": dry_run, **_preview_json(preview)})
        return
    _print_preview(preview)
    if record:
        typer.echo(f"Imported as {record.id} (undo with: bulletin-tui subscribers undo-import {record.id})")
    else:
        typer.echo("Dry run: nothing was changed.")


def _preview_json(preview: ImportPreview) -> dict[str, object]:
    return {"file": preview.file_name, "list": preview.list_slug, "encoding": preview.encoding,
            "delimiter": preview.delimiter, "ignored_columns": preview.ignored_columns,
            "counts": preview.counts(), "invalid": [vars(n) for n in preview.invalid],
            "duplicates": [vars(n) for n in preview.duplicates], "suppressed_rows": preview.suppressed,
            "unsubscribed_rows": preview.unsubscribed, "opted_out_rows": preview.opted_out,
            "smtputf8_rows": preview.smtputf8, "organisation_types": type_counts_json(preview)}


def _print_preview(preview: ImportPreview, shown: int = 20) -> None:
    typer.echo(f"{preview.file_name}: {preview.encoding}, {preview.delimiter}-separated, list "
               f"{preview.list_slug}" + (f"; ignored columns: {', '.join(preview.ignored_columns)}"
                                         if preview.ignored_columns else ""))
    typer.echo(", ".join(f"{value} {name.replace('_', ' ')}" for name, value in preview.counts().items()))
    typer.echo(type_counts_line(preview))
    for label, notes in (("invalid", preview.invalid), ("duplicate", preview.duplicates)):
        for note in notes[:shown]:
            typer.echo(f"  row {note.row}: {label}: {note.reason}")
        if len(notes) > shown:
            typer.echo(f"  ... and {len(notes) - shown} more {label} rows (see --json)")
    for label, rows in (("suppressed (skipped)", preview.suppressed),
                        ("unsubscribed earlier (left unsubscribed)", preview.unsubscribed),
                        ("marked unsubscribed in the file (recorded as unsubscribed)", preview.opted_out)):
        if rows:
            typer.echo(f"  {label}: rows {_row_list(rows, shown)}")


def _row_list(rows: list[int], shown: int) -> str:
    text = ", ".join(map(str, rows[:shown]))
    return text + (f" ... (+{len(rows) - shown})" if len(rows) > shown else "")


@app.command("imports")
def imports_(ctx: typer.Context, as_json: JsonOption = False,
             show: Annotated[str | None, typer.Option("--show", help="One import in full, with the records its "
                                                      "undo left.")] = None) -> None:
    """Recorded imports (consent evidence): file, time, operator, counts."""
    context = state(ctx).context(read_only=True)
    found = imports_commit.list_imports(context) if show is None else [imports_commit.get_import(context, show)]
    if as_json:
        print_json([{"slug": r.id, "title": r.file_name, "status": "undone" if r.undone_at else "applied",
                     "list": r.list_slug, "at": r.at.isoformat(), "operator": r.operator,
                     "sha256": r.file_sha256, "counts": r.counts, "undo_left": list(r.undo_left.values()),
                     "undo_kept_withdrawals": len(r.undo_kept_withdrawals)} for r in found])
        return
    for r in found:
        state_note = f"undone {r.undone_at.astimezone(LONDON):%d %b %Y %H:%M}" if r.undone_at else "applied"
        typer.echo(f"{r.id}  {r.at.astimezone(LONDON):%d %b %Y %H:%M}  {r.operator:<12} {r.file_name} -> "
                   f"{r.list_slug}: {r.counts.get('new', 0)} new, {r.counts.get('updated', 0)} updated  "
                   f"[{state_note}]")
        if show is not None:
            _print_undo_notes(list(r.undo_left.values()), len(r.undo_kept_withdrawals))


@app.command("undo-import")
def undo_import(ctx: typer.Context, import_id: str) -> None:
    """Undo an import: every record it touched goes back to its previous state (unless changed since)."""
    result = imports_commit.undo_import(state(ctx).context(), import_id)
    typer.echo(f"Undid {result.import_id}: removed {result.removed}, restored {result.restored}")
    _print_undo_notes(list(result.what_changed.values()), len(result.kept_withdrawals))
    if result.kept_changed:
        typer.echo(f"(show this again with: bulletin-tui subscribers imports --show {result.import_id})")


def _print_undo_notes(left: list[str], withdrawals: int) -> None:
    if left:
        typer.echo(f"Left {len(left)} record{'s' if len(left) != 1 else ''} that changed after the import:")
        for line in left:
            typer.echo(f"  {line}")
    if withdrawals:
        typer.echo(f"Kept the consent withdrawal of {withdrawals} person(s) recorded by the import (an undo never "
                   "re-subscribes anyone).")


@app.command("unsubscribe")
def unsubscribe(
    ctx: typer.Context,
    targets: Annotated[list[str], typer.Argument(help="Addresses, tokens, .eml files or folders of them.")],
    list_name: ListOption = None,
    trust_sender: Annotated[bool, typer.Option("--trust-sender", help="For .eml without a token, use the "
                                               "From address.")] = False,
) -> None:
    """Unsubscribe now, from a token, an address (all lists unless --list) or saved unsubscribe e-mails."""
    context, failures = state(ctx).context(), 0
    mail = [Path(t) for t in targets if Path(t).is_dir() or t.lower().endswith(".eml")]
    for target in (t for t in targets if Path(t) not in mail):
        slug = lists.resolve_list(context, list_name).slug if list_name else None
        result = subscribers.unsubscribe(context, target, slug, source="operator")
        typer.echo(_unsubscribed_line(result.email, result.lists, result.already))
    for outcome in subscribers_mail.process_unsubscribe_mail(context, mail, trust_sender=trust_sender):
        if outcome.error:
            failures += 1
            typer.echo(f"{outcome.path.name}: not applied: {outcome.error}", err=True)
        else:
            typer.echo(f"{outcome.path.name}: " + _unsubscribed_line(outcome.email, outcome.lists, outcome.already))
    if failures:
        raise typer.Exit(1)


def _unsubscribed_line(email: str, left: object, already: object) -> str:
    done = f"unsubscribed {email} from {', '.join(left)}" if left else f"{email}: no change"  # type: ignore[arg-type]
    return done + (f" (already unsubscribed from {', '.join(already)})" if already else "")  # type: ignore[arg-type]


@app.command("token")
def token(ctx: typer.Context, email: str, list_name: ListOption = None) -> None:
    """Print the current unsubscribe token of one person's membership (for links and tests)."""
    typer.echo(subscribers.current_token(state(ctx).context(), email, list_name))


@app.command("suppress")
def suppress(ctx: typer.Context, email: str, reason: Annotated[str, typer.Option("--reason")] = "operator") -> None:
    """Add an address to the suppression list (stored only as a keyed HMAC)."""
    suppression.suppress(state(ctx).context(), email, reason)
    typer.echo(f"Suppressed {email.strip()} ({reason})")


@app.command("unsuppress")
def unsuppress(ctx: typer.Context, email: Annotated[str | None, typer.Argument()] = None,
               campaign: Annotated[str | None, typer.Option(
                   "--mailing", "--campaign", help="Lift every suppression this mailing's bounces created "
                   "(--campaign: its old name, for one release).")] = None) -> None:
    """Lift a suppression (the person asked to receive mail again), or all that one mailing's bounces created."""
    if (email is None) == (campaign is None):
        raise typer.BadParameter("give either EMAIL or --mailing ID")
    context = state(ctx).context()
    if campaign is not None:
        lifted = lift_campaign_bounces(context, campaign)
        typer.echo(f"Lifted {len(lifted)} suppression(s) created by bounces in campaign {campaign}; "
                   "unsubscribes and erasures are untouched")
        return
    assert email is not None
    entry = suppression.unsuppress(context, email)
    typer.echo(f"Lifted the suppression of {email.strip()} (was: {entry.reason})")


@app.command("export")
def export(ctx: typer.Context, file: Path, list_name: ListOption = None) -> None:
    """Export to CSV (UTF-8 with BOM for Excel; formula-looking cells neutralised; file mode 0600)."""
    check_output(ctx, file)
    context = state(ctx).context(read_only=True)
    slug = lists.resolve_list(context, list_name).slug if list_name else None
    count = subscribers_export.export_csv(context, file, slug)
    typer.echo(f"Exported {count} subscribers to {file}")


@app.command("show-data")
def show_data(ctx: typer.Context, email: str,
              out: Annotated[Path | None, typer.Option("--out", help="Write the JSON to a file.")] = None) -> None:
    """Everything held about one person (subject access), as JSON."""
    if out is not None:
        check_output(ctx, out)
    context = state(ctx).context(read_only=True)
    data = privacy.subject_access(context, email)
    if out is None:
        print_json(data)
        return
    import orjson

    from ..storage.outputs import write_output

    write_output(out, orjson.dumps(data, option=orjson.OPT_INDENT_2), context.data_dir)
    typer.echo(f"Wrote everything held about {email.strip()} to {out}")


@app.command("erase")
def erase(ctx: typer.Context, email: str,
          yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False) -> None:
    """Erase a person: subscriber record, registrations, ledgers; keep only the suppression HMAC."""
    if not yes:
        typer.confirm(f"Erase everything held about {email.strip()}? This cannot be undone", abort=True)
    report = privacy.erase(state(ctx).context(), email)
    ledger = "not available" if report.ledger_entries is None else report.ledger_entries
    typer.echo(f"Erased: subscriber record {'removed' if report.subscriber else 'not found'}, "
               f"{report.registrations} registrations, {report.import_records} import records scrubbed, "
               f"send-ledger entries redacted: {ledger}, outbox messages removed: {report.outbox_messages}. "
               "The address is now suppressed.")
    if report.web_requests:
        typer.echo(f"  {report.web_requests} web request(s) removed from the inbound journal.")
    if report.feedback_responses:
        typer.echo(f"  {report.feedback_responses} feedback response(s) kept their ratings without the name or "
                   "address.")
    for path, until in report.backups:
        typer.echo(f"  backup {path} still holds the data until {until.astimezone(LONDON):%d %B %Y %H:%M}")
    if not report.backups:
        typer.echo("  No backup holds the data.")
    for path in report.exports:
        typer.echo(f"  export {path} holds the address: delete it if it is no longer needed")
    typer.echo(f"  {privacy.EXTERNAL_COPIES}")
