"""The command line: typer apps wired to the core. The single place errors become exit codes."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import typer

from stigmacards import __version__
from stigmacards.cli import deal as deal_cli
from stigmacards.cli import deck as deck_cli
from stigmacards.cli import deckio as _deckio  # noqa: F401 - registers `deck print`, `deck import`, `deck export`
from stigmacards.cli import helptext
from stigmacards.cli import play as play_cli
from stigmacards.cli import preview as _preview  # noqa: F401 - registers `deck preview`
from stigmacards.cli import reflect as reflect_cli
from stigmacards.cli import review as _review  # noqa: F401 - registers `session review`
from stigmacards.cli import room as room_cli
from stigmacards.cli import session as session_cli
from stigmacards.cli import sessionio as _sessionio  # noqa: F401 - registers `session export`, `merge`
from stigmacards.cli import timer as timer_cli
from stigmacards.cli.common import state
from stigmacards.errors import ExitCode, StigmaError
from stigmacards.exits import exit_status
from stigmacards.i18n import _, choose_language, set_language

app = typer.Typer(
    name="stigmacards",
    help="Conversation cards for facilitated dialogue sessions about stigma.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(deck_cli.app, name="deck")
app.command("play")(play_cli.play)
app.command("deal")(deal_cli.deal)
app.command("timer")(timer_cli.timer)
app.add_typer(session_cli.app, name="session")
app.command("reflect", no_args_is_help=True)(reflect_cli.reflect)
app.command("room", no_args_is_help=True)(room_cli.room)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stigmacards {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
    ),
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks for errors."),
    lang: str | None = typer.Option(
        None, "--lang", help="Interface language: en or nl (default: STIGMACARDS_LANG, then LANG)."
    ),
) -> None:
    """Conversation cards for facilitated dialogue sessions about stigma.

    Run `stigmacards play` to start a session, `stigmacards deck --help` for decks.
    """
    state.debug = debug
    if lang is not None:
        choose_language(lang)  # main already chose it; an unsupported one is a usage error here


def _resolve_annotations(typer_app: typer.Typer) -> None:
    """Evaluate every command's annotations once, here.

    The command modules use `from __future__ import annotations`, so annotations are strings,
    and typer evaluates each of them about three times while it builds the commands at every
    run: resolving them once halves that (~8 ms of a ~75 ms `--help`; benchmarks/README.md).
    """
    import typing

    callbacks = [info.callback for info in typer_app.registered_commands]
    if typer_app.registered_callback is not None:
        callbacks.append(typer_app.registered_callback.callback)
    for callback in callbacks:
        if callback is not None:
            callback.__annotations__ = typing.get_type_hints(callback, include_extras=True)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _resolve_annotations(group.typer_instance)


_resolve_annotations(app)


def _print_error(message: str) -> None:
    from stigmacards.text import inert
    from stigmacards.ui.console import error_console

    error_console().print("stigmacards: " + inert(message, single_line=True), markup=False, highlight=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit code; every known failure is one line on stderr."""
    args = list(sys.argv[1:] if argv is None else argv)
    state.debug = "--debug" in args
    try:
        set_language(choose_language(_lang_flag(args)))
    except StigmaError:  # an unsupported --lang: reported by the option that takes it
        set_language(choose_language())
    try:
        command = helptext.localize(typer.main.get_command(app))  # the help in the chosen language
        result = command.main(args=args, prog_name="stigmacards", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.TyperException as exc:  # usage errors from the argument parser
        if not helptext.show_error(exc):
            _print_error(exc.format_message())
        return int(exc.exit_code)
    except (StigmaError, KeyboardInterrupt, typer.Abort) as exc:
        if state.debug:
            traceback.print_exc()
        code, message = exit_status(KeyboardInterrupt() if isinstance(exc, typer.Abort) else exc)
        if message is not None:
            _print_error(message)
        return code
    except BrokenPipeError as exc:
        return exit_status(exc)[0]
    if result == ExitCode.INTERRUPTED:
        # typer turns a KeyboardInterrupt inside a command into a silent exit code 130.
        _print_error(_("interrupted"))
    return result if isinstance(result, int) else 0


def _lang_flag(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None
