"""Importing a form export: arrival order, capacity, duplicates, hybrid modes, all-or-nothing errors."""

from __future__ import annotations

import pytest

from bulletin_tui.domain.errors import DomainError
from bulletin_tui.domain.sessions import AttendanceMode, RegistrationStatus, SessionFormat
from bulletin_tui.services.sessions import registrations
from bulletin_tui.services.sessions.form_import import import_registrations
from bulletin_tui.services.sessions.mail import pending_mail

MS_FORMS = """\
ID,Start time,Completion time,Email,Name,Full name,Email address,Organisation,How will you attend?
1,21/11/2026 09:00:00,21/11/2026 09:05:10,anonymous,,Sam Third,sam@swale.gov.uk,Swale BC,Online (Teams)
2,20/11/2026 08:00:00,20/11/2026 08:01:00,anonymous,,Alex First,alex@kent.police.uk,Kent Police,In person
3,20/11/2026 12:00:00,20/11/2026 12:30:00,anonymous,,"Bloggs, Jo",JO@medway.gov.uk,Medway Council,In person
4,22/11/2026 07:00:00,22/11/2026 07:00:30,anonymous,,Jo again,jo@Medway.gov.uk,Medway Council,Online
"""


@pytest.fixture
def export(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "CSIS December registrations.csv"
    path.write_text(MS_FORMS, encoding="utf-8-sig")
    return path


def test_import_in_arrival_order_with_capacity(ctx, make_session, export):
    make_session("s1", capacity=2, format=SessionFormat.HYBRID, venue="Oakwood House")
    report = import_registrations(ctx, "s1", export)
    assert report.confirmed == ["alex@kent.police.uk", "JO@medway.gov.uk"]
    assert report.waitlisted == ["sam@swale.gov.uk"] and report.duplicates_in_file == 1
    regs = registrations.registrations_for(ctx, "s1")
    assert [(r.name, r.organisation, r.mode, r.status) for r in regs] == [
        ("Alex First", "Kent Police", AttendanceMode.IN_PERSON, RegistrationStatus.CONFIRMED),
        ("Bloggs, Jo", "Medway Council", AttendanceMode.IN_PERSON, RegistrationStatus.CONFIRMED),
        ("Sam Third", "Swale BC", AttendanceMode.ONLINE, RegistrationStatus.WAITLISTED)]
    assert [m.kind.value for m in pending_mail(ctx)] == ["invite", "invite", "waitlisted"]
    again = import_registrations(ctx, "s1", export)
    assert again.already_registered == 3 and again.confirmed == again.waitlisted == []


def test_bad_row_names_file_row_and_field_and_changes_nothing(ctx, make_session, tmp_path):
    make_session("s1")
    path = tmp_path / "form.csv"
    path.write_text("Name,Email address\nA,a@example.org\nB,not-an-address\n", encoding="utf-8")
    with pytest.raises(DomainError, match=r"form.csv: row 3: e-mail: 'not-an-address'.*nothing was imported"):
        import_registrations(ctx, "s1", path)
    assert registrations.registrations_for(ctx, "s1") == [] and pending_mail(ctx) == []


def test_utf16_tab_separated_export_and_dry_run(ctx, make_session, tmp_path):
    make_session("s1")
    path = tmp_path / "form.txt"
    path.write_text("Timestamp\tYour name\tE-mail\tAgency\n2026-11-20 10:00\tZoë Ångström\tzoe@example.org\tKFRS\n",
                    encoding="utf-16")
    preview = import_registrations(ctx, "s1", path, dry_run=True)
    assert preview.confirmed == ["zoe@example.org"] and registrations.registrations_for(ctx, "s1") == []
    import_registrations(ctx, "s1", path)
    [reg] = registrations.registrations_for(ctx, "s1")
    assert (reg.name, reg.organisation, reg.source) == ("Zoë Ångström", "KFRS", "import:form.txt")


def test_no_email_column_is_refused(ctx, make_session, tmp_path):
    make_session("s1")
    path = tmp_path / "names.csv"
    path.write_text("Name,Team\nA,B\n", encoding="utf-8")
    with pytest.raises(DomainError, match="names.csv: row 1 has no e-mail column"):
        import_registrations(ctx, "s1", path)
