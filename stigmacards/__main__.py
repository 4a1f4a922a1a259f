"""Entry point. `--version` answers before typer, rich or pydantic are imported."""

from __future__ import annotations

import sys


def run() -> None:
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"stigmacards {__version__}\n")
        raise SystemExit(0)
    try:
        from .cli import main
    except KeyboardInterrupt:  # Ctrl-C while the CLI is still being imported
        sys.stderr.write("stigmacards: interrupted\n")
        raise SystemExit(130) from None
    raise SystemExit(main(args))


if __name__ == "__main__":
    run()
