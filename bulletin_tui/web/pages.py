"""The pages: unsubscribe (one click, RFC 8058), preferences, sign-up and session registration with double opt-in.

Nothing here writes the database. Every accepted request is journalled (fsynced) before the answer; the answer
is the same whether or not an address is known, so the pages never tell who is on a list."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.identity import canonical_email
from ..domain.sessions import InfoSession
from ..domain.subscribers import TOPICS
from ..domain.times import british_date
from ..services.subscribers.tokens import token_maker
from ..services.web.journal_apply import CONSENT_STATEMENT
from .dates import attendance_modes, date_choices, open_dates, session_places
from .forms import (
    BAD_EMAIL,
    EXPIRED,
    TOO_MANY,
    FieldError,
    clean,
    csrf_ok,
    csrf_token,
    invalid_fields,
    set_csrf_cookie,
    valid_email,
)
from .promises import Standing, confirmation_refusal, token_standing
from .render import page
from .state import preference_key, web_state
from .view import Person

log = logging.getLogger("bulletin_tui.web")


def _now(request: Request) -> str:
    return _clock_now(request).isoformat(timespec="seconds")


def _clock_now(request: Request) -> datetime:
    """The web face's time is the context's clock (BULLETIN_NOW fixes it for reproducible runs)."""
    return web_state(request).ctx.clock.now()


def _list_name(request: Request, slug: str) -> str:
    found = web_state(request).ctx.store.lists.get(slug)
    return found.name if found else slug


def _form_page(request: Request, template: str, status: int = 200, errors: list[FieldError] | None = None,
               **values: Any) -> Response:
    token = csrf_token(request)
    errors = errors or []
    response = page(request, template, status=status, csrf=token, errors=errors, invalid=invalid_fields(errors),
                    **values)
    set_csrf_cookie(request, response, token)
    return response


STALE_TEXT = ("This link is from a message sent before you subscribed again, so it cannot change your "
              "subscription. Use the unsubscribe link in the most recent message, or reply to the team asking to be "
              "removed.")


async def unsubscribe_form(request: Request) -> Response:
    """GET: never acts (mail scanners follow links); a button that POSTs."""
    token = request.path_params["token"]
    standing, list_slug = token_standing(web_state(request), token)
    if standing is Standing.FORGED:
        return page(request, "message.html.j2", status=404, title="This link does not work",
                    text="The unsubscribe link is incomplete or was changed. Use the link in a recent bulletin, or "
                         "reply to the team asking to be removed.")
    if standing is Standing.STALE:
        return page(request, "message.html.j2", title="This link is out of date", text=STALE_TEXT)
    if standing is Standing.DONE:
        return page(request, "unsubscribed.html.j2", token=token, list_name=_list_name(request, list_slug))
    return page(request, "unsubscribe.html.j2", token=token, list_name=_list_name(request, list_slug))


async def unsubscribe_one_click(request: Request) -> Response:
    """POST (RFC 8058 one-click, or the button): journalled before the 200; no cookie or CSRF needed. A token
    already journalled or already applied adds nothing (replays do not grow the journal)."""
    state, token = web_state(request), request.path_params["token"]
    standing, list_slug = token_standing(state, token)
    if standing is Standing.FORGED:
        return page(request, "message.html.j2", status=404, title="This link does not work",
                    text="The unsubscribe link is incomplete or was changed.")
    if standing is Standing.STALE:
        return page(request, "message.html.j2", title="This link is out of date", text=STALE_TEXT)
    if standing is Standing.OPEN:
        refused = await _journal(request, {"id": uuid.uuid4().hex, "at": _now(request), "kind": "unsubscribe",
                                           "token": token})
        if refused is not None:
            return refused
    return page(request, "unsubscribed.html.j2", token=token, list_name=_list_name(request, list_slug))


async def _journal(request: Request, entry: dict[str, Any]) -> Response | None:
    """Journal the entry (durable before the answer); a 503 page when it could not be written (a full disk):
    nothing was recorded, so the visitor is asked to try again rather than told it is done."""
    try:
        await web_state(request).journal(entry)
    except OSError:
        log.error("the journal could not be written: request refused with 503 (disk full?)")
        response = page(request, "message.html.j2", status=503, title="Please try again in a few minutes",
                        text="Your request could not be recorded just now, so nothing has changed yet. Please try "
                             "again in a few minutes, or reply to the team's e-mail.")
        response.headers["Retry-After"] = "120"
        return response
    return None


def _person(request: Request, token: str) -> tuple[Person, str] | None:
    state = web_state(request)
    standing, list_slug = token_standing(state, token)
    if standing in (Standing.FORGED, Standing.STALE):
        return None
    key = state.reference_index().get(token.split(".")[1])
    person = state.ctx.store.subscribers.get(key) if key else None
    return (person, list_slug) if person is not None else None


async def preferences(request: Request) -> Response:
    token = request.path_params["token"]
    found = _person(request, token)
    if found is None:
        return page(request, "message.html.j2", status=404, title="Nothing to show",
                    text="This link does not lead to any subscription (it may be out of date).")
    person, _ = found
    lists = [(slug, _list_name(request, slug)) for slug in sorted(person.lists) if person.is_subscribed(slug)]
    if request.method == "GET":
        return _form_page(request, "preferences.html.j2", token=token, lists=lists, topics=TOPICS,
                          chosen=set(person.topics))
    form = await request.form()
    if not csrf_ok(request, str(form.get("csrf", ""))):
        return _form_page(request, "message.html.j2", status=400, title="Please try again",
                          text="The form had expired. Open the link from the e-mail again.")
    keep = set() if form.get("everything") else {str(v) for v in form.getlist("list")}
    state = web_state(request)
    leave = [token_maker(state.ctx, slug)(person.key) for slug, _ in lists if slug not in keep]
    topics = [t for t in TOPICS if t in {str(v) for v in form.getlist("topic")}]
    entry = {"id": uuid.uuid4().hex, "at": _now(request), "kind": "preferences", "token": token,
             "leave_tokens": leave, "topics": topics}
    unchanged = not leave and topics == list(person.topics)
    if not unchanged and state.index.preferences.get(token) != preference_key(entry):  # a replay adds nothing
        refused = await _journal(request, entry)
        if refused is not None:
            return refused
    left = [name for slug, name in lists if slug not in keep]
    return page(request, "message.html.j2", title="Your choices are saved",
                text=("You will no longer receive: " + ", ".join(left) + ". ") if left else
                "Your lists are unchanged. " + "Topics updated.")


def _public_lists(request: Request) -> list[tuple[str, str, str]]:
    return [(dl.slug, dl.name, dl.description) for dl in web_state(request).ctx.store.lists
            if dl.public and not dl.cleared_for_restricted]


async def _ask_to_confirm(request: Request, kind: str, email: str, request_body: dict[str, Any], subject: str,
                          intro: str) -> Response:
    """Journal the request with its confirmation e-mail (at most 3 an hour per person, however the address is spelt;
    never to a suppressed address), and answer the same either way. The web face opens no mail connection: the
    writer that applies the journal sends the confirmation through the one outbound pipeline (within seconds)."""
    state = web_state(request)
    request_id = uuid.uuid4().hex
    if not state.suppressed(email) and state.limits.confirmations_per_address.allow(canonical_email(email)):
        link = f"{state.base_url}/confirm/{state.confirm.sign(request_id)}"
        refused = await _journal(request, {"id": request_id, "at": _now(request), "kind": f"{kind}_requested",
                                           "request": {**request_body, "email": email, "at": _now(request)},
                                           "confirm": {"subject": subject, "intro": intro, "link": link}})
        if refused is not None:
            return refused
    return page(request, "message.html.j2", title="Check your e-mail",
                text=f"If {email} can receive e-mail, a message with a confirmation link is on its way. Nothing "
                     "happens until the link is followed (it works for 48 hours).")


async def subscribe(request: Request) -> Response:
    lists = _public_lists(request)
    shown: dict[str, Any] = {"lists": lists, "topics": TOPICS, "statement": CONSENT_STATEMENT}
    if request.method == "GET":
        return _form_page(request, "subscribe.html.j2", values={}, chosen_lists=[s for s, _, _ in lists[:1]],
                          chosen_topics=[], **shown)
    form = await request.form()
    values = {name: clean(form.get(name, "")) for name in ("name", "email", "organisation", "area", "consent")}
    email = valid_email(values["email"])
    chosen = [slug for slug, _, _ in lists if slug in {str(v) for v in form.getlist("list")}]
    topics = [t for t in TOPICS if t in {str(v) for v in form.getlist("topic")}]
    first_list = f"list-{lists[0][0]}" if lists else ""
    errors = [error for failed, error in (
        (not csrf_ok(request, str(form.get("csrf", ""))), EXPIRED),
        (email is None, BAD_EMAIL),
        (not chosen, FieldError("lists", "Choose at least one list.", first_list)),
        (values["consent"] != "yes", FieldError("consent", "Tick the box to say you agree to receive the bulletin.")),
        (not web_state(request).limits.forms_per_ip.allow(_client(request)), TOO_MANY),
    ) if failed]
    if errors:
        return _form_page(request, "subscribe.html.j2", status=400, errors=errors, values=values, chosen_lists=chosen,
                          chosen_topics=topics, **shown)
    assert email is not None
    del values["consent"]
    body = {**values, "lists": chosen, "topics": topics, "statement": CONSENT_STATEMENT}
    return await _ask_to_confirm(request, "signup", email, body, "Please confirm your subscription",
                                 "You (or someone using your address) asked to receive the Kent Community Safety "
                                 "Team e-bulletin.")


def _upcoming(request: Request) -> list[InfoSession]:
    """Sessions open for registration: not cancelled, with a date still to come."""
    ctx = web_state(request).ctx
    now = _clock_now(request)
    return sorted((s for s in ctx.store.sessions if not s.cancelled and open_dates(s, now)),
                  key=lambda s: open_dates(s, now)[0].start)


def _places(request: Request, session: InfoSession) -> str:
    return session_places(web_state(request).ctx.store.taken, session, _clock_now(request))


async def sessions_list(request: Request) -> Response:
    now = _clock_now(request)
    rows = [(s, british_date(open_dates(s, now)[0].start), _places(request, s)) for s in _upcoming(request)]
    return page(request, "sessions.html.j2", sessions=rows)


async def session_page(request: Request) -> Response:
    slug = request.path_params["slug"]
    session = next((s for s in _upcoming(request) if s.slug == slug), None)
    if session is None:
        return page(request, "message.html.j2", status=404, title="No such session",
                    text="This session is not open for registration. See the list of upcoming sessions.")
    dates = date_choices(web_state(request).ctx.store.taken, session, _clock_now(request))
    shown: dict[str, Any] = {"session": session, "when": british_date(session.start),
                             "places": _places(request, session), "dates": dates,
                             "modes": attendance_modes(session, _clock_now(request))}
    if request.method == "GET":
        return _form_page(request, "session.html.j2", values={}, **shown)
    form = await request.form()
    values = {name: clean(form.get(name, "")) for name in ("name", "email", "organisation", "access_needs",
                                                           "occurrence", "mode", "consent")}
    errors = _registration_errors(request, form, values, shown)
    if errors:
        return _form_page(request, "session.html.j2", status=400, errors=errors, values=values, **shown)
    del values["consent"]
    email = valid_email(values["email"])
    assert email is not None
    chosen = next((d.label for d in dates if d.id == values["occurrence"]), shown["when"])
    return await _ask_to_confirm(request, "registration", email, {**values, "session": slug},
                                 f"Please confirm your place: {session.title}",
                                 f"You (or someone using your address) asked for a place at “{session.title}” on "
                                 f"{chosen}.")


def _registration_errors(request: Request, form: Any, values: dict[str, str],
                         shown: dict[str, Any]) -> list[FieldError]:
    """What is wrong with a registration form, in the order of its fields (the form as a whole first)."""
    dates, modes = shown["dates"], shown["modes"]
    first_date = f"occurrence-{dates[0].id}" if dates else ""
    first_mode = f"mode-{modes[0][0]}" if modes else ""
    return [error for failed, error in (
        (not csrf_ok(request, str(form.get("csrf", ""))), EXPIRED),
        (bool(dates) and values["occurrence"] not in {d.id for d in dates},
         FieldError("occurrence", "Choose the date you want to attend.", first_date)),
        (bool(modes) and values["mode"] not in {v for v, _ in modes},
         FieldError("mode", "Choose how you will attend: in person or online.", first_mode)),
        (not values["name"], FieldError("name", "Enter your name.")),
        (valid_email(values["email"]) is None, BAD_EMAIL),
        (values["consent"] != "yes", FieldError("consent", "Tick the box to agree to how we use your details.")),
        (not web_state(request).limits.forms_per_ip.allow(_client(request)), TOO_MANY),
    ) if failed]


async def confirm(request: Request) -> Response:
    """GET shows a button (never acts); POST journals the confirmation (the same id however often it is sent)."""
    state = web_state(request)
    request_id = state.confirm.verify(request.path_params["signed"])
    entry = state.index.requested.get(request_id) if request_id else None
    if entry is None:
        return page(request, "message.html.j2", status=404, title="This link does not work",
                    text="The confirmation link is incomplete or more than 48 hours old. Please fill in the form "
                         "again.")
    if request.method == "GET":
        return _form_page(request, "confirm.html.j2", signed=request.path_params["signed"],
                          what=entry["kind"].removesuffix("_requested"))
    form = await request.form()
    if not csrf_ok(request, str(form.get("csrf", ""))):
        return _form_page(request, "confirm.html.j2", status=400, signed=request.path_params["signed"],
                          what=entry["kind"].removesuffix("_requested"),
                          errors=[FieldError("", "The page had expired: press the button again.")])
    refusal = confirmation_refusal(state, entry, _clock_now(request))
    if refusal:
        return page(request, "message.html.j2", status=409, title="This cannot be done", text=refusal)
    kind, confirm_id = entry["kind"].replace("_requested", "_confirmed"), f"confirm-{request_id}"
    if confirm_id not in state.index.confirmed:  # pressing the button again adds nothing
        body = dict(entry["request"])
        if kind == "signup_confirmed":  # only the lists still offered, as the page says
            body["lists"] = [s for s in body["lists"] if (found := state.ctx.store.lists.get(s)) and found.public]
        refused = await _journal(request, {"id": confirm_id, "at": _now(request), "kind": kind, "request": body})
        if refused is not None:
            return refused
    text = ("You are subscribed. The next bulletin will reach you." if kind == "signup_confirmed" else
            "Your registration is confirmed. You will get an e-mail with your place (or your place on the waiting "
            "list) and a calendar invitation shortly.")
    return page(request, "message.html.j2", title="Thank you", text=text)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"
