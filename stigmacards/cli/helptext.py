"""The help and the parser's messages in the interface language.

The help texts are written in English in the cli modules (docstrings, `help=`). typer builds a
fresh click command tree on every run; `localize()` walks it once, after the language is chosen,
and replaces each text by its translation (catalogue: locale/nl/LC_MESSAGES/cli_help.po),
keeping the English where there is none. The words click and typer add themselves:

- typer's section titles and "[default: …]", "[required]" go through the stdlib
  `gettext.gettext` in typer.core, which reads the process-wide "messages" domain chosen by the
  environment, not by `--lang`: that module's `_` is pointed at our catalogue instead.
- "Usage:" is written by click's HelpFormatter: every command gets a context whose formatter
  writes it translated; the same context translates the help option's "Show this message …".
- click's error messages are English f-strings (typer 0.28 vendors click without gettext):
  `error_message()` translates those it recognises by their shape; any other stays English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import typer
import typer.core
from typer._click import Command, HelpFormatter
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperArgument, TyperOption

from stigmacards.i18n import N_, _

# Commands whose parser errors are one line (`stigmacards play` runs in front of a room).
ONE_LINE_ERRORS = frozenset({"play"})

# Written by click itself (decorators.help_option): the -h/--help option of every command.
HELP_OPTION = N_("Show this message and exit.")

# The words typer.core passes to gettext, listed so that the catalogue check covers them.
TYPER_WORDS = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
)

# click's error messages by their shape (typer 0.28: _click/exceptions.py, parser.py, core.py,
# types.py; typer/_types.py), each with a msgid in click's words. Every part is translated in
# turn, so the reason inside "Invalid value for …" is too. A message of another shape, or one
# without a translation, is shown as click wrote it.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), msgid)
    for pattern, msgid in (
        # (pattern, message) pairs, like deck/syntax.py's table: each words another library's errors.
        (r"(?P<message>.+)\. Did you mean (?P<names>.+)\?", N_("{message}. Did you mean {names}?")),
        (r"Invalid value for (?P<name>.+?): (?P<reason>.+)", N_("Invalid value for {name}: {reason}")),
        (r"Missing argument (?P<name>.+)\.", N_("Missing argument {name}.")),
        (r"Missing option (?P<name>.+)\.", N_("Missing option {name}.")),
        (r"Missing parameter (?P<name>.+)\.", N_("Missing parameter {name}.")),
        (
            r"No such option: (?P<option>\S+) \(Possible options: (?P<options>.+)\)",
            N_("No such option: {option} (Possible options: {options})"),
        ),
        (r"No such option: (?P<option>.+)", N_("No such option: {option}")),
        (
            r"Got unexpected extra argument\(s\) \((?P<args>.*)\)",
            N_("Got unexpected extra argument(s) ({args})"),
        ),
        (r"Option (?P<option>'[^']+') requires an argument\.", N_("Option {option} requires an argument.")),
        (
            r"Option (?P<option>'[^']+') requires (?P<n>\d+) arguments\.",
            N_("Option {option} requires {n} arguments."),
        ),
        (r"Option (?P<option>'[^']+') does not take a value\.", N_("Option {option} does not take a value.")),
        (r"(?P<value>.+) is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
        (r"(?P<value>.+) is not in the range (?P<range>.+)\.", N_("{value} is not in the range {range}.")),
        (r"(?P<value>.+) is not a valid (?:int|integer|int range)\.", N_("{value} is not a valid integer.")),
        (r"(?P<value>.+) is not a valid (?:float|float range)\.", N_("{value} is not a valid float.")),
    )
)


def commands(root: Command) -> Iterator[Command]:
    """Every command of the click tree, groups included, the root first."""
    yield root
    subcommands: dict[str, Command] = getattr(root, "commands", {})
    for sub in subcommands.values():
        yield from commands(sub)


def help_texts(root: Command) -> Iterator[str]:
    """Every help text written in the cli modules: command help, short help, epilog, param help."""
    for command in commands(root):
        for text in (command.help, command.short_help, command.epilog):
            if text:
                yield text
        for param in command.params:
            if isinstance(param, TyperOption | TyperArgument) and param.help:
                yield param.help


def localize(root: Command) -> Command:
    """Translate the help of every command in `root` (built by typer.main.get_command) in place."""
    typer.core._ = _  # type: ignore[attr-defined]  # typer's own words: see the module docstring
    for command in commands(root):
        if command.help:
            command.help = _(command.help)
        if command.short_help:
            command.short_help = _(command.short_help)
        if command.epilog:
            command.epilog = _(command.epilog)
        for param in command.params:
            if isinstance(param, TyperOption | TyperArgument) and param.help:
                param.help = _(param.help)
        command.context_class = LocalizedContext
    return root


class LocalizedFormatter(HelpFormatter):
    """click's help formatter, with "Usage:" in the interface language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)


class LocalizedContext(typer.Context):
    """A context whose help option and usage line speak the interface language."""

    formatter_class = LocalizedFormatter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        option = self.command.get_help_option(self)  # created here once per command, then cached
        if option is not None and option.help == HELP_OPTION:
            option.help = _(HELP_OPTION)


def error_message(message: str) -> str:
    """click's English error `message` in the interface language, as far as its shape is known."""
    for pattern, msgid in _ERRORS:
        match = pattern.fullmatch(message)
        if match is None:
            continue
        translated = _(msgid)
        if translated == msgid:  # no translation (English): click's own words, exactly
            return message
        parts = {name: error_message(part) for name, part in match.groupdict().items()}
        return translated.format(**parts)
    return message


def show_error(exc: typer.TyperException) -> bool:
    """Print a parser error as click's `show()` does, in the interface language; False if not one."""
    if not isinstance(exc, ClickException):
        return False
    if isinstance(exc, NoArgsIsHelpError):
        exc.show()  # the help, already translated
        return True
    color = exc.show_color
    if isinstance(exc, UsageError) and exc.ctx is not None and exc.ctx.command.name in ONE_LINE_ERRORS:
        # Run in front of a group: one line that says what is wrong, not the usage block.
        hint = _("Try '{command} {option}' for help.").format(
            command=exc.ctx.command_path, option=exc.ctx.help_option_names[0]
        )
        line = f"{exc.ctx.command_path}: {error_message(exc.format_message())} {hint}"
        typer.echo(line, err=True, color=exc.ctx.color)
        return True
    if isinstance(exc, UsageError):
        color = None
        if exc.ctx is not None:
            hint = ""
            if exc.ctx.command.get_help_option(exc.ctx) is not None:
                hint = _("Try '{command} {option}' for help.").format(
                    command=exc.ctx.command_path, option=exc.ctx.help_option_names[0]
                )
                hint += "\n"
            color = exc.ctx.color
            typer.echo(f"{exc.ctx.get_usage()}\n{hint}", err=True, color=color)
    message = _("Error: {message}").format(message=error_message(exc.format_message()))
    typer.echo(message, err=True, color=color)
    return True
