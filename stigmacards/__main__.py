"""Entry point, with two fast paths that answer before typer (or rich) is imported.

`--version` imports nothing else. `deck validate` and `deck lint` in their plain forms are what
editors and CI run on every save: typer alone costs more CPU than checking the bundled deck
(benchmarks/README.md), so those are parsed here and run through the same `checking.check` as
the typer commands. Anything else -- `--help`, `--debug`, an unknown or misplaced option, no
PATH -- goes to the full CLI, which also gives the usage errors.
"""

from __future__ import annotations

import sys


def run() -> None:
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from stigmacards import __version__

        sys.stdout.write(f"stigmacards {__version__}\n")
        raise SystemExit(0)
    try:
        code = fast_check(args)
        if code is None:
            from stigmacards.cli import main

            code = main(args)
    except KeyboardInterrupt as exc:  # Ctrl-C while the CLI is still being imported
        code = _failed(exc)
    _flush_or_let_go()
    raise SystemExit(code)


def _flush_or_let_go() -> None:
    """Flush what is still buffered. If the terminal or pipe is gone (a closed window: SIGHUP and
    EIO), the streams stop minding, so the interpreter's own flush at exit cannot turn our exit
    status (129 for a hang-up) into its 120."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            _pacify()
            return


def _pacify() -> None:
    sys.stdout = _Pacified(sys.stdout)
    sys.stderr = _Pacified(sys.stderr)


class _Plain:
    """A `deck validate|lint` call the fast path takes: [--lang L] deck validate|lint [options] PATH…"""

    def __init__(self, lang: str | None, warnings: bool, fmt: str, paths: list[str]) -> None:
        self.lang = lang
        self.warnings = warnings
        self.fmt = fmt
        self.paths = paths


def _parse(args: list[str]) -> _Plain | None:
    """The plain forms only; None sends everything else to typer (which words any usage error)."""
    lang: str | None = None
    i = 0
    while i < len(args) and args[i] != "deck":
        if args[i] == "--lang" and i + 1 < len(args) and lang is None:
            lang = args[i + 1]
            i += 2
        elif args[i].startswith("--lang=") and lang is None:
            lang = args[i].split("=", 1)[1]
            i += 1
        else:
            return None
    if len(args) < i + 2 or args[i + 1] not in ("validate", "lint"):
        return None
    command = args[i + 1]
    strict = False
    fmt = "text"
    paths: list[str] = []
    rest = args[i + 2 :]
    j = 0
    while j < len(rest):
        arg = rest[j]
        if arg == "--strict" and command == "validate":
            strict = True
        elif arg == "--format" and j + 1 < len(rest) and rest[j + 1] in ("text", "json"):
            fmt = rest[j + 1]
            j += 1
        elif arg.startswith("--format=") and arg.split("=", 1)[1] in ("text", "json"):
            fmt = arg.split("=", 1)[1]
        elif arg.startswith("-") or not arg:
            return None  # --help, --debug, -, --, an unknown option: typer's to answer
        else:
            paths.append(arg)
        j += 1
    if not paths:
        return None
    return _Plain(lang, command == "lint" or strict, fmt, paths)


def fast_check(args: list[str]) -> int | None:
    """Run a plain `deck validate|lint` without typer and return its exit code; None when `args`
    are anything else. Output, errors and exit codes are those of the typer commands."""
    plain = _parse(args)
    if plain is None:
        return None
    from pathlib import Path

    from stigmacards.deck.checking import OutputFormat, check
    from stigmacards.errors import StigmaError
    from stigmacards.i18n import choose_language, set_language

    try:
        set_language(choose_language(plain.lang))
    except StigmaError:
        return None  # an unsupported --lang: typer's path words the usage error
    try:
        report = check([Path(p) for p in plain.paths], warnings=plain.warnings, fmt=OutputFormat(plain.fmt))
        for line in report.out:
            _echo(line)
        for line in report.err:
            _echo(line, err=True)
    except (StigmaError, KeyboardInterrupt, BrokenPipeError) as exc:
        return _failed(exc)
    return report.code


def _failed(exc: BaseException) -> int:
    """Report a failure through the one mapping the typer app uses too (exits.exit_status)."""
    from stigmacards.exits import exit_status
    from stigmacards.text import inert

    code, message = exit_status(exc)
    if message is None:
        _pacify()  # a closed pipe: keep quiet at exit too
    else:
        _error(inert(message, single_line=True))
    return code


class _Pacified:
    """A stream whose flush ignores a closed pipe or terminal, so the exit status stays ours."""

    def __init__(self, stream: object) -> None:
        self._stream = stream

    def flush(self) -> None:
        import contextlib

        with contextlib.suppress(OSError):
            self._stream.flush()  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _echo(line: str, *, err: bool = False) -> None:
    """Write a line as typer's (click's) `echo` does: to a stream set to ASCII (PYTHONIOENCODING,
    some CI runners) it writes UTF-8, replacing what cannot be encoded, instead of failing."""
    import codecs

    stream = sys.stderr if err else sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is not None and codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii":
        stream.flush()
        buffer.write((line + "\n").encode("utf-8", "replace"))
        buffer.flush()
        return
    stream.write(line + "\n")
    stream.flush()


def _error(message: str) -> None:
    sys.stderr.write(f"stigmacards: {message}\n")
    sys.stderr.flush()


if __name__ == "__main__":
    run()
