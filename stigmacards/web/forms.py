"""Reading what a phone sent: bounded, strictly decoded, checked against the phone's form token.

Forms are plain `application/x-www-form-urlencoded` posts (the pages work without JavaScript).
The body is read with a size limit and a time limit, decoded as strict UTF-8, and limited to a
few fields: anything else is a 4xx page, never a half-read answer.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import anyio
from starlette.requests import Request

from stigmacards.i18n import N_
from stigmacards.reflections.flow import MAX_TEXT
from stigmacards.room.access import same_secret
from stigmacards.room.phones import RefusedError

# The longest answer (MAX_TEXT characters of up to 4 UTF-8 bytes, each percent-encoded as 3
# characters: 48,000) fits; a 5 MB body is refused after reading at most this much.
MAX_BODY = 64 * 1024
assert MAX_TEXT * 4 * 3 < MAX_BODY
MAX_FIELDS = 12
BODY_SECONDS = 10.0  # a phone on bad Wi-Fi sends a form in well under this

TOO_BIG = N_("What was sent is too large. Please shorten your answer.")
BAD_FORM = N_("What was sent could not be read. Please try again.")
SLOW = N_("Sending took too long. Please try again.")
NO_TOKEN = N_("This form has expired. Please reload the page and try again.")


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields (the first value of each); RefusedError with 4xx when the body is not a small form."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise RefusedError(415, BAD_FORM)
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise RefusedError(413, TOO_BIG)
    body = bytearray()
    try:
        with anyio.fail_after(BODY_SECONDS):
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY:
                    raise RefusedError(413, TOO_BIG)
    except TimeoutError:
        raise RefusedError(408, SLOW) from None
    try:
        pairs = parse_qsl(
            body.decode("ascii"),
            keep_blank_values=True,
            strict_parsing=False,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        raise RefusedError(400, BAD_FORM) from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields


def require_token(fields: dict[str, str], expected: str) -> None:
    """Every POST carries the token its page was rendered with (refused without it)."""
    if not same_secret(expected, fields.get("form_token", "")):
        raise RefusedError(403, NO_TOKEN)
