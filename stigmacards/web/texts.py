"""Every word the room's pages show, marked for translation (the Dutch is in locale/nl/room.po).

Templates get them translated into the page's language (`words(lang)`), so each phone can read
the session in its own language while the facilitator's terminal keeps its own.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

from stigmacards.i18n import N_, translator

_WORDS = {
    "start_title": N_("Join the session"),
    "start_help": N_("Type the room code shown on the screen at the front of the room."),
    "code_label": N_("Room code"),
    "join": N_("Join"),
    "wrong_code": N_("That is not the room code. Please check it and try again."),
    "wait_code": N_("Too many tries. Please wait {n} seconds and try again."),
    "promise_title": N_("Before you start: what happens with your answers"),
    "begin": N_("Start the questions"),
    "question_of": N_("Question {n} of {total}"),
    "next": N_("Next"),
    "skip": N_("Skip this question"),
    "text_hint": N_("Leave it empty to skip. At most {n} characters."),
    "pii_title": N_("Your answer seems to contain personal data:"),
    "pii_caveat": N_("This check does not catch everything: read your answer again yourself."),
    "pii_question": N_("What would you like to do?"),
    "pii_remove": N_("Remove these parts"),
    "pii_keep": N_("Keep my answer as it is"),
    "pii_edit": N_("Edit my answer"),
    "your_answer": N_("Your answer"),
    "saved_title": N_("Saved. Thank you."),
    "saved_body": N_("Your answers are saved on the facilitator's laptop. You can close this page."),
    "empty_title": N_("Thank you."),
    "empty_body": N_("You skipped every question, so nothing was saved. You can close this page."),
    "discarded_title": N_("Not saved"),
    "discarded_body": N_("Your answers were discarded, as you chose. You can close this page."),
    "retry_title": N_("Not saved yet"),
    "retry_body": N_(
        "Your answers could not be saved just now. They are kept on this page until you choose."
    ),
    "retry_full": N_(
        "The group is complete: as many people have answered as the facilitator declared. "
        "Please tell the facilitator; your answers are kept until you choose."
    ),
    "try_again": N_("Try again"),
    "give_up": N_("Do not save (discard my answers)"),
    "full_title": N_("The group is complete"),
    "full_body": N_(
        "As many people have answered as the facilitator declared. If you have not answered yet, "
        "please tell the facilitator."
    ),
    "closed_title": N_("The session has ended"),
    "closed_body": N_("Thank you for taking part. Nothing more can be sent."),
    "waiting_title": N_("Welcome"),
    "waiting_body": N_("The session will start soon. This page follows along by itself."),
    "round": N_("Round {n}"),
    "pick_table": N_("Which table are you at?"),
    "table": N_("Table {n}"),
    "other_table": N_("Another table"),
    "no_card": N_("This table has no card this round."),
    "content_note": N_("Content note"),
    "pass_note": N_("You may always pass on a question. Only share what you want to share."),
    "reflect_title": N_("Reflection"),
    "join_with": N_("Join on your phone"),
    "or_type": N_("or go to {url} and type the code"),
    "submissions": N_("Submissions"),
    "group_full": N_("group full"),
    "paused": N_("paused"),
    "not_found_title": N_("Page not found"),
    "not_found_body": N_("This address is not part of the session. Scan the code on the screen again."),
    "problem_title": N_("Something went wrong"),
    "back": N_("Go on"),
    "reload": N_("Reload this page"),
    "thanks_title": N_("Thank you"),
}


def other_language(lang: str) -> str:
    return "en" if lang == "nl" else "nl"


def words(lang: str) -> MappingProxyType[str, str]:
    """The page words in `lang`; "language" names the other language, in that language."""
    translate: Callable[[str], str] = translator(lang)
    found = {key: translate(text) for key, text in _WORDS.items()}
    found["language"] = "English" if lang == "nl" else "Nederlands"
    return MappingProxyType(found)


def say(message: str, lang: str, **values: object) -> str:
    """One message id (from the room core or forms) in `lang`, with its values filled in."""
    text = translator(lang)(message)
    return text.format(**values) if values else text
