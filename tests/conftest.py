"""Suite-wide settings: no test may reach the user's real data folder or a network."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# One office in a temporary folder (home, office) for the folders that need one.
pytest_plugins = ["tests.support.office"]
os.environ["DESK_LANG"] = "vi"
# The suite's keyrings are temporary plaintext files it chose on purpose (issue 11: Desk
# refuses a plaintext keyring it was not told to use).
os.environ.setdefault("DESK_ALLOW_PLAINTEXT_KEYRING", "1")


# --- one PKI and one set of SoftHSM2 tokens for the whole run ------------------------------
# SoftHSM reads SOFTHSM2_CONF once per process, so every test folder that signs must
# share these session fixtures instead of building its own world.

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def pki_world(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.support import pki

    return pki.build_world(tmp_path_factory.mktemp("pki-world"))


@pytest.fixture(scope="session")
def pki_server(pki_world) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from tests.support import pki

    srv = pki.PkiServer(pki_world.pki).start()
    yield srv
    srv.stop()


# --- Windows: parts that cannot be had for Windows from Debian or PyPI -------------------------
# Under Windows (the Wine lane, `make test-windows`, or an office PC) a test that needs one
# of these is marked skipped with the reason (tests/support/windows.py), and the closing
# summary counts them by part. Nothing else is skipped there: every other test must pass on
# Windows too. Tests that run such a program through a helper (pki.pdfsig, pki.qpdf_check)
# are skipped by the helper, with the same reason, and counted the same way.

# Tests (node id prefixes) that call one of those programs themselves, or test Linux-only
# behaviour.
WINDOWS_NEEDS_BY_TEST: dict[str, str] = {
    "tests/sync/test_postgres.py": "postgresql",
    "tests/sync/test_axis_sdk.py": "java",
    "tests/desk/test_documents.py::test_a_scanned_pdf_is_read_by_ocr": "tesseract",
    "tests/gui/test_settings_sync.py::test_desk_gui_without_a_display_says_so": "display",
    # a .docx imported is rendered to PDF by LibreOffice (or Word)
    "tests/desk/test_cli.py::test_import_of_word_files_and_a_clear_error_for_other_kinds": "libreoffice",
    "tests/desk/test_reading.py::test_a_docx_typed_in_tcvn3_is_read_as_unicode": "libreoffice",
    "tests/interop/": "java",
}
# Fixtures that stand for a part: a test using them (directly or not) needs it.
WINDOWS_NEEDS_BY_FIXTURE = {"pki_world": "softhsm2", "lo_profile": "libreoffice",
                            "converted": "libreoffice"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--shard", default=None, metavar="K/N",
                     help="run only every N-th test file, from the K-th (0-based), in collection "
                          "order; the Windows lane runs N such pytest processes side by side")


def _shard(config: pytest.Config, items: list[pytest.Item]) -> None:
    k, n = (int(x) for x in config.getoption("--shard").split("/"))
    files = list(dict.fromkeys(item.nodeid.split("::")[0] for item in items))
    mine = {f for i, f in enumerate(files) if i % n == k}
    keep = [item for item in items if item.nodeid.split("::")[0] in mine]
    config.hook.pytest_deselected(items=[item for item in items if item.nodeid.split("::")[0] not in mine])
    items[:] = keep


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    import sys

    from tests.support import windows

    if config.getoption("--shard"):
        _shard(config, items)
    if sys.platform != "win32":
        return
    for item in items:
        node = item.nodeid.replace("\\", "/")
        need = next((part for prefix, part in WINDOWS_NEEDS_BY_TEST.items() if node.startswith(prefix)),
                    None)
        if need is None:
            names = set(getattr(item, "fixturenames", ()))
            need = next((part for fx, part in WINDOWS_NEEDS_BY_FIXTURE.items() if fx in names), None)
        if need is not None:
            # First, so that it is the reason given even when a folder's conftest skips too.
            item.add_marker(pytest.mark.skip(reason=windows.reason(need)), append=False)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    import sys
    from collections import Counter

    from tests.support import windows

    if sys.platform != "win32":
        return
    counts: Counter[str] = Counter()
    skipped = terminalreporter.stats.get("skipped", [])
    for rep in skipped:
        longrepr = rep.longrepr
        text = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        part = windows.part_of(text)
        if part is not None:
            counts[part] += 1
    total = sum(counts.values())
    terminalreporter.write_line(
        f"Windows: {total} tests marked as needing a part this machine cannot have for Windows, or "
        "testing Linux-only behaviour (" + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        + f"); other skips: {len(skipped) - total}")
