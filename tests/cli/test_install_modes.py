"""The bundled decks are found however stigmacards is run: wheel, editable install, checkout.

In a wheel the decks live inside the package (hatch force-include); in an editable install and
a plain checkout they sit beside it (see paths.bundled_decks_dir). Each mode runs a fresh
process from an unrelated working directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.slow

BUNDLED = {"stigma-sekswerk", "stigma-algemeen"}
PROBE = (
    "import json, stigmacards; from stigmacards import paths; "
    "print(json.dumps({'file': stigmacards.__file__, 'decks': str(paths.bundled_decks_dir()), "
    "'schema': paths.schema_file().is_file()}))"
)


def _env(tmp_path: Path, pythonpath: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    env.update(
        STIGMACARDS_HOME=str(tmp_path / "home"),
        LC_ALL="C.UTF-8",
        NO_COLOR="1",
        PIP_NO_INDEX="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


def _run(args: list[str], *, tmp_path: Path, pythonpath: Path | None) -> str:
    cwd = tmp_path / "elsewhere"
    cwd.mkdir(exist_ok=True)
    proc = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=_env(tmp_path, pythonpath),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _assert_decks_found(tmp_path: Path, *, pythonpath: Path | None, package_root: Path) -> None:
    probe = json.loads(_run(["-c", PROBE], tmp_path=tmp_path, pythonpath=pythonpath))
    assert Path(probe["file"]).resolve().is_relative_to(package_root.resolve())
    assert Path(probe["decks"]).resolve().is_relative_to(package_root.resolve())
    assert probe["schema"] is (ROOT / "decks" / "deck.schema.json").is_file()
    listed = json.loads(
        _run(
            ["-m", "stigmacards", "deck", "list", "--format", "json"],
            tmp_path=tmp_path,
            pythonpath=pythonpath,
        )
    )
    bundled = {row["id"]: row for row in listed if row["source"] == "bundled"}
    assert set(bundled) == BUNDLED
    assert all(row["status"] == "ok" for row in bundled.values())
    # The Dutch catalogue is found too.
    dutch = _run(
        ["-m", "stigmacards", "--lang", "nl", "deck", "list", "--format", "json"],
        tmp_path=tmp_path,
        pythonpath=pythonpath,
    )
    assert {row["source"] for row in json.loads(dutch)} == {"meegeleverd"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1"),
    )
    (built,) = out.glob("stigmacards-*.whl")
    return built


def test_wheel_contains_decks_schema_and_catalogues(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for deck in BUNDLED:
        assert f"stigmacards/decks/{deck}.yaml" in names
    if (ROOT / "decks" / "deck.schema.json").is_file():
        assert "stigmacards/decks/deck.schema.json" in names
    for po in (ROOT / "stigmacards" / "locale" / "nl" / "LC_MESSAGES").glob("*.po"):
        assert f"stigmacards/locale/nl/LC_MESSAGES/{po.stem}.mo" in names
    assert "stigmacards/__main__.py" in names


def test_installed_wheel_finds_bundled_decks(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
        env=_env(tmp_path, None),
    )
    _assert_decks_found(tmp_path, pythonpath=target, package_root=target)


def test_editable_install_finds_bundled_decks(tmp_path: Path) -> None:
    probe = json.loads(_run(["-c", PROBE], tmp_path=tmp_path, pythonpath=None))
    if not Path(probe["file"]).resolve().is_relative_to(ROOT.resolve()):
        pytest.skip("this environment does not have stigmacards installed in editable mode")
    _assert_decks_found(tmp_path, pythonpath=None, package_root=ROOT)


def test_plain_checkout_finds_bundled_decks(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(
        ROOT / "stigmacards", checkout / "stigmacards", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "decks", checkout / "decks")
    _assert_decks_found(tmp_path, pythonpath=checkout, package_root=checkout)
