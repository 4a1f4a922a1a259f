"""Both sides of the platform seam: the POSIX path on this machine, the Windows path with fakes."""

from __future__ import annotations

import os
import signal
import stat
from collections import deque
from pathlib import Path

import pytest

from stigmacards import i18n, platform
from stigmacards.ui.keys import ENTER, WindowsKeys

# --- keys ---------------------------------------------------------------------------------


class FakeConsole:
    """msvcrt as the Windows console gives it: kbhit() and getwch(), two characters for arrows."""

    def __init__(self, *typed: str) -> None:
        self.typed = deque("".join(typed))

    def kbhit(self) -> bool:
        return bool(self.typed)

    def getwch(self) -> str:
        return self.typed.popleft()


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_windows_keys_read_letters_enter_and_arrows_like_a_posix_terminal() -> None:
    clock = FakeTime()
    console = FakeConsole()
    with WindowsKeys(console, monotonic=clock.monotonic, sleep=clock.sleep) as keys:
        console.typed.extend(" p\r\xe0H\x00P+?")
        read = [keys.read(1.0) for _ in range(7)]
    assert read == [" ", "p", ENTER, "\x1b[A", "\x1b[B", "+", "?"]
    assert clock.slept == []  # keys were waiting: no polling


def test_windows_keys_wait_out_the_timeout_in_short_polls_and_drop_keys_typed_before() -> None:
    clock = FakeTime()
    console = FakeConsole("q")  # typed before the round: must not quit it
    with WindowsKeys(console, monotonic=clock.monotonic, sleep=clock.sleep) as keys:
        assert keys.read(0.1) is None
    assert clock.now == pytest.approx(0.1)
    assert max(clock.slept) <= WindowsKeys.POLL
    assert len(clock.slept) == 5


def test_an_unknown_function_key_is_ignored() -> None:
    clock = FakeTime()
    console = FakeConsole()
    with WindowsKeys(console, monotonic=clock.monotonic, sleep=clock.sleep) as keys:
        console.typed.extend("\x00;")  # F1
        assert keys.read(0.5) is None


# --- files, signals, core dumps -------------------------------------------------------------


@pytest.mark.posix
def test_private_files_and_directory_sync_on_posix(tmp_path: Path) -> None:
    path = tmp_path / "f"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        platform.make_private(fd)
    finally:
        os.close(fd)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    platform.sync_directory(tmp_path)  # no error
    assert not platform.owned_by_someone_else(path.stat())


@pytest.mark.posix
def test_without_posix_names_every_function_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("fchmod", "getuid", "O_DIRECTORY"):
        monkeypatch.delattr(os, name)
    for name in ("SIGHUP", "SIGTSTP", "pthread_sigmask"):
        monkeypatch.delattr(signal, name)
    path = tmp_path / "f"
    path.write_text("x", encoding="utf-8")
    path.chmod(0o644)
    fd = os.open(path, os.O_RDONLY)
    try:
        platform.make_private(fd)  # nothing to do, and no error
    finally:
        os.close(fd)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    platform.sync_directory(tmp_path)
    assert not platform.owned_by_someone_else(path.stat())
    assert platform.signals("SIGTERM", "SIGHUP", "SIGTSTP") == (signal.SIGTERM,)
    assert not platform.has_signal("SIGTSTP")
    with platform.signals_held(signal.SIGINT, signal.SIGTERM):
        pass  # runs, unblocked


@pytest.mark.posix
def test_signals_are_held_during_a_save_and_delivered_after() -> None:
    got: list[int] = []
    previous = signal.signal(signal.SIGUSR1, lambda signum, frame: got.append(signum))
    try:
        with platform.signals_held(signal.SIGUSR1):
            os.kill(os.getpid(), signal.SIGUSR1)
            assert got == []
        assert got == [signal.SIGUSR1]
    finally:
        signal.signal(signal.SIGUSR1, previous)


@pytest.mark.posix
def test_core_dumps_off_where_resource_exists_and_harmless_where_not(monkeypatch: pytest.MonkeyPatch) -> None:
    import resource
    import subprocess
    import sys

    probe = "import resource, stigmacards.platform as p; p.no_core_dumps(); print(resource.getrlimit(resource.RLIMIT_CORE)[0])"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"
    assert resource.RLIMIT_CORE  # this machine has it; the nowin tour runs without it
    monkeypatch.setitem(sys.modules, "resource", None)  # import resource → ImportError
    platform.no_core_dumps()


# --- language -----------------------------------------------------------------------------


class FakeKernel32:
    def __init__(self, lcid: int) -> None:
        self.lcid = lcid

    def GetUserDefaultUILanguage(self) -> int:
        return self.lcid


class FakeWindll:
    def __init__(self, lcid: int) -> None:
        self.kernel32 = FakeKernel32(lcid)


@pytest.mark.parametrize(("lcid", "lang"), [(0x0413, "nl"), (0x0813, "nl"), (0x0409, "en"), (0x040C, None)])
def test_windows_ui_language(lcid: int, lang: str | None) -> None:
    """Dutch (Netherlands), Dutch (Belgium), English (US); French is not supported: English then."""
    assert i18n.system_language("win32", windll=FakeWindll(lcid), getlocale=lambda: (None, None)) == lang


def test_windows_locale_names_and_the_order_of_choice() -> None:
    assert i18n.system_language("linux", getlocale=lambda: ("Dutch_Netherlands", "1252")) == "nl"
    assert i18n.system_language("linux", getlocale=lambda: ("nl_BE", "UTF-8")) == "nl"
    assert i18n.system_language("linux", getlocale=lambda: (None, None)) is None
    dutch = lambda: "nl"  # noqa: E731 - a one-line stand-in for the system
    assert i18n.choose_language(None, {}, system=dutch) == "nl"  # a Dutch Windows without LANG
    assert i18n.choose_language(None, {"LANG": "en_GB.UTF-8"}, system=dutch) == "en"  # POSIX says it
    assert i18n.choose_language(None, {"STIGMACARDS_LANG": "en"}, system=dutch) == "en"
    assert i18n.choose_language("en", {}, system=dutch) == "en"
    assert i18n.choose_language(None, {"LANG": "C.UTF-8"}, system=dutch) == "en"  # set, and not Dutch
