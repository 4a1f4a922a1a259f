"""The shape of the package, as docs/architecture.md draws it, checked on every test run.

- the import layers (import-linter's contracts in pyproject.toml);
- no module over 500 lines, except the few listed below with the reason they are one piece;
- the pure core never prints, reads standard input or sleeps: it returns values, and the
  adapters (terminal, web) and an injected clock do the rest.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "stigmacards"
CORE = ("deck", "play", "reflections", "printing", "room")
MAX_LINES = 500

# Modules allowed to be longer than MAX_LINES, each with its reason. The test also fails when
# a listed module has shrunk below the limit, so the list cannot go stale.
LONG_MODULES: dict[str, str] = {}  # none today: every module is within the limit


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def test_import_layers_hold(tmp_path: Path) -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is a dev dependency: pip install -e '.[dev]'"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [exe, "--no-cache"],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " 0 broken" in done.stdout


def test_no_module_is_over_the_line_limit() -> None:
    lengths = {_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    too_long = {name: n for name, n in lengths.items() if n > MAX_LINES and name not in LONG_MODULES}
    assert not too_long, f"split these modules by concept (limit {MAX_LINES} lines): {too_long}"
    stale = [name for name in LONG_MODULES if lengths.get(name, 0) <= MAX_LINES]
    assert not stale, f"no longer long or gone, take them off LONG_MODULES: {stale}"


def _effects(tree: ast.AST) -> list[tuple[int, str]]:
    """Calls and attributes that talk to the terminal or wait for real time."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"print", "input", "breakpoint"}
        ):
            found.append((node.lineno, f"{node.func.id}()"))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            pair = f"{node.value.id}.{node.attr}"
            if pair in {"time.sleep", "asyncio.sleep", "sys.stdout", "sys.stderr", "sys.stdin"}:
                found.append((node.lineno, pair))
        if (
            isinstance(node, ast.ImportFrom)
            and node.module in {"time", "asyncio"}
            and any(alias.name == "sleep" for alias in node.names)
        ):
            found.append((node.lineno, f"from {node.module} import sleep"))
    return found


@pytest.mark.parametrize("package", CORE)
def test_the_core_never_prints_reads_stdin_or_sleeps(package: str) -> None:
    root = PACKAGE / package
    if not root.exists():
        pytest.skip(f"stigmacards/{package} is not in this version")
    offences = [
        f"{_name(path)}:{line}: {what}"
        for path in sorted(root.rglob("*.py"))
        for line, what in _effects(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not offences, "the core returns values; adapters print and clocks sleep:\n" + ("\n".join(offences))


def test_the_effect_finder_sees_what_it_forbids() -> None:
    sample = "import sys, time\nprint(1)\ntime.sleep(2)\nsys.stdout.write('x')\n"
    assert [what for _, what in _effects(ast.parse(sample))] == [
        "print()",
        "time.sleep",
        "sys.stdout",
    ]


def test_one_place_asks_whether_a_stream_is_a_terminal() -> None:
    """`isatty` is asked in platform.py only; everything else uses its helpers (tests replace those)."""
    asking = [
        _name(p) for p in _modules() if "isatty" in p.read_text(encoding="utf-8") and p.name != "platform.py"
    ]
    assert asking == []
