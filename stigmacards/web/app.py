"""The room's web app: routes, the phone's one page per step, the projector, the start page.

Every phone page is GET (what to show now) plus one POST (what was chosen), answered with a
303 redirect back to the GET, so reloading or going back never sends anything twice. Wrong
tokens are 404 pages; bad forms are 4xx pages in the phone's language; nothing is stored until
the last question, and then in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from stigmacards.reflections.flow import MAX_TEXT, PiiChoice, options_for
from stigmacards.reflections.pii import find_pii, redact
from stigmacards.reflections.wording import pii_kind, promise_lines
from stigmacards.room.access import new_token, same_secret
from stigmacards.room.phones import BAD_ANSWER, CLOSED, FULL, STALE, Ending, Phone, RefusedError, Step
from stigmacards.room.room import Admission, Phase, Room
from stigmacards.web import live
from stigmacards.web.forms import read_form, require_token
from stigmacards.web.headers import SecurityHeaders
from stigmacards.web.texts import other_language, say, words

COOKIE = "stigmacards_phone"


@dataclass(frozen=True)
class Links:
    """The addresses the pages print: the short start page and the join page (for the QR code)."""

    start: str
    join: str
    secure: bool = False


def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("stigmacards.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def create_app(room: Room, links: Links, hub: live.Hub | None = None) -> Starlette:
    """The ASGI app for `room`; `hub` wakes the live updates (one is made when not given)."""
    env = _templates()
    hub = hub or live.Hub()
    room.listen(hub.changed)
    start_form = new_token()  # the start page's form token: the page is public, the POST is not

    def page(name: str, lang: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = env.get_template(name).render(w=words(lang), lang=lang, room=room, links=links, **values)
        return HTMLResponse(html, status_code=status)

    def problem(lang: str, error: RefusedError, back: str | None = None) -> HTMLResponse:
        return page(
            "problem.html", lang, error.status, message=say(error.message, lang, n=MAX_TEXT), back=back
        )

    def not_found(request: Request, exc: Exception | None = None) -> HTMLResponse:
        return page("not_found.html", room.language, 404)

    def failed(request: Request, exc: Exception) -> HTMLResponse:
        # No detail: it could quote what a phone sent. The phone's draft is still in memory.
        return page("problem.html", room.language, 500, message=words(room.language)["reload"], back=None)

    # --- the start page: the room code, for people who type instead of scanning ---------------

    async def start(request: Request) -> Response:
        lang = _lang_param(request, room)
        if request.method == "GET":
            return page("start.html", lang, form_token=start_form)
        try:
            fields = await read_form(request)
            require_token(fields, start_form)
        except RefusedError as error:
            return problem(lang, error, back="/")
        client = request.client.host if request.client else "?"
        ok, wait = room.try_code(fields.get("code", ""), client)
        if ok:
            return RedirectResponse(f"/j/{room.join_token}?lang={lang}", status_code=303)
        shown = words(lang)
        told = shown["wait_code"].format(n=max(1, round(wait))) if wait else shown["wrong_code"]
        return page("start.html", lang, 429 if wait else 403, form_token=start_form, error=told)

    # --- the phone ----------------------------------------------------------------------------

    def phone_of(request: Request) -> Phone | None:
        return room.phone(request.cookies.get(COOKIE))

    def with_cookie(response: Response, phone: Phone) -> Response:
        response.set_cookie(
            COOKIE,
            phone.id,
            path=f"/j/{room.join_token}",
            httponly=True,
            samesite="strict",
            secure=links.secure,
        )
        return response

    def here() -> str:
        return f"/j/{room.join_token}"

    async def join(request: Request) -> Response:
        if not same_secret(room.join_token, request.path_params["token"]):
            return not_found(request)
        phone = phone_of(request)
        fresh = phone is None
        if phone is None:
            phone = room.new_phone(_lang_param(request, room))
        if request.method == "POST":
            try:
                await _act(room, phone, request)
            except RefusedError as error:
                return with_cookie(problem(phone.lang, error, back=here()), phone)
            return with_cookie(RedirectResponse(here(), status_code=303), phone)
        if fresh and "lang" in request.query_params:
            return with_cookie(RedirectResponse(here(), status_code=303), phone)
        return with_cookie(_phone_page(room, phone, page), phone)

    async def switch(request: Request) -> Response:
        if not same_secret(room.join_token, request.path_params["token"]):
            return not_found(request)
        lang = request.path_params["lang"]
        phone = phone_of(request) or room.new_phone(lang)
        if lang in room.languages:
            phone.lang = lang
        return with_cookie(RedirectResponse(here(), status_code=303), phone)

    async def table(request: Request) -> Response:
        if not same_secret(room.join_token, request.path_params["token"]):
            return not_found(request)
        phone = phone_of(request) or room.new_phone()
        number = request.path_params["number"]
        phone.table = number if 1 <= number <= max(1, len(room.board.cards)) else None
        return with_cookie(RedirectResponse(here(), status_code=303), phone)

    # --- the projector --------------------------------------------------------------------------

    async def screen(request: Request) -> Response:
        if not same_secret(room.screen_token, request.path_params["token"]):
            return not_found(request)
        from stigmacards.play.timing import clock_face, shown_seconds

        deck = room.decks[room.language]
        by_id = {card.id: card for card in deck.cards}
        cards = [(n, by_id.get(card_id or "")) for n, card_id in enumerate(room.board.cards, start=1)]
        seconds = shown_seconds(room.remaining())
        clock = f"{-(-seconds // 60)} min" if room.board.calm else clock_face(seconds)
        return page(
            "screen.html", room.language, deck=deck, cards=cards, clock=clock, snapshot=room.snapshot()
        )

    async def qr(request: Request) -> Response:
        if not same_secret(room.screen_token, request.path_params["token"]):
            return not_found(request)
        import io

        import segno

        out = io.BytesIO()
        segno.make(links.join, error="m").save(out, kind="svg", scale=8, border=2, xmldecl=False)
        return Response(out.getvalue(), media_type="image/svg+xml")

    # --- live updates ---------------------------------------------------------------------------

    async def events(request: Request) -> Response:
        token = request.path_params["token"]
        if not (same_secret(room.join_token, token) or same_secret(room.screen_token, token)):
            return not_found(request)
        import asyncio

        hub.bind(asyncio.get_running_loop())
        if hub.streams >= live.MAX_STREAMS:
            return Response(status_code=503)
        return StreamingResponse(
            live.stream(room, hub, room.snapshot),
            media_type="text/event-stream",
            headers={"X-Accel-Buffering": "no"},
        )

    routes = [
        Route("/", start, methods=["GET", "POST"]),
        Route("/j/{token}", join, methods=["GET", "POST"]),
        Route("/j/{token}/lang/{lang}", switch),
        Route("/j/{token}/table/{number:int}", table),
        Route("/j/{token}/events", events),
        Route("/s/{token}", screen),
        Route("/s/{token}/qr.svg", qr),
        Route("/s/{token}/events", events),
        Mount("/static", StaticFiles(packages=[("stigmacards.web", "static")]), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={404: not_found, 405: not_found, 500: failed},
    )
    app.state.hub = hub
    app.add_middleware(SecurityHeaders)
    return app


def _lang_param(request: Request, room: Room) -> str:
    """`?lang=nl` when the room offers it, else the session's language."""
    lang = request.query_params.get("lang", "")
    return lang if lang in room.languages else room.language


async def _act(room: Room, phone: Phone, request: Request) -> None:
    """Take the phone's form; RefusedError when it cannot be taken as it is."""
    fields = await read_form(request)
    require_token(fields, phone.form_token)
    if room.admission() is Admission.CLOSED:
        raise RefusedError(410, CLOSED)
    if room.board.phase is not Phase.REFLECT:
        raise RefusedError(409, STALE)  # a form from the reflections while the rounds go on
    questions = room.questions[phone.lang]
    step = phone.step(len(questions))
    if fields.get("step") != step.value:
        raise RefusedError(409, STALE)
    question_id = fields.get("q", "")
    last = False
    if step is Step.PROMISE:
        if room.admission() is Admission.FULL:
            raise RefusedError(409, FULL)
        phone.accept()
        last = not questions
    elif step is Step.QUESTION:
        last = phone.answer(
            questions, question_id, fields.get("answer"), skip=fields.get("do") == "skip", flagger=find_pii
        )
    elif step is Step.PII:
        try:
            choice = PiiChoice(fields.get("choice", ""))
        except ValueError:
            raise RefusedError(400, BAD_ANSWER) from None
        last = phone.review(questions, question_id, choice, flagger=find_pii, redactor=redact)
    elif step is Step.EDIT:
        last = phone.edited(questions, question_id, fields.get("answer", ""), flagger=find_pii)
    elif step is Step.RETRY:
        if fields.get("do") == "discard":
            room.discard(phone)
            return
        last = True
    if last:
        room.submit(phone)


def _phone_page(room: Room, phone: Phone, page: Callable[..., HTMLResponse]) -> HTMLResponse:
    lang = phone.lang
    questions = room.questions.get(lang, ())
    step = phone.step(len(questions))
    notice, shown = phone.take_notice()
    common: Mapping[str, Any] = {
        "phone": phone,
        "step": step.value,
        "other": other_language(lang) if other_language(lang) in room.languages else None,
        "notice": say(notice, lang) if notice else None,
        "shown": shown,
        "snapshot": room.snapshot(),
        "here": f"/j/{room.join_token}",
    }
    phase = room.board.phase
    if step is Step.DONE:
        return page(
            "done.html", lang, ending=phone.ending.value if phone.ending else Ending.SAVED.value, **common
        )
    if phase is Phase.CLOSED:
        return page("message.html", lang, key="closed", **common)
    if phase is Phase.WAITING:
        return page("message.html", lang, key="waiting", live=True, **common)
    if phase is Phase.ROUND:
        deck = room.decks[lang]
        card = None
        if phone.table is not None and phone.table <= len(room.board.cards):
            card_id = room.board.cards[phone.table - 1]
            card = next((c for c in deck.cards if c.id == card_id), None)
        return page("round.html", lang, deck=deck, card=card, tables=len(room.board.cards), **common)
    if step is Step.PROMISE:
        if room.admission() is Admission.FULL:
            return page("message.html", lang, key="full", live=True, **common)
        from stigmacards.reflections.flow import PROMISED_MIN_GROUP

        lines = promise_lines(min_group=PROMISED_MIN_GROUP, medium="room", translate=lambda m: say(m, lang))
        return page("promise.html", lang, lines=lines, title=room.decks[lang].title, **common)
    if step is Step.RETRY:
        return page("retry.html", lang, full=room.admission() is Admission.FULL, **common)
    question = questions[phone.index]
    number, total = phone.index + 1, len(questions)
    if step is Step.QUESTION:
        options = [(str(o.value), o.label) for o in options_for(question)[1:]]  # [0] is "skip": w.skip
        return page(
            "question.html",
            lang,
            question=question,
            number=number,
            total=total,
            options=options,
            max_text=MAX_TEXT,
            **common,
        )
    flags = [(pii_kind(flag.kind, lambda m: say(m, lang)), flag.text) for flag in phone.flags]
    if step is Step.PII:
        return page("pii.html", lang, question=question, text=phone.pending, flags=flags, **common)
    return page("edit.html", lang, question=question, text=phone.pending, max_text=MAX_TEXT, **common)
